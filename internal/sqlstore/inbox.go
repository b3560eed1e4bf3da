package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/parleyhq/parley/internal/care"
)

// sealCredentials encrypts an inbox's credentials as one JSON object.
func (q queries) sealCredentials(c map[string]string) ([]byte, error) {
	if len(c) == 0 {
		return nil, nil
	}
	plain, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: encode credentials: %w", err)
	}
	if q.sealer == nil {
		return nil, fmt.Errorf("sqlstore: no encryption key configured for inbox credentials")
	}
	return q.sealer.Seal(plain)
}

func (q queries) openCredentials(sealed []byte) (map[string]string, error) {
	c := map[string]string{}
	if len(sealed) == 0 {
		return c, nil
	}
	if q.sealer == nil {
		return nil, fmt.Errorf("sqlstore: no encryption key configured for inbox credentials")
	}
	plain, err := q.sealer.Open(sealed)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: open inbox credentials (is the secret key the one they were sealed with?): %w", err)
	}
	if err := json.Unmarshal(plain, &c); err != nil {
		return nil, fmt.Errorf("sqlstore: decode credentials: %w", err)
	}
	return c, nil
}

func (q queries) CreateInbox(ctx context.Context, in *care.Inbox) error {
	if in.CreatedAt.IsZero() {
		in.CreatedAt = time.Now()
	}
	in.CreatedAt = fromMicros(micros(in.CreatedAt))
	sealed, err := q.sealCredentials(in.Credentials)
	if err != nil {
		return err
	}
	id, err := q.insert(ctx, `INSERT INTO inboxes (workspace_id, channel, name, external_id, webhook_url, credentials, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, in.WorkspaceID, string(in.Channel), in.Name, in.ExternalID, in.WebhookURL, sealed, micros(in.CreatedAt))
	if err != nil {
		return q.wrap(err, "inbox")
	}
	in.ID = id
	return nil
}

const inboxCols = `id, workspace_id, channel, name, external_id, webhook_url, credentials, created_at,
	last_event_at, last_send_at, last_error, last_error_at, rate_limit`

func (q queries) scanInbox(sc interface{ Scan(...any) error }) (*care.Inbox, error) {
	var in care.Inbox
	var ch string
	var sealed []byte
	var at int64
	var lastEvent, lastSend, lastErrorAt sql.NullInt64
	if err := sc.Scan(&in.ID, &in.WorkspaceID, &ch, &in.Name, &in.ExternalID, &in.WebhookURL, &sealed, &at,
		&lastEvent, &lastSend, &in.Health.LastError, &lastErrorAt, &in.Health.RateLimit); err != nil {
		return nil, err
	}
	in.Health.LastEventAt, in.Health.LastSendAt, in.Health.LastErrorAt = timePtr(lastEvent), timePtr(lastSend), timePtr(lastErrorAt)
	in.Channel = care.Channel(ch)
	in.CreatedAt = fromMicros(at)
	var err error
	if in.Credentials, err = q.openCredentials(sealed); err != nil {
		return nil, err
	}
	return &in, nil
}

func (q queries) Inbox(ctx context.Context, id care.ID) (*care.Inbox, error) {
	in, err := q.scanInbox(q.row(ctx, `SELECT `+inboxCols+` FROM inboxes WHERE id = ?`, id))
	return in, q.wrap(err, "inbox")
}

func (q queries) Inboxes(ctx context.Context, workspaceID care.ID) ([]care.Inbox, error) {
	rows, err := q.query(ctx, `SELECT `+inboxCols+` FROM inboxes WHERE workspace_id = ? ORDER BY id`, workspaceID)
	if err != nil {
		return nil, q.wrap(err, "inboxes")
	}
	return collect(rows, q.scanInbox, q, "inboxes")
}

func (q queries) UpdateInbox(ctx context.Context, in *care.Inbox) error {
	sealed, err := q.sealCredentials(in.Credentials)
	if err != nil {
		return err
	}
	return q.affectOne(ctx, "inbox", `UPDATE inboxes SET name = ?, external_id = ?, webhook_url = ?, credentials = ? WHERE id = ?`,
		in.Name, in.ExternalID, in.WebhookURL, sealed, in.ID)
}

func (q queries) InboxByExternalID(ctx context.Context, workspaceID care.ID, channel care.Channel, externalID string) (*care.Inbox, error) {
	in, err := q.scanInbox(q.row(ctx, `SELECT `+inboxCols+` FROM inboxes WHERE workspace_id = ? AND channel = ? AND external_id = ? ORDER BY id LIMIT 1`,
		workspaceID, string(channel), externalID))
	return in, q.wrap(err, "inbox")
}

// RecordInboxHealth sets only what h carries; each field is its own
// statement so concurrent senders and receivers never undo each other.
func (q queries) RecordInboxHealth(ctx context.Context, inboxID care.ID, h care.HealthUpdate) error {
	return q.inTx(ctx, func(q queries) error {
		sets := []struct {
			ok    bool
			query string
			args  []any
		}{
			{!h.EventAt.IsZero(), `UPDATE inboxes SET last_event_at = ? WHERE id = ?`, []any{micros(h.EventAt), inboxID}},
			{!h.SendAt.IsZero(), `UPDATE inboxes SET last_send_at = ? WHERE id = ?`, []any{micros(h.SendAt), inboxID}},
			{h.Error != "", `UPDATE inboxes SET last_error = ?, last_error_at = ? WHERE id = ?`, []any{h.Error, micros(h.ErrorAt), inboxID}},
			{h.RateLimit != "", `UPDATE inboxes SET rate_limit = ? WHERE id = ?`, []any{h.RateLimit, inboxID}},
		}
		for _, s := range sets {
			if !s.ok {
				continue
			}
			if err := q.affectOne(ctx, "inbox", s.query, s.args...); err != nil {
				return err
			}
		}
		return nil
	})
}

func (q queries) InboxCursor(ctx context.Context, inboxID care.ID, name string) (string, error) {
	var v string
	err := q.row(ctx, `SELECT value FROM inbox_cursors WHERE inbox_id = ? AND name = ?`, inboxID, name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, q.wrap(err, "inbox cursor")
}

func (q queries) SetInboxCursor(ctx context.Context, inboxID care.ID, name, value string, now time.Time) error {
	_, err := q.exec(ctx, `INSERT INTO inbox_cursors (inbox_id, name, value, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (inbox_id, name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
		inboxID, name, value, micros(now))
	return q.wrap(err, "inbox cursor")
}

// ErrWrongKey is returned by CheckKey.
var ErrWrongKey = errors.New("the secret key does not open the inbox credentials stored in this database; start Parley with the key they were sealed with (PARLEY_SECRET_KEY, or secret.key in the data directory)")

// CheckKey opens the oldest inbox's sealed credentials, if there are any,
// and returns ErrWrongKey (wrapping the cause) when the store's key cannot.
// With the wrong key every platform call and every API inbox message would
// fail one by one; at start, one clear refusal is better.
func (db *DB) CheckKey(ctx context.Context) error {
	var sealed []byte
	err := db.reader.QueryRowContext(ctx, `SELECT credentials FROM inboxes WHERE credentials IS NOT NULL ORDER BY id LIMIT 1`).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) || err == nil && len(sealed) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("sqlstore: check the secret key: %w", err)
	}
	if _, err := db.queries.openCredentials(sealed); err != nil {
		return fmt.Errorf("%w (%w)", ErrWrongKey, err)
	}
	return nil
}
