package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// newClient returns an HTTP client that keeps up to conns keep-alive
// connections open to one host, so a run measures requests, not TCP
// handshakes.
func newClient(conns int) *http.Client {
	return &http.Client{
		Timeout: time.Minute,
		Transport: &http.Transport{
			MaxIdleConns:        conns,
			MaxIdleConnsPerHost: conns,
			MaxConnsPerHost:     conns,
			IdleConnTimeout:     time.Minute,
			DisableCompression:  true,
		},
	}
}

// load is the outcome of one closed-loop run.
type load struct {
	// Latencies[i] is request i's time from sending to having read the
	// whole answer, as the client saw it.
	Latencies []time.Duration
	// Start is when the first request was sent; Elapsed runs from then to
	// the last answer read.
	Start   time.Time
	Elapsed time.Duration
}

// drive sends n requests from c concurrent workers, each sending its next
// request as soon as the previous one is answered (a closed loop: the
// offered load is whatever the server sustains). build makes request i. An
// answer other than want stops the run with an error: a benchmark of
// failures measures nothing.
func drive(ctx context.Context, client *http.Client, n, c, want int, build func(ctx context.Context, i int) (*http.Request, error)) (load, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	res := load{Latencies: make([]time.Duration, n)}
	var next atomic.Int64
	var wg sync.WaitGroup
	res.Start = time.Now()
	for range min(c, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n || ctx.Err() != nil {
					return
				}
				req, err := build(ctx, i)
				if err != nil {
					cancel(err)
					return
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					cancel(fmt.Errorf("request %d: %w", i, err))
					return
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				res.Latencies[i] = time.Since(t0)
				if err != nil {
					cancel(fmt.Errorf("request %d: read answer: %w", i, err))
					return
				}
				if resp.StatusCode != want {
					cancel(fmt.Errorf("request %d: %s %s answered %s, want %d", i, req.Method, req.URL.Path, resp.Status, want))
					return
				}
			}
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(res.Start)
	if err := context.Cause(ctx); err != nil {
		return res, err
	}
	return res, nil
}
