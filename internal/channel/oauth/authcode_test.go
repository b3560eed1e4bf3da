package oauth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/parleyhq/parley/internal/care"
)

// RFC 7636 Appendix B's example.
func TestChallenge(t *testing.T) {
	if got, want := Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"; got != want {
		t.Errorf("Challenge = %q, want %q", got, want)
	}
	if v := NewVerifier(); len(v) != 43 || strings.Trim(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		t.Errorf("NewVerifier = %q: want 43 unreserved characters", v)
	}
	if a, b := NewState(), NewState(); a == b {
		t.Errorf("two states are equal: %q", a)
	}
}

func TestAuthRequestURL(t *testing.T) {
	r := AuthRequest{Endpoint: "https://x.com/i/oauth2/authorize", ClientID: "id", RedirectURI: "https://care.example.com/cb?a=1",
		Scopes: []string{"tweet.read", "offline.access"}, State: "st", Verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}
	u, err := r.URL()
	if err != nil {
		t.Fatal(err)
	}
	want := "https://x.com/i/oauth2/authorize?client_id=id&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256" +
		"&redirect_uri=https%3A%2F%2Fcare.example.com%2Fcb%3Fa%3D1&response_type=code&scope=tweet.read%20offline.access&state=st"
	if u != want {
		t.Errorf("URL() =\n%s\nwant\n%s", u, want)
	}
	for _, bad := range []AuthRequest{{Endpoint: "x.com/authorize", ClientID: "id", RedirectURI: "r", State: "s", Verifier: "v"},
		{Endpoint: "https://x.com/a", RedirectURI: "r", State: "s", Verifier: "v"}} {
		if _, err := bad.URL(); care.ErrorCode(err) != care.EINVALID {
			t.Errorf("URL() of %+v = %v, want EINVALID", bad, err)
		}
	}
}

func TestParseCallback(t *testing.T) {
	q, _ := url.ParseQuery("state=s&error=access_denied&error_description=The+user+declined")
	if got, want := ParseCallback(q), (Callback{State: "s", Error: "access_denied", ErrorDescription: "The user declined"}); got != want {
		t.Errorf("ParseCallback = %+v, want %+v", got, want)
	}
}

// codeServer redeems the code "good" for the verifier "v", once; it
// answers what the test sets otherwise.
type codeServer struct {
	status int
	body   string
	got    url.Values
	basic  string
}

func (s *codeServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.got = r.PostForm
	if id, secret, ok := r.BasicAuth(); ok {
		s.basic = id + ":" + secret
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(s.status)
	fmt.Fprint(w, s.body)
}

func TestExchange(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		basic     bool
		wantForm  url.Values
		wantBasic string
		wantCode  string
		wantTok   *Token
	}{
		{"public client", 200, `{"token_type":"bearer","expires_in":7200,"access_token":"at","refresh_token":"rt","scope":"tweet.read offline.access"}`, false,
			url.Values{"grant_type": {"authorization_code"}, "code": {"good"}, "redirect_uri": {"https://care.example.com/cb"}, "code_verifier": {"v"}, "client_id": {"id"}}, "",
			"", &Token{AccessToken: "at", TokenType: "bearer", ExpiresIn: 7200, RefreshToken: "rt", Scope: "tweet.read offline.access"}},
		{"confidential client", 200, `{"access_token":"at"}`, true,
			url.Values{"grant_type": {"authorization_code"}, "code": {"good"}, "redirect_uri": {"https://care.example.com/cb"}, "code_verifier": {"v"}}, "id:s%26cret",
			"", &Token{AccessToken: "at"}},
		{"refused code", 400, `{"error":"invalid_request","error_description":"Value passed for the token was invalid."}`, false, nil, "", care.EINVALID, nil},
		{"refused client", 401, `{"error":"unauthorized_client"}`, true, nil, "", care.EINVALID, nil},
		{"no access token", 200, `{"token_type":"bearer"}`, false, nil, "", care.EUNAVAILABLE, nil},
		{"outage", 503, `<html>`, false, nil, "", care.EUNAVAILABLE, nil},
		{"error in a 200", 200, `{"error":"invalid_grant"}`, false, nil, "", care.EINVALID, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &codeServer{status: tt.status, body: tt.body}
			srv := httptest.NewServer(s)
			defer srv.Close()
			tok, err := Exchange(context.Background(), srv.Client(), CodeGrant{TokenURL: srv.URL, ClientID: "id", ClientSecret: "s&cret",
				RedirectURI: "https://care.example.com/cb", Code: "good", Verifier: "v", BasicAuth: tt.basic})
			if care.ErrorCode(err) != tt.wantCode {
				t.Fatalf("Exchange error = %v, want code %q", err, tt.wantCode)
			}
			if diff := cmp.Diff(tt.wantTok, tok); diff != "" {
				t.Errorf("token (-want +got):\n%s", diff)
			}
			if tt.wantForm != nil {
				if diff := cmp.Diff(tt.wantForm, s.got); diff != "" {
					t.Errorf("form (-want +got):\n%s", diff)
				}
				if s.basic != tt.wantBasic {
					t.Errorf("basic = %q, want %q", s.basic, tt.wantBasic)
				}
			}
		})
	}
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	if _, err := Exchange(context.Background(), nil, CodeGrant{TokenURL: srv.URL, Code: "c"}); care.ErrorCode(err) != care.EUNAVAILABLE {
		t.Errorf("Exchange with the endpoint down = %v, want EUNAVAILABLE", err)
	}
}
