// Package api is Parley's JSON API under /api/v1: conversations, messages,
// contacts, inboxes, users, teams, tokens, the API inbox that any system
// posts customer messages into, and the live event stream. Every route, with
// the least role it needs, is listed in routes.go and described by the
// OpenAPI document served at /api/openapi.json.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/sse"
)

// Ingester makes an inbound event durable before it is acknowledged.
type Ingester interface {
	Append(ctx context.Context, ev care.RawEvent) (care.AppendResult, error)
}

// IngestObserver counts ingest outcomes (stored, duplicate, rejected).
type IngestObserver func(channel care.Channel, outcome string, started time.Time)

// Server serves the API.
type Server struct {
	Store   care.Store
	Desk    *desk.Service
	Ingest  Ingester
	Events  *sse.Stream
	Logger  *slog.Logger
	Now     func() time.Time
	Observe IngestObserver // may be nil
	// Adapters prepare new inboxes of their channel and say what to paste
	// into the platform's console.
	Adapters *channel.Registry
	// PublicURL is where platforms reach this server (webhook addresses).
	PublicURL string
	// SessionTTL is how long a login lasts without activity.
	SessionTTL time.Duration
	// StreamRecheck is how often an open event stream authenticates its
	// caller again; 0 means every 30 seconds.
	StreamRecheck time.Duration
	// SecureCookies marks session cookies Secure; on by default, off only
	// for plain-HTTP development on localhost.
	SecureCookies bool
	// Router hears about presence changes; nil when routing is off.
	Router Router
	// ValidateHours checks teams' business hours; nil accepts any JSON.
	ValidateHours HoursValidator
	// HoursChanged, if set, hears that a team's business hours changed, so
	// caches of them (the SLA clocks') apply the new hours at once.
	HoursChanged func(workspaceID care.ID)
	// Settings are the workspace settings served under
	// /api/v1/settings/{name}.
	Settings map[string]Setting
	// DryRun tries draft automation rules; nil when automation is off.
	DryRun DryRunner
	// HookSecret is the secret rule webhooks are signed with.
	HookSecret HookSecret
	// SignInGuard guards every check of a password (sign-in and the
	// current password of a change); nil gives NewSignInGuard's defaults.
	SignInGuard *SignInGuard

	mux       *http.ServeMux
	signInDef signInDefault
	inboxes   inboxCache
	tokenUses tokenUses
}

// Handler returns the API's HTTP handler, routes included.
func (s *Server) Handler() http.Handler {
	if s.mux == nil {
		s.mux = http.NewServeMux()
		for _, rt := range s.routes() {
			s.mux.Handle(rt.Method+" "+rt.Pattern, s.wrap(rt))
		}
		s.mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
		paths := methodsByPath(append(s.routes(), Route{Method: "GET", Pattern: "/api/openapi.json"}))
		s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
			if h, pattern := paths.Handler(r); pattern != "" {
				h.ServeHTTP(w, r)
				return
			}
			writeError(w, r, care.Errorf(care.ENOTFOUND, "No such API endpoint: %s %s.", r.Method, r.URL.Path))
		})
	}
	return s.mux
}

// methodsByPath answers, for each path the routes serve, a request whose
// method none of them serves there: 405 with the Allow header (RFC 9110,
// section 15.5.6), so a client learns the path is right and the method is
// not, where a 404 would send it looking for another path.
func methodsByPath(routes []Route) *http.ServeMux {
	allowed := map[string][]string{}
	for _, rt := range routes {
		allowed[rt.Pattern] = append(allowed[rt.Pattern], rt.Method)
		if rt.Method == http.MethodGet {
			// The mux serves HEAD wherever it serves GET.
			allowed[rt.Pattern] = append(allowed[rt.Pattern], http.MethodHead)
		}
	}
	mux := http.NewServeMux()
	for pattern, methods := range allowed {
		slices.Sort(methods)
		allow := strings.Join(slices.Compact(methods), ", ")
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Allow", allow)
			writeError(w, r, care.Errorf(errMethod, "%s is not served for %s; it takes %s.", r.Method, r.URL.Path, allow))
		})
	}
	return mux
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
