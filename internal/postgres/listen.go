package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Notify sends payload on a PostgreSQL notification channel, to every
// node listening (NOTIFY, within PostgreSQL's 8000-byte payload limit).
func Notify(ctx context.Context, db *sql.DB, channel, payload string) error {
	_, err := db.ExecContext(ctx, "SELECT pg_notify($1, $2)", channel, payload)
	if err != nil {
		return fmt.Errorf("postgres: notify %s: %w", channel, err)
	}
	return nil
}

// Listen calls fn with each notification on channel until ctx ends, on a
// connection of its own (a LISTEN holds its connection). A lost connection
// is opened again after a pause; what was sent meanwhile is lost, which is
// why only ephemeral signals (who is typing) travel this way.
func Listen(ctx context.Context, url, channel string, fn func(payload string)) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("postgres: parse database url: %w", err)
	}
	for ctx.Err() == nil {
		err := listenOnce(ctx, cfg, channel, fn)
		if ctx.Err() != nil {
			return nil
		}
		_ = err // the caller's pause below is the answer to every failure
		t := time.NewTimer(2 * time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	return nil
}

func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, channel string, fn func(string)) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		fn(n.Payload)
	}
}
