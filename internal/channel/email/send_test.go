package email

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

const (
	smtpUser     = "support@acme.example.com"
	smtpPassword = "smtp-secret"
)

// certificate is one self-signed certificate for every TLS test.
var certificate = sync.OnceValues(func() (*tls.Certificate, *tls.Config) {
	cert, pool, err := mailtest.NewCertificate()
	if err != nil {
		panic(err)
	}
	return &cert, &tls.Config{RootCAs: pool}
})

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testAdapter trusts the test certificate and runs on testNow.
func testAdapter() *Adapter {
	_, clientTLS := certificate()
	return &Adapter{TLSConfig: clientTLS, Now: func() time.Time { return testNow }, Logger: quiet()}
}

func newSMTP(t *testing.T, opts mailtest.SMTPOptions) *mailtest.SMTP {
	t.Helper()
	if opts.TLS != mailtest.TLSNone && opts.Certificate == nil {
		opts.Certificate, _ = certificate()
	}
	s, err := mailtest.NewSMTP(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// sendInbox is an inbox that submits to addr.
func sendInbox(addr, mode string) care.Inbox {
	if mode == "" {
		mode = TLSNone
	}
	return care.Inbox{ID: 7, WorkspaceID: 1, Channel: care.ChannelEmail, Name: "Acme Support", ExternalID: "support@acme.example.com",
		Credentials: map[string]string{CredSMTPHost: addr, CredSMTPTLS: mode, CredSMTPUser: smtpUser, CredSMTPPassword: smtpPassword,
			CredFrom: "Acme Support <support@acme.example.com>"}}
}

// reply is an agent's answer to Jane's first message.
func reply(in care.Inbox) channel.Outbound {
	return channel.Outbound{
		Message:        care.Message{ID: 42, InboxID: in.ID, Direction: care.DirectionOut, Visibility: care.Private, Text: "Hi Jane,\nit ships today — sorry!\n"},
		Inbox:          in,
		Conversation:   care.Conversation{ID: 9, Subject: "Re: RE: Order #123 not delivered"},
		Contact:        care.Contact{ID: 3, Name: "Jane Doe", Identities: []care.Identity{{ID: 5, Platform: care.ChannelEmail, PlatformUserID: "jane@example.net", DisplayName: "Jane Doe"}}},
		IdempotencyKey: "parley-message-42",
		LastInbound:    &care.Message{ID: 41, Direction: care.DirectionIn, PlatformID: "CAF=abc123.customer@mail.example.net"},
	}
}

func readSent(t *testing.T, data []byte) (mail.Header, string) {
	t.Helper()
	e, err := message.Read(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("read the sent message: %v", err)
	}
	body, err := io.ReadAll(e.Body)
	if err != nil {
		t.Fatal(err)
	}
	return mail.Header{Header: e.Header}, string(body)
}

func TestSend(t *testing.T) {
	t.Parallel()
	srv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
	a := testAdapter()
	in := sendInbox(srv.Addr, TLSNone)
	res, err := a.Send(context.Background(), reply(in))
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	// "parley." and the first 16 bytes of SHA-256("parley-message-42").
	const wantID = "parley.2b7b81a090b9c4761a94e2b4fb213715@acme.example.com"
	if res.PlatformID != wantID || res.Status != care.DeliverySent {
		t.Errorf("Send = %+v, want Message-ID %s, sent", res, wantID)
	}
	sent := srv.Messages()
	if len(sent) != 1 {
		t.Fatalf("the server got %d messages, want 1", len(sent))
	}
	m := sent[0]
	if m.From != "support@acme.example.com" || len(m.To) != 1 || m.To[0] != "jane@example.net" || m.User != smtpUser {
		t.Errorf("envelope %s → %v as %q, want support@acme.example.com → jane@example.net as %s", m.From, m.To, m.User, smtpUser)
	}
	h, body := readSent(t, m.Data)
	for _, f := range []struct{ key, want string }{
		{"From", `"Acme Support" <support@acme.example.com>`},
		{"To", `"Jane Doe" <jane@example.net>`},
		{"Subject", "Re: Order #123 not delivered"},
		{"Message-Id", "<" + res.PlatformID + ">"},
		{"In-Reply-To", "<CAF=abc123.customer@mail.example.net>"},
		{"References", "<CAF=abc123.customer@mail.example.net>"},
		{"Date", "Tue, 24 Nov 2026 10:00:00 +0000"},
		{"Mime-Version", "1.0"},
		{"Content-Type", "text/plain; charset=utf-8"},
		{"Content-Transfer-Encoding", "quoted-printable"},
		{"Auto-Submitted", ""},
	} {
		if got := h.Get(f.key); got != f.want {
			t.Errorf("%s: %q, want %q", f.key, got, f.want)
		}
	}
	if body != "Hi Jane,\r\nit ships today — sorry!\r\n" {
		t.Errorf("body = %q", body)
	}
	if !strings.Contains(string(m.Data), "=E2=80=94") {
		t.Errorf("the body is not quoted-printable:\n%s", m.Data)
	}

	// A retry of the same reply has the same Message-ID; another reply
	// has another.
	again, err := a.Send(context.Background(), reply(in))
	if err != nil || again.PlatformID != res.PlatformID {
		t.Errorf("retry = %+v, %v; want Message-ID %s again", again, err, res.PlatformID)
	}
	other := reply(in)
	other.IdempotencyKey = "parley-message-43"
	if res3, err := a.Send(context.Background(), other); err != nil || res3.PlatformID == res.PlatformID {
		t.Errorf("another reply = %+v, %v; want another Message-ID", res3, err)
	}
}

func TestSendTLS(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{TLSStartTLS, TLSImplicit} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := newSMTP(t, mailtest.SMTPOptions{TLS: mode, Username: smtpUser, Password: smtpPassword})
			in := sendInbox(srv.Addr, mode)
			in.Credentials[CredSMTPHost] = strings.Replace(srv.Addr, "127.0.0.1", "localhost", 1)
			if _, err := testAdapter().Send(context.Background(), reply(in)); err != nil {
				t.Fatalf("Send over %s: %v", mode, err)
			}
			if m := srv.Messages(); len(m) != 1 || !m[0].TLS || m[0].User != smtpUser {
				t.Errorf("the server got %+v, want one message over TLS after AUTH", m)
			}
			// A client that does not trust the certificate sends nothing.
			untrusting := &Adapter{Now: func() time.Time { return testNow }}
			_, err := untrusting.Send(context.Background(), reply(in))
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent || !strings.Contains(se.Reason, "not trusted") {
				t.Errorf("Send with an untrusted certificate = %v, want a temporary failure about the certificate", err)
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name      string
		opts      mailtest.SMTPOptions
		reject    *mailtest.Reject
		change    func(*channel.Outbound)
		permanent bool
		reason    string
		refused   bool // the recipient's refusal, not the account's
	}{
		{name: "unknown recipient", reject: &mailtest.Reject{Step: "RCPT", Code: 550, Status: smtp.EnhancedCode{5, 1, 1}, Message: "<jane@example.net>: Recipient address rejected: User unknown"},
			permanent: true, refused: true, reason: "SMTP RCPT TO refused: 550 5.1.1 <jane@example.net>: Recipient address rejected: User unknown"},
		{name: "recipient mailbox disabled", reject: &mailtest.Reject{Step: "RCPT", Code: 550, Status: smtp.EnhancedCode{5, 2, 1}, Message: "Mailbox disabled, not accepting messages"},
			permanent: true, refused: true, reason: "550 5.2.1"},
		{name: "relaying denied", reject: &mailtest.Reject{Step: "RCPT", Code: 554, Status: smtp.EnhancedCode{5, 7, 1}, Message: "<jane@example.net>: Relay access denied"},
			permanent: true, reason: "SMTP RCPT TO refused: 554 5.7.1"},
		{name: "sender refused at MAIL", reject: &mailtest.Reject{Step: "MAIL", Code: 553, Status: smtp.EnhancedCode{5, 1, 8}, Message: "Sender address rejected: Domain not found"},
			permanent: true, reason: "SMTP MAIL FROM refused: 553 5.1.8"},
		{name: "greylisted", reject: &mailtest.Reject{Step: "RCPT", Code: 450, Status: smtp.EnhancedCode{4, 2, 0}, Message: "Greylisted, try again later"},
			reason: "SMTP RCPT TO refused: 450 4.2.0 Greylisted"},
		{name: "content refused after DATA", reject: &mailtest.Reject{Step: "DATA", Code: 554, Status: smtp.EnhancedCode{5, 7, 1}, Message: "Message rejected as spam"},
			permanent: true, reason: "SMTP DATA refused: 554 5.7.1 Message rejected as spam"},
		{name: "queue full", reject: &mailtest.Reject{Step: "MAIL", Code: 452, Status: smtp.EnhancedCode{4, 3, 1}, Message: "Insufficient system storage"},
			reason: "SMTP MAIL FROM refused: 452 4.3.1"},
		{name: "wrong password", opts: mailtest.SMTPOptions{Username: smtpUser, Password: "another"},
			permanent: true, reason: "SMTP login refused: 535 5.7.8 Authentication failed"},
		{name: "no AUTH offered", opts: mailtest.SMTPOptions{TLS: mailtest.TLSStartTLS},
			permanent: true, reason: "does not offer AUTH PLAIN"},
		{name: "no recipient", change: func(o *channel.Outbound) { o.Contact.Identities = nil },
			permanent: true, reason: "no email address"},
		{name: "no from", change: func(o *channel.Outbound) { delete(o.Inbox.Credentials, CredFrom) },
			permanent: true, reason: "from"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			if opts.Username == "" && opts.TLS == mailtest.TLSNone {
				opts.Username, opts.Password = smtpUser, smtpPassword
			}
			srv := newSMTP(t, opts)
			if tt.reject != nil {
				srv.RejectNext(*tt.reject)
			}
			in := sendInbox(srv.Addr, TLSNone)
			if opts.TLS != mailtest.TLSNone {
				in = sendInbox(strings.Replace(srv.Addr, "127.0.0.1", "localhost", 1), opts.TLS)
			}
			out := reply(in)
			if tt.change != nil {
				tt.change(&out)
			}
			_, err := testAdapter().Send(context.Background(), out)
			var se *channel.SendError
			if !errors.As(err, &se) || se.Permanent != tt.permanent || !strings.Contains(se.Reason, tt.reason) || se.Refused != tt.refused {
				t.Fatalf("Send = %v (refused %v), want a permanent=%v, refused=%v failure with reason %q", err, se != nil && se.Refused, tt.permanent, tt.refused, tt.reason)
			}
			if strings.Contains(se.Error(), smtpPassword) {
				t.Errorf("the error shows the password: %v", se)
			}
		})
	}
}

func TestSendUnreachable(t *testing.T) {
	t.Parallel()
	// A port nothing listens on any more.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = testAdapter().Send(context.Background(), reply(sendInbox(addr, TLSNone)))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Errorf("Send to a closed port = %v, want a temporary failure", err)
	}
}

// TestSendHonoursContext: a server that accepts the connection and never
// answers holds a send only until its context ends.
func TestSendHonoursContext(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var held []net.Conn
	var mu sync.Mutex
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		<-done
		mu.Lock()
		for _, c := range held {
			c.Close()
		}
		mu.Unlock()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = testAdapter().Send(ctx, reply(sendInbox(ln.Addr().String(), TLSNone)))
	var se *channel.SendError
	if !errors.As(err, &se) || se.Permanent || ctx.Err() == nil {
		t.Errorf("Send to a silent server = %v (context %v), want a temporary failure once the context ended", err, ctx.Err())
	}
}

func TestSendDKIM(t *testing.T) {
	t.Parallel()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(edKey)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		pem  string
	}{
		{"rsa", string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(rsaKey)}))},
		{"ed25519", string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
			in := sendInbox(srv.Addr, TLSNone)
			in.Credentials[CredDKIMSelector] = "parley2026"
			in.Credentials[CredDKIMPrivateKey] = tt.pem
			a := testAdapter()
			if err := a.Prepare(&in); err == nil || !strings.Contains(err.Error(), CredIMAPHost) {
				t.Fatalf("Prepare without IMAP = %v", err)
			}
			if _, err := a.Send(context.Background(), reply(in)); err != nil {
				t.Fatalf("Send: %v", err)
			}
			// The record Instructions publishes is the one that verifies.
			var record string
			for _, i := range a.Instructions(in, "") {
				if i.Label == "DKIM: TXT record at parley2026._domainkey.acme.example.com" {
					record = i.Value
				}
			}
			if record == "" {
				t.Fatalf("Instructions gave no DKIM record: %+v", a.Instructions(in, ""))
			}
			lookups := 0
			verifications, err := dkim.VerifyWithOptions(bytes.NewReader(srv.Messages()[0].Data), &dkim.VerifyOptions{
				LookupTXT: func(domain string) ([]string, error) {
					lookups++
					if domain != "parley2026._domainkey.acme.example.com" {
						return nil, errors.New("no such record")
					}
					return []string{record}, nil
				},
			})
			if err != nil || len(verifications) != 1 || lookups != 1 {
				t.Fatalf("Verify = %v, %v after %d lookups; want one signature", verifications, err, lookups)
			}
			v := verifications[0]
			if v.Err != nil || v.Domain != "acme.example.com" {
				t.Fatalf("verification %+v: %v", v, v.Err)
			}
			signed := strings.ToLower(strings.Join(v.HeaderKeys, ":"))
			for _, k := range []string{"from", "to", "subject", "date", "message-id", "in-reply-to", "references"} {
				if !strings.Contains(signed, k) {
					t.Errorf("the signature does not cover %s: h=%s", k, signed)
				}
			}
			// A relay changing the subject breaks it.
			tampered := bytes.Replace(srv.Messages()[0].Data, []byte("Subject: Re: Order"), []byte("Subject: Re: Ordre"), 1)
			vs, err := dkim.VerifyWithOptions(bytes.NewReader(tampered), &dkim.VerifyOptions{
				LookupTXT: func(string) ([]string, error) { return []string{record}, nil },
			})
			if err != nil || len(vs) != 1 || vs[0].Err == nil {
				t.Errorf("a tampered message verified: %v, %v", vs, err)
			}
		})
	}
}

func TestReplySubject(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		subject string
		reply   bool
		want    string
	}{
		{"Order #123", true, "Re: Order #123"},
		{"Re: Order #123", true, "Re: Order #123"},
		{"RE: Re: re:Order #123", true, "Re: Order #123"},
		{"Re[2]: AW: SV: Order", true, "Re: Order"},
		{"Fwd: Order", true, "Re: Fwd: Order"},
		{"Regarding your order", true, "Re: Regarding your order"},
		{"", true, "Re: (no subject)"},
		{"  ", false, "(no subject)"},
		{"New offer", false, "New offer"},
		{"Line\r\nbreak", true, "Re: Line break"},
	} {
		if got := replySubject(tt.subject, tt.reply); got != tt.want {
			t.Errorf("replySubject(%q, %v) = %q, want %q", tt.subject, tt.reply, got, tt.want)
		}
	}
}

func TestCompose(t *testing.T) {
	t.Parallel()
	s, err := smtpSettingsOf(sendInbox("127.0.0.1:25", TLSNone))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		change  func(*channel.Outbound)
		parent  string
		subject string
		body    string
	}{
		{name: "answers the customer's last message", parent: "<CAF=abc123.customer@mail.example.net>", subject: "Re: Order #123 not delivered",
			body: "Hi Jane,\r\nit ships today — sorry!\r\n"},
		{name: "answers the message the agent chose", change: func(o *channel.Outbound) { o.Message.ReplyToPlatformID = "older@example.net" },
			parent: "<older@example.net>", subject: "Re: Order #123 not delivered"},
		{name: "a made-up id is not referenced", change: func(o *channel.Outbound) {
			o.LastInbound.PlatformID = "sha256.00112233445566778899aabbccddeeff@message-id.invalid"
		}, subject: "Re: Order #123 not delivered"},
		{name: "first message of a conversation", change: func(o *channel.Outbound) { o.LastInbound = nil; o.Conversation.Subject = "Your refund" },
			subject: "Your refund"},
		{name: "attachments go as links", change: func(o *channel.Outbound) {
			o.Message.Text = "See the label."
			o.Message.Attachments = []care.Attachment{{Kind: "file", Name: "label.pdf", URL: "https://files.acme.example/label.pdf"}, {Kind: "image", URL: "https://files.acme.example/a.png"}, {Kind: "file", Name: "no url"}}
		}, parent: "<CAF=abc123.customer@mail.example.net>", subject: "Re: Order #123 not delivered",
			body: "See the label.\r\n\r\nlabel.pdf: https://files.acme.example/label.pdf\r\nimage: https://files.acme.example/a.png\r\n"},
		{name: "a recipient with another case", change: func(o *channel.Outbound) { o.Contact.Identities[0].PlatformUserID = "Jane@Example.NET" },
			parent: "<CAF=abc123.customer@mail.example.net>", subject: "Re: Order #123 not delivered"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := reply(sendInbox("127.0.0.1:25", TLSNone))
			if tt.change != nil {
				tt.change(&out)
			}
			d, err := compose(&out, s, testNow, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			h, body := readSent(t, d.raw)
			if h.Get("In-Reply-To") != tt.parent || h.Get("References") != tt.parent {
				t.Errorf("In-Reply-To %q, References %q; want %q", h.Get("In-Reply-To"), h.Get("References"), tt.parent)
			}
			if subj, _ := h.Subject(); subj != tt.subject {
				t.Errorf("Subject %q, want %q", subj, tt.subject)
			}
			if tt.body != "" && body != tt.body {
				t.Errorf("body %q, want %q", body, tt.body)
			}
			if d.to != "jane@example.net" {
				t.Errorf("envelope recipient %q", d.to)
			}
		})
	}
}

// TestSendReferences checks a reply's References against RFC 5322 §3.6.4
// (https://www.rfc-editor.org/rfc/rfc5322#section-3.6.4): "the contents of
// the parent's References: field (if any) followed by the contents of the
// parent's Message-ID: field", else the parent's In-Reply-To when it names
// one message, read back from the mailbox where the parent is.
func TestSendReferences(t *testing.T) {
	t.Parallel()
	chain := func(n int) string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("<r%d@example.net>", i)
		}
		return strings.Join(ids, "\r\n ")
	}
	root := "<CAF=abc123.customer@mail.example.net>"
	for _, tt := range []struct {
		name   string
		stored string // the parent's fields besides its Message-ID
		absent bool   // the parent is not in the mailbox
		down   bool   // the IMAP server cannot be reached
		want   string
	}{
		{name: "the parent's References, then the parent",
			stored: "In-Reply-To: <20241120181000.7f3a9c@inbox.acme.example.com>\r\nReferences: " + root + " <20241120181000.7f3a9c@inbox.acme.example.com>\r\n",
			want:   root + " <20241120181000.7f3a9c@inbox.acme.example.com> <p@mail.example.net>"},
		{name: "the parent's one In-Reply-To when it has no References",
			stored: "In-Reply-To: " + root + "\r\n", want: root + " <p@mail.example.net>"},
		{name: "an In-Reply-To naming several messages is no chain",
			stored: "In-Reply-To: <a@x> <b@x>\r\n", want: "<p@mail.example.net>"},
		{name: "a first message: the parent alone", want: "<p@mail.example.net>"},
		{name: "the parent named in its own References once",
			stored: "References: " + root + " <p@mail.example.net>\r\n", want: root + " <p@mail.example.net>"},
		{name: "a long chain keeps its root and its newest",
			stored: "References: " + chain(30) + "\r\n",
			want:   "<r0@example.net> " + strings.ReplaceAll(chain(30)[strings.Index(chain(30), "<r12@"):], "\r\n ", " ") + " <p@mail.example.net>"},
		{name: "a parent not in the mailbox: the parent alone", absent: true, want: "<p@mail.example.net>"},
		{name: "an unreachable IMAP server: the parent alone, the reply sent", down: true,
			stored: "References: " + root + "\r\n", want: "<p@mail.example.net>"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			imapSrv := newIMAP(t, mailtest.IMAPOptions{TLS: mailtest.TLSNone})
			smtpSrv := newSMTP(t, mailtest.SMTPOptions{Username: smtpUser, Password: smtpPassword})
			// Another message whose Message-ID contains the parent's is
			// not taken for it.
			appendMail(t, imapSrv, []byte("From: jane@example.net\r\nMessage-ID: <xp@mail.example.net>\r\nReferences: <wrong@x>\r\n\r\nhi\r\n"), testNow)
			if !tt.absent {
				appendMail(t, imapSrv, []byte("From: Jane Doe <jane@example.net>\r\nTo: support@acme.example.com\r\nSubject: Re: Order\r\n"+
					"Message-ID: <p@mail.example.net>\r\n"+tt.stored+"\r\nThanks!\r\n"), testNow)
			}
			in := pollInbox(imapSrv.Addr, TLSNone)
			in.Credentials[CredSMTPHost] = smtpSrv.Addr
			if tt.down {
				in.Credentials[CredIMAPHost] = "127.0.0.1:1"
			}
			out := reply(in)
			out.LastInbound.PlatformID = "p@mail.example.net"
			if _, err := testAdapter().Send(context.Background(), out); err != nil {
				t.Fatalf("Send: %v", err)
			}
			sent := smtpSrv.Messages()
			if len(sent) != 1 {
				t.Fatalf("the server got %d messages, want 1", len(sent))
			}
			h, _ := readSent(t, sent[0].Data)
			if got := h.Get("References"); got != tt.want {
				t.Errorf("References:\n got %s\nwant %s", got, tt.want)
			}
			if got := h.Get("In-Reply-To"); got != "<p@mail.example.net>" {
				t.Errorf("In-Reply-To %s, want the parent", got)
			}
			for _, line := range strings.Split(string(sent[0].Data), "\r\n") {
				if len(line) > 998 {
					t.Errorf("a header line of %d bytes", len(line))
				}
			}
		})
	}
}
