-- Satisfaction surveys sent after resolution, and their answers. The link a
-- customer answers through carries a random token; only its hash is kept.
CREATE TABLE surveys (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id),
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    contact_id       INTEGER NOT NULL,
    agent_id         INTEGER NOT NULL,
    team_id          INTEGER NOT NULL,
    channel          TEXT NOT NULL,
    token_hash       BLOB NOT NULL UNIQUE,
    sent_at          INTEGER NOT NULL,
    score            INTEGER NOT NULL DEFAULT 0,
    comment          TEXT NOT NULL DEFAULT '',
    answered_at      INTEGER
);
CREATE INDEX surveys_contact ON surveys(workspace_id, contact_id, sent_at);
CREATE INDEX surveys_sent ON surveys(workspace_id, sent_at);
