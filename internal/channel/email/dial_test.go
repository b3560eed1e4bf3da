package email

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
	"github.com/parleyhq/parley/internal/netguard"
)

// With Parley's guard, the mail servers an inbox names are connected to
// only at public addresses or those the operator allows; a refusal is
// permanent and says what to change. Both servers here listen on
// 127.0.0.1, and work once loopback is allowed.
func TestDialGuarded(t *testing.T) {
	smtpSrv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
	imapSrv := newIMAP(t, mailtest.IMAPOptions{})
	in := pollInbox(imapSrv.Addr, TLSNone)
	in.Credentials[CredSMTPHost] = smtpSrv.Addr

	loopback, err := netguard.Parse(netguard.Loopback)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		guard *netguard.Guard
		ok    bool
	}{
		{"public only", nil, false},
		{"loopback allowed", loopback, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			a := testAdapter()
			a.Dial = tt.guard.Dialer(5 * time.Second)
			_, sendErr := a.Send(ctx, reply(in))
			_, _, pollErr := a.Poll(ctx, in, "")
			for what, err := range map[string]error{"Send": sendErr, "Poll": pollErr} {
				if tt.ok {
					if err != nil {
						t.Errorf("%s = %v, want it to reach the server", what, err)
					}
					continue
				}
				var se *channel.SendError
				if !errors.As(err, &se) || !se.Permanent || !strings.Contains(se.Reason, netguard.Setting) {
					t.Errorf("%s = %v, want a permanent failure naming %s", what, err, netguard.Setting)
				}
			}
		})
	}
	if n := len(smtpSrv.Messages()); n != 1 {
		t.Errorf("the SMTP server got %d messages, want 1 (from the allowed run only)", n)
	}
}
