package email

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Prepare validates a new email inbox, fills in the defaults it relies on
// (imap_tls tls, imap_mailbox INBOX, smtp_tls starttls) and sets its
// ExternalID to the from address, lower-cased. It returns EINVALID naming
// the credential at fault: a server that is not host:port, an unknown TLS
// mode or clear text to a server off the loopback interface, a missing
// IMAP login, a from credential that is not an address, a DKIM key that
// does not parse, or an authserv_id that is not a list of host names.
func (a *Adapter) Prepare(in *care.Inbox) error {
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	if _, err := imapSettingsOf(*in); err != nil {
		return err
	}
	s, err := smtpSettingsOf(*in)
	if err != nil {
		return err
	}
	if err := checkAuthservIDs(in.Credentials[CredAuthservID]); err != nil {
		return err
	}
	c := in.Credentials
	c[CredIMAPTLS] = orDefault(c[CredIMAPTLS], TLSImplicit)
	c[CredIMAPMailbox] = orDefault(c[CredIMAPMailbox], DefaultMailbox)
	c[CredSMTPTLS] = orDefault(c[CredSMTPTLS], TLSStartTLS)
	if s.dkim != nil {
		c[CredDKIMDomain] = s.dkim.domain
	}
	in.ExternalID = s.from.Address
	return nil
}

// Instructions lists what an admin checks or sets up outside Parley: the
// servers Parley uses, and the DNS records that let replies pass SPF, DKIM
// and DMARC. Email needs no webhook; webhookURL is not used.
func (a *Adapter) Instructions(in care.Inbox, _ string) []channel.Instruction {
	c := in.Credentials
	out := []channel.Instruction{
		{Label: "Incoming mail (IMAP)", Value: fmt.Sprintf("%s (%s), mailbox %s, user %s", c[CredIMAPHost], orDefault(c[CredIMAPTLS], TLSImplicit), orDefault(c[CredIMAPMailbox], DefaultMailbox), c[CredIMAPUser])},
		{Label: "Checked", Value: "every minute; messages are read without being marked as read"},
		{Label: "Sender checks (SPF, DKIM, DMARC) read from", Value: senderChecks(c[CredAuthservID])},
		{Label: "Outgoing mail (SMTP submission)", Value: fmt.Sprintf("%s (%s)", c[CredSMTPHost], orDefault(c[CredSMTPTLS], TLSStartTLS))},
		{Label: "Replies come from", Value: c[CredFrom]},
	}
	s, err := smtpSettingsOf(in)
	if err != nil {
		return append(out, channel.Instruction{Label: "To fix", Value: care.ErrorMessage(err)})
	}
	out = append(out, channel.Instruction{Label: "SPF", Value: fmt.Sprintf("the TXT record of %s must allow the SMTP server's provider to send for it (e.g. include:<provider's SPF domain>)", s.domain)})
	if s.dkim == nil {
		return append(out, channel.Instruction{Label: "DKIM", Value: "Parley does not sign: the SMTP provider must sign for " + s.domain + ", or set dkim_selector and dkim_private_key"})
	}
	out = append(out, channel.Instruction{
		Label: fmt.Sprintf("DKIM: TXT record at %s._domainkey.%s", s.dkim.selector, s.dkim.domain),
		Value: dkimRecord(s.dkim.signer.Public()),
	})
	return out
}

// dkimRecord is the DNS TXT record that publishes a DKIM public key
// (RFC 6376 §3.6.1, RFC 8463 for Ed25519).
func dkimRecord(pub crypto.PublicKey) string {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			return ""
		}
		return "v=DKIM1; k=rsa; p=" + base64.StdEncoding.EncodeToString(der)
	case ed25519.PublicKey:
		return "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(k)
	}
	return ""
}

// senderChecks says whose SPF, DKIM and DMARC verdicts mark an email from
// an address its domain did not authorise.
func senderChecks(authserv string) string {
	if ids := authservIDs(authserv); len(ids) > 0 {
		return "the Authentication-Results written by " + strings.Join(ids, ", ")
	}
	return "the topmost Authentication-Results of each email, written by the mailbox's provider (set authserv_id to name its servers)"
}
