package channel

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/parleyhq/parley/internal/care"
)

func TestBaseURL(t *testing.T) {
	tests := []struct {
		name, cred, configured, def, want string
		ok                                bool
	}{
		{"default", "", "", "https://api.x.com/", "https://api.x.com", true},
		{"configured", "", "http://127.0.0.1:9/v1", "https://api.x.com", "http://127.0.0.1:9/v1", true},
		{"inbox wins", "http://127.0.0.1:8/", "http://127.0.0.1:9", "https://api.x.com", "http://127.0.0.1:8", true},
		{"not http", "ftp://example.com", "", "https://api.x.com", "", false},
		{"query", "https://example.com/?a=1", "", "https://api.x.com", "", false},
		{"no host", "https:///v1", "", "https://api.x.com", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := care.Inbox{Credentials: map[string]string{}}
			if tt.cred != "" {
				in.Credentials[CredAPIBase] = tt.cred
			}
			got, err := BaseURL(in, tt.configured, tt.def)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("BaseURL = %q, %v; want %q, ok=%v", got, err, tt.want, tt.ok)
			}
			if err != nil && care.ErrorCode(err) != care.EINVALID {
				t.Errorf("error %v is not EINVALID", err)
			}
		})
	}
}

func TestNoRedirects(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
			return
		}
		w.WriteHeader(http.StatusTeapot)
	}))
	defer srv.Close()
	orig := srv.Client()
	c := NoRedirects(orig)
	resp, err := c.Post(srv.URL+"/moved", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("status = %d, want the 302 itself", resp.StatusCode)
	}
	if orig.CheckRedirect != nil {
		t.Error("NoRedirects changed the client it was given")
	}
}
