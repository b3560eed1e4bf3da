package email

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

const (
	mailboxUser     = "support@acme.example.com"
	mailboxPassword = "imap-secret"
)

func newIMAP(t *testing.T, opts mailtest.IMAPOptions) *mailtest.IMAP {
	t.Helper()
	if opts.TLS != mailtest.TLSNone && opts.Certificate == nil {
		opts.Certificate, _ = certificate()
	}
	s, err := mailtest.NewIMAP(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.AddUser(mailboxUser, mailboxPassword); err != nil {
		t.Fatal(err)
	}
	return s
}

// pollInbox is an inbox that reads the mailbox at addr.
func pollInbox(addr, mode string) care.Inbox {
	if mode == "" {
		mode = TLSNone
	}
	in := sendInbox("127.0.0.1:1", TLSNone)
	in.Credentials[CredIMAPHost] = addr
	in.Credentials[CredIMAPTLS] = mode
	in.Credentials[CredIMAPUser] = mailboxUser
	in.Credentials[CredIMAPPassword] = mailboxPassword
	return in
}

func appendMail(t *testing.T, s *mailtest.IMAP, raw []byte, at time.Time) uint32 {
	t.Helper()
	uid, err := s.Append(mailboxUser, "INBOX", crlf(raw), at)
	if err != nil {
		t.Fatal(err)
	}
	return uid
}

// note writes a customer's message with the given Message-ID.
func note(id, text string) []byte {
	return []byte(fmt.Sprintf("From: Jane Doe <jane@example.net>\nTo: support@acme.example.com\nSubject: Note %s\n"+
		"Date: Tue, 24 Nov 2026 09:00:00 +0000\nMessage-ID: <%s>\n\n%s\n", id, id, text))
}

func platformIDs(evs []channel.Event) []string {
	var ids []string
	for _, e := range evs {
		ids = append(ids, e.Inbound.PlatformID)
	}
	return ids
}

func poll(t *testing.T, a *Adapter, in care.Inbox, cur string) ([]channel.Event, string) {
	t.Helper()
	evs, next, err := a.Poll(context.Background(), in, cur)
	if err != nil {
		t.Fatalf("Poll(%s): %v", cur, err)
	}
	for _, e := range evs {
		ib := e.Inbound
		ib.InboxID, ib.Channel = in.ID, care.ChannelEmail
		if err := ib.Validate(); err != nil {
			t.Errorf("event %s does not validate: %v", ib.PlatformID, err)
		}
	}
	return evs, next
}

func TestPoll(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, TLSNone)
	recent := testNow.Add(-time.Hour)

	appendMail(t, s, note("old@example.net", "from last week"), testNow.Add(-7*24*time.Hour))
	appendMail(t, s, readMail(t, "01_customer_original.eml"), recent)
	appendMail(t, s, readMail(t, "auto_replied.eml"), recent)
	appendMail(t, s, readMail(t, "dsn_bounce.eml"), recent)
	last := appendMail(t, s, readMail(t, "03_customer_followup.eml"), recent)

	// The first poll reads the last day: the old message stays where it
	// is, the auto-reply is skipped, the bounce is a status.
	evs, cur := poll(t, a, in, "")
	want := []string{"CAF=abc123.customer@mail.example.net", "parley.2c1a0c3f86aa2c52a1c0b0e6f7d8e9a1@acme.example.com", "CAF=def456.customer@mail.example.net"}
	if got := platformIDs(evs); !slices.Equal(got, want) {
		t.Fatalf("first poll read %q, want %q", got, want)
	}
	if evs[1].Inbound.Kind != care.KindStatus || evs[0].Inbound.Text != "Hi, my order #123 has not arrived yet." {
		t.Errorf("events = %+v", evs)
	}
	if !strings.Contains(string(evs[0].Raw), "Message-ID: <CAF=abc123.customer@mail.example.net>") {
		t.Errorf("raw payload %q is not the message", evs[0].Raw)
	}
	c, ok := parseCursor(cur)
	if !ok || c.UID != last {
		t.Fatalf("cursor = %s, want the last UID %d", cur, last)
	}

	// Nothing new: nothing read, the cursor stays.
	if evs, again := poll(t, a, in, cur); len(evs) != 0 || again != cur {
		t.Errorf("second poll = %d events, cursor %s; want none, %s", len(evs), again, cur)
	}
	appendMail(t, s, note("new@example.net", "one more thing"), testNow)
	evs, cur = poll(t, a, in, cur)
	if got := platformIDs(evs); !slices.Equal(got, []string{"new@example.net"}) {
		t.Errorf("after a new message, poll read %q", got)
	}

	// Polling leaves flags alone: nothing is marked \Seen.
	if n := s.Count("STORE"); n != 0 {
		t.Errorf("%d STORE commands, want none", n)
	}
	if n := s.Count("SELECT"); n != 0 {
		t.Errorf("%d SELECT commands, want the mailbox opened read-only (EXAMINE)", n)
	}
	msgs, err := s.Messages(mailboxUser, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if slices.Contains(m.Flags, `\Seen`) {
			t.Errorf("message %d was marked seen: %v", m.UID, m.Flags)
		}
	}

	// A backlog comes in PollLimit messages at a time, oldest first.
	for i := range PollLimit + 10 {
		appendMail(t, s, note(fmt.Sprintf("backlog-%02d@example.net", i), "backlog"), testNow)
	}
	evs, cur = poll(t, a, in, cur)
	if len(evs) != PollLimit || evs[0].Inbound.PlatformID != "backlog-00@example.net" {
		t.Errorf("backlog poll read %d, first %q; want %d from backlog-00", len(evs), platformIDs(evs)[:1], PollLimit)
	}
	if evs, _ = poll(t, a, in, cur); len(evs) != 10 || evs[9].Inbound.PlatformID != "backlog-59@example.net" {
		t.Errorf("second backlog poll read %q, want the last 10", platformIDs(evs))
	}
}

func TestPollUIDValidityChange(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, TLSNone)
	appendMail(t, s, note("a@example.net", "a"), testNow)
	_, cur := poll(t, a, in, "")
	before, _ := parseCursor(cur)

	// A restore: the mailbox is new, with the last day's messages and an
	// older one.
	if err := s.RecreateMailbox(mailboxUser, "INBOX"); err != nil {
		t.Fatal(err)
	}
	appendMail(t, s, note("ancient@example.net", "old"), testNow.Add(-30*24*time.Hour))
	appendMail(t, s, note("a@example.net", "a"), testNow)
	appendMail(t, s, note("b@example.net", "b"), testNow)
	evs, cur := poll(t, a, in, cur)
	after, _ := parseCursor(cur)
	if got := platformIDs(evs); !slices.Equal(got, []string{"a@example.net", "b@example.net"}) {
		t.Errorf("after the UIDVALIDITY change, poll read %q; want the last day's messages again (deduplicated later by Message-ID)", got)
	}
	if after.UIDValidity == before.UIDValidity || after.UID != 3 {
		t.Errorf("cursor %s → %s, want the new UIDVALIDITY and UID 3", mustCursor(before), cur)
	}

	// With nothing recent, the cursor moves past everything there is.
	if err := s.RecreateMailbox(mailboxUser, "INBOX"); err != nil {
		t.Fatal(err)
	}
	appendMail(t, s, note("ancient@example.net", "old"), testNow.Add(-30*24*time.Hour))
	appendMail(t, s, note("ancient2@example.net", "old"), testNow.Add(-29*24*time.Hour))
	evs, cur = poll(t, a, in, cur)
	if c, _ := parseCursor(cur); len(evs) != 0 || c.UID != 2 {
		t.Errorf("poll of an old mailbox = %q, cursor %s; want nothing and UID 2", platformIDs(evs), cur)
	}
	appendMail(t, s, note("fresh@example.net", "new"), testNow)
	if evs, _ = poll(t, a, in, cur); !slices.Equal(platformIDs(evs), []string{"fresh@example.net"}) {
		t.Errorf("then poll read %q, want the new message only", platformIDs(evs))
	}
}

func mustCursor(c cursor) string { return c.String() }

func TestPollLargeMessage(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, TLSNone)
	big := "From: jane@example.net\r\nTo: support@acme.example.com\r\nSubject: video\r\nMessage-ID: <big@example.net>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nHere is the video.\r\n" +
		"--b\r\nContent-Type: video/mp4; name=unbox.mp4\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Repeat(strings.Repeat("A", 76)+"\r\n", (11<<20)/78) + "--b--\r\n"
	appendMail(t, s, []byte(big), testNow)
	evs, _ := poll(t, a, in, "")
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1", len(evs))
	}
	ib := evs[0].Inbound
	if !strings.HasPrefix(ib.Text, "Here is the video.") || !strings.Contains(ib.Text, "Parley read its first 10 MB") {
		t.Errorf("text = %q, want the text and a note on the size", ib.Text)
	}
	if len(ib.Attachments) != 1 || ib.Attachments[0].Kind != "video" {
		t.Errorf("attachments = %+v, want the (cut) video", ib.Attachments)
	}
	if len(evs[0].Raw) != maxRawBytes {
		t.Errorf("raw payload of %d bytes, want it cut at %d", len(evs[0].Raw), maxRawBytes)
	}
}

func TestPollTLS(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			s := newIMAP(t, mailtest.IMAPOptions{TLS: mode})
			appendMail(t, s, note("tls@example.net", "secure"), testNow)
			in := pollInbox(strings.Replace(s.Addr, "127.0.0.1", "localhost", 1), mode)
			if evs, _ := poll(t, testAdapter(), in, ""); !slices.Equal(platformIDs(evs), []string{"tls@example.net"}) {
				t.Errorf("poll over %s read %q", mode, platformIDs(evs))
			}
		})
	}
}

func TestPollFailures(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	for _, tt := range []struct {
		name      string
		change    func(c map[string]string)
		permanent bool
		reason    string
	}{
		{"wrong password", func(c map[string]string) { c[CredIMAPPassword] = "guess" }, true, "IMAP login refused"},
		{"no such mailbox", func(c map[string]string) { c[CredIMAPMailbox] = "Support" }, false, "EXAMINE Support refused"},
		{"server down", func(c map[string]string) { c[CredIMAPHost] = closedAddr }, false, "could not connect"},
		{"bad credentials", func(c map[string]string) { delete(c, CredIMAPUser) }, true, CredIMAPUser},
		{"tls against a clear-text server", func(c map[string]string) {
			c[CredIMAPTLS] = TLSImplicit
		}, false, "IMAP connect failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := pollInbox(s.Addr, TLSNone)
			tt.change(in.Credentials)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			evs, next, err := testAdapter().Poll(ctx, in, `{"uidvalidity":1,"uid":5}`)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) || len(evs) != 0 || next != `{"uidvalidity":1,"uid":5}` {
				t.Errorf("Poll = %d events, %s, %v; want a permanent=%v failure about %q and the cursor unchanged", len(evs), next, err, tt.permanent, tt.reason)
			}
			if strings.Contains(err.Error(), mailboxPassword) {
				t.Errorf("the error shows the password: %v", err)
			}
		})
	}
}

func TestCursor(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in string
		ok bool
	}{
		{`{"uidvalidity":7,"uid":42}`, true},
		{"", false},
		{"42", false},
		{`{"uid":42}`, false},
		{`{"uidvalidity":-1}`, false},
		{`{"uidvalidity":7,"uid":"x"}`, false},
	} {
		c, ok := parseCursor(tt.in)
		if ok != tt.ok || ok && c.String() != tt.in {
			t.Errorf("parseCursor(%q) = %+v, %v", tt.in, c, ok)
		}
	}
}
