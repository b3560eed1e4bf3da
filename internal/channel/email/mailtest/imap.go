package mailtest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"
)

// TLS modes of the servers, as the email adapter names them.
const (
	TLSNone     = ""
	TLSImplicit = "tls"
	TLSStartTLS = "starttls"
)

// IMAPOptions configure an IMAP server.
type IMAPOptions struct {
	// TLS is TLSNone (the default: clear text, login allowed), TLSImplicit
	// or TLSStartTLS (login only after STARTTLS).
	TLS string
	// Certificate serves TLS; see NewCertificate.
	Certificate *tls.Certificate
}

// IMAP is an in-memory IMAP server on 127.0.0.1. It is safe for concurrent
// use.
type IMAP struct {
	// Addr is the server's host:port.
	Addr string

	mem  *imapmemserver.Server
	srv  *imapserver.Server
	ln   net.Listener
	tls  *tls.Config
	mode string
	done chan struct{}

	mu     sync.Mutex
	users  map[string]*account
	conns  map[net.Conn]struct{}
	counts map[string]int
}

type account struct {
	user     *imapmemserver.User
	password string
}

// NewIMAP starts an IMAP server on a free port of 127.0.0.1.
func NewIMAP(opts IMAPOptions) (*IMAP, error) {
	s := &IMAP{mem: imapmemserver.New(), users: map[string]*account{}, conns: map[net.Conn]struct{}{},
		counts: map[string]int{}, mode: opts.TLS, done: make(chan struct{})}
	caps := imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapIMAP4rev2: {}}
	if opts.TLS != TLSNone {
		if opts.Certificate == nil {
			return nil, errors.New("mailtest: TLS needs a certificate")
		}
		s.tls = &tls.Config{Certificates: []tls.Certificate{*opts.Certificate}}
	}
	o := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &session{SessionIMAP4rev2: s.mem.NewSession().(imapserver.SessionIMAP4rev2), srv: s}, nil, nil
		},
		Caps:         caps,
		Logger:       log.New(io.Discard, "", 0),
		InsecureAuth: opts.TLS == TLSNone,
	}
	if opts.TLS == TLSStartTLS {
		o.TLSConfig = s.tls
	}
	s.srv = imapserver.New(o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("mailtest: listen: %w", err)
	}
	s.Addr = ln.Addr().String()
	s.ln = &trackingListener{Listener: ln, s: s}
	if opts.TLS == TLSImplicit {
		s.ln = tls.NewListener(s.ln, s.tls)
	}
	go func() {
		defer close(s.done)
		_ = s.srv.Serve(s.ln)
	}()
	return s, nil
}

// AddUser creates a user with an INBOX and a Sent mailbox.
func (s *IMAP) AddUser(name, password string) error {
	u := imapmemserver.NewUser(name, password)
	for _, mb := range []string{"INBOX", "Sent"} {
		if err := u.Create(mb, nil); err != nil {
			return fmt.Errorf("mailtest: create %s: %w", mb, err)
		}
	}
	s.mem.AddUser(u)
	s.mu.Lock()
	s.users[name] = &account{user: u, password: password}
	s.mu.Unlock()
	return nil
}

func (s *IMAP) account(name string) (*account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.users[name]
	if !ok {
		return nil, fmt.Errorf("mailtest: no user %q", name)
	}
	return a, nil
}

// HasUser reports whether the server has a user called name.
func (s *IMAP) HasUser(name string) bool {
	_, err := s.account(name)
	return err == nil
}

// Append adds a message to a user's mailbox, received at t (now when
// zero), as a delivery would, and returns its UID. Clients in IDLE on the
// mailbox hear of it.
func (s *IMAP) Append(user, mailbox string, raw []byte, t time.Time) (uint32, error) {
	a, err := s.account(user)
	if err != nil {
		return 0, err
	}
	data, err := a.user.Append(mailbox, bytes.NewReader(raw), &imap.AppendOptions{Time: t})
	if err != nil {
		return 0, fmt.Errorf("mailtest: append to %s of %s: %w", mailbox, user, err)
	}
	return uint32(data.UID), nil
}

// RecreateMailbox deletes a user's mailbox and creates it again, empty,
// with a new UIDVALIDITY: what a restore or a migration does to a mailbox.
func (s *IMAP) RecreateMailbox(user, mailbox string) error {
	a, err := s.account(user)
	if err != nil {
		return err
	}
	if err := a.user.Delete(mailbox); err != nil {
		return fmt.Errorf("mailtest: delete %s: %w", mailbox, err)
	}
	if err := a.user.Create(mailbox, nil); err != nil {
		return fmt.Errorf("mailtest: create %s: %w", mailbox, err)
	}
	return nil
}

// StoredMessage is a message in a mailbox.
type StoredMessage struct {
	UID   uint32
	Flags []string
	Raw   []byte
}

// Messages returns a user's mailbox as an IMAP client sees it, read over
// IMAP without changing any flag.
func (s *IMAP) Messages(user, mailbox string) ([]StoredMessage, error) {
	a, err := s.account(user)
	if err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", s.Addr, 10*time.Second)
	if err != nil {
		return nil, fmt.Errorf("mailtest: dial: %w", err)
	}
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	var c *imapclient.Client
	switch s.mode {
	case TLSImplicit:
		c = imapclient.New(tls.Client(conn, &tls.Config{InsecureSkipVerify: true}), nil) // our own server
	case TLSStartTLS:
		if c, err = imapclient.NewStartTLS(conn, &imapclient.Options{TLSConfig: &tls.Config{InsecureSkipVerify: true}}); err != nil {
			return nil, fmt.Errorf("mailtest: starttls: %w", err)
		}
	default:
		c = imapclient.New(conn, nil)
	}
	defer c.Close()
	if err := c.Login(user, a.password).Wait(); err != nil {
		return nil, fmt.Errorf("mailtest: login: %w", err)
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		return nil, fmt.Errorf("mailtest: examine: %w", err)
	}
	if sel.NumMessages == 0 {
		return nil, nil
	}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}}}).Collect()
	if err != nil {
		return nil, fmt.Errorf("mailtest: fetch: %w", err)
	}
	out := make([]StoredMessage, 0, len(msgs))
	for _, m := range msgs {
		sm := StoredMessage{UID: uint32(m.UID)}
		for _, f := range m.Flags {
			sm.Flags = append(sm.Flags, string(f))
		}
		for _, b := range m.BodySection {
			sm.Raw = b.Bytes
		}
		out = append(out, sm)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UID < out[j].UID })
	_ = c.Logout().Wait()
	return out, nil
}

// Count returns how often clients sent a command: LOGIN, SELECT,
// EXAMINE, SEARCH, FETCH, STORE, APPEND or IDLE.
func (s *IMAP) Count(command string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[strings.ToUpper(command)]
}

func (s *IMAP) count(command string) {
	s.mu.Lock()
	s.counts[command]++
	s.mu.Unlock()
}

// DropConnections closes every client connection, as a server restart or
// a network failure would; the server keeps listening.
func (s *IMAP) DropConnections() {
	s.mu.Lock()
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Close stops the server and closes its connections.
func (s *IMAP) Close() error {
	err := s.srv.Close()
	s.ln.Close()
	<-s.done
	return err
}

// session counts what a client does and passes it on to imapmemserver.
type session struct {
	imapserver.SessionIMAP4rev2
	srv *IMAP
}

func (ss *session) Login(username, password string) error {
	ss.srv.count("LOGIN")
	return ss.SessionIMAP4rev2.Login(username, password)
}

func (ss *session) Select(mailbox string, options *imap.SelectOptions) (*imap.SelectData, error) {
	if options != nil && options.ReadOnly {
		ss.srv.count("EXAMINE")
	} else {
		ss.srv.count("SELECT")
	}
	return ss.SessionIMAP4rev2.Select(mailbox, options)
}

func (ss *session) Search(kind imapserver.NumKind, criteria *imap.SearchCriteria, options *imap.SearchOptions) (*imap.SearchData, error) {
	ss.srv.count("SEARCH")
	return ss.SessionIMAP4rev2.Search(kind, criteria, options)
}

func (ss *session) Fetch(w *imapserver.FetchWriter, numSet imap.NumSet, options *imap.FetchOptions) error {
	ss.srv.count("FETCH")
	return ss.SessionIMAP4rev2.Fetch(w, numSet, options)
}

func (ss *session) Store(w *imapserver.FetchWriter, numSet imap.NumSet, flags *imap.StoreFlags, options *imap.StoreOptions) error {
	ss.srv.count("STORE")
	return ss.SessionIMAP4rev2.Store(w, numSet, flags, options)
}

func (ss *session) Append(mailbox string, r imap.LiteralReader, options *imap.AppendOptions) (*imap.AppendData, error) {
	ss.srv.count("APPEND")
	return ss.SessionIMAP4rev2.Append(mailbox, r, options)
}

// idleCheck is how often an idling session looks for changes the tracker
// did not announce.
const idleCheck = 50 * time.Millisecond

// Idle reports changes to an idling client. imapmemserver announces only
// changes made while it idles: a message appended as IDLE starts would wait
// for the next change. Like a real server's periodic check (Dovecot's
// mailbox_idle_check_interval), this looks again every idleCheck.
func (ss *session) Idle(w *imapserver.UpdateWriter, stop <-chan struct{}) error {
	ss.srv.count("IDLE")
	for {
		if err := ss.SessionIMAP4rev2.Poll(w, true); err != nil {
			return err
		}
		t := time.NewTimer(idleCheck)
		inner, done := make(chan struct{}), make(chan struct{})
		go func() {
			select {
			case <-stop:
			case <-t.C:
			case <-done:
			}
			close(inner)
		}()
		err := ss.SessionIMAP4rev2.Idle(w, inner)
		close(done)
		t.Stop()
		if err != nil {
			return err
		}
		select {
		case <-stop:
			return nil
		default:
		}
	}
}

// trackingListener remembers the connections it accepts, for
// DropConnections.
type trackingListener struct {
	net.Listener
	s *IMAP
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	tc := &trackedConn{Conn: c, s: l.s}
	l.s.mu.Lock()
	l.s.conns[tc] = struct{}{}
	l.s.mu.Unlock()
	return tc, nil
}

type trackedConn struct {
	net.Conn
	s    *IMAP
	once sync.Once
}

func (c *trackedConn) Close() error {
	c.once.Do(func() {
		c.s.mu.Lock()
		delete(c.s.conns, c)
		c.s.mu.Unlock()
	})
	return c.Conn.Close()
}
