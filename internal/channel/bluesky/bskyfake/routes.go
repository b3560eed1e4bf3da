package bskyfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The XRPC methods the fake serves.
const (
	CreateSession      = "com.atproto.server.createSession"
	RefreshSession     = "com.atproto.server.refreshSession"
	CreateRecord       = "com.atproto.repo.createRecord"
	GetRecord          = "com.atproto.repo.getRecord"
	ResolveHandle      = "com.atproto.identity.resolveHandle"
	ListNotifications  = "app.bsky.notification.listNotifications"
	GetProfiles        = "app.bsky.actor.getProfiles"
	GetPosts           = "app.bsky.feed.getPosts"
	GetLog             = "chat.bsky.convo.getLog"
	GetConvoForMembers = "chat.bsky.convo.getConvoForMembers"
	SendMessage        = "chat.bsky.convo.sendMessage"
)

// global keys the limit on all requests from one address.
const global = "*"

type authKind uint8

const (
	authNone authKind = iota
	authAccess
	authRefresh
)

type endpoint struct {
	procedure bool // POST; queries are GET
	auth      authKind
	h         func(*request) answer
}

// request is a call being served, with the fake locked.
type request struct {
	r      *http.Request
	body   []byte
	caller *Account
	bearer string
	now    time.Time
}

// answer is a handler's reply: a status, a JSON body and extra headers.
type answer struct {
	status int
	body   any
	header http.Header
}

func ok(body any) answer { return answer{status: http.StatusOK, body: body} }

// xrpcError is an XRPC error answer (atproto.com/specs/xrpc).
func xrpcError(status int, name, message string) answer {
	return answer{status: status, body: map[string]string{"error": name, "message": message}}
}

func invalid(format string, args ...any) answer {
	return xrpcError(http.StatusBadRequest, "InvalidRequest", fmt.Sprintf(format, args...))
}

// Handler returns the fake as an http.Handler.
func (f *Fake) Handler() http.Handler { return f }

// ServeHTTP serves the XRPC methods at /xrpc/{nsid}.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) { f.mux.ServeHTTP(w, r) }

func (f *Fake) routes() *http.ServeMux {
	eps := map[string]endpoint{
		CreateSession:      {procedure: true, h: f.createSession},
		RefreshSession:     {procedure: true, auth: authRefresh, h: f.refreshSession},
		CreateRecord:       {procedure: true, auth: authAccess, h: f.createRecord},
		GetRecord:          {auth: authAccess, h: f.getRecord},
		ResolveHandle:      {auth: authAccess, h: f.resolveHandle},
		ListNotifications:  {auth: authAccess, h: f.listNotifications},
		GetProfiles:        {auth: authAccess, h: f.getProfiles},
		GetPosts:           {auth: authAccess, h: f.getPosts},
		GetLog:             {auth: authAccess, h: f.getLog},
		GetConvoForMembers: {auth: authAccess, h: f.getConvoForMembers},
		SendMessage:        {procedure: true, auth: authAccess, h: f.sendMessage},
		SearchPosts:        {auth: authAccess, h: f.searchPosts},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/xrpc/{nsid}", func(w http.ResponseWriter, r *http.Request) { f.serve(w, r, eps) })
	return mux
}

func (f *Fake) serve(w http.ResponseWriter, r *http.Request, eps map[string]endpoint) {
	nsid := r.PathValue("nsid")
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	f.mu.Lock()
	ans, lose := f.handle(w.Header(), r, nsid, body, eps)
	f.mu.Unlock()
	if lose {
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return
			}
		}
		panic(http.ErrAbortHandler)
	}
	for k, vs := range ans.header {
		w.Header()[k] = vs
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(ans.status)
	json.NewEncoder(w).Encode(ans.body)
}

// handle runs a call with the fake locked; lose says to drop the answer.
func (f *Fake) handle(h http.Header, r *http.Request, nsid string, body []byte, eps map[string]endpoint) (answer, bool) {
	now := f.now()
	f.calls[nsid]++
	ip, _, _ := net.SplitHostPort(r.RemoteAddr)
	if !f.spend(h, global, global+"|"+ip, now) {
		return xrpcError(http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded"), false
	}
	ep, known := eps[nsid]
	if !known {
		return xrpcError(http.StatusNotImplemented, "MethodNotImplemented", "Method Not Implemented"), false
	}
	want := http.MethodGet
	if ep.procedure {
		want = http.MethodPost
	}
	if r.Method != want {
		return invalid("Incorrect HTTP method (%s) expected %s", r.Method, want), false
	}
	for _, key := range []string{nsid, ""} {
		if q := f.fail[key]; len(q) > 0 {
			f.fail[key] = q[1:]
			return f.failure(q[0], now), false
		}
	}
	proxy := r.Header.Get("atproto-proxy")
	switch {
	case strings.HasPrefix(nsid, "chat.bsky.") && proxy != ChatProxy:
		return invalid("chat.bsky.* methods are served by the chat service: the request needs the header atproto-proxy: %s", ChatProxy), false
	case strings.HasPrefix(nsid, "app.bsky.") && proxy != "" && proxy != AppViewProxy:
		return invalid("unknown proxy target %q", proxy), false
	case strings.HasPrefix(nsid, "com.atproto.") && proxy != "":
		return invalid("%s is served by the PDS itself; no atproto-proxy header", nsid), false
	}
	req := &request{r: r, body: body, now: now}
	if ep.auth != authNone {
		if ans, ok := f.authenticate(req, ep.auth); !ok {
			return ans, false
		}
		if strings.HasPrefix(nsid, "chat.bsky.") && req.caller.NoDMAccess {
			return xrpcError(http.StatusBadRequest, "InvalidToken", "Bad token method"), false
		}
	}
	if nsid == CreateSession {
		var in struct {
			Identifier string `json:"identifier"`
		}
		json.Unmarshal(body, &in)
		who := lower(in.Identifier)
		if did, ok := f.handles[who]; ok {
			who = did
		}
		if !f.spend(h, nsid, nsid+"|"+who, now) {
			return xrpcError(http.StatusTooManyRequests, "RateLimitExceeded", "Rate Limit Exceeded"), false
		}
	}
	ans := ep.h(req)
	lose := f.lose[nsid] > 0
	if lose {
		f.lose[nsid]--
	}
	return ans, lose
}

// spend counts a call against the limit named limit in window key, and
// sets the RateLimit headers; false when the limit is spent.
func (f *Fake) spend(h http.Header, limit, key string, now time.Time) bool {
	n := f.limits[limit]
	win := f.windows[key]
	if win == nil || now.Sub(win.start) >= Window {
		win = &window{start: now}
		f.windows[key] = win
	}
	win.used++
	setRateHeaders(h, n, n-win.used, win.start.Add(Window))
	return win.used <= n
}

// setRateHeaders writes the headers as the atproto server does
// (xrpc-server rate-limiter.ts): Reset in Unix seconds, Policy
// "limit;w=seconds".
func setRateHeaders(h http.Header, limit, remaining int, reset time.Time) {
	h.Set("RateLimit-Limit", strconv.Itoa(limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(max(remaining, 0)))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	h.Set("RateLimit-Policy", fmt.Sprintf("%d;w=%d", limit, int(Window/time.Second)))
}

// failure is an injected error answer.
func (f *Fake) failure(status int, now time.Time) answer {
	name := map[int]string{
		http.StatusBadRequest: "InvalidRequest", http.StatusUnauthorized: "AuthenticationRequired",
		http.StatusTooManyRequests: "RateLimitExceeded", http.StatusInternalServerError: "InternalServerError",
		http.StatusBadGateway: "UpstreamFailure", http.StatusServiceUnavailable: "NotEnoughResources",
		http.StatusGatewayTimeout: "UpstreamTimeout",
	}[status]
	if name == "" {
		name = strings.ReplaceAll(http.StatusText(status), " ", "")
	}
	msg := http.StatusText(status)
	if status == http.StatusTooManyRequests {
		msg = "Rate Limit Exceeded"
	}
	a := xrpcError(status, name, msg)
	if status == http.StatusTooManyRequests {
		a.header = http.Header{}
		setRateHeaders(a.header, 3000, 0, now.Add(time.Minute))
	}
	return a
}

// authenticate checks the bearer token of req for kind, setting caller.
func (f *Fake) authenticate(req *request, kind authKind) (answer, bool) {
	tok, ok := strings.CutPrefix(req.r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return xrpcError(http.StatusUnauthorized, "AuthenticationRequired", "Authentication Required"), false
	}
	req.bearer = tok
	mine, other := f.access, f.refresh
	if kind == authRefresh {
		mine, other = f.refresh, f.access
	}
	t := mine[tok]
	switch {
	case t == nil && other[tok] != nil && kind == authAccess:
		return xrpcError(http.StatusBadRequest, "InvalidToken", "Bad token scope"), false
	case t == nil && other[tok] != nil:
		return xrpcError(http.StatusBadRequest, "InvalidToken", "Invalid token type"), false
	case t == nil:
		return xrpcError(http.StatusBadRequest, "InvalidToken", "Token could not be verified"), false
	case t.expired && kind == authRefresh:
		return xrpcError(http.StatusBadRequest, "ExpiredToken", "Token has been revoked"), false
	case t.expired || !req.now.Before(t.exp):
		return xrpcError(http.StatusBadRequest, "ExpiredToken", "Token has expired"), false
	}
	acct := f.accounts[t.did]
	if acct == nil {
		return xrpcError(http.StatusBadRequest, "InvalidToken", "Token could not be verified"), false
	}
	req.caller = acct
	return answer{}, true
}

func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
