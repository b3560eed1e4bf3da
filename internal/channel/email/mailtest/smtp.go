package mailtest

import (
	"bytes"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPOptions configure an SMTP submission server.
type SMTPOptions struct {
	// TLS is TLSNone (the default), TLSImplicit or TLSStartTLS; with TLS,
	// AUTH is only offered once the connection is encrypted.
	TLS string
	// Certificate serves TLS; see NewCertificate.
	Certificate *tls.Certificate
	// Username and Password, when set, are required with AUTH PLAIN
	// before MAIL FROM, as on a real submission port (RFC 6409).
	Username, Password string
	// Deliver, when set, receives each message in the INBOX of the user
	// whose name is a recipient's address, so a simulated customer can
	// read Parley's replies; recipients without a user there are
	// recorded only.
	Deliver *IMAP
}

// SMTP is an SMTP submission server on 127.0.0.1 that records what it is
// given. It is safe for concurrent use.
type SMTP struct {
	// Addr is the server's host:port.
	Addr string

	srv  *smtp.Server
	ln   net.Listener
	opts SMTPOptions
	done chan struct{}

	mu       sync.Mutex
	messages []Message
	rejects  []Reject
}

// Message is one message the server accepted.
type Message struct {
	// From and To are the envelope's addresses (MAIL FROM, RCPT TO).
	From string
	To   []string
	// User is who logged in with AUTH, "" if no one did.
	User string
	// TLS reports whether the connection was encrypted.
	TLS  bool
	Data []byte
}

// Reject is an error the server answers once, at a step of the next
// transaction that reaches it: "MAIL", "RCPT" or "DATA" (after the data,
// as a content filter would).
type Reject struct {
	Step    string
	Code    int
	Status  smtp.EnhancedCode
	Message string
}

// NewSMTP starts an SMTP server on a free port of 127.0.0.1.
func NewSMTP(opts SMTPOptions) (*SMTP, error) {
	s := &SMTP{opts: opts, done: make(chan struct{})}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 30 << 20
	srv.MaxRecipients = 50
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = opts.TLS == TLSNone
	srv.EnableSMTPUTF8 = true
	if opts.TLS != TLSNone {
		if opts.Certificate == nil {
			return nil, errors.New("mailtest: TLS needs a certificate")
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*opts.Certificate}}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("mailtest: listen: %w", err)
	}
	s.Addr = ln.Addr().String()
	if opts.TLS == TLSImplicit {
		ln = tls.NewListener(ln, srv.TLSConfig)
		// STARTTLS on an encrypted connection makes no sense.
		srv.TLSConfig = nil
	}
	s.srv, s.ln = srv, ln
	go func() {
		defer close(s.done)
		_ = srv.Serve(ln)
	}()
	return s, nil
}

// Messages returns the messages accepted so far, oldest first.
func (s *SMTP) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	copy(out, s.messages)
	return out
}

// RejectNext queues r: the next transaction that reaches r.Step fails
// there with r's reply.
func (s *SMTP) RejectNext(r Reject) {
	s.mu.Lock()
	s.rejects = append(s.rejects, r)
	s.mu.Unlock()
}

// reject returns the queued error for step, if any, and forgets it.
func (s *SMTP) reject(step string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, r := range s.rejects {
		if strings.EqualFold(r.Step, step) {
			s.rejects = append(s.rejects[:i], s.rejects[i+1:]...)
			return &smtp.SMTPError{Code: r.Code, EnhancedCode: r.Status, Message: r.Message}
		}
	}
	return nil
}

// Close stops the server and closes its connections.
func (s *SMTP) Close() error {
	err := s.srv.Close()
	// Close may come before Serve has registered the listener.
	s.ln.Close()
	<-s.done
	return err
}

// NewSession implements smtp.Backend.
func (s *SMTP) NewSession(c *smtp.Conn) (smtp.Session, error) {
	_, encrypted := c.TLSConnectionState()
	return &smtpSession{srv: s, tls: encrypted, conn: c}, nil
}

type smtpSession struct {
	srv  *SMTP
	conn *smtp.Conn
	tls  bool
	user string
	from string
	to   []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (ss *smtpSession) AuthMechanisms() []string {
	if ss.srv.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.srv.opts.Username == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		ok := subtle.ConstantTimeCompare([]byte(username), []byte(ss.srv.opts.Username)) == 1 &&
			subtle.ConstantTimeCompare([]byte(password), []byte(ss.srv.opts.Password)) == 1
		if !ok || identity != "" && identity != username {
			return smtp.ErrAuthFailed
		}
		ss.user = username
		return nil
	}), nil
}

func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.opts.Username != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	if err := ss.srv.reject("MAIL"); err != nil {
		return err
	}
	ss.from = from
	return nil
}

func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.srv.reject("RCPT"); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if err := ss.srv.reject("DATA"); err != nil {
		return err
	}
	_, encrypted := ss.conn.TLSConnectionState()
	m := Message{From: ss.from, To: append([]string(nil), ss.to...), User: ss.user, TLS: encrypted || ss.tls, Data: data}
	ss.srv.mu.Lock()
	ss.srv.messages = append(ss.srv.messages, m)
	ss.srv.mu.Unlock()
	if d := ss.srv.opts.Deliver; d != nil {
		// The final delivery records the envelope sender, as an MTA does
		// (RFC 5321 §4.4).
		stamped := append([]byte("Return-Path: <"+ss.from+">\r\n"), data...)
		for _, rcpt := range m.To {
			name := strings.ToLower(rcpt)
			if !d.HasUser(name) {
				continue
			}
			if _, err := d.Append(name, "INBOX", bytes.Clone(stamped), time.Now()); err != nil {
				return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "delivery failed"}
			}
		}
	}
	return nil
}

func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

func (ss *smtpSession) Logout() error { return nil }
