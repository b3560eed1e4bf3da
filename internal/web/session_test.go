package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/auth"
	"github.com/parleyhq/parley/internal/care"
)

func TestLoginLogout(t *testing.T) {
	f := newFixture(t)
	c := f.client()

	res, _ := c.get("/")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("GET / signed out = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := c.get("/login")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `action="/login"`) {
		t.Fatalf("GET /login = %d, want the form", res.StatusCode)
	}

	for _, tt := range []struct{ name, email, password string }{
		{"wrong password", f.agent.Email, "not the password"},
		{"unknown email", "nobody@acme.test", password},
		{"empty", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, body := c.post("/login", url.Values{"email": {tt.email}, "password": {tt.password}})
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong email or password.") {
				t.Errorf("POST /login = %d, want 401 with the same message whatever was wrong", res.StatusCode)
			}
			if len(res.Cookies()) != 0 {
				t.Errorf("a failed login set cookies %v", res.Cookies())
			}
		})
	}

	res, _ = c.post("/login", url.Values{"email": {"  SAM@acme.test "}, "password": {password}, "next": {"/c/42?view=mine"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/c/42?view=mine" {
		t.Fatalf("POST /login = %d to %q, want 303 to the page asked for", res.StatusCode, res.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "parley_session" {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/", session)
	}
	res, body = c.get("/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Sam Agent") {
		t.Fatalf("GET / signed in = %d, want the inbox naming the agent", res.StatusCode)
	}
	// The API accepts the same session.
	req, _ := http.NewRequest("GET", f.srv.URL+"/login", nil)
	req.AddCookie(session)
	if _, _, err := f.h.API.Authenticate(req); err != nil {
		t.Errorf("API rejects the web session: %v", err)
	}

	c.csrf = csrfToken(t, body)
	res, _ = c.act("/logout", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Fatalf("POST /logout = %d to %q, want 303 to /login", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := f.store.SessionByHash(context.Background(), auth.HashToken(session.Value)); care.ErrorCode(err) != care.ENOTFOUND {
		t.Errorf("session still stored after logout: %v", err)
	}
	// The old cookie no longer works, even sent by hand.
	c2 := f.client()
	req, _ = http.NewRequest("GET", f.srv.URL+"/", nil)
	req.AddCookie(session)
	res, _ = c2.do(req)
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?expired=1") {
		t.Errorf("GET / with the logged-out cookie = %d to %q, want 303 to /login?expired=1", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestSessionExpiry(t *testing.T) {
	f := newFixture(t)
	c := f.login()
	f.now = f.now.Add(fixtureSessionTTL + time.Hour) // past the session
	res, _ := c.get("/c/1")
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || loc != "/login?expired=1&next=%2Fc%2F1" {
		t.Errorf("GET /c/1 after expiry = %d to %q, want 303 to the login form, coming back after", res.StatusCode, loc)
	}
	if res, _ := c.get("/list"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /list after expiry = %d, want 401 for the script", res.StatusCode)
	}
	res, body := c.get("/login?expired=1")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your session has ended") {
		t.Errorf("GET /login?expired=1 = %d, want a note that the session ended", res.StatusCode)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	f := newFixture(t)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", "/%0d%0aSet-Cookie:x"} {
		c := f.client()
		res, _ := c.post("/login", url.Values{"email": {f.agent.Email}, "password": {password}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/" && !strings.HasPrefix(loc, "/%") {
			t.Errorf("login with next=%q redirects to %q, want a path on this site", next, loc)
		}
	}
}

func TestSetup(t *testing.T) {
	f := newBareFixture(t)
	c := f.client()
	res, _ := c.get("/login")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
		t.Fatalf("GET /login with no user = %d to %q, want 303 to /setup", res.StatusCode, res.Header.Get("Location"))
	}
	res, body := c.post("/setup", url.Values{"name": {"Ada"}, "email": {"ada@example.com"}, "password": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "Ada") {
		t.Fatalf("POST /setup with a short password = %d, want 400 with the form filled in again", res.StatusCode)
	}
	res, _ = c.post("/setup", url.Values{"name": {"Ada"}, "email": {"ada@example.com"}, "password": {password}, "confirm": {password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("POST /setup = %d to %q, want 303 to /", res.StatusCode, res.Header.Get("Location"))
	}
	res, body = c.get("/")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Ada") {
		t.Fatalf("GET / after setup = %d, want the inbox, signed in", res.StatusCode)
	}
	u, err := f.store.UserByEmail(context.Background(), "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := f.store.Memberships(context.Background(), u.ID)
	if len(ms) != 1 || ms[0].Role != care.RoleAdmin {
		t.Errorf("memberships = %+v, want admin of the default workspace", ms)
	}
	// Once someone exists, setup is closed.
	other := f.client()
	if res, _ := other.get("/setup"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("GET /setup with a user = %d, want 303 away", res.StatusCode)
	}
	res, _ = other.post("/setup", url.Values{"name": {"Eve"}, "email": {"eve@example.com"}, "password": {password}, "confirm": {password}})
	if _, err := f.store.UserByEmail(context.Background(), "eve@example.com"); res.StatusCode != http.StatusSeeOther || err == nil {
		t.Errorf("POST /setup with a user = %d (user created: %v), want 303 and no user", res.StatusCode, err == nil)
	}
}

func TestPasswordChange(t *testing.T) {
	f := newFixture(t)
	c := f.login()
	elsewhere := f.login()
	colleague := f.loginAs(f.user("kim@acme.test", "Kim", care.RoleAgent))
	const next = "a much longer passphrase"
	res, body := c.act("/password", url.Values{"current": {"wrong"}, "new": {next}, "confirm": {next}})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "The current password is wrong.") {
		t.Fatalf("POST /password with a wrong current password = %d", res.StatusCode)
	}
	res, _ = c.act("/password", url.Values{"current": {password}, "new": {"short"}, "confirm": {"short"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("POST /password with a short new password = %d, want 400", res.StatusCode)
	}
	res, body = c.act("/password", url.Values{"current": {password}, "new": {next}, "confirm": {next}})
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your password was changed.") {
		t.Fatalf("POST /password = %d, want 200 and a confirmation", res.StatusCode)
	}
	// The change signs out every other session of theirs: one that may
	// be someone else's who knew the old password.
	for _, tt := range []struct {
		name string
		c    *client
		want int
	}{
		{"this browser", c, http.StatusOK},
		{"another of theirs", elsewhere, http.StatusSeeOther},
		{"a colleague's", colleague, http.StatusOK},
	} {
		if res, _ := tt.c.get("/"); res.StatusCode != tt.want {
			t.Errorf("GET / in %s after the change = %d, want %d", tt.name, res.StatusCode, tt.want)
		}
	}
	res, _ = f.client().post("/login", url.Values{"email": {f.agent.Email}, "password": {next}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("login with the new password = %d, want 303", res.StatusCode)
	}
	res, _ = f.client().post("/login", url.Values{"email": {f.agent.Email}, "password": {password}})
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("login with the old password = %d, want 401", res.StatusCode)
	}
}
