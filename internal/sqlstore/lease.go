package sqlstore

import (
	"context"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

func (q queries) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) (bool, error) {
	if name == "" || holder == "" || ttl <= 0 {
		return false, care.Errorf(care.EINVALID, "A lease needs a name, a holder and a positive duration.")
	}
	// One statement, so two nodes racing cannot both win: the conflict
	// clause updates only a lease that expired or is already the holder's.
	res, err := q.exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.expires_at <= ? OR leases.holder = excluded.holder`,
		name, holder, micros(now.Add(ttl)), micros(now))
	if err != nil {
		return false, q.wrap(err, "lease")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, q.wrap(err, "lease")
	}
	return n == 1, nil
}

func (q queries) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := q.exec(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
	return q.wrap(err, "lease")
}
