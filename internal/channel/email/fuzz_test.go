package email

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
)

// Fuzz targets for every reader of untrusted input. Run one with, e.g.,
// go test -run '^$' -fuzz FuzzParse -fuzztime 30s ./internal/channel/email

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/mail/*.eml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(crlf(b))
	}
	f.Add(dsn("parley.0@acme.example.com", "Action: failed\r\nDiagnostic-Code: smtp; 550 x\r\n"))
	f.Add([]byte("From: a@b\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n--x\r\nContent-Type: multipart/alternative; boundary=x\r\n\r\n--x--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		p, err := parse(raw, acme, testNow)
		if err != nil {
			return
		}
		again, err := parse(raw, acme, testNow)
		if err != nil || again.in.PlatformID != p.in.PlatformID || again.skip != p.skip {
			t.Fatalf("parse is not deterministic: %q then %q (%v)", p.in.PlatformID, again.in.PlatformID, err)
		}
		if p.skip != "" {
			return
		}
		if len(p.paths) != len(p.in.Attachments) {
			t.Fatalf("%d part numbers for %d attachments", len(p.paths), len(p.in.Attachments))
		}
		p.locate("INBOX", 1, 1)
		for _, a := range p.in.Attachments {
			if _, err := parseRef(a.URL); err != nil {
				t.Fatalf("attachment URL %q does not read back: %v", a.URL, err)
			}
		}
		in := p.in
		in.InboxID, in.Channel = 1, care.ChannelEmail
		if err := in.Validate(); err != nil {
			t.Fatalf("parse produced an invalid event %+v: %v", in, err)
		}
		if in.Kind == care.KindStatus && !ours(in.PlatformID, acme.domain) {
			t.Fatalf("a status for a message that is not ours: %s", in.PlatformID)
		}
	})
}

func FuzzStripQuoted(f *testing.F) {
	for _, s := range []string{
		"Thanks!\n\nOn Wed, Nov 20, 2024 at 6:10 PM Acme <a@b> wrote:\n> Hi",
		"ok\n-----Original Message-----\nFrom: x",
		"a\n________________________________\nFrom: x\nSent: y\nTo: z\nSubject: w\n",
		"> a\nb\n> c",
		"On x wrote:\n\n",
		"---------- Forwarded message ---------\nFrom: a\nDate: b\nSubject: c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		got := stripQuoted(text)
		if !strings.HasPrefix(text, got) {
			t.Fatalf("stripQuoted(%q) = %q, not a beginning of the text", text, got)
		}
		if strings.TrimSpace(text) != "" && strings.TrimSpace(got) == "" {
			t.Fatalf("stripQuoted(%q) left nothing", text)
		}
	})
}

func FuzzHTMLText(f *testing.F) {
	for _, s := range []string{
		`<p>Hello <a href="https://x.example/?a=1&amp;b=2">there</a></p><blockquote>q<br>r</blockquote>`,
		"<pre>a\n b</pre><ul><li>x</li></ul><table><tr><td>1</td><td>2</td></tr></table>",
		`<a href="javascript:alert(1)">x</a><script>alert(2)</script><style>p{}</style>`,
		"<<a href=\"x\">>&#0;&#xD800;&amp",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := htmlText(h)
		if utf8.ValidString(h) && !utf8.ValidString(got) {
			t.Fatalf("htmlText(%q) = %q, not UTF-8", h, got)
		}
		if strings.ContainsRune(got, '\r') || strings.HasPrefix(got, "\n") || strings.HasSuffix(got, "\n") {
			t.Fatalf("htmlText(%q) = %q, with a CR or a blank line at an end", h, got)
		}
	})
}

func FuzzParseRef(f *testing.F) {
	f.Add(partRef{mailbox: "INBOX", uidValidity: 1, uid: 42, part: []int{1, 2}}.String())
	f.Add(partRef{mailbox: "Support/Café & co", uidValidity: 4294967295, uid: 7, part: []int{1}}.String())
	f.Add("email-part:mailbox=INBOX&part=1.0&uid=1&uidvalidity=1")
	f.Add("email-part:mailbox=%FF&part=1&uid=1&uidvalidity=1;x")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRef(s)
		if err != nil {
			return
		}
		again, err := parseRef(r.String())
		if err != nil || again.String() != r.String() {
			t.Fatalf("parseRef(%q) = %+v, which writes as %q and reads back as %+v, %v", s, r, r.String(), again, err)
		}
		if !mailboxName(r.mailbox) || r.uid == 0 || r.uidValidity == 0 || len(r.part) == 0 || len(r.String()) > maxRefBytes+2048 {
			t.Fatalf("parseRef(%q) accepted %+v", s, r)
		}
	})
}

func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range []string{
		`<p>Hello <a href="https://x.example/?a=1&amp;b=2" onclick="x">there</a></p><img src="cid:logo@acme" alt="A">`,
		`<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>`,
		`<svg><style><img src=x onerror=alert(1)></style></svg><math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
		`<table><tr><td colspan=3 dir=rtl>a<form><input></form><a href="jav&#x09;ascript:x">b</a>`,
		`<div><p>a<div>b</p></span><b><i>c</b>d</i><select><option>x</select><xmp><script></xmp>`,
		"<<a href=\"x\">>&#0;&#xD800;&amp\x00\xff<p dir=auto>\u202e",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := sanitizeHTML(h, images)
		checkSafe(t, got)
		if len(got) > maxSafeHTMLBytes+len(pixel)*strings.Count(got, pixel)+64 {
			t.Fatalf("sanitizeHTML wrote %d bytes", len(got))
		}
	})
}

func FuzzAuthResults(f *testing.F) {
	for _, s := range []string{
		"example.org 1; none",
		"foo.example.net (foobar) 1 (baz);\r\n dkim (Because I like it) / 1 (One yay) = (wait for it) fail\r\n policy (A dot can go here) . (like that) expired\r\n (this surprised me) = (as I wasn't expecting it) 1362471462",
		"mx.google.com; dkim=pass header.i=@example.com header.b=\"R/ATP5Q2\"; spf=pass (google.com: x) smtp.mailfrom=ana@example.com; dmarc=pass (p=NONE) header.from=example.com",
		"spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=example.org; alum.mit.edu; dkim=pass header.d=example.org;alum.mit.edu; dmarc=pass action=none header.from=example.org;compauth=pass reason=100",
		`example.com; spf=pass smtp.mailfrom="a \" (b; c"@example.net (x \) y (z)) ; dkim=dkim_pass`,
		"example.com 2; dmarc=pass",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		ar := parseAuthResults(v)
		if len(ar.results) > maxAuthResults || ar.id != strings.ToLower(ar.id) || ar.unsupported && len(ar.results) > 0 {
			t.Fatalf("parseAuthResults(%q) = %+v", v, ar)
		}
		for _, r := range ar.results {
			if r.method == "" || r.result == "" || strings.ContainsAny(r.method+r.result, " \t\r\n;=()\"") ||
				r.method != strings.ToLower(r.method) || r.result != strings.ToLower(r.result) || len(r.props) > maxAuthProps {
				t.Fatalf("parseAuthResults(%q) gave the result %+v", v, r)
			}
			for k, p := range r.props {
				if k == "" || len(p) > maxAuthValueBytes || strings.ContainsAny(k, " \t\r\n;=()\"") {
					t.Fatalf("parseAuthResults(%q) gave the property %q=%q", v, k, p)
				}
			}
		}
		// What the checks make of it is bounded, and deterministic.
		h := mail.Header{}
		h.Add("Authentication-Results", v)
		c := checkSender(h, "example.com", nil)
		if again := checkSender(h, "example.com", nil); again != c || len(c.why) > 200 || !utf8.ValidString(c.why) {
			t.Fatalf("checkSender over %q = %+v then %+v", v, c, again)
		}
	})
}
