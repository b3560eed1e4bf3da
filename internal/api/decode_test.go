package api

import (
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestDecodeStrict(t *testing.T) {
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"valid", `{"text":"hi"}`, true},
		{"empty", ``, false},
		{"not json", `text=hi`, false},
		{"unknown field", `{"text":"hi","colour":"red"}`, false},
		{"wrong type", `{"text":5}`, false},
		{"trailing object", `{"text":"hi"}{"text":"again"}`, false},
		{"trailing garbage", `{"text":"hi"} x`, false},
		{"array", `[{"text":"hi"}]`, false},
		{"truncated", `{"text":"hi"`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v noteRequest
			err := DecodeStrict([]byte(tt.body), &v)
			if (err == nil) != tt.ok {
				t.Fatalf("DecodeStrict(%q) = %v, want ok=%v", tt.body, err, tt.ok)
			}
			if err != nil && (care.ErrorCode(err) != care.EINVALID || care.ErrorMessage(err) == "") {
				t.Errorf("DecodeStrict(%q) error %v is not an EINVALID with a message", tt.body, err)
			}
		})
	}
}

func FuzzDecodeStrict(f *testing.F) {
	for _, s := range []string{`{"text":"hi","visibility":"public","attachments":[{"kind":"image"}],"reply_to_message_id":3}`,
		`{"status":"snoozed","snoozed_until":"2026-01-01T00:00:00Z","assignee_id":1,"team_id":null,"tags":["a"]}`, `{}`, `[]`, `"x"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r replyRequest
		if err := DecodeStrict(body, &r); err != nil && care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("reply: uncoded error %v", err)
		}
		var p conversationPatch
		if err := DecodeStrict(body, &p); err != nil && care.ErrorCode(err) != care.EINVALID {
			t.Fatalf("patch: uncoded error %v", err)
		}
	})
}

func TestDescribeSpend(t *testing.T) {
	tests := []struct {
		in   map[string]int
		want string
	}{
		{map[string]int{"service": 1}, "1 billed message this month (service 1)"},
		{map[string]int{"utility": 12, "service": 120}, "132 billed messages this month (service 120, utility 12)"},
	}
	for _, tt := range tests {
		if got := describeSpend(tt.in); got != tt.want {
			t.Errorf("describeSpend(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
