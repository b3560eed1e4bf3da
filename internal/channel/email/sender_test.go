package email

import (
	"bytes"
	"strings"
	"testing"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// Authentication-Results fields as receiving servers write them.
const (
	gmailPass = "Authentication-Results: mx.google.com;\n       dkim=pass header.i=@example.com header.s=20230601 header.b=\"R/ATP5Q2\";\n" +
		"       spf=pass (google.com: domain of ana@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=ana@example.com;\n" +
		"       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com\n"
	gmailFail = "Authentication-Results: mx.google.com;\n       spf=softfail (google.com: domain of transitioning ana@example.com does not designate 198.51.100.7 as permitted sender) smtp.mailfrom=ana@example.com;\n" +
		"       dmarc=fail (p=QUARANTINE sp=QUARANTINE dis=QUARANTINE) header.from=example.com\n"
	microsoftPass    = "Authentication-Results: spf=pass (sender IP is 209.85.219.172)\n smtp.mailfrom=example.com; dkim=pass (signature was verified)\n header.d=example.com;dmarc=pass action=none\n header.from=example.com;compauth=pass reason=100\n"
	microsoftNoDMARC = "Authentication-Results: spf=fail (sender IP is 198.51.100.7) smtp.mailfrom=example.com; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=example.com;compauth=fail reason=601\n"
)

func headerOf(t *testing.T, fields string) mail.Header {
	t.Helper()
	e, err := message.Read(strings.NewReader(fields + "From: Ana <ana@example.com>\n\nhi\n"))
	if e == nil {
		t.Fatal(err)
	}
	return mail.Header{Header: e.Header}
}

func TestCheckSender(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		fields  string
		trusted []string
		want    senderCheck
	}{
		{name: "no field", fields: ""},
		{name: "Gmail, all pass", fields: gmailPass},
		{name: "Gmail, DMARC fails", fields: gmailFail, want: senderCheck{failed: true, why: "dmarc=fail"}},
		{name: "Microsoft 365 without authserv-id, pass", fields: microsoftPass},
		{name: "Microsoft 365, no DMARC record, nothing passes", fields: microsoftNoDMARC,
			want: senderCheck{failed: true, why: "dmarc=none, dkim=none, spf=fail"}},
		{name: "Microsoft 365 bestguesspass",
			fields: "Authentication-Results: spf=fail (sender IP is 1.1.1.1) smtp.mailfrom=eu-west-1.amazonses.com; dkim=none; dmarc=bestguesspass action=none header.from=example.com;\n"},
		{name: "no DMARC, DKIM of a subdomain passes",
			fields: "Authentication-Results: mx.example.org; dkim=pass header.d=mail.example.com; spf=softfail smtp.mailfrom=example.com\n"},
		{name: "no DMARC, DKIM names only header.i",
			fields: "Authentication-Results: mx.example.org; dkim=pass header.i=@example.com\n"},
		{name: "no DMARC, SPF of the From domain passes",
			fields: "Authentication-Results: mx.example.org; dkim=none; spf=pass smtp.mailfrom=bounce@example.com\n"},
		{name: "no DMARC, SPF by HELO when the return path is empty",
			fields: "Authentication-Results: mx.example.org; spf=pass smtp.helo=mail.example.com\n"},
		{name: "passes for another domain only",
			fields: "Authentication-Results: mx.example.org; dmarc=none header.from=example.com; dkim=pass header.d=attacker.example; spf=pass smtp.mailfrom=x@attacker.example\n",
			want:   senderCheck{failed: true, why: "dmarc=none, dkim=pass for another domain, spf=pass for another domain"}},
		{name: "a sibling under a public suffix is not the same organisation",
			fields: "Authentication-Results: mx.example.org; dkim=pass header.d=attacker.github.io\n",
			want:   senderCheck{failed: true, why: "dkim=pass for another domain"}},
		{name: "DMARC fails though a DKIM signature passes",
			fields: "Authentication-Results: mx.example.org; dkim=pass header.d=example.com; dmarc=fail header.from=example.com\n",
			want:   senderCheck{failed: true, why: "dmarc=fail"}},
		{name: "DMARC about another From domain is not read",
			fields: "Authentication-Results: mx.example.org; dmarc=fail header.from=example.net; dmarc=pass header.from=example.com\n"},
		// Results that prove nothing leave a customer's story whole: a DNS
		// hiccup, a domain without SPF, DKIM or DMARC.
		{name: "a temporary DNS error",
			fields: "Authentication-Results: mx.example.org; dmarc=temperror header.from=example.com; spf=temperror smtp.mailfrom=example.com\n"},
		{name: "a domain with no records",
			fields: "Authentication-Results: mx.example.org; dkim=none; spf=none smtp.mailfrom=example.com; dmarc=none header.from=example.com\n"},
		{name: "neutral SPF alone",
			fields: "Authentication-Results: mx.example.org; spf=neutral smtp.mailfrom=example.com\n"},
		{name: "SPF fails for the From domain, no DMARC",
			fields: "Authentication-Results: mx.example.org; spf=softfail smtp.mailfrom=example.com; dmarc=none header.from=example.com\n",
			want:   senderCheck{failed: true, why: "dmarc=none, spf=softfail"}},
		{name: "results outside the registry say nothing",
			fields: "Authentication-Results: mx.example.org; dkim=dkim_pass header.d=example.com; dmarc=success(p=REJECT) header.from=example.com\n"},
		{name: "only iprev", fields: "Authentication-Results: mx.example.org; iprev=fail policy.iprev=198.51.100.7\n"},
		{name: "no authentication done", fields: "Authentication-Results: example.org 1; none\n"},

		// Whose fields count.
		{name: "a forged pass below the provider's fail", fields: gmailFail +
			"Authentication-Results: mx.google.com; dmarc=pass header.from=example.com\n",
			want: senderCheck{failed: true, why: "dmarc=fail"}},
		{name: "a forged fail below the provider's pass", fields: gmailPass +
			"Authentication-Results: mx.google.com; dmarc=fail header.from=example.com\n"},
		{name: "a trusted server's field below another's", trusted: []string{"mx.acme.example"},
			fields: "Authentication-Results: mx.forwarder.example; dmarc=fail header.from=example.com\n" +
				"Authentication-Results: mx.acme.example; dmarc=pass header.from=example.com\n"},
		{name: "a trusted server's fail below another's pass", trusted: []string{"mx.acme.example"},
			fields: "Authentication-Results: mx.forwarder.example; dmarc=pass header.from=example.com\n" +
				"Authentication-Results: mx.acme.example; dmarc=fail header.from=example.com\n",
			want: senderCheck{failed: true, why: "dmarc=fail"}},
		{name: "a trusted server's results over several fields", trusted: []string{"mx.acme.example"},
			fields: "Authentication-Results: mx.acme.example; spf=softfail smtp.mailfrom=example.com\n" +
				"DKIM-Filter: OpenDKIM Filter v2.11.0\n" +
				"Authentication-Results: mx.acme.example; dkim=fail header.d=example.com\n",
			want: senderCheck{failed: true, why: "dkim=fail, spf=softfail"}},
		{name: "no field of a trusted server", trusted: []string{"mx.acme.example"}, fields: gmailFail},
		{name: "Microsoft 365 names no server to trust", trusted: []string{"mx.acme.example"}, fields: microsoftNoDMARC},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := checkSender(headerOf(t, tt.fields), "example.com", tt.trusted)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(senderCheck{})); diff != "" {
				t.Errorf("checkSender (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthservIDs(t *testing.T) {
	t.Parallel()
	if got, want := authservIDs(" MX.Google.com, mx6.messagingengine.com mx.google.com,,"), []string{"mx.google.com", "mx6.messagingengine.com"}; !cmp.Equal(got, want) {
		t.Errorf("authservIDs = %q, want %q", got, want)
	}
	for v, ok := range map[string]bool{
		"":                      true,
		"mx.google.com":         true,
		"a.example, b.example":  true,
		"mx.google.com; x":      false,
		"mx (comment)":          false,
		"\"quoted\"":            false,
		"a,b,c,d,e,f,g,h,i,j,k": false,
	} {
		if err := checkAuthservIDs(v); (err == nil) != ok || err != nil && care.ErrorCode(err) != care.EINVALID {
			t.Errorf("checkAuthservIDs(%q) = %v, want ok %v", v, err, ok)
		}
	}
}

// spoof is an email claiming Jane's address, answering a message of her
// conversation, as the receiving server marked it.
func spoof(auth string) []byte {
	return crlf([]byte(auth + "Received: from mail.attacker.example (mail.attacker.example [198.51.100.7])\n" +
		"From: Jane Doe <jane@example.net>\nTo: support@acme.example.com\nSubject: Re: Order #123 not delivered\n" +
		"Date: Tue, 24 Nov 2026 09:00:00 +0000\nMessage-ID: <spoof.1@attacker.example>\n" +
		"In-Reply-To: <CAF=abc123.customer@mail.example.net>\nReferences: <CAF=abc123.customer@mail.example.net>\n\n" +
		"Please send it to 1 Other Street instead.\n"))
}

func TestParseUnverifiedSender(t *testing.T) {
	t.Parallel()
	const fail = "Authentication-Results: mx.acme.example.com; spf=fail smtp.mailfrom=jane@example.net; dmarc=fail (p=none) header.from=example.net\n"
	const pass = "Authentication-Results: mx.acme.example.com; dkim=pass header.d=example.net; dmarc=pass header.from=example.net\n"

	p, err := parse(spoof(fail), acme, testNow)
	if err != nil || p.skip != "" {
		t.Fatalf("parse = %v, skip %q", err, p.skip)
	}
	want := "⚠ Not verified: this email says it is from jane@example.net, but the receiving mail server could not confirm that example.net sent it (dmarc=fail). " +
		"Check with the customer another way before acting on what it asks.\n\nPlease send it to 1 Other Street instead."
	if p.in.Text != want {
		t.Errorf("text = %q, want %q", p.in.Text, want)
	}
	if !p.in.NewThread || p.in.ReplyToPlatformID != "" || len(p.in.References) != 0 {
		t.Errorf("a spoofed reply threads: new thread %v, reply to %q, references %q", p.in.NewThread, p.in.ReplyToPlatformID, p.in.References)
	}
	if p.in.Author.PlatformUserID != "jane@example.net" {
		t.Errorf("author = %q: the contact is the address the email claims, which replies go to", p.in.Author.PlatformUserID)
	}

	p, err = parse(spoof(pass), acme, testNow)
	if err != nil || p.skip != "" {
		t.Fatalf("parse = %v, skip %q", err, p.skip)
	}
	if p.in.Text != "Please send it to 1 Other Street instead." || p.in.NewThread || p.in.ReplyToPlatformID != "CAF=abc123.customer@mail.example.net" {
		t.Errorf("a verified reply = text %q, new thread %v, reply to %q", p.in.Text, p.in.NewThread, p.in.ReplyToPlatformID)
	}

	// The topmost field is not the trusted server's: with authserv_id
	// set, the one below it decides.
	trusting := acme
	trusting.authserv = []string{"mx.acme.example.com"}
	p, err = parse(spoof("Authentication-Results: relay.example; dmarc=pass header.from=example.net\n"+fail), trusting, testNow)
	if err != nil || !p.in.NewThread {
		t.Errorf("with authserv_id, the trusted field's fail is not read: %v, new thread %v", err, p.in.NewThread)
	}
}

func TestParseUnverifiedEcho(t *testing.T) {
	t.Parallel()
	raw := readMail(t, "outside_reply.eml")
	p, err := parse(crlf(raw), acme, testNow)
	if err != nil || p.skip != "" || p.in.Kind != care.KindEcho {
		t.Fatalf("an echo without Authentication-Results = %v, skip %q, kind %q", err, p.skip, p.in.Kind)
	}
	forged := append([]byte("Authentication-Results: mx.acme.example.com; dmarc=fail header.from=acme.example.com\n"), raw...)
	p, err = parse(crlf(forged), acme, testNow)
	if err != nil || !strings.Contains(p.skip, "dmarc=fail") {
		t.Errorf("a forged echo = %v, skip %q; want skipped", err, p.skip)
	}
}

// TestAuthResultsOrder pins what trustedAuthResults relies on: go-message
// gives a field's values top first.
func TestAuthResultsOrder(t *testing.T) {
	t.Parallel()
	e, err := message.Read(bytes.NewReader([]byte("Authentication-Results: top; none\r\nX: y\r\nAuthentication-Results: bottom; none\r\n\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Header.Values("Authentication-Results"); len(got) != 2 || got[0] != "top; none" {
		t.Errorf("Values = %q, want the top one first", got)
	}
}
