-- What social channels need: deletions, inbox health, pollers' positions.
ALTER TABLE messages ADD COLUMN deleted_at BIGINT;

ALTER TABLE inboxes ADD COLUMN last_event_at BIGINT;
ALTER TABLE inboxes ADD COLUMN last_send_at BIGINT;
ALTER TABLE inboxes ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
ALTER TABLE inboxes ADD COLUMN last_error_at BIGINT;
ALTER TABLE inboxes ADD COLUMN rate_limit TEXT NOT NULL DEFAULT '';
CREATE INDEX inboxes_external ON inboxes(workspace_id, channel, external_id);

CREATE TABLE inbox_cursors (
    inbox_id    BIGINT NOT NULL REFERENCES inboxes(id),
    name        TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (inbox_id, name)
);
