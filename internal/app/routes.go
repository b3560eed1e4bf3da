package app

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/metrics"
	"github.com/parleyhq/parley/internal/web"
	"github.com/parleyhq/parley/internal/webhook"
)

// routes mounts everything the server answers. metricsToken, when set, is
// the bearer token /metrics asks for.
func (a *App) routes(apiServer *api.Server, hooks *webhook.Handler, metricsToken string) http.Handler {
	mux := http.NewServeMux()
	hooks.Routes(mux)
	mux.Handle("/api/", apiServer.Handler())
	mux.Handle("GET /api/v1/events", a.endOnShutdown(apiServer.Handler()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", a.ready)
	if metricsToken == "" {
		// Fine on a private network, where Prometheus usually scrapes;
		// the operator of a public one should know.
		a.log.Info("/metrics is open to anyone who can reach this server; set PARLEY_METRICS_TOKEN to require a bearer token")
	}
	mux.Handle("GET /metrics", metrics.RequireToken(metricsToken, a.Metrics.Handler()))
	ui := &web.Handler{Store: a.Store, Desk: a.Desk, API: apiServer, Logger: a.log, Presence: a.Presence,
		PublicURL: apiServer.PublicURL, ReplyTyping: a.typing.agentTyping}
	ui.Routes(mux)
	a.Survey.Routes(mux)
	a.chat.Routes(mux)

	// Platforms post webhooks server to server; they are authenticated by
	// their signatures, not by cookies, so cross-origin checks do not apply.
	csrf := http.NewCrossOriginProtection()
	csrf.AddInsecureBypassPattern("POST /webhooks/{inbox}")
	// A refusal speaks the language of what was refused: a problem detail
	// to an API client, a page to a person at a form.
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			api.CrossOriginRefused(w, r)
			return
		}
		ui.CrossOriginRefused(w, r)
	}))
	var h http.Handler = mux
	h = csrf.Handler(h)
	h = a.Metrics.Middleware(func(r *http.Request) string { return r.Pattern }, h)
	h = recoverer(a.log, h)
	return h
}

// endOnShutdown ends a long-lived request, an event stream, as soon as
// shutdown starts. Shutdown waits for requests to finish and a stream never
// would: it would hold every shutdown to its deadline. The client resumes
// with Last-Event-ID on whichever node answers next.
func (a *App) endOnShutdown(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(a.streams, cancel)()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// ready reports whether the store answers, so a load balancer sends traffic
// only to nodes that can take it.
func (a *App) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if _, err := a.Store.CountUsers(ctx); err != nil {
		a.log.Warn("not ready", "err", err)
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain")
	w.Write([]byte("ready\n"))
}

// recoverer turns a handler panic into a 500 and a log line instead of a
// dropped connection.
func recoverer(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
