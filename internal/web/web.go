// Package web is Parley's interface for agents in the browser: sign-in, the
// conversation list, the conversation with its composer and actions, and live
// updates over the API's event stream.
//
// Pages are rendered on the server with html/template. Every form is a plain
// HTML form that works without JavaScript; one small script (static/app.js)
// adds live refresh and keyboard shortcuts. Templates, styles and the script
// are embedded, so the binary is the whole deployment. Customer text is only
// ever printed through html/template's escaping, and the Content-Security-
// Policy forbids inline script and style.
package web

import (
	"bytes"
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/desk"
	"github.com/parleyhq/parley/internal/presence"
)

// Handler serves the web interface. Store, Desk and API are required.
type Handler struct {
	Store care.Store
	Desk  *desk.Service
	// API authenticates requests by their session cookie; its SessionTTL
	// and SecureCookies also govern the sessions the login form starts.
	API    *api.Server
	Logger *slog.Logger
	Now    func() time.Time
	// Location is the time zone of "snooze until tomorrow"; nil means the
	// server's.
	Location *time.Location
	// Presence, when set, shows agents who else views or types in a
	// conversation.
	Presence *presence.Hub
	// ReplyTyping, when set, is told when an agent starts or stops typing
	// a reply (not a note), for customers who can see it (web chat).
	ReplyTyping func(workspaceID, conversationID, userID care.ID, name string, on bool)
	// PublicURL is where platforms reach Parley, for the links to files
	// agents attach ("https://care.example.com").
	PublicURL string

	once     sync.Once
	pages    map[string]*template.Template
	assets   *assetSet
	excerpts lastMessages
	saved    savedSets
	// xAttempts are X connections waiting for X's callback.
	xAttempts xAttempts
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

func (h *Handler) location() *time.Location {
	if h.Location != nil {
		return h.Location
	}
	return time.Local
}

func (h *Handler) init() {
	h.once.Do(func() {
		h.assets = mustAssets()
		h.pages = mustPages(h.assets)
	})
}

// agent is the signed-in person a page is rendered for.
type agent struct {
	care.Principal
	Email string
	CSRF  string
	// EventID is the workspace's newest event when the page was rendered:
	// the script's event stream starts after it, so nothing that happens
	// between rendering and connecting is missed.
	EventID care.ID
	// Approvals is how many replies wait for approval, for approvers'
	// navigation: "" for none, "100+" past countCap.
	Approvals string
	// Unread counts the agent's unread notifications.
	Unread int
	// Presence is the agent's own, for the top bar's menu: routing gives
	// work only to agents online, so an agent must be able to say so.
	Presence care.Presence
	// Path is the page's own address, where the presence menu returns.
	Path string
}

// Shown is the agent's name as the top bar shows it. Principal.Name stays
// as stored: it is what the audit trail and mentions record.
func (a *agent) Shown() string { return plain(a.Name) }

// IsAdmin reports whether the agent manages inboxes.
func (a *agent) IsAdmin() bool { return a.Role.AtLeast(care.RoleAdmin) }

// CanApprove reports whether the agent approves held replies: supervisors
// and admins do.
func (a *agent) CanApprove() bool { return a.Role.AtLeast(care.RoleSupervisor) }

// layout is what every page's frame needs.
type layout struct {
	Title  string
	Page   string // names the page for the script: "inbox", "conversation", ...
	Agent  *agent
	ConvID care.ID
	Linked care.ID
	Error  string
	Notice string
	Query  string // the search box's text
}

// render writes a full page with the given status.
// The navigation's counts are read here, for the pages that show them,
// not for every action: most actions answer with a redirect.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	if p, ok := data.(interface{ agentOf() *agent }); ok {
		if a := p.agentOf(); a != nil {
			if err := h.counts(r.Context(), a); err != nil {
				h.logger().ErrorContext(r.Context(), "web: navigation counts", "err", err)
			}
		}
	}
	h.execute(w, r, status, h.pages[name], "layout", data)
}

// agentOf is who a page is for; nil before sign-in.
func (l layout) agentOf() *agent { return l.Agent }

// renderFragment writes one named template of a page, for the script's
// live refresh.
func (h *Handler) renderFragment(w http.ResponseWriter, r *http.Request, page, name string, data any) {
	h.execute(w, r, http.StatusOK, h.pages[page], name, data)
}

func (h *Handler) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, name string, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		h.logger().ErrorContext(r.Context(), "web: render", "template", name, "path", r.URL.Path, "err", err)
		http.Error(w, "The page could not be rendered.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

var statusOf = map[string]int{
	care.EINVALID:      http.StatusBadRequest,
	care.EUNAUTHORIZED: http.StatusUnauthorized,
	care.EFORBIDDEN:    http.StatusForbidden,
	care.ENOTFOUND:     http.StatusNotFound,
	care.ECONFLICT:     http.StatusConflict,
	care.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	care.EUNAVAILABLE:  http.StatusServiceUnavailable,
	care.EINTERNAL:     http.StatusInternalServerError,
}

func httpStatus(err error) int {
	if s, ok := statusOf[care.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorPage is the page for an error the person cannot fix in place.
type errorPage struct {
	layout
	Status int
}

// renderError shows an error's safe message; the cause of an internal error
// goes to the log only.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, a *agent, err error) {
	status := httpStatus(err)
	if status >= 500 {
		h.logger().ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h.render(w, r, status, "error", errorPage{layout: layout{Title: http.StatusText(status), Page: "error", Agent: a,
		Error: care.ErrorMessage(err)}, Status: status})
}

// signedIn resolves the request's session. It returns EUNAUTHORIZED for a
// request without a valid session, and ignores API tokens: the interface is
// for people.
func (h *Handler) signedIn(r *http.Request) (*agent, error) {
	if r.Header.Get("Authorization") != "" {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in.")
	}
	p, sess, err := h.API.Authenticate(r)
	if err != nil {
		return nil, err
	}
	if sess == nil || p.UserID == 0 {
		return nil, care.Errorf(care.EUNAUTHORIZED, "Sign in.")
	}
	u, err := h.Store.User(r.Context(), p.UserID)
	if err != nil {
		return nil, err
	}
	return &agent{Principal: p, Email: u.Email, CSRF: sess.CSRF}, nil
}

// page wraps a GET handler for a full page: a request without a session is
// sent to the login form, and comes back here after it.
func (h *Handler) page(fn func(http.ResponseWriter, *http.Request, *agent)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := h.signedIn(r)
		if care.ErrorCode(err) == care.EUNAUTHORIZED {
			h.toLogin(w, r)
			return
		} else if err != nil {
			h.renderError(w, r, nil, err)
			return
		}
		if a.EventID, err = h.Store.LatestEventID(r.Context(), a.WorkspaceID); err != nil {
			h.renderError(w, r, a, err)
			return
		}
		a.Path = r.URL.RequestURI()
		fn(w, r, a)
	}
}

// fragment wraps a GET handler for a piece of a page the script fetches. It
// answers 401 without a session, so the script can send the person to sign
// in.
func (h *Handler) fragment(fn func(http.ResponseWriter, *http.Request, *agent)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, err := h.signedIn(r)
		if err != nil {
			http.Error(w, care.ErrorMessage(err), httpStatus(err))
			return
		}
		fn(w, r, a)
	}
}

// CSRFField is the form field that carries the session's CSRF token.
const CSRFField = "csrf"

// action wraps a POST handler: it needs a session and the session's CSRF
// token, in the form field or in the API's header.
func (h *Handler) action(fn func(http.ResponseWriter, *http.Request, *agent)) http.HandlerFunc {
	return h.sizedAction(maxFormBytes, fn)
}

// upload is action for a form that may carry files.
func (h *Handler) upload(fn func(http.ResponseWriter, *http.Request, *agent)) http.HandlerFunc {
	return h.sizedAction(maxUploadBytes, fn)
}

func (h *Handler) sizedAction(limit int64, fn func(http.ResponseWriter, *http.Request, *agent)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		a, err := h.signedIn(r)
		if care.ErrorCode(err) == care.EUNAUTHORIZED {
			http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
			return
		} else if err != nil {
			h.renderError(w, r, nil, err)
			return
		}
		token := r.Header.Get(api.CSRFHeader)
		if token == "" {
			token = formValue(r, CSRFField)
		}
		if !auth.EqualToken(token, a.CSRF) {
			h.renderError(w, r, a, care.Errorf(care.EFORBIDDEN, "This form has expired or did not come from Parley. Go back, reload the page and try again."))
			return
		}
		fn(w, r, a)
	}
}

// maxFormBytes bounds a posted form: a message of the largest size Parley
// stores, percent-encoded, with room for the other fields.
const maxFormBytes = 3*care.MaxTextBytes + 16<<10

// formText reads a posted text field with the line breaks platforms use:
// browsers post a textarea's as CR LF, which every counter (the composer's
// and the platforms') would count twice.
func formText(r *http.Request, name string) string {
	return strings.ReplaceAll(formValue(r, name), "\r\n", "\n")
}

// formValue reads a posted form field. A body over maxFormBytes reads as
// empty, which every handler refuses.
func formValue(r *http.Request, name string) string {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		// Files past 1 MB wait in temporary files, which the server
		// removes when the request ends.
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return ""
		}
		return r.PostForm.Get(name)
	}
	if err := r.ParseForm(); err != nil {
		return ""
	}
	return r.PostForm.Get(name)
}

func (h *Handler) toLogin(w http.ResponseWriter, r *http.Request) {
	q := url.Values{}
	if next := r.URL.RequestURI(); next != "/" {
		q.Set("next", next)
	}
	if _, err := r.Cookie(api.SessionCookie); err == nil {
		q.Set("expired", "1")
	}
	target := "/login"
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// localPath returns next when it is a path on this site, and "/" otherwise,
// so a crafted ?next= cannot send someone elsewhere after they sign in.
func localPath(next string) string {
	if next == "" || next[0] != '/' || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n\t") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}

// safeMessage returns what to show for an error of the domain; the cause of
// an internal one is logged.
func (h *Handler) safeMessage(r *http.Request, err error) string {
	if care.ErrorCode(err) == care.EINTERNAL {
		h.logger().ErrorContext(r.Context(), "web: request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return care.ErrorMessage(err)
}

// counts fills in the navigation's counts: unread notifications, and for
// approvers the replies waiting for approval.
func (h *Handler) counts(ctx context.Context, a *agent) error {
	var err error
	if a.Unread, err = h.Desk.UnreadNotifications(ctx, a.Principal); err != nil {
		return err
	}
	if a.Presence, err = h.Store.AgentPresence(ctx, a.WorkspaceID, a.UserID); err != nil {
		return err
	}
	if a.CanApprove() {
		if a.Approvals, err = h.approvalCount(ctx, a); err != nil {
			return err
		}
	}
	return nil
}
