package email

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// dialTimeout bounds connecting to a mail server when the context allows
// longer.
const dialTimeout = 30 * time.Second

// Send submits a reply to the inbox's SMTP server and returns its
// Message-ID as the platform id. The server's 4xx replies and lost
// connections are temporary failures, its 5xx replies permanent ones with
// the server's text; credentials that do not configure SMTP are permanent.
//
// SMTP has no idempotency key: when the connection breaks after the
// message was sent but before the server's "250 OK" arrived, the outbox
// sends it again and the customer may receive it twice. Both copies carry
// the same Message-ID, by which mail clients can tell they are one.
func (a *Adapter) Send(ctx context.Context, out channel.Outbound) (channel.Result, error) {
	s, err := smtpSettingsOf(out.Inbox)
	if err != nil {
		return channel.Result{}, channel.Permanent(care.ErrorMessage(err), err)
	}
	d, err := compose(&out, s, a.now(), a.replyFiles(ctx, &out), a.ancestors(ctx, out.Inbox, parentID(&out)))
	if err != nil {
		return channel.Result{}, err
	}
	if s.dkim != nil {
		if d.raw, err = sign(d.raw, s.dkim); err != nil {
			return channel.Result{}, channel.Permanent("the reply could not be signed with the DKIM key", err)
		}
	}
	if err := a.submit(ctx, s, d); err != nil {
		return channel.Result{}, err
	}
	return channel.Result{PlatformID: d.id, Status: care.DeliverySent}, nil
}

// submit hands d to the SMTP server: connect (with TLS as configured),
// log in with AUTH PLAIN when there is a user, MAIL, RCPT, DATA.
func (a *Adapter) submit(ctx context.Context, s *smtpSettings, d *draft) error {
	conn, err := a.dial(ctx, "SMTP", s.addr)
	if err != nil {
		return err
	}
	// go-smtp sets its own deadline on every command; closing the
	// connection is what makes it honour ctx.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()

	var c *smtp.Client
	switch s.tls {
	case TLSImplicit:
		tc := tls.Client(conn, a.tlsConfig(s.host))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return smtpFailure(s, "TLS", err)
		}
		c = smtp.NewClient(tc)
	case TLSStartTLS:
		if c, err = smtp.NewClientStartTLS(conn, a.tlsConfig(s.host)); err != nil {
			return smtpFailure(s, "STARTTLS", err)
		}
	default:
		c = smtp.NewClient(conn)
	}
	defer c.Close()

	if s.user != "" {
		if !c.SupportsAuth("PLAIN") {
			if err := c.Noop(); err != nil {
				return smtpFailure(s, "EHLO", err)
			}
			return channel.Permanent(fmt.Sprintf("the SMTP server %s does not offer AUTH PLAIN", s.addr), nil)
		}
		if err := c.Auth(sasl.NewPlainClient("", s.user, s.password)); err != nil {
			return smtpFailure(s, "login", err)
		}
	}
	opts := &smtp.MailOptions{Size: int64(len(d.raw)), UTF8: !ascii(d.from) || !ascii(d.to)}
	if err := c.Mail(d.from, opts); err != nil {
		return smtpFailure(s, "MAIL FROM", err)
	}
	if err := c.Rcpt(d.to, nil); err != nil {
		return smtpFailure(s, "RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return smtpFailure(s, "DATA", err)
	}
	if _, err := w.Write(d.raw); err != nil {
		return smtpFailure(s, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpFailure(s, "DATA", err)
	}
	// The server took the message; a failed goodbye changes nothing.
	_ = c.Quit()
	return nil
}

// smtpFailure classifies a failed step of a submission: a 5xx reply is
// permanent, a 4xx reply, a lost connection or a timeout temporary. The
// reason quotes the server's code and text, which are safe to show: they
// never contain the password.
func smtpFailure(s *smtpSettings, step string, err error) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		reason := fmt.Sprintf("SMTP %s refused: %d", step, se.Code)
		if e := se.EnhancedCode; e != smtp.NoEnhancedCode && e != smtp.EnhancedCodeNotSet {
			reason += fmt.Sprintf(" %d.%d.%d", e[0], e[1], e[2])
		}
		if m := channel.Excerpt([]byte(se.Message), 200); m != "" {
			reason += " " + m
		}
		if se.Code >= 500 && se.Code <= 599 {
			return &channel.SendError{Permanent: true, Refused: step == "RCPT TO" && recipientStatus(se.EnhancedCode), Reason: reason, Err: err}
		}
		return channel.Temporary(reason, 0, err)
	}
	var cert *tls.CertificateVerificationError
	if errors.As(err, &cert) {
		return channel.Temporary("the TLS certificate of the SMTP server "+s.host+" is not trusted", 0, err)
	}
	return channel.Temporary(fmt.Sprintf("SMTP %s failed: %s", step, channel.Excerpt([]byte(err.Error()), 200)), 0, err)
}

// recipientStatus reports whether an enhanced status code refuses the
// recipient's address or mailbox rather than the sender: X.1.1 bad
// destination mailbox, X.1.2 bad destination system, X.1.3 bad destination
// address syntax, X.1.6 mailbox has moved, X.1.10 recipient address has null
// MX, X.2.1 mailbox disabled, X.2.2 mailbox full (RFC 3463 and RFC 7505;
// www.iana.org/assignments/smtp-enhanced-status-codes). A RCPT refused
// with one of them fails that reply alone and leaves the inbox's health
// alone; any other refusal (5.7.1 relaying denied, a bare 550) may be the
// account's and does not.
func recipientStatus(c smtp.EnhancedCode) bool {
	if c[0] != 5 {
		return false
	}
	switch c[1] {
	case 1:
		return c[2] == 1 || c[2] == 2 || c[2] == 3 || c[2] == 6 || c[2] == 10
	case 2:
		return c[2] == 1 || c[2] == 2
	}
	return false
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
