package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// rawChunk bounds the rows of one multi-row raw event insert (7 parameters
// each, far below every engine's limit).
const rawChunk = 500

// AppendRaw stores a batch in one transaction, so one fsync covers every
// event in it: this is the group commit the ingest path builds on. The
// batch's new events go in multi-row statements; an event whose key is
// already stored, or came earlier in the batch, is a duplicate.
func (db *DB) AppendRaw(ctx context.Context, events []care.RawEvent) ([]care.AppendResult, error) {
	results := make([]care.AppendResult, len(events))
	type key struct {
		inbox  care.ID
		dedupe string
	}
	first := make(map[key]int, len(events)) // the first event with each key
	fresh := make([]int, 0, len(events))
	for i := range events {
		e := &events[i]
		if e.ReceivedAt.IsZero() {
			e.ReceivedAt = time.Now()
		}
		k := key{e.InboxID, e.DedupeKey}
		if _, ok := first[k]; !ok {
			first[k] = i
			fresh = append(fresh, i)
		}
	}
	err := db.queries.inTx(ctx, func(q queries) error {
		var buf []byte
		for start := 0; start < len(fresh); start += rawChunk {
			chunk := fresh[start:min(start+rawChunk, len(fresh))]
			args := make([]any, 0, 7*len(chunk))
			var b strings.Builder
			b.WriteString(`INSERT INTO raw_events (workspace_id, inbox_id, dedupe_key, payload, inbound, received_at, refers_to) VALUES `)
			for n, i := range chunk {
				e := &events[i]
				// AppendJSON writes json.Marshal's bytes without reflection
				// (string copies them out of the reused buffer); nil means
				// json.Marshal fails too, and says why.
				buf = e.Inbound.AppendJSON(buf[:0])
				inbound := buf
				if inbound == nil {
					var err error
					if inbound, err = json.Marshal(e.Inbound); err != nil {
						return fmt.Errorf("sqlstore: encode inbound: %w", err)
					}
				}
				if n > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
				args = append(args, e.WorkspaceID, e.InboxID, e.DedupeKey, nonNil(e.Payload), string(inbound), micros(e.ReceivedAt), refersTo(&e.Inbound))
			}
			b.WriteString(` ON CONFLICT (inbox_id, dedupe_key) DO NOTHING RETURNING id, inbox_id, dedupe_key`)
			rows, err := q.query(ctx, b.String(), args...)
			if err != nil {
				return q.wrap(err, "raw events")
			}
			for rows.Next() {
				var id care.ID
				var k key
				if err := rows.Scan(&id, &k.inbox, &k.dedupe); err != nil {
					rows.Close()
					return q.wrap(err, "raw events")
				}
				i, ok := first[k]
				if !ok {
					rows.Close()
					return fmt.Errorf("sqlstore: raw event %d stored under a key the batch does not have", id)
				}
				events[i].ID, results[i] = id, care.AppendResult{ID: id}
			}
			if err := rows.Close(); err != nil {
				return q.wrap(err, "raw events")
			}
			if err := rows.Err(); err != nil {
				return q.wrap(err, "raw events")
			}
		}
		// What the inserts skipped was stored before.
		for _, i := range fresh {
			if results[i].ID != 0 {
				continue
			}
			var id care.ID
			if err := q.row(ctx, `SELECT id FROM raw_events WHERE inbox_id = ? AND dedupe_key = ?`, events[i].InboxID, events[i].DedupeKey).Scan(&id); err != nil {
				return q.wrap(err, "raw event")
			}
			results[i] = care.AppendResult{ID: id, Duplicate: true}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range events {
		if j := first[key{events[i].InboxID, events[i].DedupeKey}]; j != i {
			results[i] = care.AppendResult{ID: results[j].ID, Duplicate: true}
		}
	}
	return results, nil
}

// refersTo is the raw_events.refers_to of an event: the message a reaction
// names, which RawReactionsTo looks up; "" for every other kind, so the
// column's partial index holds reactions alone.
func refersTo(in *care.Inbound) string {
	if in.Kind == care.KindReaction {
		return in.ReplyToPlatformID
	}
	return ""
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

const rawCols = `id, workspace_id, inbox_id, dedupe_key, payload, inbound, received_at, processed_at, error`

func scanRaw(sc interface{ Scan(...any) error }) (*care.RawEvent, error) {
	var e care.RawEvent
	var inbound string
	var received int64
	var processed sql.NullInt64
	if err := sc.Scan(&e.ID, &e.WorkspaceID, &e.InboxID, &e.DedupeKey, &e.Payload, &inbound, &received, &processed, &e.Error); err != nil {
		return nil, err
	}
	e.ReceivedAt, e.ProcessedAt = fromMicros(received), timePtr(processed)
	// AppendRaw stored what AppendJSON writes, which ParseJSONString reads
	// without reflection; rows written otherwise go to json.Unmarshal.
	if !e.Inbound.ParseJSONString(inbound) {
		if err := json.Unmarshal([]byte(inbound), &e.Inbound); err != nil {
			return nil, fmt.Errorf("decode inbound: %w", err)
		}
	}
	return &e, nil
}

func (q queries) RawEvent(ctx context.Context, id care.ID) (*care.RawEvent, error) {
	e, err := scanRaw(q.row(ctx, `SELECT `+rawCols+` FROM raw_events WHERE id = ?`, id))
	return e, q.wrap(err, "raw event")
}

func (q queries) PendingRaw(ctx context.Context, limit int) ([]care.RawEvent, error) {
	lock := ""
	if q.intx {
		lock = q.d.SkipLocked
	}
	rows, err := q.query(ctx, `SELECT `+rawCols+` FROM raw_events WHERE processed_at IS NULL ORDER BY id LIMIT ?`+lock, limit)
	if err != nil {
		return nil, q.wrap(err, "raw events")
	}
	return collect(rows, scanRaw, q, "raw events")
}

func (q queries) MarkRawProcessed(ctx context.Context, id care.ID, now time.Time, errText string) error {
	return q.affectOne(ctx, "raw event", `UPDATE raw_events SET processed_at = ?, error = ? WHERE id = ?`, micros(now), errText, id)
}

func (q queries) MarkRawsProcessed(ctx context.Context, ids []care.ID, now time.Time) error {
	return q.inTx(ctx, func(q queries) error { return q.markRaws(ctx, ids, now) })
}

func (q queries) markRaws(ctx context.Context, ids []care.ID, now time.Time) error {
	return inChunks(ids, func(chunk []care.ID) error {
		var res sql.Result
		var err error
		if q.d.Arrays {
			res, err = q.exec(ctx, `UPDATE raw_events SET processed_at = ?, error = '' WHERE id = ANY(?::bigint[])`, micros(now), chunk)
		} else {
			args, in := inList([]any{micros(now)}, chunk)
			res, err = q.exec(ctx, `UPDATE raw_events SET processed_at = ?, error = '' WHERE id IN (`+in+`)`, args...)
		}
		if err != nil {
			return q.wrap(err, "raw events")
		}
		if n, err := res.RowsAffected(); err != nil {
			return q.wrap(err, "raw events")
		} else if int(n) != len(chunk) {
			return care.Errorf(care.ENOTFOUND, "Raw event not found.")
		}
		return nil
	})
}

func (q queries) ResetRaw(ctx context.Context, inboxID care.ID, since time.Time) (int, error) {
	query, args := `UPDATE raw_events SET processed_at = NULL, error = '' WHERE received_at >= ?`, []any{micros(since)}
	if inboxID != 0 {
		query, args = query+` AND inbox_id = ?`, append(args, inboxID)
	}
	res, err := q.exec(ctx, query, args...)
	if err != nil {
		return 0, q.wrap(err, "raw events")
	}
	n, err := res.RowsAffected()
	return int(n), q.wrap(err, "raw events")
}

func (q queries) AppendEvent(ctx context.Context, e *care.Event) error {
	if e.CreatedAt.IsZero() {
		e.CreatedAt = time.Now()
	}
	e.CreatedAt = fromMicros(micros(e.CreatedAt))
	return q.inTx(ctx, func(q queries) error {
		// Readers resume streams by id, so ids must become visible in
		// order; where several writers commit concurrently the dialect
		// serialises event appends until commit.
		if q.d.EventLock != "" {
			if _, err := q.exec(ctx, q.d.EventLock); err != nil {
				return q.wrap(err, "event lock")
			}
		}
		id, err := q.insert(ctx, `INSERT INTO events (workspace_id, type, conversation_id, message_id, inbox_id, data, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			e.WorkspaceID, string(e.Type), e.ConversationID, e.MessageID, e.InboxID, string(e.Data), micros(e.CreatedAt))
		if err != nil {
			return q.wrap(err, "event")
		}
		e.ID = id
		return nil
	})
}

// eventChunk bounds the rows of one multi-row event insert (7 parameters
// each, far below every engine's limit).
const eventChunk = 200

func (q queries) AppendEvents(ctx context.Context, evs []care.Event) error {
	if len(evs) == 0 {
		return nil
	}
	return q.inTx(ctx, func(q queries) error {
		if q.d.EventLock != "" {
			if _, err := q.exec(ctx, q.d.EventLock); err != nil {
				return q.wrap(err, "event lock")
			}
		}
		for start := 0; start < len(evs); start += eventChunk {
			chunk := evs[start:min(start+eventChunk, len(evs))]
			args := make([]any, 0, 7*len(chunk))
			var b strings.Builder
			b.WriteString(`INSERT INTO events (workspace_id, type, conversation_id, message_id, inbox_id, data, created_at) VALUES `)
			for i := range chunk {
				e := &chunk[i]
				if e.CreatedAt.IsZero() {
					e.CreatedAt = time.Now()
				}
				e.CreatedAt = fromMicros(micros(e.CreatedAt))
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
				args = append(args, e.WorkspaceID, string(e.Type), e.ConversationID, e.MessageID, e.InboxID, string(e.Data), micros(e.CreatedAt))
			}
			b.WriteString(" RETURNING id")
			rows, err := q.query(ctx, b.String(), args...)
			if err != nil {
				return q.wrap(err, "events")
			}
			ids, err := collectIDs(rows, q)
			if err != nil {
				return err
			}
			if len(ids) != len(chunk) {
				return fmt.Errorf("sqlstore: %d events inserted, %d ids returned", len(chunk), len(ids))
			}
			// Ids are given in the order the rows are inserted, one writer
			// at a time (SQLite's, or the event lock's); RETURNING's order
			// is not promised, so the sorted ids are matched to the rows.
			slices.Sort(ids)
			for i := range chunk {
				chunk[i].ID = ids[i]
			}
		}
		return nil
	})
}

func scanEvent(sc interface{ Scan(...any) error }) (*care.Event, error) {
	var e care.Event
	var typ, data string
	var at int64
	if err := sc.Scan(&e.ID, &e.WorkspaceID, &typ, &e.ConversationID, &e.MessageID, &e.InboxID, &data, &at); err != nil {
		return nil, err
	}
	e.Type, e.CreatedAt = care.EventType(typ), fromMicros(at)
	if data != "" {
		e.Data = json.RawMessage(data)
	}
	return &e, nil
}

func (q queries) EventsAfter(ctx context.Context, workspaceID care.ID, afterID care.ID, limit int) ([]care.Event, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := q.query(ctx, `SELECT id, workspace_id, type, conversation_id, message_id, inbox_id, data, created_at FROM events
		WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?`, workspaceID, afterID, limit)
	if err != nil {
		return nil, q.wrap(err, "events")
	}
	return collect(rows, scanEvent, q, "events")
}

func (q queries) LatestEventID(ctx context.Context, workspaceID care.ID) (care.ID, error) {
	var id sql.NullInt64
	err := q.row(ctx, `SELECT MAX(id) FROM events WHERE workspace_id = ?`, workspaceID).Scan(&id)
	return id.Int64, q.wrap(err, "events")
}

func (q queries) AppendAudit(ctx context.Context, a *care.AuditEntry) error {
	if a.CreatedAt.IsZero() {
		a.CreatedAt = time.Now()
	}
	a.CreatedAt = fromMicros(micros(a.CreatedAt))
	id, err := q.insert(ctx, `INSERT INTO audit (workspace_id, actor, action, target, details, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		a.WorkspaceID, a.Actor, a.Action, a.Target, string(a.Details), micros(a.CreatedAt))
	if err != nil {
		return q.wrap(err, "audit entry")
	}
	a.ID = id
	return nil
}

func (q queries) Audit(ctx context.Context, workspaceID care.ID, target string, limit int) ([]care.AuditEntry, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	query, args := `SELECT id, workspace_id, actor, action, target, details, created_at FROM audit WHERE workspace_id = ?`, []any{workspaceID}
	if target != "" {
		query, args = query+` AND target = ?`, append(args, target)
	}
	rows, err := q.query(ctx, query+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, q.wrap(err, "audit")
	}
	return collect(rows, func(sc interface{ Scan(...any) error }) (*care.AuditEntry, error) {
		var a care.AuditEntry
		var details string
		var at int64
		if err := sc.Scan(&a.ID, &a.WorkspaceID, &a.Actor, &a.Action, &a.Target, &details, &at); err != nil {
			return nil, err
		}
		a.CreatedAt = fromMicros(at)
		if details != "" {
			a.Details = json.RawMessage(details)
		}
		return &a, nil
	}, q, "audit")
}

func (q queries) LockContact(ctx context.Context, contactID care.ID) error {
	if q.d.LockContact == nil {
		return nil
	}
	return q.d.LockContact(ctx, q.w, contactID)
}
