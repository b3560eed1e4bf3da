package email

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

func validInbox() *care.Inbox {
	return &care.Inbox{Channel: care.ChannelEmail, Name: "Support", Credentials: map[string]string{
		CredIMAPHost: "imap.acme.example:993", CredIMAPUser: "support@acme.example.com", CredIMAPPassword: "imap-secret",
		CredSMTPHost: "smtp.acme.example:587", CredSMTPUser: "support@acme.example.com", CredSMTPPassword: "smtp-secret",
		CredFrom: "Acme Support <Support@Acme.Example.com>",
	}}
}

func pemKey(t *testing.T, bits int) string {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
}

func TestPrepare(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := validInbox()
	if err := a.Prepare(in); err != nil {
		t.Fatalf("Prepare: %v", err)
	}
	if in.ExternalID != "support@acme.example.com" {
		t.Errorf("ExternalID = %q, want the from address, lower-cased", in.ExternalID)
	}
	for k, want := range map[string]string{CredIMAPTLS: TLSImplicit, CredIMAPMailbox: "INBOX", CredSMTPTLS: TLSStartTLS} {
		if got := in.Credentials[k]; got != want {
			t.Errorf("credentials.%s = %q, want the default %q", k, got, want)
		}
	}
	key := pemKey(t, 1024)
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(ed)
	edPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	for _, tt := range []struct {
		name   string
		change func(c map[string]string)
		want   string // part of the EINVALID message; "" for success
	}{
		{"no credentials", func(c map[string]string) { clear(c) }, CredIMAPHost},
		{"imap host without port", func(c map[string]string) { c[CredIMAPHost] = "imap.acme.example" }, CredIMAPHost},
		{"imap port out of range", func(c map[string]string) { c[CredIMAPHost] = "imap.acme.example:99999" }, CredIMAPHost},
		{"imap URL instead of host", func(c map[string]string) { c[CredIMAPHost] = "imaps://imap.acme.example:993" }, CredIMAPHost},
		{"unknown imap tls mode", func(c map[string]string) { c[CredIMAPTLS] = "ssl" }, CredIMAPTLS},
		{"clear text to a remote imap server", func(c map[string]string) { c[CredIMAPTLS] = TLSNone }, "only allowed for 127.0.0.1"},
		{"clear text to localhost", func(c map[string]string) { c[CredIMAPTLS], c[CredIMAPHost] = TLSNone, "localhost:1143" }, ""},
		{"clear text to ::1", func(c map[string]string) { c[CredSMTPTLS], c[CredSMTPHost] = TLSNone, "[::1]:1587" }, ""},
		{"starttls imap", func(c map[string]string) { c[CredIMAPTLS] = TLSStartTLS }, ""},
		{"no imap user", func(c map[string]string) { delete(c, CredIMAPUser) }, CredIMAPUser},
		{"no imap password", func(c map[string]string) { delete(c, CredIMAPPassword) }, CredIMAPPassword},
		{"mailbox with a line break", func(c map[string]string) { c[CredIMAPMailbox] = "INBOX\r\nA1 DELETE INBOX" }, CredIMAPMailbox},
		{"no smtp host", func(c map[string]string) { delete(c, CredSMTPHost) }, CredSMTPHost},
		{"smtp user without password", func(c map[string]string) { delete(c, CredSMTPPassword) }, CredSMTPPassword},
		{"smtp without login", func(c map[string]string) { delete(c, CredSMTPPassword); delete(c, CredSMTPUser) }, ""},
		{"clear text to a remote smtp server", func(c map[string]string) { c[CredSMTPTLS] = TLSNone }, "only allowed for 127.0.0.1"},
		{"no from", func(c map[string]string) { delete(c, CredFrom) }, CredFrom},
		{"from without domain", func(c map[string]string) { c[CredFrom] = "support" }, CredFrom},
		{"from with two addresses", func(c map[string]string) { c[CredFrom] = "a@acme.example, b@acme.example" }, CredFrom},
		{"dkim key without selector", func(c map[string]string) { c[CredDKIMPrivateKey] = key }, CredDKIMSelector},
		{"dkim key", func(c map[string]string) { c[CredDKIMPrivateKey], c[CredDKIMSelector] = key, "s1" }, ""},
		{"ed25519 dkim key", func(c map[string]string) { c[CredDKIMPrivateKey], c[CredDKIMSelector] = edPEM, "s1" }, ""},
		{"dkim key of a parent domain", func(c map[string]string) {
			c[CredDKIMPrivateKey], c[CredDKIMSelector], c[CredDKIMDomain] = key, "s1", "example.com"
		}, ""},
		{"dkim key of another domain", func(c map[string]string) {
			c[CredDKIMPrivateKey], c[CredDKIMSelector], c[CredDKIMDomain] = key, "s1", "other.example"
		}, CredDKIMDomain},
		{"dkim key that is no key", func(c map[string]string) {
			c[CredDKIMPrivateKey], c[CredDKIMSelector] = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "s1"
		}, CredDKIMPrivateKey},
		{"authserv_id", func(c map[string]string) { c[CredAuthservID] = "mx.google.com, mx6.messagingengine.com" }, ""},
		{"authserv_id that is a header", func(c map[string]string) { c[CredAuthservID] = "mx.google.com; dmarc=pass" }, CredAuthservID},
		{"dkim certificate instead of key", func(c map[string]string) {
			c[CredDKIMPrivateKey], c[CredDKIMSelector] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "s1"
		}, CredDKIMPrivateKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := validInbox()
			tt.change(in.Credentials)
			err := a.Prepare(in)
			if tt.want == "" {
				if err != nil {
					t.Errorf("Prepare = %v, want success", err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("Prepare = %v, want EINVALID about %s", err, tt.want)
			}
		})
	}
}

func TestInstructions(t *testing.T) {
	t.Parallel()
	a := &Adapter{}
	in := validInbox()
	got := a.Instructions(*in, "https://parley.example.com/webhooks/7")
	want := []channel.Instruction{
		{Label: "Incoming mail (IMAP)", Value: "imap.acme.example:993 (tls), mailbox INBOX, user support@acme.example.com"},
		{Label: "Checked", Value: "every minute; messages are read without being marked as read"},
		{Label: "Sender checks (SPF, DKIM, DMARC) read from", Value: "the topmost Authentication-Results of each email, written by the mailbox's provider (set authserv_id to name its servers)"},
		{Label: "Outgoing mail (SMTP submission)", Value: "smtp.acme.example:587 (starttls)"},
		{Label: "Replies come from", Value: "Acme Support <Support@Acme.Example.com>"},
		{Label: "SPF", Value: "the TXT record of acme.example.com must allow the SMTP server's provider to send for it (e.g. include:<provider's SPF domain>)"},
		{Label: "DKIM", Value: "Parley does not sign: the SMTP provider must sign for acme.example.com, or set dkim_selector and dkim_private_key"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Instructions (-want +got):\n%s", diff)
	}
	for _, i := range got {
		if strings.Contains(i.Value, "secret") {
			t.Errorf("Instructions show a password: %+v", i)
		}
	}
	delete(in.Credentials, CredFrom)
	got = a.Instructions(*in, "")
	if last := got[len(got)-1]; last.Label != "To fix" || !strings.Contains(last.Value, CredFrom) {
		t.Errorf("Instructions of a broken inbox end with %+v, want what to fix", last)
	}
}

func TestCheckReply(t *testing.T) {
	t.Parallel()
	in := *validInbox()
	a := &Adapter{}
	for _, tt := range []struct {
		name string
		c    channel.ReplyCheck
		want string
	}{
		{"private", channel.ReplyCheck{Inbox: in, Text: "Hello", Visibility: care.Private}, ""},
		{"public", channel.ReplyCheck{Inbox: in, Text: "Hello", Visibility: care.Public}, "private"},
		{"empty", channel.ReplyCheck{Inbox: in, Text: " \n\t", Visibility: care.Private}, "needs text"},
		{"attachments alone", channel.ReplyCheck{Inbox: in, Attachments: []care.Attachment{{Kind: "file", URL: "https://x/y"}}, Visibility: care.Private}, "needs text"},
		{"100 KB", channel.ReplyCheck{Inbox: in, Text: strings.Repeat("a", MaxReplyBytes), Visibility: care.Private}, ""},
		{"over 100 KB", channel.ReplyCheck{Inbox: in, Text: strings.Repeat("a", MaxReplyBytes+1), Visibility: care.Private}, "100 KB"},
		{"inbox that cannot send", channel.ReplyCheck{Inbox: care.Inbox{Credentials: map[string]string{}}, Text: "Hello", Visibility: care.Private}, CredSMTPHost},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := a.CheckReply(tt.c)
			if tt.want == "" {
				if err != nil {
					t.Errorf("CheckReply = %v, want nil", err)
				}
				return
			}
			if care.ErrorCode(err) != care.EINVALID || !strings.Contains(care.ErrorMessage(err), tt.want) {
				t.Errorf("CheckReply = %v, want EINVALID about %q", err, tt.want)
			}
		})
	}
}
