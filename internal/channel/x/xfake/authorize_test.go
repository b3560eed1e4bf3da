package xfake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parleyhq/parley/internal/channel/x/xfake"
)

const cb = "https://care.example.com/cb"

// authorizeQuery is a valid authorization request with a plain challenge
// "v", changed by edit.
func authorizeQuery(edit func(url.Values)) url.Values {
	q := url.Values{"response_type": {"code"}, "client_id": {"app"}, "redirect_uri": {cb}, "scope": {"tweet.read users.read offline.access"},
		"state": {"st"}, "code_challenge": {"v"}, "code_challenge_method": {"plain"}}
	if edit != nil {
		edit(q)
	}
	return q
}

func (e *env) authorize(t *testing.T, q url.Values) (int, url.Values) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(e.srv.URL + "/i/oauth2/authorize?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		return resp.StatusCode, nil
	}
	u, _ := url.Parse(resp.Header.Get("Location"))
	if !strings.HasPrefix(u.String(), cb+"?") {
		t.Fatalf("redirected to %s", u)
	}
	return resp.StatusCode, u.Query()
}

func (e *env) redeem(t *testing.T, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(e.srv.URL+"/2/oauth2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v map[string]any
	json.Unmarshal(b, &v)
	return resp.StatusCode, v
}

func TestAuthorize(t *testing.T) {
	tests := []struct {
		name       string
		edit       func(url.Values)
		wantStatus int
		wantError  string // the error sent back to the callback
	}{
		{"approved", nil, http.StatusFound, ""},
		{"unknown client", func(q url.Values) { q.Set("client_id", "other") }, http.StatusBadRequest, ""},
		{"unregistered callback", func(q url.Values) { q.Set("redirect_uri", cb+"/x") }, http.StatusBadRequest, ""},
		{"no state", func(q url.Values) { q.Del("state") }, http.StatusFound, "invalid_request"},
		{"long state", func(q url.Values) { q.Set("state", strings.Repeat("s", 501)) }, http.StatusFound, "invalid_request"},
		{"no challenge", func(q url.Values) { q.Del("code_challenge") }, http.StatusFound, "invalid_request"},
		{"odd method", func(q url.Values) { q.Set("code_challenge_method", "S512") }, http.StatusFound, "invalid_request"},
		{"token flow", func(q url.Values) { q.Set("response_type", "token") }, http.StatusFound, "unsupported_response_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.AddApp(xfake.App{ClientID: "app", CallbackURLs: []string{cb}})
			e.fake.AuthorizeAs(brand)
			status, back := e.authorize(t, authorizeQuery(tt.edit))
			if status != tt.wantStatus {
				t.Fatalf("authorize = %d, want %d", status, tt.wantStatus)
			}
			if back != nil && back.Get("error") != tt.wantError {
				t.Errorf("callback error = %q, want %q", back.Get("error"), tt.wantError)
			}
			if tt.wantError == "" && back != nil && (back.Get("code") == "" || back.Get("state") != "st") {
				t.Errorf("callback = %v, want a code and the state", back)
			}
		})
	}
	t.Run("refused", func(t *testing.T) {
		e := newEnv(t)
		e.fake.AddApp(xfake.App{ClientID: "app", CallbackURLs: []string{cb}})
		e.fake.RefuseAuthorization()
		if _, back := e.authorize(t, authorizeQuery(nil)); back.Get("error") != "access_denied" || back.Get("state") != "st" || back.Has("code") {
			t.Errorf("callback = %v, want access_denied with the state", back)
		}
		if n := len(e.fake.AuthorizeRequests()); n != 1 {
			t.Errorf("%d requests recorded, want 1", n)
		}
	})
}

// The code grant: the verifier must answer the challenge, the code is
// spent by any attempt, and a refresh token comes only with
// offline.access. The tokens act for the user who approved.
func TestRedeemCode(t *testing.T) {
	e := newEnv(t)
	e.fake.AddApp(xfake.App{ClientID: "app", CallbackURLs: []string{cb}})
	e.fake.AuthorizeAs(brand)
	code := func(edit func(url.Values)) string {
		_, back := e.authorize(t, authorizeQuery(edit))
		return back.Get("code")
	}
	form := func(c, verifier string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb}, "code_verifier": {verifier}, "client_id": {"app"}}
	}
	c := code(nil)
	if status, v := e.redeem(t, form(c, "wrong")); status != http.StatusBadRequest || v["error"] != "invalid_request" {
		t.Errorf("wrong verifier = %d %v", status, v)
	}
	if status, _ := e.redeem(t, form(c, "v")); status != http.StatusBadRequest {
		t.Errorf("the code after a failed attempt = %d, want 400: spent", status)
	}
	status, v := e.redeem(t, form(code(nil), "v"))
	if status != http.StatusOK || v["refresh_token"] == nil || v["expires_in"] != 7200.0 {
		t.Fatalf("redeem = %d %v", status, v)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/2/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+v["access_token"].(string))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Data struct{ ID, Username string } }
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if me.Data.ID != brand || me.Data.Username != "acme" {
		t.Errorf("users/me = %+v, want the user who approved", me)
	}
	_, v = e.redeem(t, form(code(func(q url.Values) { q.Set("scope", "tweet.read users.read") }), "v"))
	if v["access_token"] == nil || v["refresh_token"] != nil {
		t.Errorf("without offline.access = %v, want an access token alone", v)
	}
	s256 := code(func(q url.Values) {
		q.Set("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
		q.Set("code_challenge_method", "S256")
	})
	if status, v := e.redeem(t, form(s256, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")); status != http.StatusOK {
		t.Errorf("S256 = %d %v", status, v)
	}
}
