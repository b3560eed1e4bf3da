package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// RawKeysSince reports which of keys an inbox's raw events received at or
// after since carry as their dedupe key, processed or not. The pipeline
// asks it for the deletions of messages it is about to store: a platform
// may deliver the deletion of a message before the message itself (the
// message's first delivery failed and was sent again later), and the
// deletion's raw event is then all that remembers it. The look-up uses the
// (inbox_id, dedupe_key) unique index.
func (q queries) RawKeysSince(ctx context.Context, inboxID care.ID, keys []string, since time.Time) (map[string]bool, error) {
	found := map[string]bool{}
	err := inChunks(keys, func(chunk []string) error {
		var rows *sql.Rows
		var err error
		if q.d.Arrays {
			rows, err = q.query(ctx, `SELECT dedupe_key FROM raw_events WHERE inbox_id = ? AND dedupe_key = ANY(?::text[]) AND received_at >= ?`,
				inboxID, chunk, micros(since))
		} else {
			args, in := inList([]any{inboxID}, chunk)
			rows, err = q.query(ctx, `SELECT dedupe_key FROM raw_events WHERE inbox_id = ? AND dedupe_key IN (`+in+`) AND received_at >= ?`,
				append(args, micros(since))...)
		}
		if err != nil {
			return q.wrap(err, "raw events")
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				return q.wrap(err, "raw events")
			}
			found[k] = true
		}
		return q.wrap(rows.Err(), "raw events")
	})
	return found, err
}
