package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/accounts"
	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
)

// SessionCookie holds a browser's session id.
const SessionCookie = "parley_session"

// CSRFHeader must carry the session's CSRF token on every state-changing
// request authenticated by cookie. Bearer-token requests carry no ambient
// credentials and need none.
const CSRFHeader = "X-CSRF-Token"

// WorkspaceHeader picks the workspace a signed-in user acts in when they
// belong to several; a token is bound to one workspace.
const WorkspaceHeader = "Parley-Workspace"

// WorkspaceCookie remembers the workspace a browser's session acts in when
// the request does not say (the web interface never does): the one it
// started in. Without it a session would follow the user's lowest
// workspace id, and a membership added later in another workspace would
// move a signed-in person's screens to another brand. Like the header it
// only chooses among the user's memberships.
const WorkspaceCookie = "parley_workspace"

type principalKey struct{}

// principal returns the authenticated principal of a request.
func principal(r *http.Request) care.Principal {
	p, _ := r.Context().Value(principalKey{}).(care.Principal)
	return p
}

// WithPrincipal returns ctx carrying p, for handlers mounted elsewhere (the
// web UI) that reuse the API's authentication.
func WithPrincipal(ctx context.Context, p care.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// wrap authenticates and authorises a route before its handler runs.
func (s *Server) wrap(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.Role == "" {
			rt.handler(w, r)
			return
		}
		p, sess, err := s.Authenticate(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if sess != nil && !safeMethod(r.Method) && !auth.EqualToken(r.Header.Get(CSRFHeader), sess.CSRF) {
			writeError(w, r, care.Errorf(care.EFORBIDDEN, "Missing or wrong %s header; reload the page.", CSRFHeader))
			return
		}
		if !p.Role.AtLeast(rt.Role) {
			writeError(w, r, care.Errorf(care.EFORBIDDEN, "This needs the %s role; you are %s.", rt.Role, p.Role))
			return
		}
		rt.handler(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// Authenticate resolves a request's principal from its bearer token or
// session cookie. The session is returned too (nil for a token), so callers
// can check its CSRF token. Returns EUNAUTHORIZED when neither is valid and
// EFORBIDDEN when the user is not a member of the chosen workspace.
func (s *Server) Authenticate(r *http.Request) (care.Principal, *care.Session, error) {
	ctx := r.Context()
	if h := r.Header.Get("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "Use Authorization: Bearer <token>.")
		}
		t, err := s.Store.TokenByHash(ctx, auth.HashToken(strings.TrimSpace(secret)))
		if err != nil {
			return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "The API token is not valid; it may have been deleted.")
		}
		role := t.Role
		// A person's token is theirs: it stops when their account does or
		// when they are not a member of its workspace, and it never acts above the role
		// they hold now, so demoting someone demotes their tokens too.
		if t.UserID != 0 {
			if u, err := s.Store.User(ctx, t.UserID); err != nil || u.Disabled {
				return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "The API token's user is disabled.")
			}
			m, err := s.Store.Member(ctx, t.WorkspaceID, t.UserID)
			if care.ErrorCode(err) == care.ENOTFOUND {
				return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "The API token's user is no longer a member of its workspace.")
			}
			if err != nil {
				return care.Principal{}, nil, fmt.Errorf("reading the token user's membership: %w", err)
			}
			if !m.Role.AtLeast(role) {
				role = m.Role
			}
		}
		s.recordUse(ctx, t)
		p := care.Principal{TokenID: t.ID, UserID: t.UserID, WorkspaceID: t.WorkspaceID, Role: role, Name: t.Name}
		p.Scope, err = care.ScopeOf(ctx, s.Store, p.WorkspaceID, p.UserID, p.Role)
		return p, nil, err
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "Sign in, or send an API token.")
	}
	sess, err := s.Store.SessionByHash(ctx, auth.HashToken(c.Value))
	if err != nil || !sess.ExpiresAt.After(s.now()) {
		return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "Your session has expired; sign in again.")
	}
	u, err := s.Store.User(ctx, sess.UserID)
	if err != nil || u.Disabled {
		return care.Principal{}, nil, care.Errorf(care.EUNAUTHORIZED, "Your account is disabled.")
	}
	want := r.Header.Get(WorkspaceHeader)
	var m *care.Member
	if want == "" {
		if m, err = s.keptMembership(ctx, r, u.ID); err != nil {
			return care.Principal{}, nil, fmt.Errorf("reading the session's workspace: %w", err)
		}
	}
	if m == nil {
		if m, err = s.membership(ctx, u.ID, want); err != nil {
			return care.Principal{}, nil, err
		}
	}
	// A member of a partner team (a token acting for one too) sees only
	// their teams' work; read on every request, so a change of teams
	// applies at once.
	p := care.Principal{UserID: u.ID, WorkspaceID: m.WorkspaceID, Role: m.Role, Name: u.Name}
	p.Scope, err = care.ScopeOf(ctx, s.Store, p.WorkspaceID, p.UserID, p.Role)
	return p, sess, err
}

// tokenUseEvery is how often a token's use is recorded: often enough to
// tell a token in use from a forgotten one, seldom enough that an
// integration calling many times a second costs a write a minute, not one
// a request.
const tokenUseEvery = time.Minute

// tokenUses remembers when this node last recorded each token's use, so
// that requests arriving together, which all read the same stale time,
// write it once.
type tokenUses struct {
	mu   sync.Mutex
	last map[care.ID]time.Time
}

// due reports whether a use of token id at now is to be recorded, and if so
// counts it as recorded.
func (u *tokenUses) due(id care.ID, now time.Time) bool {
	u.mu.Lock()
	defer u.mu.Unlock()
	if t, ok := u.last[id]; ok && now.Sub(t) < tokenUseEvery && !now.Before(t) {
		return false
	}
	if u.last == nil {
		u.last = map[care.ID]time.Time{}
	}
	u.last[id] = now
	return true
}

// recordUse records that t authenticated a request, at most once a
// tokenUseEvery per token. The stored time is the throttle across nodes;
// tokenUses the one within this node.
func (s *Server) recordUse(ctx context.Context, t *care.Token) {
	now := s.now()
	if t.LastUsedAt != nil && now.Sub(*t.LastUsedAt) < tokenUseEvery && !now.Before(*t.LastUsedAt) {
		return
	}
	if !s.tokenUses.due(t.ID, now) {
		return
	}
	if err := s.Store.TouchToken(ctx, t.ID, now); err != nil && ctx.Err() == nil {
		// The request is authenticated all the same; only the record of
		// use is late, and the next request after tokenUseEvery retries.
		s.logger().WarnContext(ctx, "token use not recorded", "token", t.ID, "err", err)
	}
}

// membership picks the user's membership in the requested workspace, or
// their first one.
func (s *Server) membership(ctx context.Context, userID care.ID, want string) (*care.Member, error) {
	if want != "" {
		id, err := strconv.ParseInt(want, 10, 64)
		if err != nil {
			return nil, care.Errorf(care.EINVALID, "%s must be a workspace id.", WorkspaceHeader)
		}
		m, err := s.Store.Member(ctx, id, userID)
		if err != nil {
			return nil, care.Errorf(care.EFORBIDDEN, "You are not a member of workspace %d.", id)
		}
		return m, nil
	}
	ms, err := s.Store.Memberships(ctx, userID)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, care.Errorf(care.EFORBIDDEN, "You are not a member of any workspace; ask an admin to add you.")
	}
	return &ms[0], nil
}

// keptMembership is the user's membership in the workspace the browser's
// WorkspaceCookie names, or nil when it names none of theirs (gone since,
// or never theirs: the cookie is the client's to send).
func (s *Server) keptMembership(ctx context.Context, r *http.Request, userID care.ID) (*care.Member, error) {
	c, err := r.Cookie(WorkspaceCookie)
	if err != nil {
		return nil, nil
	}
	id, err := strconv.ParseInt(c.Value, 10, 64)
	if err != nil || id <= 0 {
		return nil, nil
	}
	m, err := s.Store.Member(ctx, id, userID)
	if care.ErrorCode(err) == care.ENOTFOUND {
		return nil, nil
	}
	return m, err
}

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type sessionResponse struct {
	User        care.User     `json:"user"`
	WorkspaceID care.ID       `json:"workspace_id"`
	Role        care.Role     `json:"role"`
	Workspaces  []care.Member `json:"workspaces"`
	CSRFToken   string        `json:"csrf_token"`
	ExpiresAt   time.Time     `json:"expires_at"`
}

// login checks a password and starts a session. Failures say the same thing
// whether the email or the password was wrong.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var req loginRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	// A field left out is the caller's slip, not a failed sign-in: saying
	// which one tells nothing about which accounts exist.
	if strings.TrimSpace(req.Email) == "" {
		writeError(w, r, care.Errorf(care.EINVALID, "email is required: the address you sign in with."))
		return
	}
	if req.Password == "" {
		writeError(w, r, care.Errorf(care.EINVALID, "password is required."))
		return
	}
	u, err := s.SignIn(r, req.Email, req.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sess, m, err := s.startSession(w, r, u)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ms, err := s.Store.Memberships(r.Context(), u.ID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	resp := &sessionResponse{User: *u, Workspaces: ms, CSRFToken: sess.CSRF, ExpiresAt: sess.ExpiresAt}
	if m != nil {
		resp.WorkspaceID, resp.Role = m.WorkspaceID, m.Role
	}
	writeJSON(w, http.StatusCreated, resp)
}

// dummyHash is verified against when there is no such account, so a wrong
// address costs as much time as a wrong password.
var dummyHash, _ = auth.HashPassword("parley-timing-equaliser")

// CheckPassword returns the enabled user with this email and password, or
// EUNAUTHORIZED saying the same whichever was wrong. The API's login and the
// web interface's sign-in both use it.
func (s *Server) CheckPassword(ctx context.Context, email, password string) (*care.User, error) {
	bad := care.Errorf(care.EUNAUTHORIZED, "Wrong email or password.")
	email = strings.TrimSpace(email)
	if email == "" || password == "" {
		return nil, bad
	}
	u, err := s.Store.UserByEmail(ctx, email)
	if err != nil && care.ErrorCode(err) != care.ENOTFOUND {
		// Not a wrong password: a sign-in throttle must not count it.
		return nil, &care.Error{Code: care.EUNAVAILABLE, Message: "Signing in is unavailable for a moment. Try again shortly.",
			Err: fmt.Errorf("check password: look up user: %w", err)}
	}
	if err != nil || u.Disabled || u.PasswordHash == "" {
		auth.VerifyPassword(dummyHash, password)
		return nil, bad
	}
	if ok, err := auth.VerifyPassword(u.PasswordHash, password); err != nil || !ok {
		return nil, bad
	}
	return u, nil
}

// StartSession stores a new session for u and sets its cookie, so the API
// and the web interface accept it alike, and the WorkspaceCookie: the
// workspace this browser last acted in when u is still a member of it,
// else u's first.
func (s *Server) StartSession(w http.ResponseWriter, r *http.Request, u *care.User) (*care.Session, error) {
	sess, _, err := s.startSession(w, r, u)
	return sess, err
}

// startSession is StartSession, also returning the membership the session
// acts in (nil for a user of no workspace).
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *care.User) (*care.Session, *care.Member, error) {
	m, err := s.keptMembership(r.Context(), r, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if m == nil {
		ms, err := s.Store.Memberships(r.Context(), u.ID)
		if err != nil {
			return nil, nil, err
		}
		if len(ms) > 0 {
			m = &ms[0]
		}
	}
	id, hash, err := auth.NewSessionID()
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	ttl := s.SessionTTL
	if ttl <= 0 {
		ttl = 12 * time.Hour
	}
	sess := &care.Session{Hash: hash, UserID: u.ID, CSRF: auth.NewCSRFToken(), CreatedAt: now, ExpiresAt: now.Add(ttl)}
	if err := s.Store.CreateSession(r.Context(), sess); err != nil {
		return nil, nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: id, Path: "/", Expires: sess.ExpiresAt,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	if m != nil {
		http.SetCookie(w, &http.Cookie{Name: WorkspaceCookie, Value: strconv.FormatInt(m.WorkspaceID, 10), Path: "/", Expires: sess.ExpiresAt,
			HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	}
	return sess, m, nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	_, sess, _ := s.Authenticate(r)
	resp := sessionResponse{WorkspaceID: p.WorkspaceID, Role: p.Role, Workspaces: []care.Member{}}
	if p.UserID != 0 {
		u, err := s.Store.User(r.Context(), p.UserID)
		if err != nil {
			writeError(w, r, err)
			return
		}
		resp.User = *u
		if resp.Workspaces, err = s.Store.Memberships(r.Context(), p.UserID); err != nil {
			writeError(w, r, err)
			return
		}
	} else {
		resp.User = care.User{Name: p.Name}
	}
	if sess != nil {
		resp.CSRFToken, resp.ExpiresAt = sess.CSRF, sess.ExpiresAt
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if err := s.EndSession(w, r); err != nil {
		writeError(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// EndSession deletes the request's session, if any, and clears the
// browser's session cookie. The WorkspaceCookie stays, so that signing in
// again comes back to the same workspace; it opens nothing by itself.
func (s *Server) EndSession(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.Store.DeleteSession(r.Context(), auth.HashToken(c.Value)); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	return nil
}

// ChangePassword sets the user's new password, once checked against the
// password rules, and ends their other sessions: a password is changed
// when it may be known to someone else, who may be signed in with it.
// keep is the hash of the session making the change (nil for none), which
// stays signed in.
func (s *Server) ChangePassword(ctx context.Context, userID care.ID, password string, keep []byte) error {
	return accounts.ChangePassword(ctx, s.Store, userID, password, keep)
}

// SessionHash is the hash of the session cookie of a request authenticated
// by it, nil for one that is not.
func SessionHash(r *http.Request) []byte {
	if r.Header.Get("Authorization") != "" {
		return nil
	}
	c, err := r.Cookie(SessionCookie)
	if err != nil || c.Value == "" {
		return nil
	}
	return auth.HashToken(c.Value)
}

type passwordRequest struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	p := principal(r)
	var req passwordRequest
	if err := decodeJSON(w, r, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if p.UserID == 0 {
		writeError(w, r, care.Errorf(care.EINVALID, "API tokens have no password."))
		return
	}
	u, err := s.Store.User(r.Context(), p.UserID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.VerifyCurrentPassword(r, u, req.Current); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.ChangePassword(r.Context(), u.ID, req.New, SessionHash(r)); err != nil {
		writeError(w, r, err)
		return
	}
	s.auditf(r, "user.password", "user:"+strconv.FormatInt(u.ID, 10), nil)
	w.WriteHeader(http.StatusNoContent)
}
