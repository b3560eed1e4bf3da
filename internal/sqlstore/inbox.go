package sqlstore

import (
	"context"
	"encoding/json"
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

const inboxCols = `id, workspace_id, channel, name, external_id, webhook_url, credentials, created_at`

func (q queries) scanInbox(sc interface{ Scan(...any) error }) (*care.Inbox, error) {
	var in care.Inbox
	var ch string
	var sealed []byte
	var at int64
	if err := sc.Scan(&in.ID, &in.WorkspaceID, &ch, &in.Name, &in.ExternalID, &in.WebhookURL, &sealed, &at); err != nil {
		return nil, err
	}
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
