package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"time"

	"github.com/parleyhq/parley/internal/channel/apiinbox"
)

// bareHandler is the baseline: the least any webhook receiver does with one
// message. It reads the body, checks its HMAC-SHA256 signature, decodes it
// into the API inbox's message type and answers 202. Nothing is stored.
func bareHandler(secret []byte) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, apiinbox.MaxBodyBytes))
		if err != nil {
			http.Error(w, "cannot read body", http.StatusBadRequest)
			return
		}
		if err := apiinbox.Verify(r.Header.Get(apiinbox.SignatureHeader), secret, body, time.Now(), 0); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var m apiinbox.Message
		if err := json.Unmarshal(body, &m); err != nil {
			http.Error(w, "bad message", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"id":%q}`+"\n", m.ID)
	})
}

// measureBare drives the baseline server with the same bodies, clients and
// concurrency as Parley. Signatures are computed before the clock starts, as
// Parley's bearer token needs no per-request work by the client either.
func measureBare(ctx context.Context, cfg Config, bodies, warm [][]byte) (*Bare, error) {
	secret := []byte("whsec_bench_baseline_signing_secret")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench: listen: %w", err)
	}
	srv := &http.Server{Handler: bareHandler(secret), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go srv.Serve(ln)
	defer srv.Close()
	url := "http://" + ln.Addr().String() + "/messages"

	client := newClient(cfg.Concurrency)
	defer client.CloseIdleConnections()
	sign := func(bodies [][]byte) []string {
		now := time.Now()
		sigs := make([]string, len(bodies))
		for i, b := range bodies {
			sigs[i] = apiinbox.Sign(secret, now, b)
		}
		return sigs
	}
	run := func(bodies [][]byte, sigs []string) (load, error) {
		return drive(ctx, client, len(bodies), cfg.Concurrency, http.StatusAccepted, func(ctx context.Context, i int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i]))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(apiinbox.SignatureHeader, sigs[i])
			return req, nil
		})
	}
	if _, err := run(warm, sign(warm)); err != nil {
		return nil, fmt.Errorf("bench: baseline warm-up: %w", err)
	}
	sigs := sign(bodies)
	runtime.GC()
	w := startWindow()
	l, err := run(bodies, sigs)
	t := w.throughput(len(bodies), l.Elapsed)
	if err != nil {
		return nil, fmt.Errorf("bench: baseline: %w", err)
	}
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return nil, fmt.Errorf("bench: stop baseline server: %w", err)
	}
	return &Bare{Throughput: t, Latency: Summarize(l.Latencies)}, nil
}
