package auth

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestCheckPassword(t *testing.T) {
	for _, tt := range []struct {
		name    string
		pw      string
		wantErr string // a substring of the message; "" means valid
	}{
		{"ten characters", "abcdefghij", ""},
		{"passphrase", "correct horse battery staple", ""},
		{"ten multi-byte characters", "ééééééééé☃", ""},
		{"256 bytes", strings.Repeat("a", 256), ""},
		{"empty", "", "at least 10 characters"},
		{"nine characters", "abcdefghi", "at least 10 characters"},
		{"nine multi-byte characters", "密码密码密码密码密", "at least 10 characters"},
		{"257 bytes", strings.Repeat("a", 257), "at most 256 bytes"},
		{"86 three-byte characters", strings.Repeat("密", 86), "at most 256 bytes"},
		{"invalid UTF-8", "abcdefghij\xff", "UTF-8"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckPassword(tt.pw)
			if tt.wantErr == "" {
				if err != nil {
					t.Errorf("CheckPassword(%q) = %v, want nil", tt.pw, err)
				}
				return
			}
			if got := care.ErrorCode(err); got != care.EINVALID {
				t.Errorf("CheckPassword(%q) code = %q, want %q", tt.pw, got, care.EINVALID)
			}
			if msg := care.ErrorMessage(err); !strings.Contains(msg, tt.wantErr) {
				t.Errorf("CheckPassword(%q) message = %q, want it to mention %q", tt.pw, msg, tt.wantErr)
			}
		})
	}
}
