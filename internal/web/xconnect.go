package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/oauth"
	"github.com/parleyhq/parley/internal/channel/x"
)

// Connecting an X account with OAuth 2.0, from the Inboxes page: the admin
// gives the App's client id and secret (POST /inboxes/x); Parley keeps the
// attempt (state, PKCE verifier, secrets) in memory, bound to the admin's
// session, for ten minutes, and shows a link to X's authorization page. (A
// link, not a redirect: the page's Content-Security-Policy lets forms post
// only to Parley, and browsers apply that to a form's redirects.) X sends
// the browser back to GET /inboxes/x/callback with a code and the state;
// the state is spent on first sight, and only the session that started the
// attempt may finish it. The code then buys a refresh token, X names the
// account, and the account's X inbox is created, or updated when the
// workspace has one for that account already. Attempts live in this
// process: with several Parley processes behind a balancer, the callback
// must reach the one the admin started on.

// xConnectTTL is how long an admin has to authorise on X.
const xConnectTTL = 10 * time.Minute

// maxXAttempts bounds the attempts waiting for X at once.
const maxXAttempts = 256

// xConnector finishes an attempt: the X adapter does.
type xConnector interface {
	FinishConnect(ctx context.Context, auth x.Authorization, code string) (*x.Account, error)
}

// xAttempt is one admin's connection waiting for X's callback.
type xAttempt struct {
	auth           x.Authorization
	name           string
	consumerSecret string
	workspace      care.ID
	user           care.ID
	// session is the SHA-256 of the session's CSRF token, which is the
	// session's alone and never leaves the server in a URL.
	session [32]byte
	expires time.Time
}

// xAttempts holds the attempts by state. Its zero value is ready to use.
type xAttempts struct {
	mu sync.Mutex
	m  map[string]xAttempt
}

func (s *xAttempts) put(state string, a xAttempt, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m {
		if now.After(v.expires) {
			delete(s.m, k)
		}
	}
	if len(s.m) >= maxXAttempts {
		return care.Errorf(care.EUNAVAILABLE, "Too many X connections are waiting; try again in a few minutes.")
	}
	if s.m == nil {
		s.m = map[string]xAttempt{}
	}
	s.m[state] = a
	return nil
}

// take removes and returns the attempt with state: a state is good once,
// whatever the outcome.
func (s *xAttempts) take(state string) (xAttempt, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.m[state]
	delete(s.m, state)
	return a, ok && state != ""
}

// xConnectView is the "Connect an X account" part of the Inboxes page.
type xConnectView struct {
	// Available is whether X is one of the channels.
	Available bool
	// CallbackURL is what the App's settings must list.
	CallbackURL string
	// AuthorizeURL, once an attempt started, is the link to X.
	AuthorizeURL string
	// Name and ClientID are kept when the form is refused.
	Name, ClientID string
}

func (h *Handler) xConnector() (xConnector, bool) {
	if h.Desk == nil {
		return nil, false
	}
	s, ok := h.Desk.Adapters.Sender(care.ChannelX)
	if !ok {
		return nil, false
	}
	c, ok := s.(xConnector)
	return c, ok
}

func (h *Handler) xCallbackURL() string {
	return strings.TrimRight(h.PublicURL, "/") + "/inboxes/x/callback"
}

// fillXConnect completes the Inboxes page's X part.
func (h *Handler) fillXConnect(p *inboxesPage) {
	_, p.X.Available = h.xConnector()
	p.X.CallbackURL = h.xCallbackURL()
}

func sessionKey(a *agent) [32]byte { return sha256.Sum256([]byte(a.CSRF)) }

// startXConnect begins connecting an X account: it checks the form, keeps
// the attempt and shows the link to X's authorization page.
func (h *Handler) startXConnect(w http.ResponseWriter, r *http.Request, a *agent) {
	if !h.adminOnly(w, r, a) {
		return
	}
	view := xConnectView{Name: strings.TrimSpace(formValue(r, "name")), ClientID: strings.TrimSpace(formValue(r, "client_id"))}
	err := h.beginXConnect(r, a, &view)
	if care.ErrorCode(err) == care.EINTERNAL {
		h.renderError(w, r, a, err)
		return
	}
	p := inboxesPage{Form: connectForm{Channel: string(care.ChannelAPI)}, X: view}
	status := http.StatusOK
	if err != nil {
		// The form comes back with its name and client id, never the
		// secrets.
		p.Error, status = h.safeMessage(r, err), http.StatusUnprocessableEntity
	}
	h.showInboxes(w, r, a, status, p)
}

// beginXConnect checks the form, keeps the attempt and sets view's link to
// X.
func (h *Handler) beginXConnect(r *http.Request, a *agent, view *xConnectView) error {
	if _, ok := h.xConnector(); !ok {
		return care.Errorf(care.EUNAVAILABLE, "X is not one of this server's channels.")
	}
	if len(view.Name) > 100 {
		return care.Errorf(care.EINVALID, "An inbox needs a name of up to 100 bytes.")
	}
	if h.PublicURL == "" {
		return care.Errorf(care.EINVALID, "Parley's public URL is not set, so X has nowhere to send you back to.")
	}
	consumerSecret := strings.TrimSpace(formValue(r, "consumer_secret"))
	if len(consumerSecret) > 256 {
		return care.Errorf(care.EINVALID, "The API secret is too long.")
	}
	auth, u, err := x.StartConnect(view.ClientID, formValue(r, "client_secret"), h.xCallbackURL(), formValue(r, "api_base"))
	if err != nil {
		return err
	}
	now := h.now()
	if err := h.xAttempts.put(auth.State, xAttempt{auth: auth, name: view.Name, consumerSecret: consumerSecret,
		workspace: a.WorkspaceID, user: a.UserID, session: sessionKey(a), expires: now.Add(xConnectTTL)}, now); err != nil {
		return err
	}
	view.AuthorizeURL = u
	return nil
}

// finishXConnect is where X sends the admin back.
func (h *Handler) finishXConnect(w http.ResponseWriter, r *http.Request, a *agent) {
	if !h.adminOnly(w, r, a) {
		return
	}
	cb := oauth.ParseCallback(r.URL.Query())
	att, ok := h.xAttempts.take(cb.State)
	if !ok || h.now().After(att.expires) || att.workspace != a.WorkspaceID || att.user != a.UserID || att.session != sessionKey(a) {
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "This X connection link is no longer valid: it expired (after %d minutes), was already used, or was started in another session. Nothing was connected; start again from Inboxes.",
			int(xConnectTTL/time.Minute)))
		return
	}
	switch {
	case cb.Error == "access_denied":
		h.renderError(w, r, a, care.Errorf(care.EFORBIDDEN, "Access was declined on X, so no account was connected. Start again from Inboxes to retry."))
		return
	case cb.Error != "":
		h.renderError(w, r, a, care.Errorf(care.EINVALID, "X did not authorise the App (%s), so no account was connected. Check the App's settings (OAuth 2.0 on, the callback URL %s) and start again.",
			plain(truncate(cb.Error, 60)), h.xCallbackURL()))
		return
	}
	conn, ok := h.xConnector()
	if !ok {
		h.renderError(w, r, a, care.Errorf(care.EUNAVAILABLE, "X is not one of this server's channels."))
		return
	}
	acct, err := conn.FinishConnect(r.Context(), att.auth, cb.Code)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	in, err := h.saveXInbox(r.Context(), a, att, acct)
	if err != nil {
		h.renderError(w, r, a, err)
		return
	}
	http.Redirect(w, r, "/inboxes/"+strconv.FormatInt(in.ID, 10), http.StatusSeeOther)
}

// saveXInbox creates the account's X inbox, or, when the workspace has one
// for the account, gives it the new authorisation: the refresh token
// replaces whatever token it had.
func (h *Handler) saveXInbox(ctx context.Context, a *agent, att xAttempt, acct *x.Account) (*care.Inbox, error) {
	ins, err := h.Store.Inboxes(ctx, a.WorkspaceID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(ins, func(in care.Inbox) bool { return in.Channel == care.ChannelX && in.ExternalID == acct.UserID })
	if i < 0 {
		creds := maps.Clone(acct.Credentials)
		if att.consumerSecret != "" {
			creds[x.CredConsumerSecret] = att.consumerSecret
		} else {
			// Without the API secret Parley cannot verify X's
			// webhooks: it polls.
			creds[x.CredMode] = x.ModePoll
		}
		name := att.name
		if name == "" {
			name = "@" + acct.Username + " on X"
		}
		res, err := h.API.ConnectInbox(ctx, a.Principal, care.ChannelX, name, acct.UserID, "", creds)
		if err != nil {
			return nil, err
		}
		return res.Inbox, nil
	}
	in := &ins[i]
	if in.Credentials == nil {
		in.Credentials = map[string]string{}
	}
	for _, k := range []string{x.CredAccessToken, x.CredAccessTokenSecret, x.CredClientSecret, x.CredAPIBase} {
		delete(in.Credentials, k)
	}
	maps.Copy(in.Credentials, acct.Credentials)
	if att.consumerSecret != "" {
		in.Credentials[x.CredConsumerSecret] = att.consumerSecret
	}
	if in.Credentials[x.CredConsumerSecret] == "" {
		in.Credentials[x.CredMode] = x.ModePoll
	}
	if att.name != "" {
		in.Name = att.name
	}
	if setup, ok := h.Desk.Adapters.Setup(care.ChannelX); ok {
		if err := setup.Prepare(in); err != nil {
			return nil, err
		}
	}
	if err := h.Store.UpdateInbox(ctx, in); err != nil {
		return nil, err
	}
	keys := slices.Sorted(maps.Keys(acct.Credentials))
	details, _ := json.Marshal(map[string]any{"credentials": keys, "via": "X OAuth 2.0"})
	if err := h.Store.AppendAudit(ctx, &care.AuditEntry{WorkspaceID: a.WorkspaceID, Actor: a.Actor(), Action: "inbox.update",
		Target: idTarget("inbox", in.ID), Details: details, CreatedAt: h.now()}); err != nil {
		h.logger().ErrorContext(ctx, "web: audit failed", "action", "inbox.update", "err", err)
	}
	return in, nil
}
