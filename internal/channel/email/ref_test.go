package email

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPartRef(t *testing.T) {
	t.Parallel()
	r := partRef{mailbox: "Support/Ünïcode & more", uidValidity: 1700000000, uid: 42, part: []int{1, 2}}
	s := r.String()
	if want := "email-part:mailbox=Support%2F%C3%9Cn%C3%AFcode+%26+more&part=1.2&uid=42&uidvalidity=1700000000"; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
	got, err := parseRef(s)
	if err != nil || !cmp.Equal(got, r, cmp.AllowUnexported(partRef{})) {
		t.Errorf("parseRef(%q) = %+v, %v; want %+v", s, got, err, r)
	}

	for _, bad := range []string{
		"",
		"https://acme.example/receipt.pdf",
		"whatsapp-media:123",
		"email-part:",
		"email-part:mailbox=INBOX&part=1&uid=42", // no uidvalidity
		"email-part:mailbox=INBOX&part=1&uid=42&uidvalidity=7&x=1",                             // unknown field
		"email-part:mailbox=INBOX&mailbox=Other&part=1&uid=42&uidvalidity=7",                   // twice
		"email-part:mailbox=&part=1&uid=42&uidvalidity=7",                                      // no mailbox
		"email-part:mailbox=IN%0D%0ABOX&part=1&uid=42&uidvalidity=7",                           // a line break
		"email-part:mailbox=%ZZ&part=1&uid=42&uidvalidity=7",                                   // bad escape
		"email-part:mailbox=INBOX&part=1&uid=0&uidvalidity=7",                                  // UID 0
		"email-part:mailbox=INBOX&part=1&uid=4294967296&uidvalidity=7",                         // over 32 bits
		"email-part:mailbox=INBOX&part=1&uid=-1&uidvalidity=7",                                 // sign
		"email-part:mailbox=INBOX&part=1&uid=+1&uidvalidity=7",                                 // sign
		"email-part:mailbox=INBOX&part=&uid=42&uidvalidity=7",                                  // no part
		"email-part:mailbox=INBOX&part=1..2&uid=42&uidvalidity=7",                              // empty number
		"email-part:mailbox=INBOX&part=0&uid=42&uidvalidity=7",                                 // part 0
		"email-part:mailbox=INBOX&part=201&uid=42&uidvalidity=7",                               // beyond maxParts
		"email-part:mailbox=INBOX&part=1.HEADER&uid=42&uidvalidity=7",                          // not a number
		"email-part:mailbox=INBOX&part=" + strings.Repeat("1.", 13) + "1&uid=42&uidvalidity=7", // too deep
		"email-part:mailbox=" + strings.Repeat("a", 2100) + "&part=1&uid=42&uidvalidity=7",
	} {
		if r, err := parseRef(bad); err == nil {
			t.Errorf("parseRef(%q) = %+v, want an error", bad, r)
		}
	}
}

// TestPartPaths checks the part numbers recorded for attachments and the
// HTML version against the layouts mail clients write; FetchMedia's tests
// check them against an IMAP server.
func TestPartPaths(t *testing.T) {
	t.Parallel()
	head := "From: jane@example.net\r\nTo: support@acme.example.com\r\nSubject: s\r\nMessage-ID: <p@example.net>\r\nMIME-Version: 1.0\r\n"
	for _, tt := range []struct {
		name, raw string
		kinds     []string
		paths     [][]int
	}{
		{name: "attachments.eml: alternative in related in mixed", raw: string(readMail(t, "attachments.eml")),
			kinds: []string{"image", "file", KindHTML}, paths: [][]int{{1, 2}, {2}, {1, 1, 2}}},
		{name: "alternative.eml", raw: string(readMail(t, "alternative.eml")), kinds: []string{KindHTML}, paths: [][]int{{2}}},
		{name: "html_only.eml: the body is part 1", raw: string(readMail(t, "html_only.eml")), kinds: []string{KindHTML}, paths: [][]int{{1}}},
		{name: "plain text only", raw: string(readMail(t, "01_customer_original.eml"))},
		{name: "a message that is one PDF", raw: head + "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename=a.pdf\r\n\r\n%PDF\r\n",
			kinds: []string{"file"}, paths: [][]int{{1}}},
		{name: "signed: the signature is no part of it", raw: head + "Content-Type: multipart/signed; protocol=\"application/pgp-signature\"; boundary=s\r\n\r\n" +
			"--s\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n--m\r\nContent-Type: text/plain\r\n\r\nsee\r\n--m\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--m--\r\n" +
			"--s\r\nContent-Type: application/pgp-signature\r\n\r\nsig\r\n--s--\r\n",
			kinds: []string{"file"}, paths: [][]int{{1, 2}}},
		{name: "plain text read, HTML with its images not", raw: head + "Content-Type: multipart/alternative; boundary=a\r\n\r\n" +
			"--a\r\nContent-Type: text/plain\r\n\r\nhi\r\n--a\r\nContent-Type: multipart/related; boundary=r\r\n\r\n" +
			"--r\r\nContent-Type: text/html\r\n\r\n<p>hi<img src=\"cid:i\"></p>\r\n--r\r\nContent-Type: image/png\r\nContent-ID: <i>\r\n\r\npng\r\n--r--\r\n--a--\r\n",
			kinds: []string{KindHTML}, paths: [][]int{{2, 1}}},
		{name: "HTML in several bodies: no single version", raw: head + "Content-Type: multipart/mixed; boundary=m\r\n\r\n" +
			"--m\r\nContent-Type: text/html\r\n\r\n<p>a</p>\r\n--m\r\nContent-Type: image/jpeg\r\nContent-Disposition: inline\r\n\r\njpg\r\n--m\r\nContent-Type: text/html\r\n\r\n<p>b</p>\r\n--m--\r\n",
			kinds: []string{"image"}, paths: [][]int{{2}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := parse(crlf([]byte(tt.raw)), acme, testNow)
			if err != nil || p.skip != "" {
				t.Fatalf("parse: %v %s", err, p.skip)
			}
			var kinds []string
			for _, a := range p.in.Attachments {
				kinds = append(kinds, a.Kind)
			}
			if d := cmp.Diff(tt.kinds, kinds); d != "" {
				t.Errorf("kinds (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.paths, p.paths); d != "" {
				t.Errorf("paths (-want +got):\n%s", d)
			}
			p.locate("INBOX", 7, 42)
			for i, a := range p.in.Attachments {
				r, err := parseRef(a.URL)
				if err != nil || section(r.part) != section(tt.paths[i]) || r.uid != 42 || r.uidValidity != 7 || r.mailbox != "INBOX" {
					t.Errorf("attachment %d's URL %q reads as %+v, %v", i, a.URL, r, err)
				}
			}
		})
	}
}

// An HTML version does not push out an attachment unnoticed: the count of
// those not listed says so.
func TestHTMLVersionMakesRoom(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("From: jane@example.net\r\nSubject: s\r\nMessage-ID: <m@example.net>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
	b.WriteString("--b\r\nContent-Type: text/html\r\n\r\n<p>see files</p>\r\n")
	for i := range 20 {
		b.WriteString("--b\r\nContent-Type: image/jpeg\r\nContent-Disposition: attachment; filename=p" + string(rune('a'+i)) + ".jpg\r\n\r\nxx\r\n")
	}
	b.WriteString("--b--\r\n")
	p, err := parse([]byte(b.String()), acme, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	atts := p.in.Attachments
	if len(atts) != 20 || atts[19].Kind != KindHTML || len(p.paths) != 20 || !strings.HasSuffix(p.in.Text, "[1 more attachments, not listed]") {
		t.Errorf("%d attachments, the last %+v, text %q", len(atts), atts[len(atts)-1], p.in.Text)
	}
}
