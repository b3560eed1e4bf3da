package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
	post := func(measured bool) (load, error) {
		bodies := bodies
		if !measured {
			bodies = warm
		}
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
	// The API inbox ingest is the first measured phase, so it is the one
	// profiled.
	return s.timeIngest(ctx, "parley ingest", inboxID, len(bodies), true, post)
}

// timeIngest runs one ingest scenario on an inbox: post sends the
// unmeasured warm-up (measured false), or the n measured requests of one
// event each. Each run is a closed loop, and the warm-up's events are
// threaded before the clock starts. It times the acknowledgements, then
// how long until the pipeline has threaded every event, and fails unless
// each measured event became exactly one raw event and one message. With
// profile set, the measured run goes into the CPU profile.
func (s *session) timeIngest(ctx context.Context, what string, inboxID care.ID, n int, profile bool, post func(measured bool) (load, error)) (*Ingest, error) {
	if _, err := post(false); err != nil {
		return nil, fmt.Errorf("bench: %s warm-up: %w", what, err)
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
	raws0, err := s.count(ctx, "raw_events", inboxID)
	if err != nil {
		return nil, err
	}

	stopProfile := func() {}
	if profile {
		if stopProfile, err = s.profile(); err != nil {
			return nil, err
		}
	}
	runtime.GC()
	w := startWindow()
	l, err := post(true)
	acked := w.throughput(n, l.Elapsed)
	if err != nil {
		stopProfile()
		return nil, fmt.Errorf("bench: %s: %w", what, err)
	}
	done, err := s.waitThreaded(ctx)
	threaded := w.throughput(n, done.Sub(l.Start))
	stopProfile()
	if err != nil {
		return nil, err
	}

	res := &Ingest{
		Messages: n, Concurrency: s.cfg.Concurrency, Authors: s.cfg.Authors,
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
	raws, err := s.count(ctx, "raw_events", inboxID)
	if err != nil {
		return nil, err
	}
	res.Stored, res.ConversationsCreated, res.RawEvents = msgs-msgs0, convs-convs0, raws-raws0
	if res.RawEvents != n {
		return nil, fmt.Errorf("bench: %s: %d events acknowledged but %d stored", what, n, res.RawEvents)
	}
	if res.Stored != n {
		return nil, fmt.Errorf("bench: %s: %d events acknowledged but %d threaded", what, n, res.Stored)
	}
	failed, err := s.countWhere(ctx, "raw_events", fmt.Sprintf("inbox_id = %d AND error <> ''", inboxID))
	if err != nil {
		return nil, err
	}
	if failed > 0 {
		return nil, fmt.Errorf("bench: %s: the pipeline failed on %d of the events", what, failed)
	}
	return res, nil
}

// createAPIInbox creates an API inbox through the REST API, as an admin
// would, and returns its id and ingest token.
func (s *session) createAPIInbox(ctx context.Context) (care.ID, string, error) {
	id, token, err := s.createInbox(ctx, inboxRequest{Channel: care.ChannelAPI, Name: "Benchmark"})
	if err == nil && token == "" {
		err = errors.New("bench: create api inbox: the answer has no ingest token")
	}
	return id, token, err
}

// inboxRequest is the body of POST /api/v1/inboxes.
type inboxRequest struct {
	Channel     care.Channel      `json:"channel"`
	Name        string            `json:"name"`
	ExternalID  string            `json:"external_id,omitempty"`
	Credentials map[string]string `json:"credentials,omitempty"`
}

// createInbox creates an inbox through the REST API, as an admin would,
// and returns its id and, for an API inbox, its ingest token.
func (s *session) createInbox(ctx context.Context, in inboxRequest) (care.ID, string, error) {
	what := fmt.Sprintf("bench: create %s inbox", in.Channel)
	body, err := json.Marshal(in)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", what, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.p.URL+"/api/v1/inboxes", bytes.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated {
		return 0, "", fmt.Errorf("%s: %s: %s", what, resp.Status, answer)
	}
	var out struct {
		Inbox struct {
			ID care.ID `json:"id"`
		} `json:"inbox"`
		Token string `json:"token"`
	}
	if err := json.Unmarshal(answer, &out); err != nil || out.Inbox.ID == 0 {
		return 0, "", fmt.Errorf("%s: unexpected answer %s", what, answer)
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
