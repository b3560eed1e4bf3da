-- Webhooks that automation rules call, delivered at least once from here:
-- written in the transaction of the change, posted by a worker with retries.
CREATE TABLE hook_deliveries (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id),
    url              TEXT NOT NULL,
    body             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    leased_until     INTEGER,
    last_error       TEXT NOT NULL DEFAULT '',
    delivered_at     INTEGER,
    created_at       INTEGER NOT NULL
);
CREATE INDEX hook_deliveries_due ON hook_deliveries(next_attempt_at) WHERE delivered_at IS NULL;
