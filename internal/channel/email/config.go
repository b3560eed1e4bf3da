package email

import (
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net"
	"net/mail"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/care"
)

// imapSettings is how to reach an inbox's mailbox.
type imapSettings struct {
	addr, host, tls string
	user, password  string
	mailbox         string
}

// smtpSettings is how to submit an inbox's replies and what to sign them
// with.
type smtpSettings struct {
	addr, host, tls string
	user, password  string
	from            mail.Address
	// domain is the from address's domain, lower-cased: the right-hand
	// side of our Message-IDs.
	domain string
	dkim   *dkimKey
}

type dkimKey struct {
	domain, selector string
	signer           crypto.Signer
}

// imapSettingsOf reads and checks the IMAP credentials of in, applying the
// defaults (implicit TLS, INBOX). It returns EINVALID naming the credential
// at fault.
func imapSettingsOf(in care.Inbox) (*imapSettings, error) {
	c := in.Credentials
	s := &imapSettings{addr: c[CredIMAPHost], tls: orDefault(c[CredIMAPTLS], TLSImplicit),
		user: c[CredIMAPUser], password: c[CredIMAPPassword], mailbox: orDefault(c[CredIMAPMailbox], DefaultMailbox)}
	var err error
	if s.host, err = checkServer(CredIMAPHost, CredIMAPTLS, s.addr, s.tls, "imap.example.com:993"); err != nil {
		return nil, err
	}
	switch {
	case s.user == "":
		return nil, care.Errorf(care.EINVALID, "credentials.%s is required: the mailbox's IMAP user name.", CredIMAPUser)
	case s.password == "":
		return nil, care.Errorf(care.EINVALID, "credentials.%s is required: the mailbox's IMAP password (an app password where the provider has them).", CredIMAPPassword)
	case len(s.mailbox) > 255 || strings.ContainsAny(s.mailbox, "\r\n\x00"):
		return nil, care.Errorf(care.EINVALID, "credentials.%s is not a mailbox name.", CredIMAPMailbox)
	}
	return s, nil
}

// smtpSettingsOf reads and checks the SMTP, from and DKIM credentials of
// in, applying the defaults (STARTTLS, the from domain as DKIM domain). It
// returns EINVALID naming the credential at fault.
func smtpSettingsOf(in care.Inbox) (*smtpSettings, error) {
	c := in.Credentials
	s := &smtpSettings{addr: c[CredSMTPHost], tls: orDefault(c[CredSMTPTLS], TLSStartTLS),
		user: c[CredSMTPUser], password: c[CredSMTPPassword]}
	var err error
	if s.host, err = checkServer(CredSMTPHost, CredSMTPTLS, s.addr, s.tls, "smtp.example.com:587"); err != nil {
		return nil, err
	}
	if (s.user == "") != (s.password == "") {
		return nil, care.Errorf(care.EINVALID, "credentials.%s and credentials.%s go together: give both, or neither for a server that needs no login.", CredSMTPUser, CredSMTPPassword)
	}
	from, err := parseFrom(c[CredFrom])
	if err != nil {
		return nil, err
	}
	s.from = *from
	s.domain = domainOf(from.Address)
	if s.dkim, err = dkimOf(in, s.domain); err != nil {
		return nil, err
	}
	return s, nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// checkServer checks a host:port credential and its TLS mode and returns the
// host. Clear text is refused for anything but the loopback interface: the
// password would cross the network readable.
func checkServer(hostKey, tlsKey, addr, mode, example string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(port); err != nil || host == "" || perr != nil || n < 1 || n > 65535 || strings.ContainsAny(host, " \t\r\n/@") {
		return "", care.Errorf(care.EINVALID, "credentials.%s must be host:port, e.g. %s.", hostKey, example)
	}
	switch mode {
	case TLSImplicit, TLSStartTLS:
	case TLSNone:
		if !loopback(host) {
			return "", care.Errorf(care.EINVALID, "credentials.%s none sends the password in clear; it is only allowed for 127.0.0.1 or localhost. Use tls or starttls.", tlsKey)
		}
	default:
		return "", care.Errorf(care.EINVALID, "credentials.%s must be tls, starttls or none.", tlsKey)
	}
	return host, nil
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseFrom parses the from credential: an address with an optional display
// name, "Acme Support <support@acme.example>".
func parseFrom(v string) (*mail.Address, error) {
	a, err := mail.ParseAddress(v)
	if err != nil || domainOf(a.Address) == "" || strings.ContainsAny(a.Address, " \t\r\n<>") {
		return nil, care.Errorf(care.EINVALID, "credentials.%s must be the address replies come from, e.g. Acme Support <support@acme.example>.", CredFrom)
	}
	a.Address = strings.ToLower(a.Address)
	return a, nil
}

// domainOf returns the lower-cased part of addr after its last @, "" if
// there is none.
func domainOf(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 || i == len(addr)-1 {
		return ""
	}
	return strings.ToLower(addr[i+1:])
}

// dkimOf reads the DKIM credentials: nil when there is no private key, as
// signing is optional (the provider may sign on submission).
func dkimOf(in care.Inbox, fromDomain string) (*dkimKey, error) {
	c := in.Credentials
	if c[CredDKIMPrivateKey] == "" {
		return nil, nil
	}
	k := &dkimKey{domain: strings.ToLower(orDefault(c[CredDKIMDomain], fromDomain)), selector: c[CredDKIMSelector]}
	if k.selector == "" || len(k.selector) > 63 || strings.ContainsAny(k.selector, " \t\r\n;=") {
		return nil, care.Errorf(care.EINVALID, "credentials.%s is required with a DKIM key: the selector of its DNS record, <selector>._domainkey.%s.", CredDKIMSelector, k.domain)
	}
	if k.domain != fromDomain && !strings.HasSuffix(fromDomain, "."+k.domain) {
		return nil, care.Errorf(care.EINVALID, "credentials.%s must be the from address's domain or a parent of it, or DMARC will not accept the signature.", CredDKIMDomain)
	}
	signer, err := parsePrivateKey(c[CredDKIMPrivateKey])
	if err != nil {
		return nil, err
	}
	k.signer = signer
	return k, nil
}

// parsePrivateKey reads a PEM private key: RSA (PKCS #1 or #8, at least
// 1024 bits as RFC 8301 requires) or Ed25519 (PKCS #8, RFC 8463).
func parsePrivateKey(s string) (crypto.Signer, error) {
	bad := care.Errorf(care.EINVALID, "credentials.%s must be a PEM private key: RSA of at least 1024 bits, or Ed25519.", CredDKIMPrivateKey)
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, bad
	}
	var key any
	var err error
	switch block.Type {
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
	case "PRIVATE KEY":
		key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
	default:
		return nil, bad
	}
	if err != nil {
		return nil, bad
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if k.N.BitLen() < 1024 {
			return nil, bad
		}
		return k, nil
	case ed25519.PrivateKey:
		return k, nil
	}
	return nil, bad
}
