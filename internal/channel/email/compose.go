package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-msgauth/dkim"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
)

// signedHeaders are the fields a DKIM signature covers: the ones a reader
// trusts and threading depends on, and those that say how to read the
// body. A field absent from the message is signed as absent, so a relay
// cannot add it (RFC 6376 §5.4.2).
var signedHeaders = []string{"From", "To", "Subject", "Date", "Message-Id", "In-Reply-To", "References",
	"Mime-Version", "Content-Type", "Content-Transfer-Encoding"}

// draft is one reply ready to submit.
type draft struct {
	// id is the Message-ID without angle brackets.
	id string
	// from and to are the envelope's addresses.
	from, to string
	raw      []byte
}

// compose writes out as an RFC 5322 message: plain text in UTF-8, quoted-
// printable, threaded under the customer's message by In-Reply-To and
// References (ancestors, the parent's own chain, then the parent), with a
// Message-ID derived from the outbound's idempotency key. files[i], when
// not nil, is the i-th attachment's content: the message is then
// multipart/mixed, the text and one base64 part per file; the other
// attachments are links below the text. It returns a permanent
// *channel.SendError when the contact has no email address.
func compose(out *channel.Outbound, s *smtpSettings, now time.Time, files []*attached, ancestors []string) (*draft, error) {
	rcpt, ok := out.Recipient()
	to := strings.ToLower(rcpt.PlatformUserID)
	if !ok || !plausibleAddress(to) {
		return nil, channel.Permanent("the contact has no email address to reply to", nil)
	}
	d := &draft{id: messageIDFor(out, s.domain), from: s.from.Address, to: to}

	var h mail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*mail.Address{{Name: s.from.Name, Address: s.from.Address}})
	h.SetAddressList("To", []*mail.Address{{Name: channel.CleanName(rcpt.DisplayName, 200), Address: to}})
	parent := parentID(out)
	answers := out.LastInbound != nil || out.Message.ReplyToPlatformID != ""
	h.SetSubject(replySubject(out.Conversation.Subject, answers))
	h.SetMessageID(d.id)
	if parent != "" {
		h.SetMsgIDList("In-Reply-To", []string{parent})
		h.SetMsgIDList("References", threadReferences(ancestors, parent))
	}
	h.Set("MIME-Version", "1.0")
	// No Auto-Submitted: a person wrote this reply, and the customer's
	// own autoresponder should answer it like any other mail (RFC 3834).

	var buf bytes.Buffer
	if err := writeBody(&buf, h.Header, replyText(&out.Message, files), files); err != nil {
		return nil, channel.Permanent("the reply could not be written as an email", err)
	}
	d.raw = buf.Bytes()
	return d, nil
}

// writeBody writes the message with header h: text alone, or text and
// files as multipart/mixed.
func writeBody(buf *bytes.Buffer, h message.Header, text string, files []*attached) error {
	var textHeader message.Header
	textHeader.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	textHeader.Set("Content-Transfer-Encoding", "quoted-printable")
	if !slices.ContainsFunc(files, func(f *attached) bool { return f != nil }) {
		for _, k := range []string{"Content-Type", "Content-Transfer-Encoding"} {
			h.Set(k, textHeader.Get(k))
		}
		w, err := message.CreateWriter(buf, h)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, text); err != nil {
			return err
		}
		return w.Close()
	}
	h.SetContentType("multipart/mixed", nil)
	w, err := message.CreateWriter(buf, h)
	if err != nil {
		return err
	}
	tw, err := w.CreatePart(textHeader)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(tw, text); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	for _, f := range files {
		if f == nil {
			continue
		}
		ph := mail.AttachmentHeader{}
		ph.SetContentType(f.mimeType, nil)
		ph.SetFilename(f.name)
		ph.Set("Content-Transfer-Encoding", "base64")
		pw, err := w.CreatePart(ph.Header)
		if err != nil {
			return err
		}
		if _, err := pw.Write(f.data); err != nil {
			return err
		}
		if err := pw.Close(); err != nil {
			return err
		}
	}
	return w.Close()
}

// messageIDFor returns the Message-ID of a reply: "parley." and a hash of
// its idempotency key, at the from domain. Every attempt to send one reply
// has the same id, so a reply that SMTP delivered twice (a lost "250 OK"
// and a retry) can be recognised as one by the customer's client.
func messageIDFor(out *channel.Outbound, domain string) string {
	key := out.IdempotencyKey
	if key == "" {
		key = fmt.Sprintf("inbox-%d-message-%d", out.Inbox.ID, out.Message.ID)
	}
	sum := sha256.Sum256([]byte(key))
	return idPrefix + hex.EncodeToString(sum[:16]) + "@" + domain
}

// parentID is the Message-ID a reply answers: the message the agent chose,
// else the customer's newest one. Ids Parley made up for messages without
// one are no Message-ID and are left out.
func parentID(out *channel.Outbound) string {
	id := out.Message.ReplyToPlatformID
	if id == "" && out.LastInbound != nil {
		id = out.LastInbound.PlatformID
	}
	if !validID(id) || strings.HasSuffix(id, "@message-id.invalid") {
		return ""
	}
	return id
}

// replyPrefix matches the reply markers clients put before a subject, in
// several languages and with counters: "Re:", "RE[2]:", "AW:", "SV:".
var replyPrefix = regexp.MustCompile(`(?i)^\s*(re|aw|sv|vs|antw|ref|rif)(\[\d+\]|\(\d+\))?\s*:\s*`)

// replySubject is "Re: " and the conversation's subject, with the reply
// markers already on it removed so they do not stack up.
func replySubject(subject string, reply bool) string {
	s := channel.CleanName(subject, 900)
	for i := 0; i < 20; i++ {
		loc := replyPrefix.FindStringIndex(s)
		if loc == nil {
			break
		}
		s = s[loc[1]:]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		s = "(no subject)"
	}
	if !reply {
		return s
	}
	return "Re: " + s
}

// replyText is the text of a reply: its text, then a line with the link
// of each attachment that is not sent as a part (files[i] nil).
func replyText(m *care.Message, files []*attached) string {
	var b strings.Builder
	b.WriteString(strings.ReplaceAll(m.Text, "\r\n", "\n"))
	first := true
	for i, a := range m.Attachments {
		if a.URL == "" || i < len(files) && files[i] != nil {
			continue
		}
		if first {
			b.WriteString("\n")
			first = false
		}
		name := a.Name
		if name == "" {
			name = a.Kind
		}
		fmt.Fprintf(&b, "\n%s: %s", channel.CleanName(name, 200), channel.CleanName(a.URL, 2048))
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// sign adds a DKIM-Signature to raw.
func sign(raw []byte, k *dkimKey) ([]byte, error) {
	var out bytes.Buffer
	out.Grow(len(raw) + 1024)
	err := dkim.Sign(&out, bytes.NewReader(raw), &dkim.SignOptions{
		Domain: k.domain, Selector: k.selector, Signer: k.signer, HeaderKeys: signedHeaders,
		// relaxed/relaxed survives the rewrapping and whitespace changes
		// relays make (RFC 6376 §3.4).
		HeaderCanonicalization: dkim.CanonicalizationRelaxed, BodyCanonicalization: dkim.CanonicalizationRelaxed,
	})
	if err != nil {
		return nil, fmt.Errorf("email: dkim sign: %w", err)
	}
	return out.Bytes(), nil
}
