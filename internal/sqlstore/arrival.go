package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

const microsPerHour = int64(time.Hour / time.Microsecond)

// idSlack widens the id range Arrivals reads below the bisected bound: with
// several nodes, ids are handed out slightly out of creation order, and a
// few thousand rows read twice over cost less than one missed.
const idSlack = 10_000

func (q queries) Arrivals(ctx context.Context, workspaceID care.ID, from, to time.Time, f care.ArrivalFilter) ([]care.HourCount, error) {
	if !to.After(from) {
		return []care.HourCount{}, nil
	}
	hours := map[int64]*care.HourCount{}
	count := func(what, query string, args []any, add func(*care.HourCount, int)) error {
		rows, err := q.query(ctx, query, args...)
		if err != nil {
			return q.wrap(err, what)
		}
		defer rows.Close()
		for rows.Next() {
			var h int64
			var n int
			if err := rows.Scan(&h, &n); err != nil {
				return q.wrap(err, what)
			}
			c := hours[h]
			if c == nil {
				c = &care.HourCount{Hour: fromMicros(h * microsPerHour)}
				hours[h] = c
			}
			add(c, n)
		}
		return q.wrap(rows.Err(), what)
	}
	cond, cargs := "", []any{}
	if f.Channel != "" {
		cond += " AND c.channel = ?"
		cargs = append(cargs, string(f.Channel))
	}
	if f.TeamID != 0 {
		cond += " AND (c.team_id = ? OR c.escalation_team_id = ?)"
		cargs = append(cargs, f.TeamID, f.TeamID)
	}

	lo, err := q.firstIDFrom(ctx, "conversations", from)
	if err != nil {
		return nil, err
	}
	// The unary + keeps SQLite, which has no statistics (Parley does not
	// run ANALYZE), from taking a workspace index over the id range: that
	// would read every conversation the workspace ever had.
	err = count("arrivals", `SELECT c.created_at / `+fmt.Sprint(microsPerHour)+`, COUNT(*) FROM conversations c
		WHERE c.id >= ? AND +c.workspace_id = ? AND c.created_at >= ? AND c.created_at < ?`+cond+` GROUP BY 1`,
		append([]any{lo, workspaceID, micros(from), micros(to)}, cargs...),
		func(c *care.HourCount, n int) { c.Conversations = n })
	if err != nil {
		return nil, err
	}

	if lo, err = q.firstIDFrom(ctx, "messages", from); err != nil {
		return nil, err
	}
	join := ""
	if cond != "" {
		join = " JOIN conversations c ON c.id = m.conversation_id"
	}
	err = count("arrivals", `SELECT m.created_at / `+fmt.Sprint(microsPerHour)+`, COUNT(*) FROM messages m`+join+`
		WHERE m.id >= ? AND +m.workspace_id = ? AND m.direction = 'in' AND m.visibility <> 'note'
		AND m.created_at >= ? AND m.created_at < ?`+cond+` GROUP BY 1`,
		append([]any{lo, workspaceID, micros(from), micros(to)}, cargs...),
		func(c *care.HourCount, n int) { c.Messages = n })
	if err != nil {
		return nil, err
	}

	out := make([]care.HourCount, 0, len(hours))
	for _, c := range hours {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Hour.Before(out[j].Hour) })
	return out, nil
}

// firstIDFrom is a lower bound on the ids of table's rows created at or
// after t. Rows are stamped as they are stored, so ids grow with
// created_at, and bisecting the primary key finds the bound in about
// 2·log2(rows) index probes. A filter on created_at alone would read the
// whole table: no index orders it by time, and ingest would pay for one on
// every message.
func (q queries) firstIDFrom(ctx context.Context, table string, t time.Time) (care.ID, error) {
	var lo, hi sql.NullInt64
	// Two subqueries: SQLite answers a lone MIN or MAX from the end of the
	// primary key, but reads the whole table for both in one SELECT.
	if err := q.row(ctx, `SELECT (SELECT MIN(id) FROM `+table+`), (SELECT MAX(id) FROM `+table+`)`).Scan(&lo, &hi); err != nil {
		return 0, q.wrap(err, table)
	}
	if !hi.Valid {
		return 0, nil
	}
	// The smallest id whose first row at or after it was created at or
	// after t.
	a, b := lo.Int64, hi.Int64+1
	for a < b {
		mid := a + (b-a)/2
		// mid <= MAX(id), so there is such a row.
		var at int64
		if err := q.row(ctx, `SELECT created_at FROM `+table+` WHERE id >= ? ORDER BY id LIMIT 1`, mid).Scan(&at); err != nil {
			return 0, q.wrap(err, table)
		}
		if at >= micros(t) {
			b = mid
		} else {
			a = mid + 1
		}
	}
	return max(lo.Int64, a-idSlack), nil
}
