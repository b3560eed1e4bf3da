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

// pollEvery is how often the store is asked whether the pipeline is done.
// It bounds the error of the "stored and threaded" time; polling much more
// often shows up in the CPU time being measured.
const pollEvery = 10 * time.Millisecond

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
		return nil, fmt.Errorf("bench: parley warm-up: %w", err)
	}
	if _, err := s.waitThreaded(ctx); err != nil {
		return nil, err
	}
	convs0, err := s.count(ctx, "conversations", inboxID)
	if err != nil {
		return nil, err
	}
	msgs0, err := s.count(ctx, "messages", inboxID)
	if err != nil {
		return nil, err
	}

	stopProfile, err := s.profile()
	if err != nil {
		return nil, err
	}
	runtime.GC()
	w := startWindow()
	l, err := run(bodies)
	acked := w.throughput(len(bodies), l.Elapsed)
	if err != nil {
		stopProfile()
		return nil, fmt.Errorf("bench: parley ingest: %w", err)
	}
	done, err := s.waitThreaded(ctx)
	threaded := w.throughput(len(bodies), done.Sub(l.Start))
	stopProfile()
	if err != nil {
		return nil, err
	}

	res := &Ingest{
		Messages: len(bodies), Concurrency: s.cfg.Concurrency, Authors: s.cfg.Authors,
		Acknowledged: acked,
		Latency:      Summarize(l.Latencies),
		Threaded:     threaded,
	}
	msgs, err := s.count(ctx, "messages", inboxID)
	if err != nil {
		return nil, err
	}
	convs, err := s.count(ctx, "conversations", inboxID)
	if err != nil {
		return nil, err
	}
	res.Stored, res.ConversationsCreated = msgs-msgs0, convs-convs0
	if res.Stored != len(bodies) {
		return nil, fmt.Errorf("bench: %d messages acknowledged but %d threaded", len(bodies), res.Stored)
	}
	failed, err := s.countWhere(ctx, "raw_events", fmt.Sprintf("inbox_id = %d AND error <> ''", inboxID))
	if err != nil {
		return nil, err
	}
	if failed > 0 {
		return nil, fmt.Errorf("bench: the pipeline failed on %d of the events", failed)
	}
	return res, nil
}

// createAPIInbox creates an API inbox through the REST API, as an admin
// would, and returns its id and ingest token.
func (s *session) createAPIInbox(ctx context.Context) (care.ID, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.p.URL+"/api/v1/inboxes",
		bytes.NewReader([]byte(`{"channel":"api","name":"Benchmark"}`)))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("bench: create api inbox: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return 0, "", fmt.Errorf("bench: create api inbox: %s: %s", resp.Status, body)
	}
	var out struct {
		Inbox struct {
			ID care.ID `json:"id"`
		} `json:"inbox"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal(body, &out); err != nil || out.Inbox.ID == 0 || out.Token == "" {
		return 0, "", fmt.Errorf("bench: create api inbox: unexpected answer %s", body)
	}
	return out.Inbox.ID, out.Token, nil
}

// waitThreaded polls the store until no raw event is pending and returns
// when it saw that. Every acknowledged event is already stored, so once
// none is pending, every one has been threaded.
func (s *session) waitThreaded(ctx context.Context) (time.Time, error) {
	deadline := time.Now().Add(30 * time.Minute)
	for {
		pending, err := s.p.Store.PendingRaw(ctx, 1)
		if err != nil {
			return time.Time{}, fmt.Errorf("bench: poll pending events: %w", err)
		}
		now := time.Now()
		if len(pending) == 0 {
			return now, nil
		}
		if now.After(deadline) {
			return time.Time{}, fmt.Errorf("bench: events still pending after 30 minutes")
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// count returns how many rows of table belong to the inbox.
func (s *session) count(ctx context.Context, table string, inboxID care.ID) (int, error) {
	return s.countWhere(ctx, table, fmt.Sprintf("inbox_id = %d", inboxID))
}

// countWhere counts rows of table matching where. Both are constants of
// this package or formatted integers, never outside input.
func (s *session) countWhere(ctx context.Context, table, where string) (int, error) {
	var n int
	if err := s.p.DB.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+where).Scan(&n); err != nil {
		return 0, fmt.Errorf("bench: count %s: %w", table, err)
	}
	return n, nil
}
