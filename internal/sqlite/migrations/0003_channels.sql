-- What social channels need: deletions, inbox health, pollers' positions.
ALTER TABLE messages ADD COLUMN deleted_at INTEGER;

ALTER TABLE inboxes ADD COLUMN last_event_at INTEGER;
ALTER TABLE inboxes ADD COLUMN last_send_at INTEGER;
ALTER TABLE inboxes ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE inboxes ADD COLUMN last_error_at INTEGER;
ALTER TABLE inboxes ADD COLUMN rate_limit TEXT NOT NULL DEFAULT '';
CREATE INDEX inboxes_external ON inboxes(workspace_id, channel, external_id);

CREATE TABLE inbox_cursors (
    inbox_id    INTEGER NOT NULL REFERENCES inboxes(id),
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (inbox_id, name)
);
