package email

import (
	"fmt"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
)

func TestAutomatic(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		fields map[string]string
		want   string // part of the reason; "" for a person's mail
	}{
		{"a person", map[string]string{"From": "jane@example.net"}, ""},
		{"Auto-Submitted: no", map[string]string{"From": "jane@example.net", "Auto-Submitted": "No (a person)"}, ""},
		{"auto-replied", map[string]string{"From": "jane@example.net", "Auto-Submitted": "auto-replied"}, "auto-replied"},
		{"auto-generated with parameters", map[string]string{"From": "jane@example.net", "Auto-Submitted": "auto-generated; owner-email=\"x@y\""}, "auto-generated"},
		{"auto-notified", map[string]string{"From": "jane@example.net", "Auto-Submitted": "Auto-Notified"}, "auto-notified"},
		{"X-Autoreply", map[string]string{"From": "jane@example.net", "X-Autoreply": "yes"}, "X-Autoreply"},
		{"X-Autorespond", map[string]string{"From": "jane@example.net", "X-Autorespond": "Out of office"}, "X-Autorespond"},
		{"Precedence bulk", map[string]string{"From": "jane@example.net", "Precedence": "bulk"}, "bulk"},
		{"Precedence junk", map[string]string{"From": "jane@example.net", "Precedence": "JUNK"}, "junk"},
		{"Precedence list with List-Id", map[string]string{"From": "jane@example.net", "Precedence": "list", "List-Id": "<x.example>"}, "list"},
		{"List-Id alone is a group address, not a list", map[string]string{"From": "jane@example.net", "List-Id": "<support.acme.example>"}, ""},
		{"Precedence first-class", map[string]string{"From": "jane@example.net", "Precedence": "first-class"}, ""},
		{"MAILER-DAEMON", map[string]string{"From": "MAILER-DAEMON@mx.example.net (Mail Delivery System)"}, "mailer-daemon"},
		{"postmaster", map[string]string{"From": "Postmaster <postmaster@example.net>"}, "postmaster"},
		{"empty return path", map[string]string{"From": "jane@example.net", "Return-Path": "<>"}, "empty return path"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var h mail.Header
			for k, v := range tt.fields {
				h.Set(k, v)
			}
			got := automatic(h)
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("automatic(%v) = %q, want %q", tt.fields, got, tt.want)
			}
		})
	}
}

// dsn writes a delivery status notification about the message id with the
// given recipient blocks.
func dsn(id string, recipients ...string) []byte {
	var b strings.Builder
	b.WriteString("From: MAILER-DAEMON@mx.example.net\r\nTo: support@acme.example.com\r\nSubject: Delivery Status Notification\r\n" +
		"Date: Wed, 20 Nov 2024 18:10:09 +0000\r\nMessage-ID: <dsn.1@mx.example.net>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n" +
		"--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n" +
		"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n")
	for _, r := range recipients {
		b.WriteString("\r\n" + r)
	}
	b.WriteString("\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n")
	if id != "" {
		b.WriteString("Message-ID: <" + id + ">\r\n")
	}
	b.WriteString("From: support@acme.example.com\r\nSubject: Re: x\r\n\r\nHi\r\n--b--\r\n")
	return []byte(b.String())
}

func TestBounce(t *testing.T) {
	t.Parallel()
	const ours = "parley.00112233445566778899aabbccddeeff@acme.example.com"
	failed := "Final-Recipient: rfc822; a@example.net\r\nAction: failed\r\nStatus: 5.2.2\r\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n"
	for _, tt := range []struct {
		name   string
		raw    []byte
		status care.DeliveryStatus
		reason string
		skip   string
	}{
		{"failed", dsn(ours, failed), care.DeliveryFailed, "bounced: 552 5.2.2 Mailbox full", ""},
		{"failed without a diagnostic", dsn(ours, "Final-Recipient: rfc822; a@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n"),
			care.DeliveryFailed, "bounced: status 5.1.1", ""},
		{"the failed recipient wins", dsn(ours, "Action: delivered\r\nStatus: 2.0.0\r\n", failed), care.DeliveryFailed, "bounced: 552 5.2.2 Mailbox full", ""},
		{"delivered on request", dsn(ours, "Final-Recipient: rfc822; a@example.net\r\nAction: delivered\r\nStatus: 2.0.0\r\n"), care.DeliveryDelivered, "", ""},
		{"a delay is no failure", dsn(ours, "Action: delayed\r\nStatus: 4.4.1\r\n"), "", "", "delayed"},
		{"not ours", dsn("CAF=x@mail.example.net", failed), "", "", "did not send"},
		{"no returned message id", dsn("", failed), "", "", "without the returned"},
		{"ours at another domain is not ours", dsn("parley.00112233@other.example", failed), "", "", "did not send"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := parse(tt.raw, acme, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if tt.skip != "" {
				if !strings.Contains(p.skip, tt.skip) {
					t.Errorf("skip = %q, want one about %q", p.skip, tt.skip)
				}
				return
			}
			if p.skip != "" || p.in.Kind != care.KindStatus || p.in.PlatformID != ours || p.in.Status != tt.status || p.in.StatusReason != tt.reason {
				t.Errorf("parse = %+v (skip %q), want status %s %q of %s", p.in, p.skip, tt.status, tt.reason, ours)
			}
			in := p.in
			in.InboxID, in.Channel = 1, care.ChannelEmail
			if err := in.Validate(); err != nil {
				t.Errorf("the event does not validate: %v", err)
			}
		})
	}
}

func TestBodyEdgeCases(t *testing.T) {
	t.Parallel()
	head := "From: jane@example.net\r\nTo: support@acme.example.com\r\nSubject: s\r\nMessage-ID: <m@example.net>\r\nMIME-Version: 1.0\r\n"
	manyParts := func(n int) string {
		var b strings.Builder
		b.WriteString(head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee files\r\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=p%d.jpg\r\n\r\nxx\r\n", i)
		}
		b.WriteString("--b--\r\n")
		return b.String()
	}
	nested := func(depth int) string {
		var b strings.Builder
		b.WriteString(head)
		for i := 0; i < depth; i++ {
			fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n", i, i)
		}
		b.WriteString("Content-Type: text/plain\r\n\r\ndeep\r\n")
		return b.String()
	}
	for _, tt := range []struct {
		name, raw   string
		text        string // the text, or its prefix when it ends with "…"
		attachments int
	}{
		{"no body", head + "\r\n", "s", 0},
		{"no body and no subject", "From: jane@example.net\r\nMessage-ID: <m@example.net>\r\n\r\n", "(an empty email)", 0},
		{"unknown charset is shown as it is", head + "Content-Type: text/plain; charset=x-klingon\r\n\r\nqapla'\r\n", "qapla'", 0},
		{"invalid utf-8 is replaced", head + "Content-Type: text/plain; charset=utf-8\r\n\r\nbad \xff\xfe byte\r\n", "bad \uFFFD byte", 0},
		{"unknown transfer encoding", head + "Content-Type: text/plain\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\nraw\r\n", "raw", 0},
		{"broken base64 keeps what decoded", head + "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29y!!!\r\n", "hello wor", 0},
		{"controls are removed", head + "\r\na\x00b\x07c\x1b[31md\r\n", "abc[31md", 0},
		{"forwarded message attached", head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nFYI\r\n--b\r\nContent-Type: message/rfc822\r\n\r\nFrom: x@y\r\nSubject: old\r\n\r\nold text\r\n--b--\r\n", "FYI", 1},
		{"encrypted", head + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=b\r\n\r\n--b\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n--b\r\nContent-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n--b--\r\n", "[An encrypted email…", 0},
		{"signed: the signature is no attachment", head + "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsigned text\r\n--b\r\nContent-Type: application/pgp-signature; name=signature.asc\r\n\r\n-----BEGIN PGP SIGNATURE-----\r\n--b--\r\n", "signed text", 0},
		{"attachments over the limit are counted", manyParts(25), "see files\n\n[5 more attachments, not listed]", care.MaxAttachments},
		{"nesting beyond the limit is not read", nested(40), "s", 0},
		{"text beyond the limit is cut", head + "\r\n" + strings.Repeat("long line of text\r\n", 5000), "long line of text\nlong…", 0},
		{"lone CR line ends", head + "\r\na\rb\r\n", "a\nb", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := parse([]byte(tt.raw), acme, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if p.skip != "" {
				t.Fatalf("skipped: %s", p.skip)
			}
			got := p.in.Text
			if prefix, ok := strings.CutSuffix(tt.text, "…"); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("text = %.80q…, want it to start with %q", got, prefix)
				}
			} else if got != tt.text {
				t.Errorf("text = %q, want %q", got, tt.text)
			}
			if len(p.in.Attachments) != tt.attachments {
				t.Errorf("%d attachments, want %d: %+v", len(p.in.Attachments), tt.attachments, p.in.Attachments)
			}
			in := p.in
			in.InboxID, in.Channel = 1, care.ChannelEmail
			if err := in.Validate(); err != nil {
				t.Errorf("the event does not validate: %v", err)
			}
		})
	}
}

func TestParseHeaders(t *testing.T) {
	t.Parallel()
	base := "To: support@acme.example.com\r\nSubject: s\r\n"
	for _, tt := range []struct {
		name, raw string
		check     func(p *parsed) string
	}{
		{"In-Reply-To wins over References", base + "From: a@b.example\r\nMessage-ID: <m@x>\r\nIn-Reply-To: <p@x>\r\nReferences: <r1@x> <r2@x>\r\n\r\nhi",
			func(p *parsed) string {
				return want(p.in.ReplyToPlatformID, "p@x") + want(strings.Join(p.references, " "), "r1@x r2@x")
			}},
		{"else the last of References", base + "From: a@b.example\r\nMessage-ID: <m@x>\r\nReferences: <r1@x>\r\n <r2@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.ReplyToPlatformID, "r2@x") }},
		{"In-Reply-To with a comment", base + "From: a@b.example\r\nMessage-ID: <m@x>\r\nIn-Reply-To: <p@x> (Jane's message of Monday)\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.ReplyToPlatformID, "p@x") }},
		{"Message-ID without brackets falls back to a hash", base + "From: a@b.example\r\nMessage-ID: m@x\r\n\r\nhi",
			func(p *parsed) string {
				if !strings.HasPrefix(p.in.PlatformID, "sha256.") {
					return "platform id " + p.in.PlatformID + ", want a hash"
				}
				return ""
			}},
		{"an oversized Message-ID falls back to a hash", base + "From: a@b.example\r\nMessage-ID: <" + strings.Repeat("x", 300) + "@x>\r\n\r\nhi",
			func(p *parsed) string {
				if !strings.HasPrefix(p.in.PlatformID, "sha256.") {
					return "platform id " + p.in.PlatformID + ", want a hash"
				}
				return ""
			}},
		{"address in comment form", base + "From: jane@example.net (Jane Doe)\r\nMessage-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.Author.PlatformUserID, "jane@example.net") }},
		{"encoded display name with a bidi override", base + "From: =?utf-8?b?SmFuZeKAriBEb2U=?= <jane@example.net>\r\nMessage-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.Author.DisplayName, "Jane Doe") }},
		// RFC 2047 §5 (https://www.rfc-editor.org/rfc/rfc2047#section-5)
		// forbids encoded words in a quoted string; mailers write them
		// there all the same, and mail clients decode them.
		{"an encoded word in a quoted display name", base + "From: \"=?ISO-8859-1?Q?Andr=E9?= Pirard\" <pirard@example.be>\r\nMessage-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.Author.DisplayName, "André Pirard") }},
		{"a quoted UTF-8 encoded name", base + "From: \"=?utf-8?B?5bGx55Sw5aSq6YOO?=\" <taro@example.jp>\r\nMessage-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.Author.DisplayName, "山田太郎") }},
		{"a quoted name that only looks encoded", base + "From: \"Sale =?50% off\" <a@b.example>\r\nMessage-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.Author.DisplayName, "Sale =?50% off") }},
		{"no From is skipped", base + "Message-ID: <m@x>\r\n\r\nhi",
			func(p *parsed) string { return want(p.skip, "no usable From address") }},
		{"a date far in the future is not believed", base + "From: a@b.example\r\nMessage-ID: <m@x>\r\nDate: Fri, 1 Jan 2100 00:00:00 +0000\r\n\r\nhi",
			func(p *parsed) string { return want(p.in.SentAt.String(), testNow.String()) }},
		{"a forward keeps its quoted part", "From: a@b.example\r\nMessage-ID: <m@x>\r\nSubject: Fwd: charge\r\n\r\nsee\r\n\r\n> quoted\r\n",
			func(p *parsed) string { return want(p.in.Text, "see\n\n> quoted") }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := parse([]byte(tt.raw), acme, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if msg := tt.check(p); msg != "" {
				t.Error(msg)
			}
		})
	}
}

func want(got, want string) string {
	if got != want {
		return fmt.Sprintf("got %q, want %q; ", got, want)
	}
	return ""
}

func TestParseUnreadable(t *testing.T) {
	t.Parallel()
	// A header over go-message's 1 MB limit cannot be read at all.
	raw := "X-Big: " + strings.Repeat("a", 2<<20) + "\r\n\r\nbody"
	if _, err := parse([]byte(raw), acme, testNow); err == nil {
		t.Error("parse of a 2 MB header succeeded")
	}
}
