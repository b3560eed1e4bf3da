package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// listQuery is the statement the store runs for one agent's newest open
// conversations (sqlstore.Conversations with AssigneeID, one status, newest
// first, 50 per page and one more to know whether a next page exists). It is
// repeated here only to show its plan; keep it in step with
// internal/sqlstore/conversation.go.
const listQuery = `SELECT id, workspace_id, inbox_id, channel, contact_id, status, snoozed_until, assignee_id, team_id, tags, subject,
	priority, priority_reasons, first_response_due, next_response_due, resolution_due, linked_id, waiting_since,
	last_activity_at, message_count, created_at, updated_at FROM conversations
	WHERE workspace_id = ? AND status IN (?) AND assignee_id = ? ORDER BY last_activity_at DESC, id DESC LIMIT 51`

// listIndex is the index the list must use to stay fast at any size.
const listIndex = "conversations_assignee"

// measureList seeds the history, then times the agent's queue: through the
// store, and through GET /api/v1/conversations as a browser would ask.
// Queries run one at a time, after a short unmeasured warm-up, each for an
// assignee drawn at random.
func (s *session) measureList(ctx context.Context) (*List, error) {
	cfg := s.cfg
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x115e))
	fmt.Fprintf(cfg.Progress, "list: seeding %d conversations among %d assignees\n", cfg.Conversations, cfg.Assignees)
	t0 := time.Now()
	h, err := s.seedHistory(ctx, cfg.Conversations, cfg.Assignees, rng, cfg.Progress)
	if err != nil {
		return nil, err
	}
	res := &List{Seeded: cfg.Conversations, Assignees: cfg.Assignees, Queries: cfg.ListQueries, SeedSeconds: time.Since(t0).Seconds()}
	if res.Total, err = s.countWhere(ctx, "conversations", fmt.Sprintf("workspace_id = %d", s.ws)); err != nil {
		return nil, err
	}
	if res.Plan, err = s.plan(ctx, h.assignees[0]); err != nil {
		return nil, err
	}
	res.UsesIndex = strings.Contains(strings.Join(res.Plan, "\n"), listIndex)
	if cfg.Verbose {
		fmt.Fprintf(cfg.Progress, "list: query plan on %s:\n  %s\n", s.p.Dialect, strings.Join(res.Plan, "\n  "))
	}

	picks := make([]care.ID, cfg.ListQueries)
	for i := range picks {
		picks[i] = h.assignees[rng.IntN(len(h.assignees))]
	}
	filter := func(a care.ID) care.ConversationFilter {
		return care.ConversationFilter{WorkspaceID: s.ws, AssigneeID: a, Statuses: []care.Status{care.StatusOpen},
			Sort: care.SortNewest, Limit: 50}
	}
	for _, a := range picks[:min(100, len(picks))] {
		if _, err := s.p.Store.Conversations(ctx, filter(a)); err != nil {
			return nil, fmt.Errorf("bench: list conversations: %w", err)
		}
	}

	stopProfile := func() {}
	if cfg.SkipIngest && cfg.SkipWebhooks {
		if stopProfile, err = s.profile(); err != nil {
			return nil, err
		}
	}
	defer stopProfile()

	fmt.Fprintf(cfg.Progress, "list: %d store calls\n", len(picks))
	w := startWindow()
	lat := make([]time.Duration, len(picks))
	rows := 0
	for i, a := range picks {
		t0 := time.Now()
		page, err := s.p.Store.Conversations(ctx, filter(a))
		lat[i] = time.Since(t0)
		if err != nil {
			return nil, fmt.Errorf("bench: list conversations: %w", err)
		}
		rows += len(page.Conversations)
	}
	res.Store = Summarize(lat)
	res.RowsPerPage = float64(rows) / float64(len(picks))

	fmt.Fprintf(cfg.Progress, "list: %d HTTP requests\n", len(picks))
	if res.HTTP, err = s.timeHTTPList(ctx, picks, rows); err != nil {
		return nil, err
	}
	res.OtherCPUSeconds = w.throughput(0, 0).OtherCPUSeconds
	return res, nil
}

// timeHTTPList times GET /api/v1/conversations for each assignee in picks,
// on one keep-alive connection, and checks the pages hold as many rows in
// all as the store calls returned.
func (s *session) timeHTTPList(ctx context.Context, picks []care.ID, wantRows int) (Latency, error) {
	client := newClient(1)
	defer client.CloseIdleConnections()
	get := func(a care.ID) ([]byte, time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet,
			s.p.URL+"/api/v1/conversations?status=open&limit=50&assignee="+strconv.FormatInt(a, 10), nil)
		if err != nil {
			return nil, 0, err
		}
		req.Header.Set("Authorization", "Bearer "+s.token)
		t0 := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return nil, 0, fmt.Errorf("bench: list over http: %w", err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		d := time.Since(t0)
		if err != nil {
			return nil, 0, fmt.Errorf("bench: list over http: %w", err)
		}
		if resp.StatusCode != http.StatusOK {
			return nil, 0, fmt.Errorf("bench: list over http: %s: %s", resp.Status, body)
		}
		return body, d, nil
	}
	for _, a := range picks[:min(100, len(picks))] {
		if _, _, err := get(a); err != nil {
			return Latency{}, err
		}
	}
	lat := make([]time.Duration, len(picks))
	rows := 0
	for i, a := range picks {
		body, d, err := get(a)
		if err != nil {
			return Latency{}, err
		}
		lat[i] = d
		var page struct {
			Conversations []struct {
				ID care.ID `json:"id"`
			} `json:"conversations"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return Latency{}, fmt.Errorf("bench: list over http: decode page: %w", err)
		}
		rows += len(page.Conversations)
	}
	if rows != wantRows {
		return Latency{}, fmt.Errorf("bench: the HTTP lists returned %d conversations in all, the store calls %d", rows, wantRows)
	}
	return Summarize(lat), nil
}

// plan returns the engine's plan for listQuery, one line per row.
func (s *session) plan(ctx context.Context, assignee care.ID) ([]string, error) {
	explain, q := "EXPLAIN QUERY PLAN ", listQuery
	if s.p.Dialect == "postgres" {
		explain = "EXPLAIN "
		for i := 1; strings.Contains(q, "?"); i++ {
			q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
		}
	}
	rows, err := s.p.DB.QueryContext(ctx, explain+q, s.ws, string(care.StatusOpen), assignee)
	if err != nil {
		return nil, fmt.Errorf("bench: explain list query: %w", err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("bench: explain list query: %w", err)
	}
	var lines []string
	for rows.Next() {
		// The plan text is the last column on both engines (SQLite adds
		// id, parent and an unused column before it).
		vals := make([]any, len(cols))
		var detail string
		for i := range vals {
			vals[i] = new(any)
		}
		vals[len(vals)-1] = &detail
		if err := rows.Scan(vals...); err != nil {
			return nil, fmt.Errorf("bench: explain list query: %w", err)
		}
		lines = append(lines, detail)
	}
	return lines, rows.Err()
}
