package email

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// Notice is a plain text email Parley sends for another channel through
// SMTP settings that channel's inbox carries with the credential keys of an
// email inbox (smtp_host, smtp_tls, smtp_user, smtp_password, from and the
// dkim_ keys): a web chat reply to a visitor who left, say.
type Notice struct {
	To     string // the address
	ToName string
	// Subject and Text are the message; Text is sent as it is, in UTF-8.
	Subject string
	Text    string
	// Key stays the same across every attempt to send one notice: its
	// Message-ID is derived from it, so two copies (a lost "250 OK" and a
	// retry) can be recognised as one.
	Key string
}

// CheckSMTP validates the SMTP submission credentials of in as Prepare
// validates an email inbox's: EINVALID naming the credential at fault.
func CheckSMTP(in care.Inbox) error {
	_, err := smtpSettingsOf(in)
	return err
}

// SubmitNotice sends n through in's SMTP settings and returns its
// Message-ID, without angle brackets. It fails as Send does: a permanent
// *channel.SendError for settings that do not configure SMTP, an address
// that is not one, or the server's 5xx; a temporary one for its 4xx, a
// lost connection or a timeout.
func (a *Adapter) SubmitNotice(ctx context.Context, in care.Inbox, n Notice) (string, error) {
	s, err := smtpSettingsOf(in)
	if err != nil {
		return "", channel.Permanent(care.ErrorMessage(err), err)
	}
	to := strings.ToLower(strings.TrimSpace(n.To))
	if !plausibleAddress(to) {
		return "", channel.Permanent("the notice has no address to go to", nil)
	}
	key := n.Key
	if key == "" {
		key = to + "\x00" + n.Subject + "\x00" + n.Text
	}
	sum := sha256.Sum256([]byte("notice\x00" + key))
	d := &draft{id: idPrefix + hex.EncodeToString(sum[:16]) + "@" + s.domain, from: s.from.Address, to: to}

	var h mail.Header
	h.SetDate(a.now())
	h.SetAddressList("From", []*mail.Address{{Name: s.from.Name, Address: s.from.Address}})
	h.SetAddressList("To", []*mail.Address{{Name: channel.CleanName(n.ToName, 200), Address: to}})
	h.SetSubject(channel.CleanName(n.Subject, 900))
	h.SetMessageID(d.id)
	h.Set("MIME-Version", "1.0")
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	h.Set("Content-Transfer-Encoding", "quoted-printable")
	var buf bytes.Buffer
	w, err := message.CreateWriter(&buf, h.Header)
	if err == nil {
		text := strings.ReplaceAll(n.Text, "\r\n", "\n")
		if !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		if _, err = w.Write([]byte(text)); err == nil {
			err = w.Close()
		}
	}
	if err != nil {
		return "", channel.Permanent("the notice could not be written as an email", err)
	}
	d.raw = buf.Bytes()
	if s.dkim != nil {
		if d.raw, err = sign(d.raw, s.dkim); err != nil {
			return "", channel.Permanent("the notice could not be signed with the DKIM key", err)
		}
	}
	if err := a.submit(ctx, s, d); err != nil {
		return "", err
	}
	return d.id, nil
}
