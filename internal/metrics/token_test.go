package metrics

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRequireToken(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("metrics")) })
	tests := []struct {
		name, token, header string
		want                int
	}{
		{"open without a token", "", "", http.StatusOK},
		{"open ignores a header", "", "Bearer whatever", http.StatusOK},
		{"no header", "s3cret", "", http.StatusUnauthorized},
		{"wrong token", "s3cret", "Bearer s3cre", http.StatusUnauthorized},
		{"longer token", "s3cret", "Bearer s3cret2", http.StatusUnauthorized},
		{"basic scheme", "s3cret", "Basic s3cret", http.StatusUnauthorized},
		{"bare token", "s3cret", "s3cret", http.StatusUnauthorized},
		{"empty bearer", "s3cret", "Bearer ", http.StatusUnauthorized},
		{"right token", "s3cret", "Bearer s3cret", http.StatusOK},
		{"scheme in any case", "s3cret", "bearer s3cret", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/metrics", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			w := httptest.NewRecorder()
			RequireToken(tt.token, ok).ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Errorf("GET /metrics with %q = %d, want %d", tt.header, w.Code, tt.want)
			}
			if w.Code == http.StatusUnauthorized && w.Header().Get("WWW-Authenticate") == "" {
				t.Error("a refusal without WWW-Authenticate")
			}
			if w.Code != http.StatusOK && w.Body.String() == "metrics" {
				t.Error("a refusal served the metrics")
			}
		})
	}
}
