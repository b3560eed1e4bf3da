package email

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

func TestOwnFile(t *testing.T) {
	t.Parallel()
	const prefix = "https://parley.acme.example/files/"
	for _, tt := range []struct {
		link string
		want bool
	}{
		{prefix + "12/Zq3x/label.pdf", true},
		{prefix + "12/Zq3x/R%C3%A9%C3%A7u.pdf", true},
		{"https://parley.acme.example.evil.example/files/12/Zq3x/label.pdf", false},
		{"http://parley.acme.example/files/12/Zq3x/label.pdf", false},
		{"https://cdn.acme.example/files/12/Zq3x/label.pdf", false},
		{prefix + "12/Zq3x", false},
		{prefix + "12/Zq3x/a/b", false},
		{prefix + "x12/Zq3x/label.pdf", false},
		{prefix + "12/../label.pdf", false},
		{prefix + "12/Zq3x/label.pdf?redirect=x", false},
		{prefix + "12//label.pdf", false},
		{prefix + `12\Zq3x\label.pdf`, false},
	} {
		if got := ownFile(tt.link, prefix); got != tt.want {
			t.Errorf("ownFile(%q) = %v, want %v", tt.link, got, tt.want)
		}
	}
	if ownFile("/files/1/t/n", "") {
		t.Error("with no public URL, a link was taken for a file of Parley's")
	}
	for _, tt := range []struct{ url, want string }{
		{"https://parley.acme.example", "https://parley.acme.example/files/"},
		{"https://parley.acme.example/desk/", "https://parley.acme.example/desk/files/"},
		{"", ""},
		{"parley.acme.example", ""},
		{"ftp://parley.acme.example", ""},
		{"https://user:pw@parley.acme.example", ""},
	} {
		if got := (&Adapter{PublicURL: tt.url}).filesPrefix(); got != tt.want {
			t.Errorf("filesPrefix of %q = %q, want %q", tt.url, got, tt.want)
		}
	}
}

// A reply's own files travel inside the email; links elsewhere, files that
// cannot be fetched and redirects stay links, and nothing outside Parley is
// fetched.
func TestSendWithFiles(t *testing.T) {
	t.Parallel()
	pdf := []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
	files := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/files/1/tok/label.pdf":
			w.Header().Set("Content-Type", "application/pdf")
			w.Write(pdf)
		case "/files/3/tok/moved.pdf":
			http.Redirect(w, r, "/files/1/tok/label.pdf", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	defer files.Close()
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		w.Write(pdf)
	}))
	defer other.Close()

	srv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
	a := testAdapter()
	a.PublicURL, a.Client = files.URL+"/", files.Client()
	out := reply(sendInbox(srv.Addr, TLSNone))
	out.Message.Text = "Here is the label."
	out.Message.Attachments = []care.Attachment{
		{Kind: "file", Name: "Étiquette d'envoi.pdf", MimeType: "application/pdf", URL: files.URL + "/files/1/tok/label.pdf"},
		{Kind: "image", Name: "gone.png", MimeType: "image/png", URL: files.URL + "/files/2/tok/gone.png"},
		{Kind: "file", Name: "moved.pdf", URL: files.URL + "/files/3/tok/moved.pdf"},
		{Kind: "file", Name: "elsewhere.pdf", URL: other.URL + "/files/1/tok/label.pdf"},
	}
	if _, err := a.Send(context.Background(), out); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("a link outside Parley was fetched %d times", n)
	}
	sent := srv.Messages()
	if len(sent) != 1 {
		t.Fatalf("the server got %d messages", len(sent))
	}
	e, err := message.Read(bytes.NewReader(sent[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if mt, _, _ := e.Header.ContentType(); mt != "multipart/mixed" || e.Header.Get("MIME-Version") != "1.0" {
		t.Fatalf("Content-Type %q, MIME-Version %q; want multipart/mixed, 1.0", mt, e.Header.Get("MIME-Version"))
	}
	mr := e.MultipartReader()
	var parts []*message.Entity
	var bodies [][]byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p.Body)
		parts, bodies = append(parts, p), append(bodies, b)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts, want the text and one file", len(parts))
	}
	wantText := "Here is the label.\r\n\r\ngone.png: " + files.URL + "/files/2/tok/gone.png\r\nmoved.pdf: " + files.URL +
		"/files/3/tok/moved.pdf\r\nelsewhere.pdf: " + other.URL + "/files/1/tok/label.pdf\r\n"
	if mt, params, _ := parts[0].Header.ContentType(); mt != "text/plain" || params["charset"] != "utf-8" || string(bodies[0]) != wantText {
		t.Errorf("text part %s %v %q, want text/plain utf-8 %q", mt, params, bodies[0], wantText)
	}
	ah := mail.AttachmentHeader{Header: parts[1].Header}
	name, _ := ah.Filename()
	disp, _, _ := parts[1].Header.ContentDisposition()
	mt, _, _ := parts[1].Header.ContentType()
	if mt != "application/pdf" || disp != "attachment" || name != "Étiquette d'envoi.pdf" || !bytes.Equal(bodies[1], pdf) ||
		parts[1].Header.Get("Content-Transfer-Encoding") != "base64" {
		t.Errorf("file part %s %s %q %q (%s)", mt, disp, name, bodies[1], parts[1].Header.Get("Content-Transfer-Encoding"))
	}

	// What does not fit in one email goes as a link.
	if _, err := a.fetchFile(context.Background(), out.Message.Attachments[0], len(pdf)-1); !errors.Is(err, errFileTooLarge) {
		t.Errorf("a file over the limit: %v, want errFileTooLarge", err)
	}
	if f, err := a.fetchFile(context.Background(), care.Attachment{URL: files.URL + "/files/1/tok/label.pdf"}, len(pdf)); err != nil ||
		f.name != "attachment" || f.mimeType != "application/pdf" {
		t.Errorf("a file without name or type: %+v, %v; want it named attachment, typed as served", f, err)
	}
}
