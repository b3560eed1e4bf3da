package email

import (
	"context"
	"encoding/base64"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/emersion/go-imap/v2"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

// Messages whose parts the tests fetch back.
const (
	pdfOnly = "From: Jane Doe <jane@example.net>\nTo: support@acme.example.com\nSubject: The form\nMessage-ID: <pdf-only@example.net>\n" +
		"MIME-Version: 1.0\nContent-Type: application/pdf; name=form.pdf\nContent-Disposition: attachment; filename=form.pdf\n" +
		"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK\n"
	latinCSV = "From: Jane Doe <jane@example.net>\nTo: support@acme.example.com\nSubject: Orders\nMessage-ID: <csv@example.net>\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n--m\nContent-Type: text/plain\n\nThe list.\n" +
		"--m\nContent-Type: text/csv; charset=iso-8859-1; name=orders.csv\nContent-Disposition: attachment; filename=orders.csv\n" +
		"Content-Transfer-Encoding: quoted-printable\n\nitem;price\ncaf=E9;3=\n,50\n--m--\n"
	hostileHTML = "From: Jane Doe <jane@example.net>\nTo: support@acme.example.com\nSubject: Formatted\nMessage-ID: <html@example.net>\n" +
		"MIME-Version: 1.0\nContent-Type: multipart/related; boundary=r\n\n" +
		"--r\nContent-Type: text/html; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
		"<html><head><style>p{color:red}</style><script>alert(1)</script></head><body onload=3D\"alert(2)\">" +
		"<p>Caf=E9 <b>cold</b>, <a href=3D\"https://acme.example/orders?id=3D1\" onclick=3D\"x\">my order</a>" +
		" <a href=3D\"javascript:alert(3)\">here</a></p><img src=3D\"cid:logo@acme\" alt=3D\"Logo\" onerror=3D\"alert(4)\">" +
		"<img src=3D\"https://tracker.example/open.gif\" alt=3D\"Tracker\"><iframe src=3D\"https://evil.example\"></iframe></body></html>\n" +
		"--r\nContent-Type: image/png\nContent-ID: <logo@acme>\nContent-Transfer-Encoding: base64\n\n" +
		"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9\nawAAAABJRU5ErkJggg==\n--r--\n"
)

func b64(t *testing.T, s string) []byte {
	t.Helper()
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// polled appends raws to a fresh mailbox and polls them in, keyed by
// Message-ID.
func polled(t *testing.T, s *mailtest.IMAP, a *Adapter, in care.Inbox, raws ...string) map[string]care.Inbound {
	t.Helper()
	for _, raw := range raws {
		appendMail(t, s, []byte(raw), testNow)
	}
	evs, _ := poll(t, a, in, "")
	got := map[string]care.Inbound{}
	for _, e := range evs {
		got[e.Inbound.PlatformID] = e.Inbound
	}
	if len(got) != len(raws) {
		t.Fatalf("polled %v, want %d messages", platformIDs(evs), len(raws))
	}
	return got
}

func fetchAll(t *testing.T, a *Adapter, in care.Inbox, ref string) (*channel.Media, []byte) {
	t.Helper()
	m, err := a.FetchMedia(context.Background(), in, ref)
	if err != nil {
		t.Fatalf("FetchMedia(%s): %v", ref, err)
	}
	data, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatalf("read %s: %v", ref, err)
	}
	if err := m.Body.Close(); err != nil {
		t.Errorf("close %s: %v", ref, err)
	}
	return m, data
}

func TestFetchMedia(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, "")
	got := polled(t, s, a, in, string(readMail(t, "attachments.eml")), pdfOnly, latinCSV)

	pdf := b64(t, "JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK")
	for _, tt := range []struct {
		message  string
		n        int
		mimeType string
		want     []byte
	}{
		{"CAF=attach789@mail.example.net", 0, "image/png", b64(t, strings.TrimPrefix(pixel, "data:image/png;base64,"))},
		{"CAF=attach789@mail.example.net", 1, "application/pdf", pdf},
		{"pdf-only@example.net", 0, "application/pdf", pdf},
		// Quoted-printable undone, the charset left as it is: a file's
		// bytes are the customer's.
		{"csv@example.net", 0, "text/csv", []byte("item;price\r\ncaf\xe9;3,50")},
	} {
		atts := got[tt.message].Attachments
		if tt.n >= len(atts) {
			t.Fatalf("%s has %d attachments", tt.message, len(atts))
		}
		ref := atts[tt.n].URL
		if !strings.HasPrefix(ref, PartScheme) {
			t.Errorf("%s attachment %d has URL %q", tt.message, tt.n, ref)
			continue
		}
		m, data := fetchAll(t, a, in, ref)
		if m.MimeType != tt.mimeType || string(data) != string(tt.want) {
			t.Errorf("%s attachment %d = %s %q, want %s %q", tt.message, tt.n, m.MimeType, data, tt.mimeType, tt.want)
		}
	}

	// An agent who stops reading ends the connection; nothing is left
	// behind (goleak checks at the end of the package's tests).
	m, err := a.FetchMedia(context.Background(), in, got["pdf-only@example.net"].Attachments[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Body.Read(make([]byte, 3)); err != nil {
		t.Fatal(err)
	}
	m.Body.Close()

	// Fetching marks nothing \Seen.
	msgs, err := s.Messages(mailboxUser, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	for _, sm := range msgs {
		if slices.Contains(sm.Flags, string(imap.FlagSeen)) {
			t.Errorf("message %d is marked seen: %v", sm.UID, sm.Flags)
		}
	}
}

func TestFetchMediaRefused(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, "")
	got := polled(t, s, a, in, pdfOnly)
	ref, err := parseRef(got["pdf-only@example.net"].Attachments[0].URL)
	if err != nil {
		t.Fatal(err)
	}
	with := func(change func(*partRef)) string {
		r := ref
		change(&r)
		return r.String()
	}
	wrongPassword := pollInbox(s.Addr, "")
	wrongPassword.Credentials[CredIMAPPassword] = "wrong"
	down := pollInbox("127.0.0.1:1", "")
	archive := pollInbox(s.Addr, "")
	archive.Credentials[CredIMAPMailbox] = "Archive"

	for _, tt := range []struct {
		name, ref string
		in        care.Inbox
		code      string
		says      string
	}{
		{"not a reference", "https://acme.example/form.pdf", in, care.ENOTFOUND, "Not an email attachment"},
		{"another adapter's reference", "whatsapp-media:123", in, care.ENOTFOUND, "Not an email attachment"},
		{"another mailbox of the account", with(func(r *partRef) { r.mailbox = "Sent" }), in, care.ENOTFOUND, "which this inbox no longer reads"},
		{"a mailbox that is gone", with(func(r *partRef) { r.mailbox = "Archive" }), archive, care.ENOTFOUND, "mailbox Archive is no longer"},
		{"a message that is gone", with(func(r *partRef) { r.uid = 999 }), in, care.ENOTFOUND, "no longer in the mailbox INBOX"},
		{"a part the message lacks", with(func(r *partRef) { r.part = []int{2} }), in, care.ENOTFOUND, "does not show this part"},
		{"a part inside a leaf", with(func(r *partRef) { r.part = []int{1, 1} }), in, care.ENOTFOUND, "does not show this part"},
		{"a wrong password", ref.String(), wrongPassword, care.EUNAVAILABLE, "IMAP login refused"},
		{"a server that is down", ref.String(), down, care.EUNAVAILABLE, "could not connect"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := a.FetchMedia(context.Background(), tt.in, tt.ref)
			if err == nil {
				m.Body.Close()
			}
			if care.ErrorCode(err) != tt.code || !strings.Contains(care.ErrorMessage(err), tt.says) {
				t.Errorf("FetchMedia = %v; want %s saying %q", err, tt.code, tt.says)
			}
		})
	}

	// A mailbox renumbered since: the UID may name another message now.
	if err := s.RecreateMailbox(mailboxUser, "INBOX"); err != nil {
		t.Fatal(err)
	}
	appendMail(t, s, []byte(pdfOnly), testNow)
	_, err = a.FetchMedia(context.Background(), in, ref.String())
	if care.ErrorCode(err) != care.ENOTFOUND || !strings.Contains(care.ErrorMessage(err), "UIDVALIDITY changed") {
		t.Errorf("after a UIDVALIDITY change FetchMedia = %v; want ENOTFOUND about UIDVALIDITY", err)
	}
	if _, err := a.FetchHTML(context.Background(), in, ref.String()); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("after a UIDVALIDITY change FetchHTML = %v; want ENOTFOUND", err)
	}
}

func TestFetchHTML(t *testing.T) {
	t.Parallel()
	s := newIMAP(t, mailtest.IMAPOptions{})
	a := testAdapter()
	in := pollInbox(s.Addr, "")
	got := polled(t, s, a, in, hostileHTML, pdfOnly)

	ev := got["html@example.net"]
	if !strings.HasPrefix(ev.Text, "Café cold") || !strings.Contains(ev.Text, "my order (https://acme.example/orders?id=1) here") {
		t.Errorf("the message's text is %q", ev.Text)
	}
	var ref string
	for _, att := range ev.Attachments {
		if att.Kind == KindHTML {
			ref = att.URL
		}
	}
	if ref == "" {
		t.Fatalf("no HTML version among %+v", ev.Attachments)
	}
	h, err := a.FetchHTML(context.Background(), in, ref)
	if err != nil {
		t.Fatalf("FetchHTML: %v", err)
	}
	want := `<p>Café <b>cold</b>, <a href="https://acme.example/orders?id=1" rel="noopener noreferrer nofollow" target="_blank">my order</a> here</p>` +
		`<img src="` + pixel + `" alt="Logo"><span class="image">[image: Tracker]</span>`
	if h != want {
		t.Errorf("FetchHTML =\n%s\nwant\n%s", h, want)
	}
	checkSafe(t, h)

	// The HTML version is not a file: the generic fetch serves it as the
	// message holds it, never rendered (the web's media route types it
	// as a download), and FetchHTML refuses a part that is not HTML.
	if _, err := a.FetchHTML(context.Background(), in, got["pdf-only@example.net"].Attachments[0].URL); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("FetchHTML of a PDF = %v, want ENOTFOUND", err)
	}
	if _, err := a.FetchHTML(context.Background(), in, "javascript:alert(1)"); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("FetchHTML of a bad reference = %v, want ENOTFOUND", err)
	}
}
