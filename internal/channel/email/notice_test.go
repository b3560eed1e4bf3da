package email

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

// noticeInbox is a web chat inbox carrying SMTP settings.
func noticeInbox(addr string) care.Inbox {
	in := sendInbox(addr, TLSNone)
	in.Channel = care.ChannelWebChat
	return in
}

func TestSubmitNotice(t *testing.T) {
	t.Parallel()
	srv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
	a := testAdapter()
	n := Notice{To: "Ana@Example.com", ToName: "Ana\nLima", Subject: "Re: your message to Acme",
		Text: "Dana replied:\r\n\r\nIt ships today — sorry!", Key: "webchat-3-reply-42"}
	id, err := a.SubmitNotice(context.Background(), noticeInbox(srv.Addr), n)
	if err != nil {
		t.Fatalf("SubmitNotice: %v", err)
	}
	again, err := a.SubmitNotice(context.Background(), noticeInbox(srv.Addr), n)
	if err != nil || again != id || !strings.HasPrefix(id, "parley.") || !strings.HasSuffix(id, "@acme.example.com") {
		t.Errorf("SubmitNotice = %q then %q, %v; want one parley. Message-ID at the from domain for one key", id, again, err)
	}
	sent := srv.Messages()
	if len(sent) != 2 {
		t.Fatalf("the server got %d messages, want 2", len(sent))
	}
	m := sent[0]
	if m.From != "support@acme.example.com" || len(m.To) != 1 || m.To[0] != "ana@example.com" || m.User != smtpUser {
		t.Errorf("envelope %s → %v as %q", m.From, m.To, m.User)
	}
	h, body := readSent(t, m.Data)
	for _, f := range []struct{ key, want string }{
		{"From", `"Acme Support" <support@acme.example.com>`},
		{"To", `"Ana Lima" <ana@example.com>`},
		{"Subject", "Re: your message to Acme"},
		{"Message-Id", "<" + id + ">"},
		{"Date", "Tue, 24 Nov 2026 10:00:00 +0000"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"In-Reply-To", ""},
	} {
		if got := h.Get(f.key); got != f.want {
			t.Errorf("%s: %q, want %q", f.key, got, f.want)
		}
	}
	if body != "Dana replied:\r\n\r\nIt ships today — sorry!\r\n" {
		t.Errorf("body = %q", body)
	}
}

func TestSubmitNoticeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		edit      func(in *care.Inbox, n *Notice, srv *mailtest.SMTP)
		permanent bool
		reason    string
	}{
		{"no SMTP settings", func(in *care.Inbox, n *Notice, srv *mailtest.SMTP) { delete(in.Credentials, CredSMTPHost) }, true, "smtp_host"},
		{"no address", func(in *care.Inbox, n *Notice, srv *mailtest.SMTP) { n.To = "ana" }, true, "no address"},
		{"mailbox unknown", func(in *care.Inbox, n *Notice, srv *mailtest.SMTP) {
			srv.RejectNext(mailtest.Reject{Step: "RCPT", Code: 550, Message: "no such user"})
		}, true, "SMTP RCPT TO refused: 550"},
		{"greylisted", func(in *care.Inbox, n *Notice, srv *mailtest.SMTP) {
			srv.RejectNext(mailtest.Reject{Step: "MAIL", Code: 451, Message: "try later"})
		}, false, "SMTP MAIL FROM refused: 451"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
			in := noticeInbox(srv.Addr)
			n := Notice{To: "ana@example.com", Subject: "Hi", Text: "Hello", Key: "k"}
			tt.edit(&in, &n, srv)
			_, err := testAdapter().SubmitNotice(context.Background(), in, n)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) {
				t.Errorf("SubmitNotice = %v, want permanent %v with %q", err, tt.permanent, tt.reason)
			}
		})
	}
	if err := CheckSMTP(care.Inbox{Credentials: map[string]string{CredSMTPHost: "smtp.example.com:587", CredFrom: "not an address"}}); care.ErrorCode(err) != care.EINVALID {
		t.Errorf("CheckSMTP(bad from) = %v, want EINVALID", err)
	}
}
