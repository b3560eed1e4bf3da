package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"modernc.org/sqlite"
)

// driverName is modernc's driver with prepared statements kept per
// connection. Parley's queries are a fixed set, and re-parsing each one on
// every call cost about a tenth of the ingest path's CPU.
const driverName = "parley-sqlite"

// maxCachedStmts bounds each connection's cache; list queries built from
// filters vary, and past the bound a statement is prepared and closed as
// usual.
const maxCachedStmts = 256

func init() { sql.Register(driverName, cachingDriver{&sqlite.Driver{}}) }

type cachingDriver struct{ d *sqlite.Driver }

func (c cachingDriver) Open(name string) (driver.Conn, error) {
	cn, err := c.d.Open(name)
	if err != nil {
		return nil, err
	}
	return &cachingConn{Conn: cn, stmts: map[string]driver.Stmt{}}, nil
}

// cachingConn hides the driver's ExecContext and QueryContext, so
// database/sql prepares every statement, and answers repeated prepares from
// its cache. A connection is used by one goroutine at a time, so the map
// needs no lock.
type cachingConn struct {
	driver.Conn
	stmts map[string]driver.Stmt
}

// keptStmt is a cached statement: closing it after use leaves it prepared.
type keptStmt struct{ driver.Stmt }

func (keptStmt) Close() error { return nil }

func (s keptStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.Stmt.(driver.StmtExecContext).ExecContext(ctx, args)
}

func (s keptStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.Stmt.(driver.StmtQueryContext).QueryContext(ctx, args)
}

func (c *cachingConn) Prepare(q string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), q)
}

func (c *cachingConn) PrepareContext(ctx context.Context, q string) (driver.Stmt, error) {
	if s, ok := c.stmts[q]; ok {
		return keptStmt{s}, nil
	}
	s, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, q)
	if err != nil || len(c.stmts) >= maxCachedStmts {
		return s, err
	}
	c.stmts[q] = s
	return keptStmt{s}, nil
}

func (c *cachingConn) Close() error {
	for _, s := range c.stmts {
		s.Close()
	}
	return c.Conn.Close()
}

func (c *cachingConn) BeginTx(ctx context.Context, o driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, o)
}

func (c *cachingConn) CheckNamedValue(v *driver.NamedValue) error {
	if cv, ok := c.Conn.(driver.NamedValueChecker); ok {
		return cv.CheckNamedValue(v)
	}
	return driver.ErrSkip
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}
