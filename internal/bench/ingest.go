package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// pollEvery is how often the store is asked whether the pipeline is done;
// it bounds the error of the "stored and threaded" time.
const pollEvery = 2 * time.Millisecond

// measureIngest posts the bodies to a new API inbox and times their
// acknowledgements, then how long until the pipeline has threaded them all.
// An acknowledgement means the message is durable: the server answers only
// after the group commit that stored it.
func (s *session) measureIngest(ctx context.Context, bodies, warm [][]byte) (*Ingest, error) {
	inboxID, inboxToken, err := s.createAPIInbox(ctx)
	if err != nil {
		return nil, err
	}
	url := fmt.Sprintf("%s/api/v1/inboxes/%d/messages", s.p.URL, inboxID)
	client := newClient(s.cfg.Concurrency)
	defer client.CloseIdleConnections()
	run := func(bodies [][]byte) (load, error) {
		return drive(ctx, client, len(bodies), s.cfg.Concurrency, http.StatusAccepted, func(ctx context.Context, i int) (*http.Request, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(bodies[i]))
			if err != nil {
				return nil, err
			}
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+inboxToken)
			return req, nil
		})
	}

	if _, err := run(warm); err != nil {
		return nil, fmt.Errorf("warm-up: %w", err)
	}
	if err := s.waitThreaded(ctx); err != nil {
		return nil, err
	}
	convs0, err := s.count(ctx, "conversations", inboxID)
	if err != nil {
		return nil, err
	}

	stopProfile, err := s.profile()
	if err != nil {
		return nil, err
	}
	runtime.GC()
	cpu0 := cpuTime()
	l, err := run(bodies)
	ackCPU := cpuTime() - cpu0
	if err != nil {
		stopProfile()
		return nil, err
	}
	err = s.waitThreaded(ctx)
	threaded := time.Since(time.Now().Add(-l.Elapsed)) // placeholder, replaced below
	_ = threaded
	return nil, err
}
