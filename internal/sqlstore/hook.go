package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const hookCols = `id, workspace_id, url, body, attempts, next_attempt_at, last_error, delivered_at, created_at`

func scanHook(sc interface{ Scan(...any) error }) (*care.HookDelivery, error) {
	var h care.HookDelivery
	var body string
	var next, created int64
	var delivered sql.NullInt64
	if err := sc.Scan(&h.ID, &h.WorkspaceID, &h.URL, &body, &h.Attempts, &next, &h.LastError, &delivered, &created); err != nil {
		return nil, err
	}
	h.Body, h.NextAttemptAt, h.DeliveredAt, h.CreatedAt = []byte(body), fromMicros(next), timePtr(delivered), fromMicros(created)
	return &h, nil
}

func (q queries) EnqueueHook(ctx context.Context, h *care.HookDelivery) error {
	if h.CreatedAt.IsZero() {
		h.CreatedAt = time.Now()
	}
	if h.NextAttemptAt.IsZero() {
		h.NextAttemptAt = h.CreatedAt
	}
	id, err := q.insert(ctx, `INSERT INTO hook_deliveries (workspace_id, url, body, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		h.WorkspaceID, h.URL, string(h.Body), micros(h.NextAttemptAt), micros(h.CreatedAt))
	if err != nil {
		return q.wrap(err, "webhook delivery")
	}
	h.ID = id
	return nil
}

func (q queries) LeaseHooks(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]care.HookDelivery, error) {
	var out []care.HookDelivery
	err := q.inTx(ctx, func(q queries) error {
		rows, err := q.query(ctx, `SELECT `+hookCols+` FROM hook_deliveries WHERE delivered_at IS NULL AND next_attempt_at <= ?
			AND (leased_until IS NULL OR leased_until <= ?) ORDER BY next_attempt_at, id LIMIT ?`+q.d.SkipLocked, micros(now), micros(now), limit)
		if err != nil {
			return q.wrap(err, "webhook deliveries")
		}
		if out, err = collect(rows, scanHook, q, "webhook deliveries"); err != nil {
			return err
		}
		for _, h := range out {
			if _, err := q.exec(ctx, `UPDATE hook_deliveries SET leased_until = ? WHERE id = ?`, micros(now.Add(lease)), h.ID); err != nil {
				return q.wrap(err, "webhook delivery")
			}
		}
		return nil
	})
	return out, err
}

func (q queries) CompleteHook(ctx context.Context, id care.ID, at time.Time) error {
	return q.affectOne(ctx, "webhook delivery", `UPDATE hook_deliveries SET delivered_at = ?, attempts = attempts + 1, leased_until = NULL, last_error = '' WHERE id = ?`, micros(at), id)
}

func (q queries) RetryHook(ctx context.Context, id care.ID, next time.Time, lastErr string) error {
	if len(lastErr) > 1000 {
		lastErr = lastErr[:1000]
	}
	return q.affectOne(ctx, "webhook delivery", `UPDATE hook_deliveries SET attempts = attempts + 1, next_attempt_at = ?, leased_until = NULL, last_error = ? WHERE id = ?`,
		micros(next), lastErr, id)
}
