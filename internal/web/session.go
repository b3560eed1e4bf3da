package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/api"
	"github.com/parleyhq/parley/internal/care"
)

type loginPage struct {
	layout
	Email string
	Next  string
}

func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	if n, err := h.Store.CountUsers(r.Context()); err == nil && n == 0 {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	if a, err := h.signedIn(r); err == nil && a != nil {
		http.Redirect(w, r, localPath(q.Get("next")), http.StatusSeeOther)
		return
	}
	p := loginPage{layout: layout{Title: "Sign in", Page: "login"}, Next: localPath(q.Get("next"))}
	if q.Get("expired") != "" {
		p.Notice = "Your session has ended. Sign in again to continue."
	}
	h.render(w, r, http.StatusOK, "login", p)
}

// login checks an email and password and starts a session. Failures say the
// same whether the address or the password was wrong, and take as long.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	email, password := strings.TrimSpace(formValue(r, "email")), formValue(r, "password")
	next := localPath(formValue(r, "next"))
	u, err := h.API.SignIn(r, email, password)
	if err != nil {
		status := http.StatusUnauthorized
		if care.ErrorCode(err) == care.EUNAVAILABLE {
			status = http.StatusServiceUnavailable // the store, not the password
		}
		var refused *api.SignInRefused
		if errors.As(err, &refused) {
			status = refused.Status
			w.Header().Set("Retry-After", strconv.Itoa(refused.RetryAfterSeconds()))
		}
		h.render(w, r, status, "login", loginPage{
			layout: layout{Title: "Sign in", Page: "login", Error: h.safeMessage(r, err)}, Email: email, Next: next})
		return
	}
	if _, err := h.API.StartSession(w, r, u); err != nil {
		h.renderError(w, r, nil, err)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, a *agent) {
	// Signing out ends the shift: an agent left online would go on being
	// given work nobody sees. A failure is logged, not shown: the person
	// still signs out.
	if p, err := h.Store.AgentPresence(r.Context(), a.WorkspaceID, a.UserID); err == nil && p != care.PresenceOffline {
		if _, err := h.API.SetPresence(r.Context(), a.Principal, care.PresenceOffline); err != nil {
			h.logger().ErrorContext(r.Context(), "web: go offline at sign-out", "user", a.UserID, "err", err)
		}
	}
	if err := h.API.EndSession(w, r); err != nil {
		h.renderError(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type setupPage struct {
	layout
	Name, Email string
}

// setupForm is the first-run page: while no user exists, whoever reaches
// the server creates the first admin.
func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) {
	n, err := h.Store.CountUsers(r.Context())
	if err != nil {
		h.renderError(w, r, nil, err)
		return
	}
	if n > 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	h.render(w, r, http.StatusOK, "setup", setupPage{layout: layout{Title: "Set up Parley", Page: "setup"}})
}

func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	ctx := r.Context()
	n, err := h.Store.CountUsers(ctx)
	if err != nil {
		h.renderError(w, r, nil, err)
		return
	}
	if n > 0 {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	name, email := strings.TrimSpace(formValue(r, "name")), strings.TrimSpace(formValue(r, "email"))
	password := formValue(r, "password")
	fail := func(err error) {
		h.render(w, r, httpStatus(err), "setup", setupPage{layout: layout{Title: "Set up Parley", Page: "setup",
			Error: h.safeMessage(r, err)}, Name: name, Email: email})
	}
	if password != formValue(r, "confirm") {
		fail(care.Errorf(care.EINVALID, "The two passwords differ."))
		return
	}
	if password == "" {
		fail(care.Errorf(care.EINVALID, "Choose a password."))
		return
	}
	ws, err := h.firstWorkspace(r)
	if err != nil {
		fail(err)
		return
	}
	u, _, err := accounts.CreateUser(ctx, h.Store, ws.ID, email, name, care.RoleAdmin, password, h.now())
	if err != nil {
		fail(err)
		return
	}
	if _, err := h.API.StartSession(w, r, u); err != nil {
		h.renderError(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// firstWorkspace returns the install's first workspace, creating the
// default one on a store that has none.
func (h *Handler) firstWorkspace(r *http.Request) (*care.Workspace, error) {
	wss, err := h.Store.Workspaces(r.Context())
	if err != nil {
		return nil, err
	}
	if len(wss) > 0 {
		return &wss[0], nil
	}
	ws := &care.Workspace{Slug: "default", Name: "Default workspace", CreatedAt: h.now()}
	return ws, h.Store.CreateWorkspace(r.Context(), ws)
}

type passwordPage struct {
	layout
}

func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request, a *agent) {
	h.render(w, r, http.StatusOK, "password", passwordPage{layout{Title: "Change password", Page: "password", Agent: a}})
}

func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, a *agent) {
	current, next := formValue(r, "current"), formValue(r, "new")
	fail := func(err error) {
		h.render(w, r, httpStatus(err), "password", passwordPage{layout{Title: "Change password", Page: "password", Agent: a,
			Error: h.safeMessage(r, err)}})
	}
	u, err := h.Store.User(r.Context(), a.UserID)
	if err != nil {
		fail(err)
		return
	}
	if err := h.API.VerifyCurrentPassword(r, u, current); err != nil {
		var refused *api.SignInRefused
		if errors.As(err, &refused) {
			w.Header().Set("Retry-After", strconv.Itoa(refused.RetryAfterSeconds()))
			h.render(w, r, refused.Status, "password", passwordPage{layout{Title: "Change password", Page: "password", Agent: a,
				Error: h.safeMessage(r, err)}})
			return
		}
		fail(err)
		return
	}
	if next != formValue(r, "confirm") {
		fail(care.Errorf(care.EINVALID, "The two new passwords differ."))
		return
	}
	// This browser stays signed in; every other session of theirs ends.
	if err := h.API.ChangePassword(r.Context(), u.ID, next, api.SessionHash(r)); err != nil {
		fail(err)
		return
	}
	if err := h.Store.AppendAudit(r.Context(), &care.AuditEntry{WorkspaceID: a.WorkspaceID, Actor: a.Actor(),
		Action: "user.password", Target: idTarget("user", u.ID), CreatedAt: h.now()}); err != nil {
		h.logger().ErrorContext(r.Context(), "web: audit failed", "action", "user.password", "err", err)
	}
	h.render(w, r, http.StatusOK, "password", passwordPage{layout{Title: "Change password", Page: "password", Agent: a,
		Notice: "Your password was changed. Your other sessions are signed out."}})
}

// setPresence is the top bar's presence menu: online, away or offline.
func (h *Handler) setPresence(w http.ResponseWriter, r *http.Request, a *agent) {
	p := care.Presence(formValue(r, "presence"))
	switch p {
	case care.PresenceOnline, care.PresenceAway, care.PresenceOffline:
	default:
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "Choose online, away or offline."))
		return
	}
	if _, err := h.API.SetPresence(r.Context(), a.Principal, p); err != nil {
		h.renderError(w, r, a, err)
		return
	}
	http.Redirect(w, r, localPath(formValue(r, "next")), http.StatusSeeOther)
}
