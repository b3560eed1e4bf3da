package bench

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Bulk-insert sizes: rows per INSERT stay under SQLite's 32,766 bound
// variables; rows per transaction keep each commit's fsync rare without
// holding the single SQLite writer for long.
const (
	maxVarsPerStmt = 30_000
	maxRowsPerStmt = 1_000
	rowsPerTx      = 50_000
)

// history is what seedHistory created.
type history struct {
	assignees []care.ID
	inboxID   care.ID
}

// seedHistory inserts n conversations straight into the store's tables, as
// years of traffic would have left them: half as many contacts, assignees
// agents holding nine in ten conversations, most resolved, some open,
// pending or snoozed, with activity spread over the past year. It goes
// around the store's API, which would take hours for a million rows, so it
// must write rows the store would also have written.
func (s *session) seedHistory(ctx context.Context, n, assignees int, rng *rand.Rand, progress io.Writer) (*history, error) {
	now := time.Now()
	inbox := &care.Inbox{WorkspaceID: s.ws, Channel: care.ChannelX, Name: "Seeded history", ExternalID: "bench", CreatedAt: now}
	if err := s.p.Store.CreateInbox(ctx, inbox); err != nil {
		return nil, fmt.Errorf("bench: create seed inbox: %w", err)
	}
	b := bulk{db: s.p.DB, numbered: s.p.Dialect == "postgres"}
	h := &history{inboxID: inbox.ID}

	userBase, err := b.maxID(ctx, "users")
	if err != nil {
		return nil, err
	}
	for i := range assignees {
		h.assignees = append(h.assignees, userBase+care.ID(i)+1)
	}
	err = b.insert(ctx, "users", []string{"id", "email", "name", "created_at"}, assignees, func(i int, row []any) {
		row[0], row[1], row[2], row[3] = h.assignees[i], fmt.Sprintf("agent%d.%d@bench.parley.local", h.assignees[i], s.cfg.Seed),
			fmt.Sprintf("Agent %d", i+1), now.UnixMicro()
	}, nil)
	if err != nil {
		return nil, err
	}
	err = b.insert(ctx, "members", []string{"workspace_id", "user_id", "role"}, assignees, func(i int, row []any) {
		row[0], row[1], row[2] = s.ws, h.assignees[i], string(care.RoleAgent)
	}, nil)
	if err != nil {
		return nil, err
	}

	contacts := (n + 1) / 2
	contactBase, err := b.maxID(ctx, "contacts")
	if err != nil {
		return nil, err
	}
	err = b.insert(ctx, "contacts", []string{"id", "workspace_id", "name", "created_at"}, contacts, func(i int, row []any) {
		row[0], row[1], row[2], row[3] = contactBase+care.ID(i)+1, s.ws, "Customer "+strconv.Itoa(i+1), now.UnixMicro()
	}, func(done int) { fmt.Fprintf(progress, "seed: %d of %d contacts\n", done, contacts) })
	if err != nil {
		return nil, err
	}

	const year = 365 * 24 * time.Hour
	cols := []string{"workspace_id", "inbox_id", "channel", "contact_id", "status", "snoozed_until", "assignee_id",
		"subject", "priority", "waiting_since", "last_activity_at", "message_count", "created_at", "updated_at"}
	started := time.Now()
	err = b.insert(ctx, "conversations", cols, n, func(i int, row []any) {
		status, snoozed := care.StatusResolved, any(nil)
		switch r := rng.IntN(100); {
		case r < 25:
			status = care.StatusOpen
		case r < 35:
			status = care.StatusPending
		case r < 40:
			status = care.StatusSnoozed
			snoozed = now.Add(time.Duration(rng.Int64N(int64(7 * 24 * time.Hour)))).UnixMicro()
		}
		var assignee care.ID
		if rng.IntN(10) != 0 {
			assignee = h.assignees[rng.IntN(len(h.assignees))]
		}
		last := now.Add(-time.Duration(rng.Int64N(int64(year))))
		created := last.Add(-time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		var waiting any
		if status == care.StatusOpen {
			waiting = last.UnixMicro()
		}
		subject := ""
		if rng.IntN(4) == 0 {
			subject = "Order question"
		}
		row[0], row[1], row[2], row[3], row[4], row[5], row[6] = s.ws, h.inboxID, string(care.ChannelX),
			contactBase+care.ID(i%contacts)+1, string(status), snoozed, assignee
		row[7], row[8], row[9], row[10], row[11], row[12], row[13] = subject, float64(rng.IntN(1000))/10, waiting,
			last.UnixMicro(), 1+rng.IntN(40), created.UnixMicro(), last.UnixMicro()
	}, func(done int) {
		el := time.Since(started)
		fmt.Fprintf(progress, "seed: %d of %d conversations (%.1f s, %.0f rows/s)\n", done, n, el.Seconds(), perSecond(done, el))
	})
	if err != nil {
		return nil, err
	}
	// The store adds the rows it writes to its search indexes as it
	// commits (SQLite's in one statement per transaction); rows written
	// around it are added now, as the store would have.
	if ix, ok := s.p.Store.(interface{ IndexSearch(context.Context) error }); ok {
		if err := ix.IndexSearch(ctx); err != nil {
			return nil, fmt.Errorf("bench: index the seeded contacts for search: %w", err)
		}
	}
	if b.numbered {
		// Explicit ids leave PostgreSQL's identity sequences behind; move
		// them on so the store's own inserts do not collide. Then gather
		// the statistics autovacuum would gather a little later.
		for _, t := range []string{"users", "contacts"} {
			if _, err := b.db.ExecContext(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT MAX(id) FROM %s))", t, t)); err != nil {
				return nil, fmt.Errorf("bench: advance %s id sequence: %w", t, err)
			}
		}
		if _, err := b.db.ExecContext(ctx, "ANALYZE"); err != nil {
			return nil, fmt.Errorf("bench: analyze: %w", err)
		}
	}
	return h, nil
}

// bulk writes rows with multi-row INSERT statements in large transactions.
type bulk struct {
	db       *sql.DB
	numbered bool // $1 placeholders (PostgreSQL) instead of ?
}

func (b bulk) maxID(ctx context.Context, table string) (care.ID, error) {
	var id sql.NullInt64
	if err := b.db.QueryRowContext(ctx, "SELECT MAX(id) FROM "+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("bench: max id of %s: %w", table, err)
	}
	return id.Int64, nil
}

// insert writes n rows into table; fill sets row i's values, in the order
// of cols. progress, if not nil, is called after each transaction with the
// number of rows written so far.
func (b bulk) insert(ctx context.Context, table string, cols []string, n int, fill func(i int, row []any), progress func(done int)) error {
	perStmt := max(1, min(maxRowsPerStmt, maxVarsPerStmt/len(cols)))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	full := head + valuesSQL(perStmt, len(cols), b.numbered)
	args := make([]any, perStmt*len(cols))
	for start := 0; start < n; start += rowsPerTx {
		end := min(n, start+rowsPerTx)
		if err := b.insertTx(ctx, table, head, full, cols, perStmt, start, end, args, fill); err != nil {
			return err
		}
		if progress != nil {
			progress(end)
		}
	}
	return nil
}

func (b bulk) insertTx(ctx context.Context, table, head, full string, cols []string, perStmt, start, end int, args []any, fill func(int, []any)) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bench: seed %s: begin: %w", table, err)
	}
	defer tx.Rollback()
	var stmt *sql.Stmt
	for i := start; i < end; i += perStmt {
		k := min(perStmt, end-i)
		a := args[:k*len(cols)]
		for r := range k {
			fill(i+r, a[r*len(cols):(r+1)*len(cols)])
		}
		if k < perStmt {
			if _, err := tx.ExecContext(ctx, head+valuesSQL(k, len(cols), b.numbered), a...); err != nil {
				return fmt.Errorf("bench: seed %s: %w", table, err)
			}
			continue
		}
		if stmt == nil {
			if stmt, err = tx.PrepareContext(ctx, full); err != nil {
				return fmt.Errorf("bench: seed %s: prepare: %w", table, err)
			}
			defer stmt.Close()
		}
		if _, err := stmt.ExecContext(ctx, a...); err != nil {
			return fmt.Errorf("bench: seed %s: %w", table, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bench: seed %s: commit: %w", table, err)
	}
	return nil
}

// valuesSQL returns the VALUES list for rows rows of cols columns:
// "(?, ?), (?, ?)", or "($1, $2), ($3, $4)" when numbered.
func valuesSQL(rows, cols int, numbered bool) string {
	var sb strings.Builder
	n := 0
	for r := range rows {
		if r > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for c := range cols {
			if c > 0 {
				sb.WriteString(", ")
			}
			if numbered {
				n++
				sb.WriteByte('$')
				sb.WriteString(strconv.Itoa(n))
			} else {
				sb.WriteByte('?')
			}
		}
		sb.WriteByte(')')
	}
	return sb.String()
}
