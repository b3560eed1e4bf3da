package app_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestMetricsToken: with PARLEY_METRICS_TOKEN set, /metrics answers only
// the bearer of the token; without it, anyone, and the start says so.
func TestMetricsToken(t *testing.T) {
	const opened = "/metrics is open"
	tests := []struct {
		name, token string
		headers     map[string]int // Authorization → status
		logsOpen    bool
	}{
		{"open", "", map[string]int{"": http.StatusOK, "Bearer guess": http.StatusOK}, true},
		{"token", "scrape-me", map[string]int{"": http.StatusUnauthorized, "Bearer guess": http.StatusUnauthorized,
			"Bearer scrape-me": http.StatusOK}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t.TempDir())
			cfg.MetricsToken = tt.token
			ta := startAppWith(t, cfg)
			client := &http.Client{Timeout: 10 * time.Second}
			for header, want := range tt.headers {
				req, err := http.NewRequest("GET", "http://"+ta.app.Addr+"/metrics", nil)
				if err != nil {
					t.Fatal(err)
				}
				if header != "" {
					req.Header.Set("Authorization", header)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatalf("GET /metrics: %v", err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != want {
					t.Errorf("GET /metrics with %q = %d, want %d", header, resp.StatusCode, want)
				}
				if served := strings.Contains(string(body), "parley_store_up"); served != (want == http.StatusOK) {
					t.Errorf("GET /metrics with %q served the metrics: %v, want %v", header, served, want == http.StatusOK)
				}
			}
			client.CloseIdleConnections()
			if got := strings.Contains(ta.logs.String(), opened); got != tt.logsOpen {
				t.Errorf("start logged %q: %v, want %v", opened, got, tt.logsOpen)
			}
		})
	}
}
