package webchat

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/inmem"
)

// Paths the server answers.
const (
	// WidgetPath serves the widget's script, the one file a site embeds.
	WidgetPath = "/chat/widget.js"
	// SocketPath is followed by the inbox id: "/chat/ws/12".
	SocketPath = "/chat/ws/"
)

// Store is what Server reads, and the little the mailer writes (its lease
// and cursors). care.Store satisfies it.
type Store interface {
	Inbox(ctx context.Context, id care.ID) (*care.Inbox, error)
	FindIdentity(ctx context.Context, workspaceID care.ID, platform care.Channel, platformUserID string) (*care.Identity, error)
	Conversations(ctx context.Context, f care.ConversationFilter) (*care.ConversationPage, error)
	Messages(ctx context.Context, conversationID care.ID, afterID care.ID, limit int) ([]care.Message, error)
	Message(ctx context.Context, id care.ID) (*care.Message, error)
	EventsAfter(ctx context.Context, workspaceID care.ID, afterID care.ID, limit int) ([]care.Event, error)
	LatestEventID(ctx context.Context, workspaceID care.ID) (care.ID, error)

	// What the mailer needs besides (see Mailer).
	Workspaces(ctx context.Context) ([]care.Workspace, error)
	Inboxes(ctx context.Context, workspaceID care.ID) ([]care.Inbox, error)
	Conversation(ctx context.Context, id care.ID) (*care.Conversation, error)
	Contact(ctx context.Context, id care.ID) (*care.Contact, error)
	RecentMessages(ctx context.Context, conversationIDs []care.ID, limit int) ([]care.Message, error)
	InboxCursor(ctx context.Context, inboxID care.ID, name string) (string, error)
	SetInboxCursor(ctx context.Context, inboxID care.ID, name, value string, now time.Time) error
	AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error)
	ReleaseLease(ctx context.Context, name, holder string) error
}

// Ingester makes visitors' messages durable before the widget is told
// they are stored (ingest.Committer): the same path as a platform's
// webhook.
type Ingester interface {
	AppendAll(ctx context.Context, evs []care.RawEvent) ([]care.AppendResult, error)
}

// Observer counts visitors' messages by outcome: stored, duplicate, error.
type Observer func(outcome string, started time.Time)

// Server serves the widget's script and its WebSocket. Store, Ingest and
// Bus are required; the rest may be left zero. Call Close at shutdown: a
// WebSocket outlives http.Server.Shutdown, which does not wait for
// hijacked connections.
type Server struct {
	Store  Store
	Ingest Ingester
	// Bus signals committed events; agents' replies reach visitors' sockets
	// through it, read back from Store.
	Bus *inmem.Bus
	// Poll, when positive, re-reads events at this interval even without
	// a signal: with several nodes on one PostgreSQL database, a reply
	// stored by another node arrives this way.
	Poll time.Duration
	// Typing carries typing signals to and from agents; nil drops them.
	Typing Typing
	// Available says whether agents can answer now; nil means always.
	Available Availability
	// PublicURL is Parley's own origin ("https://care.example.com"), whose
	// pages may open any inbox's widget.
	PublicURL string
	// ClientIP names a request's client for the per-address limit ("" for
	// none); nil means the address the connection comes from, unless it is
	// a loopback or private one (a reverse proxy's). Behind a proxy, return
	// the address it vouches for.
	ClientIP func(r *http.Request) string
	Limits   Limits
	Logger   *slog.Logger
	Now      func() time.Time
	Observe  Observer

	// Mail, when set, emails agents' replies to visitors who left an
	// email and are not connected, through the SMTP settings of their
	// inbox; inboxes without them are left alone. One node at a time
	// does it (a lease in the store); see mailer.
	Mail Mailer
	// MailAfter is how long a reply waits to be shown in a widget before
	// it is emailed (default DefaultMailAfter); MailPoll how often the
	// mailer looks (default DefaultMailPoll).
	MailAfter time.Duration
	MailPoll  time.Duration

	initOnce   sync.Once
	ctx        context.Context
	cancel     context.CancelFunc
	lim        Limits
	wg         sync.WaitGroup
	mu         sync.Mutex
	closed     bool
	watchers   map[care.ID]*watcher
	sockets    counter
	perIP      counter
	perVisitor counter
}

func (s *Server) init() {
	s.initOnce.Do(func() {
		s.ctx, s.cancel = context.WithCancel(context.Background())
		s.lim = s.Limits.withDefaults()
		s.watchers = map[care.ID]*watcher{}
		if s.Mail != nil {
			s.wg.Add(1)
			go func() { defer s.wg.Done(); s.runMail(s.ctx) }()
		}
	})
}

// Routes mounts the widget's script and socket on mux.
func (s *Server) Routes(mux *http.ServeMux) {
	s.init()
	mux.HandleFunc("GET "+WidgetPath, s.serveWidget)
	mux.HandleFunc("GET "+SocketPath+"{inbox}", s.serveSocket)
}

// Close ends every socket (with "going away", so widgets reconnect to
// another node) and the mailer, and waits for them until ctx ends.
func (s *Server) Close(ctx context.Context) error {
	s.init()
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("webchat: sockets still open at the shutdown deadline: %w", ctx.Err())
	}
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Server) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

// clientIP names the client for the per-address limit; ok is false when
// it cannot be told. Without ClientIP, a connection from a loopback or
// private address is taken for a reverse proxy's, which carries every
// visitor: limiting it would limit them all, and its forwarding headers
// can be trusted only by configuration.
func (s *Server) clientIP(r *http.Request) (string, bool) {
	if s.ClientIP != nil {
		ip := s.ClientIP(r)
		return ip, ip != ""
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "", false
	}
	a, err := netip.ParseAddr(host)
	if err != nil || a.IsLoopback() || a.IsPrivate() {
		return "", false
	}
	return a.String(), true
}

// selfOrigins are the origins of pages Parley serves itself.
func (s *Server) selfOrigins(r *http.Request) []string {
	var self []string
	if o, ok := normalizeOrigin(s.PublicURL, false); ok {
		self = append(self, o)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if o, ok := normalizeOrigin(scheme+"://"+r.Host, false); ok {
		self = append(self, o)
	}
	return self
}

// serveSocket checks the handshake (the inbox, its allowed origins, the
// limits) before upgrading, so a refused page gets a plain HTTP status.
func (s *Server) serveSocket(w http.ResponseWriter, r *http.Request) {
	log := s.logger()
	id, err := strconv.ParseInt(r.PathValue("inbox"), 10, 64)
	if err != nil || id <= 0 {
		http.NotFound(w, r)
		return
	}
	in, err := s.Store.Inbox(r.Context(), id)
	if err != nil || in.Channel != care.ChannelWebChat {
		if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
			log.Error("webchat: load inbox", "inbox", id, "err", err)
			http.Error(w, "chat unavailable", http.StatusServiceUnavailable)
			return
		}
		http.NotFound(w, r)
		return
	}
	cfg, err := ConfigOf(*in)
	if err != nil {
		log.Warn("webchat: inbox misconfigured", "inbox", id, "err", err)
		http.Error(w, "chat unavailable", http.StatusServiceUnavailable)
		return
	}
	// Cross-origin protection does not cover a WebSocket handshake (a GET),
	// and a browser lets any page open a socket anywhere: the Origin
	// header, which pages cannot forge, is the only guard (RFC 6455 §10.2).
	if origin := r.Header.Get("Origin"); !OriginAllowed(origin, cfg.Origins, s.selfOrigins(r)) {
		log.Info("webchat: origin refused", "inbox", id, "origin", channel.Cut(origin, 200))
		http.Error(w, "This page's origin may not open this chat.", http.StatusForbidden)
		return
	}
	if !s.sockets.acquire("", s.lim.MaxSockets) {
		http.Error(w, "Too many chats open; try again later.", http.StatusServiceUnavailable)
		return
	}
	defer s.sockets.release("")
	if ip, ok := s.clientIP(r); ok {
		if !s.perIP.acquire(ip, s.lim.MaxPerIP) {
			http.Error(w, "Too many chats open from this address.", http.StatusTooManyRequests)
			return
		}
		defer s.perIP.release(ip)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	// The origin was checked above against the inbox's own list, which
	// the library's host patterns cannot express (they ignore the scheme).
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		log.Debug("webchat: handshake failed", "inbox", id, "err", err)
		return
	}
	ss := newSession(s, conn, *in, cfg)
	ss.run(s.ctx)
}
