package email

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"01_customer_original.eml", "gmail_reply.eml", "outlook_reply.eml", "attachments.eml", "html_only.eml", "dsn_bounce.eml"} {
		raw, err := os.ReadFile(filepath.Join("testdata", "mail", name))
		if err != nil {
			b.Fatal(err)
		}
		raw = crlf(raw)
		b.Run(strings.TrimSuffix(name, ".eml"), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse(raw, acme, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseLarge reads messages near the sizes Parley bounds: a long
// thread quoted in full, a large HTML newsletter-like reply, and a 10 MB
// message that is mostly an attachment.
func BenchmarkParseLarge(b *testing.B) {
	head := "From: Jane Doe <jane@example.net>\r\nTo: support@acme.example.com\r\nSubject: Re: Order\r\nMessage-ID: <big@example.net>\r\nMIME-Version: 1.0\r\n"
	thread := head + "Content-Type: text/plain; charset=utf-8\r\n\r\nStill waiting.\r\n\r\nOn Tue, Acme <support@acme.example.com> wrote:\r\n" +
		strings.Repeat("> We are sorry for the delay, your order ships today.\r\n", 20000)
	html := head + "Content-Type: text/html; charset=utf-8\r\n\r\n<div>Still waiting.</div><blockquote>" +
		strings.Repeat(`<p>We are <b>sorry</b> for the delay, <a href="https://acme.example.com/track?id=123">track it</a>.</p>`, 10000) + "</blockquote>"
	attachment := head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe video.\r\n" +
		"--b\r\nContent-Type: video/mp4; name=v.mp4\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Repeat(strings.Repeat("QUJD", 19)+"\r\n", (MaxMessageBytes-1024)/78) + "--b--\r\n"
	for _, bm := range []struct{ name, raw string }{
		{"quoted thread 1 MB", thread}, {"html 1 MB", html}, {"attachment 10 MB", attachment},
	} {
		b.Run(bm.name, func(b *testing.B) {
			raw := []byte(bm.raw)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse(raw, acme, testNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkStripQuoted(b *testing.B) {
	text := "Thanks!\n\n" + strings.Repeat("On Mon, Acme <a@b> wrote:\n> Which size?\nM\n", 2000) + "-----Original Message-----\nFrom: x\n"
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		stripQuoted(text)
	}
}
