package web_test

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

// hostileEmail is an HTML email with everything the formatted view must
// not carry, its own image, and a PDF.
const hostileEmail = "From: Jane Doe <jane@example.net>\r\nTo: support@acme.example.com\r\nSubject: Formatted\r\n" +
	"Message-ID: <formatted@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n" +
	"--m\r\nContent-Type: multipart/related; boundary=r\r\n\r\n" +
	"--r\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
	"<html><head><style>p{color:red}</style><script>alert(1)</script><meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"></head>" +
	"<body onload=\"alert(2)\"><p>The box was <b>crushed</b>: <a href=\"https://acme.example/orders/7\">order 7</a>" +
	" <a href=\"javascript:alert(3)\">details</a></p><img src=\"cid:box@example.net\" alt=\"Box\" onerror=\"alert(4)\">" +
	"<img src=\"https://tracker.example/open.gif\" alt=\"Tracker\"><form action=\"https://evil.example\"><input name=\"p\"></form></body></html>\r\n" +
	"--r\r\nContent-Type: image/png\r\nContent-ID: <box@example.net>\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n--r--\r\n" +
	"--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=receipt.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
	"JVBERi0xLjQKJSVFT0YK\r\n--m--\r\n"

// An email's HTML version is offered beside its text and served, sanitised,
// as a sandboxed page that runs no script and loads nothing.
func TestEmailFormatted(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	imapSrv, err := mailtest.NewIMAP(mailtest.IMAPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer imapSrv.Close()
	const user, pass = "support@acme.example.com", "imap-secret"
	if err := imapSrv.AddUser(user, pass); err != nil {
		t.Fatal(err)
	}
	if _, err := imapSrv.Append(user, "INBOX", []byte(hostileEmail), f.now); err != nil {
		t.Fatal(err)
	}
	adapter := &email.Adapter{Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return f.now }}
	reg := &channel.Registry{}
	reg.Register(care.ChannelEmail, adapter)
	f.h.Desk.Adapters = reg
	in := &care.Inbox{WorkspaceID: f.ws.ID, Channel: care.ChannelEmail, Name: "Support", ExternalID: user, Credentials: map[string]string{
		email.CredIMAPHost: imapSrv.Addr, email.CredIMAPTLS: email.TLSNone, email.CredIMAPUser: user, email.CredIMAPPassword: pass,
		email.CredFrom: "Acme Support <" + user + ">"}}
	if err := f.store.CreateInbox(ctx, in); err != nil {
		t.Fatal(err)
	}
	evs, _, err := adapter.Poll(ctx, *in, "")
	if err != nil || len(evs) != 1 {
		t.Fatalf("Poll = %d events, %v", len(evs), err)
	}
	ev := evs[0].Inbound
	conv := f.conversationOn(in, "Jane", care.Private, "earlier@example.net", "Hello")
	m := &care.Message{WorkspaceID: f.ws.ID, ConversationID: conv.ID, InboxID: in.ID, Direction: care.DirectionIn, Visibility: care.Private,
		ContactID: conv.ContactID, Text: ev.Text, Attachments: ev.Attachments, PlatformID: ev.PlatformID, Status: care.DeliveryReceived,
		CreatedAt: f.now, SentAt: f.now}
	if err := f.store.CreateMessage(ctx, m); err != nil {
		t.Fatal(err)
	}
	kinds := ""
	for _, a := range m.Attachments {
		kinds += a.Kind + " "
	}
	if kinds != "image file html " {
		t.Fatalf("attachments %s, want the image, the PDF and the HTML version", kinds)
	}

	c := f.login()
	_, page := c.get(convPath(conv, ""))
	view := convPath(conv, "/messages/"+itoa(m.ID)+"/html")
	frame := `<iframe src="` + view + `" sandbox="allow-popups allow-popups-to-escape-sandbox" loading="lazy" referrerpolicy="no-referrer"`
	if !strings.Contains(page, "<summary>Show original formatting</summary>"+frame) {
		t.Errorf("the timeline does not offer the formatted view in a sandboxed frame (%s)", frame)
	}
	if !strings.Contains(page, `href="`+convPath(conv, "/media/"+itoa(m.ID)+"/1")+`"`) || strings.Contains(page, ">message.html<") {
		t.Error("the timeline should link the PDF and list no HTML file")
	}
	if !strings.Contains(page, "The box was crushed") {
		t.Error("the text is not the message's default view")
	}

	res, body := c.get(view)
	h := res.Header
	csp := h.Get("Content-Security-Policy")
	if res.StatusCode != http.StatusOK || h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("X-Content-Type-Options") != "nosniff" ||
		h.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("GET %s = %d, headers %v", view, res.StatusCode, h)
	}
	for _, want := range []string{"default-src 'none'", "img-src data:", "frame-ancestors 'self'", "sandbox allow-popups allow-popups-to-escape-sandbox"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	for _, never := range []string{"allow-scripts", "allow-same-origin", "script-src", "connect-src"} {
		if strings.Contains(csp, never) {
			t.Errorf("CSP %q allows %q", csp, never)
		}
	}
	for _, want := range []string{
		`<p>The box was <b>crushed</b>: <a href="https://acme.example/orders/7" rel="noopener noreferrer nofollow" target="_blank">order 7</a> details</p>`,
		`<img src="data:image/png;base64,iVBORw0KGgo`, `[image: Tracker]`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the formatted view lacks %q:\n%s", want, body)
		}
	}
	for _, never := range []string{"<script", "alert(", "onload", "onerror", "javascript:", "tracker.example", "<form", "<input", "refresh", "color:red"} {
		if strings.Contains(body, never) {
			t.Errorf("the formatted view carries %q:\n%s", never, body)
		}
	}

	// The HTML version through the generic media route is a download,
	// never a page.
	res, _ = c.get(convPath(conv, "/media/"+itoa(m.ID)+"/2"))
	if res.Header.Get("Content-Type") != "application/octet-stream" || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("the HTML part through /media is %q %q", res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	res, pdf := c.get(convPath(conv, "/media/"+itoa(m.ID)+"/1"))
	if res.StatusCode != http.StatusOK || pdf != "%PDF-1.4\n%%EOF\n" || res.Header.Get("Content-Type") != "application/pdf" {
		t.Errorf("the PDF through /media = %d %q %q", res.StatusCode, res.Header.Get("Content-Type"), pdf)
	}

	// A message without an HTML version, one of another workspace, and
	// no session.
	plain := f.message(conv, "plain text")
	other := f.conversation(f.inbox2, "Globex customer", "hi")
	for _, tt := range []struct {
		path   string
		client *client
		status int
	}{
		{convPath(conv, "/messages/"+itoa(plain.ID)+"/html"), c, http.StatusNotFound},
		{convPath(conv, "/messages/999999/html"), c, http.StatusNotFound},
		{convPath(other, "/messages/"+itoa(m.ID)+"/html"), c, http.StatusNotFound},
		{view, f.client(), http.StatusUnauthorized},
	} {
		res, body := tt.client.get(tt.path)
		if res.StatusCode != tt.status || strings.Contains(body, "crushed") {
			t.Errorf("GET %s = %d, want %d without the email", tt.path, res.StatusCode, tt.status)
		}
	}

	// The mailbox renumbered: the view says why it cannot show the email.
	if err := imapSrv.RecreateMailbox(user, "INBOX"); err != nil {
		t.Fatal(err)
	}
	res, body = c.get(view)
	if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "UIDVALIDITY changed") || res.Header.Get("Content-Security-Policy") != csp {
		t.Errorf("after the mailbox was renumbered GET %s = %d %q", view, res.StatusCode, body)
	}
}
