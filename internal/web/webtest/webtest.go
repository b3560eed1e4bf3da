// Package webtest starts a whole Parley in-process for tests of the web
// interface: app.Start on a temporary SQLite database, with the interface's
// routes in front of it on one origin, as internal/app serves them. Customer
// messages go in through the real API inbox, so they travel the real
// pipeline and event stream.
package webtest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/app"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/config"
	"github.com/parleyhq/parley/internal/netguard"
	"github.com/parleyhq/parley/internal/web"
)

// Server is a running Parley with its web interface at URL.
type Server struct {
	URL         string
	App         *app.App
	Web         *web.Handler
	WorkspaceID care.ID
	// Token is an admin API token of the workspace.
	Token string

	t    testing.TB
	http *http.Client
}

// Start starts Parley and stops it when the test ends; its log is shown if
// the test fails. Call it before starting a browser, so the browser, which
// holds event streams open, is closed first.
func Start(t testing.TB) *Server {
	t.Helper()
	cfg := &config.Config{Addr: "127.0.0.1:0", DataDir: t.TempDir(), AdminEmail: "admin@example.com",
		LogFormat: "text", LogLevel: "warn", SecureCookies: false, SessionTTL: time.Hour, ShutdownTimeout: 5 * time.Second,
		// The platforms are fakes on 127.0.0.1.
		AllowHosts: netguard.Loopback}
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	a, err := app.Start(context.Background(), cfg, log, io.Discard)
	if err != nil {
		t.Fatalf("app.Start: %v", err)
	}
	ctx := context.Background()
	wss, err := a.Store.Workspaces(ctx)
	if err != nil || len(wss) == 0 {
		t.Fatalf("workspaces = %v, %v; want the default one", wss, err)
	}
	_, token, err := accounts.CreateToken(ctx, a.Store, wss[0].ID, 0, "webtest", care.RoleAdmin, time.Now())
	if err != nil {
		t.Fatalf("create token: %v", err)
	}

	ui := &web.Handler{Store: a.Store, Desk: a.Desk, Logger: log, Presence: a.Presence,
		API: &api.Server{Store: a.Store, Desk: a.Desk, Logger: log, SessionTTL: cfg.SessionTTL, SecureCookies: cfg.SecureCookies}}
	backend, _ := url.Parse("http://" + a.Addr)
	proxy := httputil.NewSingleHostReverseProxy(backend)
	proxy.FlushInterval = -1
	proxy.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	mux := http.NewServeMux()
	ui.Routes(mux)
	mux.Handle("/", proxy)
	ts := httptest.NewServer(http.NewCrossOriginProtection().Handler(mux))

	s := &Server{URL: ts.URL, App: a, Web: ui, WorkspaceID: wss[0].ID, Token: token, t: t,
		http: &http.Client{Timeout: 10 * time.Second}}
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Close(sctx); err != nil {
			t.Errorf("App.Close: %v", err)
		}
		if t.Failed() && logs.Len() > 0 {
			t.Logf("Parley's log:\n%s", logs)
		}
	})
	return s
}

// CreateUser adds a user with a known password to the workspace.
func (s *Server) CreateUser(email, name, password string, role care.Role) *care.User {
	s.t.Helper()
	u, _, err := accounts.CreateUser(context.Background(), s.App.Store, s.WorkspaceID, email, name, role, password, time.Now())
	if err != nil {
		s.t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// Inbox is an API inbox and the token systems post into it with.
type Inbox struct {
	ID    care.ID
	Token string
}

// CreateInbox creates an API inbox through the API. Replies to it are
// POSTed to webhookURL; "" makes every reply fail, with a reason.
func (s *Server) CreateInbox(name, webhookURL string) Inbox {
	s.t.Helper()
	var resp struct {
		Inbox care.Inbox `json:"inbox"`
		Token string     `json:"token"`
	}
	s.call("POST", "/api/v1/inboxes", "Bearer "+s.Token,
		map[string]string{"channel": "api", "name": name, "webhook_url": webhookURL}, http.StatusCreated, &resp)
	return Inbox{ID: resp.Inbox.ID, Token: resp.Token}
}

// Post posts a customer message into an API inbox, as an outside system
// would.
func (s *Server) Post(in Inbox, m apiinbox.Message) {
	s.t.Helper()
	s.call("POST", fmt.Sprintf("/api/v1/inboxes/%d/messages", in.ID), "Bearer "+in.Token, m, http.StatusAccepted, nil)
}

// Message waits until the pipeline has stored the message posted with
// platformID into the inbox, and returns it.
func (s *Server) Message(in Inbox, platformID string) *care.Message {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		m, err := s.App.Store.MessageByPlatformID(context.Background(), in.ID, platformID)
		if err == nil {
			return m
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("message %q never reached inbox %d: %v", platformID, in.ID, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *Server) call(method, path, authz string, body any, want int, out any) {
	s.t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		s.t.Fatal(err)
	}
	req, err := http.NewRequest(method, s.URL+path, bytes.NewReader(b))
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", authz)
	res, err := s.http.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		s.t.Fatalf("%s %s = %d %s, want %d", method, path, res.StatusCode, strings.TrimSpace(string(data)), want)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			s.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Len()
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
