package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parleyhq/parley/internal/channel/email"
	"github.com/parleyhq/parley/internal/channel/email/mailtest"
)

// The brand's care address, the mailbox Parley reads and sends from.
const (
	careAddress = "care@orbitmobile.example"
	careFrom    = brandName + " Care <" + careAddress + ">"
)

// mailSite is the mail of the brand and of its customers (package
// mailtest): one IMAP server holding the brand's care mailbox and each
// customer's, and the SMTP submission server Parley sends through, which
// delivers what it is given into the recipient's mailbox. Customers write
// by putting their email in the care mailbox, as their mail server would,
// and read Parley's replies in their own mailbox.
type mailSite struct {
	imap     *mailtest.IMAP
	smtp     *mailtest.SMTP
	password string // the care mailbox's, which Parley is given
	log      *slog.Logger
	n        atomic.Int64 // numbers customers' Message-IDs

	mu    sync.Mutex          // guards boxes and read
	boxes map[string]bool     // customers' addresses with a mailbox
	read  map[string]mailRead // Parley's replies customers found, by Message-ID

	// Used by the watcher alone: how far the submissions were read, and
	// those whose recipient has not found them yet.
	submitted int
	waiting   []submission
}

// mailRead is one of Parley's replies as its recipient read it.
type mailRead struct {
	id, to     string // Message-ID, without angle brackets; the recipient
	subject    string
	text       string // the body, decoded
	date       string // its Date field, for the quote's attribution
	references string // its References field
	from       string // who sent it, name and address
}

// submission is a message Parley submitted that its recipient has not yet
// found in their mailbox.
type submission struct {
	id, to string
	looks  int
}

// newMailSite starts the two servers, on loopback in clear text (the
// adapter allows it there only), with the care mailbox.
func newMailSite(log *slog.Logger) (*mailSite, error) {
	m := &mailSite{password: rand.Text(), log: log, boxes: map[string]bool{}, read: map[string]mailRead{}}
	var err error
	if m.imap, err = mailtest.NewIMAP(mailtest.IMAPOptions{}); err != nil {
		return nil, fmt.Errorf("demo: start the IMAP server: %w", err)
	}
	if err := m.imap.AddUser(careAddress, m.password); err != nil {
		m.imap.Close()
		return nil, err
	}
	if m.smtp, err = mailtest.NewSMTP(mailtest.SMTPOptions{Username: careAddress, Password: m.password, Deliver: m.imap}); err != nil {
		m.imap.Close()
		return nil, fmt.Errorf("demo: start the SMTP server: %w", err)
	}
	return m, nil
}

// connectEmail connects the care mailbox: read over IMAP, answered through
// SMTP submission, with the mailbox's login. The servers are on loopback,
// where the adapter allows clear text; a real provider's take TLS.
func (p *platforms) connectEmail(ctx context.Context, admin *client) error {
	var err error
	if p.mail, err = newMailSite(p.log); err != nil {
		return err
	}
	in, _, err := createInbox(ctx, admin, map[string]any{"channel": "email", "name": brandName + " care (email)",
		"credentials": map[string]string{email.CredIMAPHost: p.mail.imap.Addr, email.CredIMAPTLS: email.TLSNone,
			email.CredIMAPUser: careAddress, email.CredIMAPPassword: p.mail.password,
			email.CredSMTPHost: p.mail.smtp.Addr, email.CredSMTPTLS: email.TLSNone,
			email.CredSMTPUser: careAddress, email.CredSMTPPassword: p.mail.password, email.CredFrom: careFrom}})
	if err != nil {
		return err
	}
	p.mailInbox = in.Inbox.ID
	return nil
}

// mailbox gives addr a mailbox, once, so that what Parley sends them is
// delivered into it.
func (m *mailSite) mailbox(addr string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.boxes[addr] {
		return nil
	}
	if err := m.imap.AddUser(addr, m.password); err != nil {
		return err
	}
	m.boxes[addr] = true
	return nil
}

// write has who send an email to the care address and returns its
// Message-ID. An answer to one of Parley's replies (replyTo, its
// Message-ID) is "Re:" its subject, with In-Reply-To and References naming
// it and the reply quoted below, as mail clients write it.
func (m *mailSite) write(who *customer, msg message) (string, error) {
	if err := m.mailbox(who.id); err != nil {
		return "", err
	}
	id := fmt.Sprintf("%d.%s@%s", m.n.Add(1), strings.ToLower(rand.Text()[:12]), domainOf(who.id))
	now := time.Now()
	subject, body := msg.subject, msg.text
	if subject == "" {
		subject = subjectOf(msg.text)
	}
	var b bytes.Buffer
	from := mail.Address{Name: who.name, Address: who.id}
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\n", from.String(), careFrom)
	if msg.replyTo != "" {
		m.mu.Lock()
		r, ok := m.read[msg.replyTo]
		m.mu.Unlock()
		subject = "Re: " + baseSubject(subject)
		refs := "<" + msg.replyTo + ">"
		if ok {
			subject = "Re: " + baseSubject(r.subject)
			refs = strings.TrimSpace(r.references + " " + refs)
			body += "\n\n" + quote(r)
		}
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: %s\r\n", msg.replyTo, refs)
	}
	fmt.Fprintf(&b, "Subject: %s\r\nDate: %s\r\nMessage-ID: <%s>\r\n", mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z), id)
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&b)
	io.WriteString(qp, strings.ReplaceAll(body, "\n", "\r\n"))
	qp.Close()
	if _, err := m.imap.Append(careAddress, "INBOX", b.Bytes(), now); err != nil {
		return "", fmt.Errorf("demo: deliver an email to the care mailbox: %w", err)
	}
	return id, nil
}

// quote is a reply quoted below an answer: "On <date>, <from> wrote:" and
// its lines after "> ", which Parley leaves out of what it shows.
func quote(r mailRead) string {
	var b strings.Builder
	fmt.Fprintf(&b, "On %s, %s wrote:\n", r.date, r.from)
	for line := range strings.SplitSeq(strings.TrimRight(r.text, "\n"), "\n") {
		b.WriteString("> " + line + "\n")
	}
	return b.String()
}

// baseSubject is a subject without the "Re:" mail clients stack.
func baseSubject(s string) string {
	for {
		t := strings.TrimSpace(s)
		if len(t) < 3 || !strings.EqualFold(t[:3], "re:") {
			return t
		}
		s = t[3:]
	}
}

// domainOf is the part of an address after its @.
func domainOf(addr string) string {
	_, d, _ := strings.Cut(addr, "@")
	return d
}

// maxMailLooks bounds how long a recipient looks for a submitted message:
// what the SMTP server took is in their mailbox a moment later.
const maxMailLooks = 25

// received returns the replies Parley submitted that their recipients
// have since found in their mailboxes, each read there over IMAP. It is
// called from the watcher alone.
func (m *mailSite) received() []mailRead {
	subs := m.smtp.Messages()
	for _, s := range subs[min(m.submitted, len(subs)):] {
		msg, err := mail.ReadMessage(bytes.NewReader(s.Data))
		if err != nil {
			m.log.Warn("demo: Parley submitted an email that does not parse", "err", err)
			continue
		}
		id := strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>")
		for _, to := range s.To {
			m.waiting = append(m.waiting, submission{id: id, to: strings.ToLower(to)})
		}
	}
	m.submitted = len(subs)
	if len(m.waiting) == 0 {
		return nil
	}
	boxes := map[string][]mailtest.StoredMessage{}
	var out []mailRead
	kept := m.waiting[:0]
	for _, s := range m.waiting {
		box, ok := boxes[s.to]
		if !ok {
			m.mu.Lock()
			has := m.boxes[s.to]
			m.mu.Unlock()
			if !has {
				continue // no demo customer: nobody reads it
			}
			var err error
			if box, err = m.imap.Messages(s.to, "INBOX"); err != nil {
				m.log.Warn("demo: read a customer's mailbox", "err", err)
			}
			boxes[s.to] = box
		}
		r, found := findMail(box, s.id)
		switch {
		case found:
			r.to = s.to
			m.mu.Lock()
			m.read[r.id] = r
			m.mu.Unlock()
			out = append(out, r)
		case s.looks+1 < maxMailLooks:
			s.looks++
			kept = append(kept, s)
		default:
			m.log.Warn("demo: an email Parley sent never reached the customer's mailbox", "to", s.to, "message_id", s.id)
		}
	}
	clear(m.waiting[len(kept):])
	m.waiting = kept
	return out
}

// findMail returns the message with Message-ID id in box, decoded.
func findMail(box []mailtest.StoredMessage, id string) (mailRead, bool) {
	for _, sm := range box {
		msg, err := mail.ReadMessage(bytes.NewReader(sm.Raw))
		if err != nil || strings.Trim(strings.TrimSpace(msg.Header.Get("Message-Id")), "<>") != id {
			continue
		}
		dec := new(mime.WordDecoder)
		subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			subject = msg.Header.Get("Subject")
		}
		from := msg.Header.Get("From")
		if a, err := mail.ParseAddress(from); err == nil && a.Name != "" {
			from = a.Name + " <" + a.Address + ">"
		}
		var body io.Reader = msg.Body
		switch strings.ToLower(strings.TrimSpace(msg.Header.Get("Content-Transfer-Encoding"))) {
		case "quoted-printable":
			body = quotedprintable.NewReader(msg.Body)
		case "base64":
			body = base64.NewDecoder(base64.StdEncoding, msg.Body)
		}
		text, err := io.ReadAll(io.LimitReader(body, 1<<20))
		if err != nil {
			return mailRead{}, false
		}
		return mailRead{id: id, subject: subject, text: strings.ReplaceAll(string(text), "\r\n", "\n"), date: msg.Header.Get("Date"),
			references: msg.Header.Get("References"), from: from}, true
	}
	return mailRead{}, false
}

// close stops both servers.
func (m *mailSite) close() {
	if m == nil {
		return
	}
	m.smtp.Close()
	m.imap.Close()
}
