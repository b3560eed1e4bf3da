package email_test

import (
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/testdb"
)

// TestEndToEndUnverifiedSender sends Jane's conversation an email that
// claims her address and answers her message, once as her provider's
// checks pass it and once as they fail it: the first joins her open
// conversation, the second is marked and starts one of its own.
func TestEndToEndUnverifiedSender(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		p := newParley(t, s)
		const first = "CAF=abc123.customer@mail.example.net"
		p.receive(fixture(t, "01_customer_original.eml"))
		p.poll()
		conv := p.message(first).ConversationID

		reply := func(id, auth string) []byte {
			return []byte(auth + "From: Jane Doe <" + customer + ">\nTo: " + support + "\nSubject: Re: Order #123 not delivered\n" +
				"Date: Tue, 24 Nov 2026 09:30:00 +0000\nMessage-ID: <" + id + ">\nIn-Reply-To: <" + first + ">\nReferences: <" + first + ">\n\n" +
				"Please send it to 1 Other Street instead.\n")
		}
		p.receive(reply("genuine.1@mail.example.net",
			"Authentication-Results: mx.acme.example.com;\n dkim=pass header.d=example.net;\n spf=pass smtp.mailfrom=jane@example.net;\n dmarc=pass (p=reject) header.from=example.net\n"))
		p.receive(reply("spoof.1@attacker.example",
			"Authentication-Results: mx.acme.example.com;\n spf=fail smtp.mailfrom=jane@example.net;\n dkim=none;\n dmarc=fail (p=none) header.from=example.net\n"+
				// Below the provider's field, where a sender's own lands.
				"Received: from mail.attacker.example (mail.attacker.example [198.51.100.7]) by mx.acme.example.com\n"+
				"Authentication-Results: mx.acme.example.com; dmarc=pass header.from=example.net\n"))
		p.poll()

		if got := p.message("genuine.1@mail.example.net"); got.ConversationID != conv || strings.HasPrefix(got.Text, "⚠") {
			t.Errorf("a verified reply went to conversation %d with text %q, want %d unmarked", got.ConversationID, got.Text, conv)
		}
		spoofed := p.message("spoof.1@attacker.example")
		if spoofed.ConversationID == conv {
			t.Errorf("a reply failing DMARC joined Jane's open conversation %d", conv)
		}
		if !strings.HasPrefix(spoofed.Text, "⚠ Not verified: this email says it is from jane@example.net") || !strings.Contains(spoofed.Text, "(dmarc=fail)") ||
			!strings.HasSuffix(spoofed.Text, "Please send it to 1 Other Street instead.") {
			t.Errorf("the spoofed reply's text = %q, want it marked", spoofed.Text)
		}
		if n := p.count(conv); n != 2 {
			t.Errorf("Jane's conversation has %d messages, want her first and the verified reply", n)
		}
		if pending, _ := p.store.PendingRaw(p.ctx, 10); len(pending) != 0 {
			t.Errorf("%d events left pending", len(pending))
		}
	})
}
