package channel

import (
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestSendErrorConstructors(t *testing.T) {
	cause := io.ErrUnexpectedEOF
	tests := []struct {
		name    string
		err     error
		want    *SendError
		wantMsg string
	}{
		{"permanent", Permanent("recipient blocked us", cause),
			&SendError{Permanent: true, Reason: "recipient blocked us", Err: cause},
			"channel: permanent send failure: recipient blocked us: unexpected EOF"},
		{"temporary", Temporary("rate limited", 7*time.Second, nil),
			&SendError{RetryAfter: 7 * time.Second, Reason: "rate limited"},
			"channel: temporary send failure: rate limited (retry after 7s)"},
		{"temporary with negative wait", Temporary("flaky", -time.Second, cause),
			&SendError{Reason: "flaky", Err: cause},
			"channel: temporary send failure: flaky: unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *SendError
			if !errors.As(tt.err, &got) {
				t.Fatalf("errors.As(%v, *SendError) = false", tt.err)
			}
			if diff := cmp.Diff(*tt.want, *got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("SendError mismatch (-want +got):\n%s", diff)
			}
			if got := tt.err.Error(); got != tt.wantMsg {
				t.Errorf("Error() = %q, want %q", got, tt.wantMsg)
			}
			if tt.want.Err != nil && !errors.Is(tt.err, tt.want.Err) {
				t.Errorf("errors.Is(%v, %v) = false, want true", tt.err, tt.want.Err)
			}
		})
	}
}

func TestGuard(t *testing.T) {
	boom := errors.New("refused")
	if err := Guard(func() error { return boom }); err != boom {
		t.Errorf("Guard(error) = %v, want the call's own error", err)
	}
	err := Guard(func() error { panic("index out of range") })
	var se *SendError
	if !errors.As(err, &se) || !se.Permanent || se.Reason != "the channel adapter failed" || !strings.Contains(se.Err.Error(), "index out of range") {
		t.Errorf("Guard(panic) = %#v, want a permanent send error carrying the panic", err)
	}
}
