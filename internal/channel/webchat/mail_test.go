package webchat_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
	"github.com/parleyhq/parley/internal/channel/webchat"
	"github.com/parleyhq/parley/internal/testdb"
)

// smtpMail emails through package email's SMTP submission, as the app
// wires it.
type smtpMail struct{ a *email.Adapter }

func (m smtpMail) Mail(ctx context.Context, in care.Inbox, e webchat.Email) error {
	_, err := m.a.SubmitNotice(ctx, in, email.Notice{To: e.To, ToName: e.ToName, Subject: e.Subject, Text: e.Text, Key: e.Key})
	return err
}

// mailRig is a harness whose inbox emails replies through an SMTP server
// on 127.0.0.1.
type mailRig struct {
	*harness
	smtp *mailtest.SMTP
}

// withMail makes s email replies through the rig's SMTP server, quickly.
func withMail(s *webchat.Server) {
	s.Mail = smtpMail{a: &email.Adapter{Logger: slog.New(slog.DiscardHandler)}}
	s.MailAfter, s.MailPoll = 150*time.Millisecond, 20*time.Millisecond
}

func newMailRig(t *testing.T, store care.Store, server func(*webchat.Server)) *mailRig {
	t.Helper()
	smtp, err := mailtest.NewSMTP(mailtest.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { smtp.Close() })
	h := newHarness(t, harnessOptions{store: store, server: server, creds: map[string]string{
		webchat.CredSMTPHost: smtp.Addr, webchat.CredSMTPTLS: email.TLSNone, webchat.CredFrom: "Acme <help@acme.example>"}})
	return &mailRig{harness: h, smtp: smtp}
}

// node is another Parley node's web chat server over the rig's store,
// which emails too; it serves no sockets.
func (r *mailRig) node() *webchat.Server {
	r.t.Helper()
	s := &webchat.Server{Store: r.store, Ingest: r.committer, Bus: r.bus, Logger: slog.New(slog.NewTextHandler(testWriter{r.t}, nil))}
	withMail(s)
	s.Routes(http.NewServeMux())
	r.t.Cleanup(func() { stop(r.t, s) })
	return s
}

func stop(t *testing.T, s *webchat.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Close(ctx); err != nil {
		t.Errorf("Server.Close: %v", err)
	}
}

// caughtUp waits until the mailer has read every event of the workspace
// and waits on no reply: its cursor is the newest event.
func (r *mailRig) caughtUp() {
	r.t.Helper()
	ctx := context.Background()
	eventually(r.t, "the mailer to read every event", func() bool {
		last, err := r.store.LatestEventID(ctx, r.inbox.WorkspaceID)
		if err != nil {
			r.t.Fatal(err)
		}
		cur, err := r.store.InboxCursor(ctx, r.inbox.ID, webchat.MailCursor)
		return err == nil && cur == strconv.FormatInt(last, 10)
	})
}

func (r *mailRig) message(id care.ID) *care.Message {
	r.t.Helper()
	m, err := r.store.Message(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return m
}

// offlineVisitor is a visitor who left the offline form (a name, an
// email, a message) and closed the page; it returns their token and the
// conversation.
func (r *mailRig) offlineVisitor(name, addr, text string) (string, care.ID) {
	r.t.Helper()
	ctx := testCtx(r.t)
	v := r.dial("")
	if name != "" || addr != "" {
		if _, err := v.Identify(ctx, name, addr); err != nil {
			r.t.Fatal(err)
		}
	}
	cid, _, err := v.Say(ctx, text)
	if err != nil {
		r.t.Fatal(err)
	}
	m := r.threaded(visitorID(v), cid)
	v.Close()
	return v.Token(), m.ConversationID
}

// TestMailOfflineVisitor: an agent's reply to a visitor who left an email
// and the page is emailed to them, once, whichever of two nodes does it,
// and recorded as delivered; the visitor finds it in the widget when they
// come back, and a node that reads the reply again does not email it again.
func TestMailOfflineVisitor(t *testing.T) {
	testdb.Each(t, func(t *testing.T, store care.Store) {
		r := newMailRig(t, store, withMail)
		other := r.node()
		token, conv := r.offlineVisitor("Bo Berg", "Bo@Example.com", "Do you ship to Norway?\nTo Tromsø, say.")

		reply := r.reply(conv, "Dana Scully", "Yes: three days to Tromsø.", r.bus)
		r.sent(reply)
		eventually(t, "the reply to be emailed and recorded", func() bool {
			return r.message(reply.ID).Status == care.DeliveryDelivered
		})
		if got := r.message(reply.ID); got.StatusReason != "emailed to bo@example.com" {
			t.Errorf("the reply's status reason = %q, want emailed to bo@example.com", got.StatusReason)
		}
		sent := r.smtp.Messages()
		if len(sent) != 1 {
			t.Fatalf("the SMTP server got %d messages, want 1", len(sent))
		}
		if m := sent[0]; m.From != "help@acme.example" || len(m.To) != 1 || m.To[0] != "bo@example.com" {
			t.Errorf("envelope %s → %v, want help@acme.example → bo@example.com", m.From, m.To)
		}
		h, body := readMail(t, sent[0].Data)
		if got := h.Get("Subject"); got != "You have a reply from Acme chat" {
			t.Errorf("Subject = %q", got)
		}
		if got := h.Get("To"); got != `<bo@example.com>` && got != "bo@example.com" {
			t.Errorf("To = %q, want the address alone", got)
		}
		want := "You have a reply from Dana from Acme chat in the chat on https://shop.example.com/.\n\n" +
			"Open the chat there to read it and to answer.\n\n" +
			"This address was given in that chat. If that was not you, you can ignore this email.\n"
		if body != want {
			t.Errorf("body:\n%s\nwant:\n%s", body, want)
		}

		// Back on the page, the reply is in the widget's history.
		back := r.dial(token)
		var texts []string
		for _, m := range back.Welcome.History {
			texts = append(texts, m.Text)
		}
		if strings.Join(texts, "|") != "Do you ship to Norway?\nTo Tromsø, say.|Yes: three days to Tromsø." {
			t.Errorf("history = %q", texts)
		}
		back.Close()

		// Both nodes stop, one after the email and before its cursor was
		// saved: the next node reads the reply again, and does not email
		// it again.
		stop(t, r.srv)
		stop(t, other)
		if err := r.store.SetInboxCursor(context.Background(), r.inbox.ID, webchat.MailCursor, "0", time.Now()); err != nil {
			t.Fatal(err)
		}
		r.node()
		r.caughtUp()
		if n := len(r.smtp.Messages()); n != 1 {
			t.Errorf("after a restart the SMTP server has %d messages, want still 1", n)
		}
	})
}

// TestMailNotNeeded: nothing is emailed to a visitor whose widget shows
// the reply, nor to one who left no email.
func TestMailNotNeeded(t *testing.T) {
	tests := []struct {
		name string
		// visitor says something and returns the reply's conversation and
		// the status the reply ends with.
		visitor func(t *testing.T, r *mailRig) (care.ID, care.DeliveryStatus)
	}{
		{"connected", func(t *testing.T, r *mailRig) (care.ID, care.DeliveryStatus) {
			ctx := testCtx(t)
			v := r.dial("")
			if _, err := v.Identify(ctx, "Bo", "bo@example.com"); err != nil {
				t.Fatal(err)
			}
			cid, _, err := v.Say(ctx, "Hi")
			if err != nil {
				t.Fatal(err)
			}
			return r.threaded(visitorID(v), cid).ConversationID, care.DeliveryDelivered
		}},
		{"no email", func(t *testing.T, r *mailRig) (care.ID, care.DeliveryStatus) {
			_, conv := r.offlineVisitor("", "", "Hi, anyone there?")
			return conv, care.DeliverySent
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newMailRig(t, nil, withMail)
			conv, want := tt.visitor(t, r)
			reply := r.reply(conv, "Dana", "Hello!", r.bus)
			r.sent(reply)
			eventually(t, "the reply's status", func() bool { return r.message(reply.ID).Status == want })
			r.caughtUp()
			if got := r.message(reply.ID); got.Status != want || got.StatusReason != "" {
				t.Errorf("reply = %s %q, want %s", got.Status, got.StatusReason, want)
			}
			if n := len(r.smtp.Messages()); n != 0 {
				t.Errorf("the SMTP server got %d messages, want none", n)
			}
		})
	}
}

// TestMailRetry: a server that answers 4xx is tried again; one that
// answers 5xx is not, and the reply stays sent.
func TestMailRetry(t *testing.T) {
	tests := []struct {
		name   string
		reject mailtest.Reject
		want   care.DeliveryStatus
		mails  int
	}{
		{"greylisted", mailtest.Reject{Step: "RCPT", Code: 451, Message: "try again later"}, care.DeliveryDelivered, 1},
		{"no such mailbox", mailtest.Reject{Step: "RCPT", Code: 550, Message: "no such user"}, care.DeliverySent, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newMailRig(t, nil, withMail)
			r.smtp.RejectNext(tt.reject)
			_, conv := r.offlineVisitor("Bo", "bo@example.com", "Hi")
			reply := r.reply(conv, "Dana", "Hello!", r.bus)
			r.sent(reply)
			if tt.want == care.DeliveryDelivered {
				eventually(t, "the reply to be emailed", func() bool { return r.message(reply.ID).Status == tt.want })
			}
			r.caughtUp()
			if got := r.message(reply.ID); got.Status != tt.want {
				t.Errorf("reply = %s %q, want %s", got.Status, got.StatusReason, tt.want)
			}
			if n := len(r.smtp.Messages()); n != tt.mails {
				t.Errorf("the SMTP server took %d messages, want %d", n, tt.mails)
			}
		})
	}
}

// TestMailCarriesNoVisitorText: the address a visitor types is not
// confirmed, so the email to it carries nothing the visitor wrote: not the
// name they gave, not their message, not the reply that may quote them.
// Otherwise anyone could have the brand mail their text to anyone.
func TestMailCarriesNoVisitorText(t *testing.T) {
	const (
		name = "Your account is locked, see http://evil.example"
		lure = "URGENT: confirm your card at http://evil.example/login"
	)
	r := newMailRig(t, nil, withMail)
	_, conv := r.offlineVisitor(name, "victim@example.com", lure)
	reply := r.reply(conv, "Dana", "Sorry, we do not understand: "+lure, r.bus)
	r.sent(reply)
	eventually(t, "the reply to be emailed", func() bool { return r.message(reply.ID).Status == care.DeliveryDelivered })
	sent := r.smtp.Messages()
	if len(sent) != 1 {
		t.Fatalf("the SMTP server got %d messages, want 1", len(sent))
	}
	raw := string(sent[0].Data)
	h, body := readMail(t, sent[0].Data)
	for _, hostile := range []string{"evil.example", "locked", "URGENT", "understand"} {
		if strings.Contains(raw, hostile) || strings.Contains(body, hostile) {
			t.Errorf("the email holds %q the visitor chose:\n%s", hostile, raw)
		}
	}
	if got := h.Get("To"); strings.Contains(got, `"`) {
		t.Errorf("To = %q, want the address without a name", got)
	}
}

// TestMailBounded: an address gets mailPerHour emails an hour, however
// many replies wait for it; the rest stay in the chat, sent.
func TestMailBounded(t *testing.T) {
	r := newMailRig(t, nil, withMail)
	_, conv := r.offlineVisitor("Bo", "bo@example.com", "Hi")
	var replies []*care.Message
	for i := range 5 {
		reply := r.reply(conv, "Dana", "Answer "+strconv.Itoa(i), r.bus)
		r.sent(reply)
		replies = append(replies, reply)
	}
	r.caughtUp()
	// Another visitor giving the same address gets no more to it.
	_, other := r.offlineVisitor("Al", "BO@example.com", "Hello?")
	late := r.reply(other, "Dana", "Yes?", r.bus)
	r.sent(late)
	r.caughtUp()
	if n := len(r.smtp.Messages()); n != 3 {
		t.Errorf("the SMTP server got %d messages, want 3", n)
	}
	emailed := 0
	for _, reply := range append(replies, late) {
		if r.message(reply.ID).Status == care.DeliveryDelivered {
			emailed++
		}
	}
	if emailed != 3 {
		t.Errorf("%d replies recorded as emailed, want 3", emailed)
	}
}

// readMail returns an email's header and its decoded body.
func readMail(t *testing.T, data []byte) (message.Header, string) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read the email: %v", err)
	}
	b, err := io.ReadAll(e.Body)
	if err != nil {
		t.Fatal(err)
	}
	return e.Header, strings.ReplaceAll(string(b), "\r\n", "\n")
}
