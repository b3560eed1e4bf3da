package email

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-smtp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Tests against real mail servers: Dovecot for IMAP, any SMTP server that
// delivers into that Dovecot mailbox. testdata/ci-mailservers.sh starts
// both on Debian and prints the variables:
//
//	PARLEY_TEST_IMAP           host:port of the IMAP server (clear text, loopback)
//	PARLEY_TEST_IMAP_USER      its user, also the address mail is delivered to
//	PARLEY_TEST_IMAP_PASSWORD  the user's password
//	PARLEY_TEST_SMTP           host:port of the SMTP server (clear text, no AUTH)

// realInbox returns an inbox on the real servers, skipping the test when
// they are not configured.
func realInbox(t *testing.T, needSMTP bool) care.Inbox {
	t.Helper()
	addr, user, password := os.Getenv("PARLEY_TEST_IMAP"), os.Getenv("PARLEY_TEST_IMAP_USER"), os.Getenv("PARLEY_TEST_IMAP_PASSWORD")
	if addr == "" || user == "" || password == "" {
		t.Skip("no real IMAP server: set PARLEY_TEST_IMAP, PARLEY_TEST_IMAP_USER and PARLEY_TEST_IMAP_PASSWORD (sh internal/channel/email/testdata/ci-mailservers.sh prints them)")
	}
	smtpAddr := os.Getenv("PARLEY_TEST_SMTP")
	if needSMTP && smtpAddr == "" {
		t.Skip("no real SMTP server: set PARLEY_TEST_SMTP (sh internal/channel/email/testdata/ci-mailservers.sh prints it)")
	}
	if smtpAddr == "" {
		smtpAddr = "127.0.0.1:25"
	}
	return care.Inbox{ID: 1, WorkspaceID: 1, Channel: care.ChannelEmail, Name: "Real", ExternalID: user, Credentials: map[string]string{
		CredIMAPHost: addr, CredIMAPTLS: TLSNone, CredIMAPUser: user, CredIMAPPassword: password,
		CredSMTPHost: smtpAddr, CredSMTPTLS: TLSNone, CredFrom: "Parley Test <" + user + ">",
	}}
}

// realClient logs in to the real IMAP server, to set up and inspect the
// mailbox beside the adapter.
func realClient(t *testing.T, in care.Inbox) *imapclient.Client {
	t.Helper()
	c, err := imapclient.DialInsecure(in.Credentials[CredIMAPHost], nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Logout().Wait(); c.Close() })
	if err := c.Login(in.Credentials[CredIMAPUser], in.Credentials[CredIMAPPassword]).Wait(); err != nil {
		t.Fatal(err)
	}
	return c
}

func unique(t *testing.T) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%x", b)
}

// pollUntil polls from cursor until a message with id arrives (another
// test's mail may come first), at most for 30 s.
func pollUntil(t *testing.T, a *Adapter, in care.Inbox, cur, id string) (channel.Event, string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		evs, next, err := a.Poll(context.Background(), in, cur)
		if err != nil {
			t.Fatalf("Poll: %v", err)
		}
		for _, e := range evs {
			if e.Inbound.PlatformID == id {
				return e, next
			}
		}
		cur = next
		if time.Now().After(deadline) {
			t.Fatalf("message %s not polled within 30 s", id)
		}
		if len(evs) == 0 {
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// catchUp polls until the cursor is past everything in the mailbox.
func catchUp(t *testing.T, a *Adapter, in care.Inbox) string {
	t.Helper()
	cur := ""
	for range 1000 {
		evs, next, err := a.Poll(context.Background(), in, cur)
		if err != nil {
			t.Fatalf("Poll: %v", err)
		}
		cur = next
		if len(evs) == 0 {
			return cur
		}
	}
	t.Fatal("the mailbox never ran dry")
	return ""
}

func TestRealServersPoll(t *testing.T) {
	in := realInbox(t, false)
	a := &Adapter{Logger: quiet()}
	cur := catchUp(t, a, in)
	c := realClient(t, in)

	id := "real." + unique(t) + "@example.net"
	raw := crlf([]byte(fmt.Sprintf("From: =?ISO-8859-1?Q?Ren=E9e?= <renee@example.net>\nTo: %s\nSubject: Real server test\n"+
		"Date: %s\nMessage-ID: <%s>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-8859-1\n"+
		"Content-Transfer-Encoding: quoted-printable\n\nJ'ai re=E7u la facture.\n", in.Credentials[CredIMAPUser], time.Now().Format(time.RFC1123Z), id)))
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("APPEND: %v", err)
	}

	ev, next := pollUntil(t, a, in, cur, id)
	if ev.Inbound.Text != "J'ai reçu la facture." || ev.Inbound.Author.DisplayName != "Renée" || ev.Inbound.Author.PlatformUserID != "renee@example.net" {
		t.Errorf("event = %+v", ev.Inbound)
	}
	if evs, again, err := a.Poll(context.Background(), in, next); err != nil || len(evs) != 0 || again != next {
		t.Errorf("poll after = %d events, %s, %v; want nothing new", len(evs), again, err)
	}
	// Nothing was marked seen.
	if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
		t.Fatal(err)
	}
	search, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: id}}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	uids := search.AllUIDs()
	if len(uids) != 1 {
		t.Fatalf("SEARCH for the message found %v", uids)
	}
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{Flags: true}).Collect()
	if err != nil || len(msgs) != 1 {
		t.Fatalf("FETCH FLAGS = %v, %v", msgs, err)
	}
	if slices.Contains(msgs[0].Flags, imap.FlagSeen) {
		t.Errorf("polling marked the message seen: %v", msgs[0].Flags)
	}
}

func TestRealServersSend(t *testing.T) {
	in := realInbox(t, true)
	a := &Adapter{Logger: quiet()}
	cur := catchUp(t, a, in)
	mailbox := in.Credentials[CredIMAPUser]

	// A customer writes through the real SMTP server; Dovecot delivers it
	// with its trace fields, and the poll reads it.
	id := "customer." + unique(t) + "@example.net"
	msg := crlf([]byte(fmt.Sprintf("From: Jane Doe <jane@example.net>\nTo: %s\nSubject: Order #123 not delivered\nDate: %s\n"+
		"Message-ID: <%s>\n\nHi, my order #123 has not arrived yet.\n", mailbox, time.Now().Format(time.RFC1123Z), id)))
	submit(t, in.Credentials[CredSMTPHost], mailbox, msg)
	ev, cur := pollUntil(t, a, in, cur, id)
	if ev.Inbound.Text != "Hi, my order #123 has not arrived yet." {
		t.Errorf("customer's message = %+v", ev.Inbound)
	}

	// Parley's reply goes through the real SMTP server. Here the customer
	// is the mailbox itself, so the reply comes back into it: the poll
	// must recognise it as our own and skip it.
	out := channel.Outbound{
		Message:        care.Message{ID: 1, Text: "Sorry about that! It ships today."},
		Inbox:          in,
		Conversation:   care.Conversation{Subject: "Order #123 not delivered"},
		Contact:        care.Contact{Identities: []care.Identity{{Platform: care.ChannelEmail, PlatformUserID: mailbox, DisplayName: "Jane Doe"}}},
		IdempotencyKey: "real-" + unique(t),
		LastInbound:    &care.Message{PlatformID: id},
	}
	res, err := a.Send(context.Background(), out)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	c := realClient(t, in)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := c.Select("INBOX", &imap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
			t.Fatal(err)
		}
		search, err := c.UIDSearch(&imap.SearchCriteria{Header: []imap.SearchCriteriaHeaderField{{Key: "Message-ID", Value: res.PlatformID}}}, nil).Wait()
		if err != nil {
			t.Fatal(err)
		}
		if len(search.AllUIDs()) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reply %s was not delivered within 30 s", res.PlatformID)
		}
		time.Sleep(100 * time.Millisecond)
	}
	evs, _, err := a.Poll(context.Background(), in, cur)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Inbound.PlatformID == res.PlatformID {
			t.Errorf("our own reply came back as an event: %+v", e.Inbound)
		}
	}
}

// appendReal adds a message to the real mailbox, as a delivery would.
func appendReal(t *testing.T, c *imapclient.Client, raw []byte) {
	t.Helper()
	cmd := c.Append("INBOX", int64(len(raw)), nil)
	if _, err := cmd.Write(raw); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := cmd.Wait(); err != nil {
		t.Fatalf("APPEND: %v", err)
	}
}

// Dovecot numbers the parts as Parley recorded them, and serves them back
// decoded; the HTML version comes back sanitised with its own image.
func TestRealServersParts(t *testing.T) {
	in := realInbox(t, false)
	a := &Adapter{Logger: quiet()}
	cur := catchUp(t, a, in)
	c := realClient(t, in)

	id := "parts." + unique(t) + "@example.net"
	raw := bytes.Replace(crlf(readMail(t, "attachments.eml")), []byte("CAF=attach789@mail.example.net"), []byte(id), 1)
	appendReal(t, c, raw)
	ev, cur := pollUntil(t, a, in, cur, id)
	atts := ev.Inbound.Attachments
	if len(atts) != 3 || atts[2].Kind != KindHTML {
		t.Fatalf("attachments = %+v", atts)
	}
	for i, want := range [][]byte{b64(t, strings.TrimPrefix(pixel, "data:image/png;base64,")), b64(t, "JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK")} {
		if m, data := fetchAll(t, a, in, atts[i].URL); !bytes.Equal(data, want) || m.MimeType != atts[i].MimeType {
			t.Errorf("attachment %d = %s %q, want %s %q", i, m.MimeType, data, atts[i].MimeType, want)
		}
	}
	h, err := a.FetchHTML(context.Background(), in, atts[2].URL)
	if want := `<div dir="ltr">The box was damaged, see the photo. Receipt attached.<div><img src="` + pixel + `" alt=""></div></div>` + "\n"; err != nil || h != want {
		t.Errorf("FetchHTML = %q, %v; want %q", h, err, want)
	}

	id = "html." + unique(t) + "@example.net"
	appendReal(t, c, crlf([]byte(strings.Replace(hostileHTML, "html@example.net", id, 1))))
	ev, _ = pollUntil(t, a, in, cur, id)
	atts = ev.Inbound.Attachments
	if len(atts) != 2 || atts[0].Kind != "image" || atts[1].Kind != KindHTML {
		t.Fatalf("attachments = %+v", atts)
	}
	h, err = a.FetchHTML(context.Background(), in, atts[1].URL)
	if err != nil || !strings.HasPrefix(h, "<p>Café <b>cold</b>") || !strings.Contains(h, `<img src="`+pixel+`" alt="Logo">`) {
		t.Errorf("FetchHTML = %q, %v", h, err)
	}
	checkSafe(t, h)
}

func TestRealServersIdle(t *testing.T) {
	in := realInbox(t, true)
	wakes, _ := runIdler(t, &Idler{Adapter: &Adapter{Logger: quiet()}}, in)
	waitFor(t, wakes, "wake on connecting to the real server")
	mailbox := in.Credentials[CredIMAPUser]
	msg := crlf([]byte(fmt.Sprintf("From: jane@example.net\nTo: %s\nSubject: idle\nMessage-ID: <idle.%s@example.net>\n\nnew\n", mailbox, unique(t))))
	submit(t, in.Credentials[CredSMTPHost], mailbox, msg)
	waitFor(t, wakes, "wake on new mail from the real server")
}

// submit hands a customer's message to the real SMTP server, in clear
// text on the loopback interface.
func submit(t *testing.T, addr, to string, msg []byte) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail("jane@example.net", []string{to}, bytes.NewReader(msg)); err != nil {
		t.Fatalf("submit a customer's message: %v", err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}
