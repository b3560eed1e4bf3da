package metrics

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// scrape fetches the exposition text from m's handler over HTTP.
func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL)
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read /metrics: %v", err)
	}
	return string(body)
}

func TestHandler(t *testing.T) {
	m := New()
	for range 3 {
		m.IngestAccepted.WithLabelValues("x", OutcomeStored).Inc()
	}
	m.IngestAccepted.WithLabelValues("email", OutcomeDuplicate).Inc()
	m.PipelineLatency.WithLabelValues(StageAck).Observe(0.002)
	m.SendErrors.WithLabelValues("whatsapp", KindTemporary).Inc()
	m.Sent.WithLabelValues("whatsapp").Add(2)
	m.SetOutboxDepthFunc(func() (float64, error) { return 7, nil })

	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/conversations/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("{}"))
	})
	mux.HandleFunc("POST /v1/conversations", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusCreated)
	})
	h := m.Middleware(nil, mux)
	for _, req := range []*http.Request{
		httptest.NewRequest("GET", "/v1/conversations/1", nil),
		httptest.NewRequest("GET", "/v1/conversations/2", nil),
		httptest.NewRequest("POST", "/v1/conversations", nil),
		httptest.NewRequest("GET", "/nowhere/1", nil),
		httptest.NewRequest("BREW", "/nowhere/2", nil),
	} {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	body := scrape(t, m)
	for _, want := range []string{
		`parley_ingest_messages_total{channel="x",outcome="stored"} 3`,
		`parley_ingest_messages_total{channel="email",outcome="duplicate"} 1`,
		`parley_pipeline_seconds_bucket{stage="ack",le="0.0025"} 1`,
		`parley_pipeline_seconds_count{stage="ack"} 1`,
		`parley_outbox_depth 7`,
		`parley_store_up 1`,
		`parley_send_errors_total{channel="whatsapp",kind="temporary"} 1`,
		`parley_sent_total{channel="whatsapp"} 2`,
		`parley_http_requests_total{code="200",method="GET",route="GET /v1/conversations/{id}"} 2`,
		`parley_http_requests_total{code="201",method="POST",route="POST /v1/conversations"} 1`,
		`parley_http_requests_total{code="404",method="GET",route="other"} 1`,
		`parley_http_requests_total{code="404",method="other",route="other"} 1`,
		`parley_http_request_seconds_count{route="GET /v1/conversations/{id}"} 2`,
		"# TYPE go_goroutines gauge",
		"# TYPE process_cpu_seconds_total counter",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
	if t.Failed() {
		t.Logf("scrape:\n%s", body)
	}
}

func TestOutboxDepthDefault(t *testing.T) {
	body := scrape(t, New())
	for _, want := range []string{"\nparley_outbox_depth 0\n", "\nparley_store_up 1\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("scrape before SetOutboxDepthFunc lacks %q:\n%s", strings.TrimSpace(want), body)
		}
	}
}

// A store that cannot be read shows as parley_store_up 0, with no depth at
// all rather than a number a dashboard would take for a real one.
func TestStoreDown(t *testing.T) {
	m := New()
	var err error
	m.SetOutboxDepthFunc(func() (float64, error) { return 3, err })
	for _, tc := range []struct {
		name    string
		err     error
		want    []string
		wantNot []string
	}{
		{"up", nil, []string{"\nparley_outbox_depth 3\n", "\nparley_store_up 1\n"}, nil},
		{"down", errors.New("connection refused"), []string{"\nparley_store_up 0\n"}, []string{"\nparley_outbox_depth "}},
		{"up again", nil, []string{"\nparley_outbox_depth 3\n", "\nparley_store_up 1\n"}, nil},
	} {
		err = tc.err
		body := scrape(t, m)
		for _, want := range tc.want {
			if !strings.Contains(body, want) {
				t.Errorf("%s: scrape lacks %q", tc.name, strings.TrimSpace(want))
			}
		}
		for _, not := range tc.wantNot {
			if strings.Contains(body, not) {
				t.Errorf("%s: scrape has %q", tc.name, not)
			}
		}
		if t.Failed() {
			t.Fatalf("%s: scrape:\n%s", tc.name, body)
		}
	}
}

func TestMiddleware(t *testing.T) {
	for _, tc := range []struct {
		name      string
		route     func(*http.Request) string
		handler   http.HandlerFunc
		wantCode  string
		wantRoute string
	}{
		{
			name:      "no write is 200",
			handler:   func(http.ResponseWriter, *http.Request) {},
			wantCode:  "200",
			wantRoute: "other",
		},
		{
			name: "early hints then status",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusEarlyHints)
				w.WriteHeader(http.StatusAccepted)
			},
			wantCode:  "202",
			wantRoute: "other",
		},
		{
			name:  "custom route",
			route: func(*http.Request) string { return "stream" },
			handler: func(w http.ResponseWriter, r *http.Request) {
				// The wrapper must not hide flushing from handlers that stream.
				if err := http.NewResponseController(w).Flush(); err != nil {
					t.Errorf("Flush through middleware: %v", err)
				}
			},
			wantCode:  "200",
			wantRoute: "stream",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New()
			m.Middleware(tc.route, tc.handler).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
			want := `parley_http_requests_total{code="` + tc.wantCode + `",method="GET",route="` + tc.wantRoute + `"} 1`
			if body := scrape(t, m); !strings.Contains(body, want) {
				t.Errorf("scrape lacks %q", want)
			}
		})
	}
}
