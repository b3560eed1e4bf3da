package email

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

func readMail(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "mail", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// crlf returns raw with CRLF line ends, as IMAP servers return messages.
func crlf(raw []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n"), []byte("\r\n"))
}

func TestParse(t *testing.T) {
	t.Parallel()
	received := time.Date(2024, 11, 25, 12, 0, 0, 0, time.UTC)
	jane := care.Author{PlatformUserID: "jane@example.net", Handle: "jane@example.net", DisplayName: "Jane Doe"}
	const ourReply = "parley.2c1a0c3f86aa2c52a1c0b0e6f7d8e9a1@acme.example.com"
	html := care.Attachment{Kind: KindHTML, MimeType: "text/html", Name: "message.html"}
	for _, tt := range []struct {
		file string
		want care.Inbound
		skip string // a part of the skip reason; "" when the message is ingested
	}{
		{file: "01_customer_original.eml", want: care.Inbound{
			PlatformID: "CAF=abc123.customer@mail.example.net", Visibility: care.Private, Author: jane,
			Subject: "Order #123 not delivered", Text: "Hi, my order #123 has not arrived yet.",
			SentAt: time.Date(2024, 11, 20, 17, 3, 11, 0, time.UTC)}},
		{file: "03_customer_followup.eml", want: care.Inbound{
			PlatformID: "CAF=def456.customer@mail.example.net", ReplyToPlatformID: "20241120181000.7f3a9c@inbox.acme.example.com",
			References: []string{"CAF=abc123.customer@mail.example.net"}, Visibility: care.Private, Author: jane, Subject: "Re: Order #123 not delivered", Text: "Thanks!",
			SentAt: time.Date(2024, 11, 20, 19, 0, 0, 0, time.UTC)}},
		{file: "html_only.eml", want: care.Inbound{
			PlatformID: "a1b2c3.html-only@mail.example.org", Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "ravi.patel@example.org", Handle: "ravi.patel@example.org", DisplayName: "Ravi Patel"},
			Subject: "Broken link on your returns page",
			Text: "Hello team,\n\nThe link on your returns page (https://acme.example.com/returns) gives a 404 & the form at " +
				"https://acme.example.com/form won't load.\n\n- Chrome 131\n- Windows 11\n\nThanks,\nRavi\n\nclick",
			Attachments: []care.Attachment{html},
			SentAt:      time.Date(2024, 11, 21, 3, 45, 2, 0, time.UTC)}},
		{file: "alternative.eml", want: care.Inbound{
			PlatformID: "8F2E1C44-AAAA-4B9B-9C8D-0123456789AB@example.com", Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "zoe@example.com", Handle: "zoe@example.com", DisplayName: "Zoë Martin"},
			Subject: "Café order ☕", Text: "Bonjour, my café order arrived cold 😞\nCan you help?",
			Attachments: []care.Attachment{html},
			SentAt:      time.Date(2024, 11, 22, 7, 0, 0, 0, time.UTC)}},
		{file: "attachments.eml", want: care.Inbound{
			PlatformID: "CAF=attach789@mail.example.net", Visibility: care.Private, Author: jane,
			Subject: "Receipt and photo", Text: "The box was damaged, see the photo. Receipt attached.",
			Attachments: []care.Attachment{
				{Kind: "image", MimeType: "image/png", Name: "box.png", Size: 70},
				{Kind: "file", MimeType: "application/pdf", Name: "Reçu 123.pdf", Size: 45},
				html,
			},
			SentAt: time.Date(2024, 11, 23, 10, 30, 0, 0, time.UTC)}},
		{file: "latin1.eml", want: care.Inbound{
			PlatformID: "20241124110000.latin1@example.fr", Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "renee@example.fr", Handle: "renee@example.fr", DisplayName: "Renée Dupré"},
			Subject: "Facture erronée", Text: "Bonjour,\n\nJ'ai reçu une facture erronée : 12,50 £ au lieu de 10 £.\nÀ bientôt,\nRenée",
			SentAt: time.Date(2024, 11, 24, 10, 0, 0, 0, time.UTC)}},
		{file: "windows1252.eml", want: care.Inbound{
			PlatformID: "1252.base64@example.se", Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "marten@example.se", Handle: "marten@example.se", DisplayName: "Marten Berg"},
			Subject: "Charged twice – €49", Text: "Hi,\n\nI was charged €49 twice – “double charge” on my statement.\n\nRegards,\nMårten",
			SentAt: time.Date(2024, 11, 24, 11, 0, 0, 0, time.UTC)}},
		{file: "outlook_reply.eml", want: care.Inbound{
			PlatformID: "DB9PR01MB1234567890ABCDEF@DB9PR01MB1234.eurprd01.prod.exchangelabs.com", ReplyToPlatformID: ourReply,
			References: []string{"CAF=abc123.customer@mail.example.net"}, Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "tom.baker@corp.example.com", Handle: "tom.baker@corp.example.com", DisplayName: "Tom Baker"},
			Subject: "RE: Order #123 not delivered", Text: "It arrived this morning, thank you.\n\nTom",
			Attachments: []care.Attachment{html},
			SentAt:      time.Date(2024, 11, 25, 9, 1, 0, 0, time.UTC)}},
		{file: "gmail_reply.eml", want: care.Inbound{
			PlatformID: "CAF=def456gmail+Yx=Q@mail.gmail.com", ReplyToPlatformID: ourReply, Visibility: care.Private, Author: jane,
			References: []string{"CAF=abc123.customer@mail.example.net"},
			Subject:    "Re: Order #123 not delivered", Text: "Thanks! One more question: can I change the delivery address?",
			Attachments: []care.Attachment{html},
			SentAt:      time.Date(2024, 11, 20, 19, 0, 0, 0, time.UTC)}},
		{file: "outside_reply.eml", want: care.Inbound{
			Kind: care.KindEcho, PlatformID: "outlook.reply.9@acme.example.com", ReplyToPlatformID: "CAF=abc123.customer@mail.example.net",
			Visibility: care.Private, Author: jane, Subject: "Re: Order #123 not delivered",
			Text: "Jane, the courier confirms it arrives tomorrow.", SentAt: time.Date(2024, 11, 20, 18, 30, 0, 0, time.UTC)}},
		{file: "no_message_id.eml", want: care.Inbound{
			PlatformID: "sha256.", Visibility: care.Private,
			Author:  care.Author{PlatformUserID: "sam@example.com", Handle: "sam@example.com"},
			Subject: "Where is my refund?", Text: "I returned the shoes two weeks ago.",
			SentAt: time.Date(2024, 11, 25, 12, 0, 0, 0, time.UTC)}},
		{file: "dsn_bounce.eml", want: care.Inbound{
			Kind: care.KindStatus, PlatformID: ourReply, Status: care.DeliveryFailed,
			StatusReason: "bounced: 550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown",
			SentAt:       time.Date(2024, 11, 20, 18, 10, 9, 0, time.UTC)}},
		{file: "auto_replied.eml", skip: "Auto-Submitted: auto-replied"},
		{file: "vacation_bulk.eml", skip: "Precedence: bulk"},
		{file: "list.eml", skip: "Precedence: list"},
		{file: "own_echo.eml", skip: "our own message"},
	} {
		for _, ending := range []string{"LF", "CRLF"} {
			t.Run(tt.file+"/"+ending, func(t *testing.T) {
				t.Parallel()
				raw := readMail(t, tt.file)
				if ending == "CRLF" {
					raw = crlf(raw)
				}
				p, err := parse(raw, acme, received)
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				if tt.skip != "" || p.skip != "" {
					if tt.skip == "" || !strings.Contains(p.skip, tt.skip) {
						t.Fatalf("skip = %q, want one about %q", p.skip, tt.skip)
					}
					return
				}
				got := p.in
				if tt.want.PlatformID == "sha256." && strings.HasPrefix(got.PlatformID, "sha256.") {
					got.PlatformID = "sha256."
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("parse %s (-want +got):\n%s", tt.file, diff)
				}
				in := p.in
				in.InboxID, in.Channel = 1, care.ChannelEmail
				if err := in.Validate(); err != nil {
					t.Errorf("the event does not validate: %v", err)
				}
			})
		}
	}
}

// TestAttachmentNames reads attachment file names as mail clients write
// them: RFC 2231 extended parameters (https://www.rfc-editor.org/rfc/rfc2231#section-4)
// in UTF-8 and in other charsets, in continuations, and RFC 2047 words
// in a quoted name (Outlook's way).
func TestAttachmentNames(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, params, want string }{
		{"RFC 2231 in ISO-8859-1", "Content-Disposition: attachment; filename*=iso-8859-1''R%E9sum%E9.pdf", "Résumé.pdf"},
		{"RFC 2231 in windows-1252, with a language", "Content-Disposition: attachment; filename*=windows-1252'fr'%80%20re%E7u.pdf", "€ reçu.pdf"},
		{"RFC 2231 continuations in ISO-2022-JP", "Content-Disposition: attachment;\r\n filename*0*=iso-2022-jp''%1B%24B8%2B%40Q%3Dq%1B%28B;\r\n filename*1=.pdf", "見積書.pdf"},
		{"RFC 2231 in Shift_JIS, on the Content-Type name", "Content-Type: application/pdf; name*=shift_jis''%8C%A9%90%CF.pdf", "見積.pdf"},
		{"RFC 2231 continuations in UTF-8", "Content-Disposition: attachment; filename*0*=utf-8''Fa%C3%A7; filename*1*=ture.pdf", "Façture.pdf"},
		{"RFC 2047 in a quoted name", "Content-Disposition: attachment; filename=\"=?iso-8859-1?Q?R=E9sum=E9.pdf?=\"", "Résumé.pdf"},
		{"an unknown charset: no name rather than a wrong one", "Content-Disposition: attachment; filename*=x-unknown''abc.pdf", ""},
		{"broken percent-encoding", "Content-Disposition: attachment; filename*=iso-8859-1''R%E.pdf", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ct := "Content-Type: application/pdf\r\n"
			if strings.HasPrefix(tt.params, "Content-Type:") {
				ct = ""
			}
			raw := "From: a@b.example\r\nMessage-ID: <m@x>\r\nSubject: file\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
				"--b\r\nContent-Type: text/plain\r\n\r\nsee the file\r\n--b\r\n" + ct + tt.params + "\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--b--\r\n"
			p, err := parse([]byte(raw), acme, testNow)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.in.Attachments) != 1 || p.in.Attachments[0].Name != tt.want {
				t.Errorf("attachments %+v, want one named %q", p.in.Attachments, tt.want)
			}
		})
	}
}
