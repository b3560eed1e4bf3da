// Package sqlstore implements care.Store once, in portable SQL, for every SQL
// engine Parley supports. The engine packages (internal/sqlite,
// internal/postgres) open connections, apply their own migrations and supply
// a Dialect for the few places where the engines differ: placeholders, error
// codes, row locking.
//
// Times are stored as BIGINT microseconds since the Unix epoch and booleans as
// integers 0/1: one representation on both engines keeps every query and
// every scan identical, and integer keys index and compare fastest.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// Sealer encrypts inbox credentials at rest.
type Sealer interface {
	Seal(plaintext []byte) ([]byte, error)
	Open(sealed []byte) ([]byte, error)
}

// Dialect is what differs between engines.
type Dialect struct {
	Name string
	// Numbered placeholders ($1, $2, ...) instead of "?".
	Numbered bool
	// IsUnique and IsForeignKey classify driver errors.
	IsUnique     func(error) bool
	IsForeignKey func(error) bool
	// SkipLocked is appended to a SELECT inside a transaction to claim rows
	// no other node holds; empty where one writer makes that moot.
	SkipLocked string
	// ForUpdate is appended to a SELECT inside a transaction to lock the
	// rows it reads until commit; empty where one writer makes that moot.
	ForUpdate string
	// SingleWriter is true where one connection does all writing (SQLite):
	// what a transaction read stays true until it commits.
	SingleWriter bool
	// LockContact serialises threading per contact across nodes; nil where
	// there is a single writer.
	LockContact func(ctx context.Context, ex Execer, id care.ID) error
	// EventLock, if set, runs before an event is appended and holds until
	// commit, so event ids become visible in increasing order.
	EventLock string
	// Arrays is true where a statement takes an array as one argument and
	// joins LATERAL (PostgreSQL). Look-ups of many keys at once, which
	// SQLite does with an IN list, then unnest the keys and look each up
	// on its own: one statement and one plan for any number of keys, and
	// a plan that goes through the index whatever the statistics say. A
	// long IN list gets a generic plan from PostgreSQL, and one made on
	// statistics gathered while the table was small (a new install, or a
	// new channel, before autovacuum's next ANALYZE) read all of the
	// inbox's messages, or all of a platform's identities, for each pass
	// of the pipeline: a tenth of a second a pass at only 20,000 messages,
	// and growing with them.
	Arrays bool
	// Retryable reports whether a failed transaction may simply be run
	// again (a deadlock victim, a serialisation failure).
	Retryable func(error) bool
	// Full-text search. SearchMessages and SearchContacts select
	// (conversation id, message id, contact id, text, time) for the rows of
	// a workspace matching a query; their arguments are the workspace id,
	// the query as SearchQuery makes it, and a limit. SearchQuery turns user
	// text into the engine's query, escaping any syntax; it returns "" when
	// nothing is left to search for.
	SearchMessages string
	SearchContacts string
	SearchQuery    func(string) string
	// IndexSearch, if set, holds for each table the search index covers
	// ("messages", "contacts", "identities") the statements that add the
	// rows stored since they last ran to its index. They run once at the
	// end of each transaction that stored such rows, before it commits:
	// one statement for a pipeline pass of hundreds of messages is much
	// cheaper than a trigger per row, and a row is still searchable from
	// the moment it is visible. Nil where the engine's indexes keep
	// themselves current.
	IndexSearch map[string][]string
}

// Execer is the part of *sql.DB and *sql.Tx the queries use.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// DB is a care.Store on one SQL engine.
type DB struct {
	queries // reads on the read pool, writes on the writer
	writer  *sql.DB
	reader  *sql.DB
	closers []func() error
}

// New returns a store over writer and reader, which may be the same pool.
// Where the engine allows only one writer (SQLite), writer must be limited to
// one connection and reader should be read-only.
func New(d Dialect, writer, reader *sql.DB, sealer Sealer) *DB {
	db := &DB{writer: writer, reader: reader}
	db.queries = queries{d: &d, sealer: sealer, r: reader, w: writer, begin: db.begin, binds: &sync.Map{}}
	return db
}

// OnClose registers f to run when the store is closed.
func (db *DB) OnClose(f func() error) { db.closers = append(db.closers, f) }

// Dialect names the engine.
func (db *DB) Dialect() string { return db.d.Name }

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	if db.reader != db.writer {
		errs = append(errs, db.reader.Close())
	}
	errs = append(errs, db.writer.Close())
	for _, f := range db.closers {
		errs = append(errs, f())
	}
	return errors.Join(errs...)
}

// Writer returns the write pool, for migrations and maintenance.
func (db *DB) Writer() *sql.DB { return db.writer }

func (db *DB) begin(ctx context.Context) (*sql.Tx, error) {
	return db.writer.BeginTx(ctx, nil)
}

// Update runs fn in one transaction on the writer. Where the dialect asks
// for it, the transaction first takes the event lock: every Update appends
// events, and taking that lock first, always, gives all writers one lock
// order, so they queue instead of deadlocking. A transaction the engine
// aborted to break a deadlock or a serialisation conflict is run again.
func (db *DB) Update(ctx context.Context, fn func(care.Queries) error) error {
	const attempts = 4
	var err error
	for i := range attempts {
		err = db.queries.inTx(ctx, func(q queries) error {
			if q.d.EventLock != "" {
				if _, err := q.exec(ctx, q.d.EventLock); err != nil {
					return q.wrap(err, "event lock")
				}
			}
			return fn(q)
		})
		if err == nil || db.d.Retryable == nil || !db.d.Retryable(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(time.Duration(i+1) * 10 * time.Millisecond)
	}
	return err
}

// lockEvents takes the dialect's event lock (see Dialect.EventLock), held
// until the transaction ends; a no-op where there is none. A transaction
// that appends events takes it before any row lock, as DB.Update does, so
// that all writers lock in one order: taken after a row lock, it could
// deadlock with a pipeline pass that holds it and waits for that row.
func (q queries) lockEvents(ctx context.Context) error {
	if q.d.EventLock == "" {
		return nil
	}
	if _, err := q.exec(ctx, q.d.EventLock); err != nil {
		return q.wrap(err, "event lock")
	}
	return nil
}

// q runs queries either on the pools (each statement on its own, multi-step
// writes in their own transaction) or inside one transaction (r == w == tx).
type queries struct {
	d      *Dialect
	sealer Sealer
	r, w   Execer
	intx   bool
	tx     *txState // inside a transaction only
	begin  func(context.Context) (*sql.Tx, error)
	binds  *sync.Map
}

// txState is what one transaction remembers until it commits.
type txState struct {
	// unindexed names the tables the transaction added rows to that its
	// end adds to the search index (Dialect.IndexSearch).
	unindexed []string
}

// added notes that the transaction stored a row in table.
func (q queries) added(table string) {
	if q.tx == nil || q.d.IndexSearch == nil || slices.Contains(q.tx.unindexed, table) {
		return
	}
	q.tx.unindexed = append(q.tx.unindexed, table)
}

// inTx runs fn in a transaction, joining the current one if there is one.
func (q queries) inTx(ctx context.Context, fn func(queries) error) (err error) {
	if q.intx {
		return fn(q)
	}
	tx, err := q.begin(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	inner := q
	inner.r, inner.w, inner.intx, inner.tx = tx, tx, true, &txState{}
	if err = fn(inner); err != nil {
		return err
	}
	for _, table := range inner.tx.unindexed {
		if err = inner.indexSearch(ctx, table); err != nil {
			return err
		}
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("sqlstore: commit: %w", err)
	}
	return nil
}

// indexSearch adds the rows of table stored since the last time to its
// search index, where the dialect indexes in batches.
func (q queries) indexSearch(ctx context.Context, table string) error {
	for _, stmt := range q.d.IndexSearch[table] {
		if _, err := q.w.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: index %s for search: %w", table, err)
		}
	}
	return nil
}

// IndexSearch adds to the search indexes any row stored without them: none
// when every write went through the store. Engines whose indexes keep
// themselves current have nothing to do.
func (db *DB) IndexSearch(ctx context.Context) error {
	if len(db.d.IndexSearch) == 0 {
		return nil
	}
	tables := slices.Sorted(maps.Keys(db.d.IndexSearch))
	return db.queries.inTx(ctx, func(q queries) error {
		for _, table := range tables {
			if err := q.indexSearch(ctx, table); err != nil {
				return err
			}
		}
		return nil
	})
}

// bind rewrites "?" placeholders for engines that number them. Queries are
// constants, so the rewrite is cached.
func (q queries) bind(query string) string {
	if !q.d.Numbered {
		return query
	}
	if v, ok := q.binds.Load(query); ok {
		return v.(string)
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	s := b.String()
	q.binds.Store(query, s)
	return s
}

func (q queries) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return q.w.ExecContext(ctx, q.bind(query), args...)
}

func (q queries) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return q.r.QueryContext(ctx, q.bind(query), args...)
}

func (q queries) row(ctx context.Context, query string, args ...any) *sql.Row {
	return q.r.QueryRowContext(ctx, q.bind(query), args...)
}

// insert runs an INSERT ... RETURNING id on the writer.
func (q queries) insert(ctx context.Context, query string, args ...any) (care.ID, error) {
	var id care.ID
	err := q.w.QueryRowContext(ctx, q.bind(query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// wrap turns driver errors into coded errors with context.
func (q queries) wrap(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, sql.ErrNoRows):
		return &care.Error{Code: care.ENOTFOUND, Message: capitalise(what) + " not found.", Err: err}
	case q.d.IsUnique != nil && q.d.IsUnique(err):
		return &care.Error{Code: care.ECONFLICT, Message: capitalise(what) + " already exists.", Err: err}
	case q.d.IsForeignKey != nil && q.d.IsForeignKey(err):
		return &care.Error{Code: care.EINVALID, Message: capitalise(what) + " refers to a record that does not exist.", Err: err}
	case care.ErrorCode(err) != care.EINTERNAL:
		return err
	}
	return fmt.Errorf("sqlstore: %s: %w", what, err)
}

func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

func nullMicros(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

func timePtr(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMicros(v.Int64)
	return &t
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// inChunks calls f with values a chunk at a time, each small enough for an
// IN list within every engine's limit on parameters.
func inChunks[T any](values []T, f func(chunk []T) error) error {
	for start := 0; start < len(values); start += 500 {
		if err := f(values[start:min(start+500, len(values))]); err != nil {
			return err
		}
	}
	return nil
}

// inList appends to args the values of an IN (…) list, which must not be
// empty, and returns its placeholders. The list is padded to a power of two
// by repeating its last value, which changes nothing it matches: a
// statement of each size is prepared once and kept (see internal/sqlite),
// so sizes are kept few. Where the dialect takes arrays (Dialect.Arrays),
// the look-ups that would use it are written differently.
func inList[T any](args []any, values []T) ([]any, string) {
	n := 1
	for n < len(values) {
		n *= 2
	}
	for i := range n {
		args = append(args, values[min(i, len(values)-1)])
	}
	return args, placeholders(n)
}

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}
