package hooks_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/internal/care"
	"github.com/parleyhq/parley/internal/channel/apiinbox"
	"github.com/parleyhq/parley/internal/hooks"
	"github.com/parleyhq/parley/internal/netguard"
	"github.com/parleyhq/parley/internal/testdb"
)

func TestDeliver(t *testing.T) {
	testdb.Each(t, func(t *testing.T, s care.Store) {
		ctx := t.Context()
		ws := &care.Workspace{Slug: "acme", Name: "Acme"}
		if err := s.CreateWorkspace(ctx, ws); err != nil {
			t.Fatal(err)
		}
		secret, err := hooks.Secret(ctx, s, ws.ID)
		if err != nil || !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("Secret = %q, %v", secret, err)
		}
		if again, _ := hooks.Secret(ctx, s, ws.ID); again != secret {
			t.Fatal("the secret changed between calls")
		}
		var mu sync.Mutex
		var got []string
		fail := 1
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if err := apiinbox.Verify(r.Header.Get(apiinbox.SignatureHeader), []byte(secret), body, time.Now(), 72*time.Hour); err != nil { // the worker signs on its test clock
				t.Errorf("signature: %v", err)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.HasSuffix(r.URL.Path, "/gone") {
				w.WriteHeader(http.StatusGone)
				return
			}
			if fail > 0 {
				fail--
				w.WriteHeader(http.StatusServiceUnavailable)
				return
			}
			got = append(got, r.Header.Get("Parley-Delivery")+" "+string(body))
		}))
		defer srv.Close()
		now := time.Now()
		for _, h := range []*care.HookDelivery{
			{WorkspaceID: ws.ID, URL: srv.URL + "/ok", Body: []byte(`{"rule":"a"}`), CreatedAt: now},
			{WorkspaceID: ws.ID, URL: srv.URL + "/gone", Body: []byte(`{"rule":"b"}`), CreatedAt: now},
		} {
			if err := s.EnqueueHook(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		clock := now
		w := &hooks.Worker{Store: s, Client: srv.Client(), Now: func() time.Time { return clock }}
		if n, err := w.RunOnce(ctx); err != nil || n != 2 {
			t.Fatalf("first pass: %d, %v", n, err)
		}
		if len(got) != 0 {
			t.Fatalf("delivered on a 503: %v", got)
		}
		// The 503 is retried after its backoff; the 410 is not.
		clock = now.Add(2 * time.Hour)
		if n, err := w.RunOnce(ctx); err != nil || n != 1 {
			t.Fatalf("second pass: %d, %v; want the 503 retried and the 410 given up", n, err)
		}
		if len(got) != 1 || !strings.HasSuffix(got[0], `{"rule":"a"}`) {
			t.Errorf("delivered %v", got)
		}
		clock = now.Add(48 * time.Hour)
		if n, _ := w.RunOnce(ctx); n != 0 {
			t.Errorf("%d deliveries due after success and give-up, want 0", n)
		}
	})
}

func TestPublicOnly(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://203.0.113.9/elsewhere", http.StatusFound)
	}))
	defer srv.Close()
	_, err := hooks.PublicOnly(nil, time.Second).Get(srv.URL)
	if _, ok := netguard.Refused(err); !ok {
		t.Errorf("GET a loopback address = %v, want refused", err)
	}
	// The operator's allow list reaches the hooks too; a redirect is
	// answered, not followed.
	loopback, err := netguard.Parse(netguard.Loopback)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hooks.PublicOnly(loopback, time.Second).Get(srv.URL)
	if err != nil {
		t.Fatalf("GET an allowed address: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Errorf("GET an allowed address = %s, want the redirect itself", resp.Status)
	}
}
