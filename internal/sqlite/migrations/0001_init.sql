-- Parley's initial schema. Times are microseconds since the Unix epoch,
-- booleans 0/1, "no reference" is 0: one representation on every engine.

CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     INTEGER NOT NULL
);

CREATE TABLE members (
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    role          TEXT NOT NULL,
    PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX members_user ON members(user_id);

CREATE TABLE teams (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (workspace_id, name)
);

CREATE TABLE team_members (
    team_id  INTEGER NOT NULL REFERENCES teams(id),
    user_id  INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);

CREATE TABLE tokens (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    user_id       INTEGER NOT NULL DEFAULT 0,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    hash          BLOB NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);

CREATE TABLE sessions (
    hash        BLOB PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE inboxes (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    channel       TEXT NOT NULL,
    name          TEXT NOT NULL,
    external_id   TEXT NOT NULL DEFAULT '',
    webhook_url   TEXT NOT NULL DEFAULT '',
    credentials   BLOB,
    created_at    INTEGER NOT NULL
);
CREATE INDEX inboxes_workspace ON inboxes(workspace_id);

CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    merged_into   INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);

CREATE TABLE identities (
    id                INTEGER PRIMARY KEY,
    workspace_id      INTEGER NOT NULL REFERENCES workspaces(id),
    contact_id        INTEGER NOT NULL REFERENCES contacts(id),
    platform          TEXT NOT NULL,
    platform_user_id  TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    handle            TEXT NOT NULL,
    followers         INTEGER NOT NULL,
    verified          INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (workspace_id, platform, platform_user_id)
);
CREATE INDEX identities_contact ON identities(contact_id);

CREATE TABLE conversations (
    id                  INTEGER PRIMARY KEY,
    workspace_id        INTEGER NOT NULL REFERENCES workspaces(id),
    inbox_id            INTEGER NOT NULL REFERENCES inboxes(id),
    channel             TEXT NOT NULL,
    contact_id          INTEGER NOT NULL REFERENCES contacts(id),
    status              TEXT NOT NULL,
    snoozed_until       INTEGER,
    assignee_id         INTEGER NOT NULL DEFAULT 0,
    team_id             INTEGER NOT NULL DEFAULT 0,
    tags                TEXT NOT NULL DEFAULT '[]',
    subject             TEXT NOT NULL DEFAULT '',
    priority            REAL NOT NULL DEFAULT 0,
    priority_reasons    TEXT NOT NULL DEFAULT '[]',
    first_response_due  INTEGER,
    next_response_due   INTEGER,
    resolution_due      INTEGER,
    linked_id           INTEGER NOT NULL DEFAULT 0,
    waiting_since       INTEGER,
    last_activity_at    INTEGER NOT NULL,
    message_count       INTEGER NOT NULL DEFAULT 0,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
-- The agent's own queue ("newest open for me") is the hottest list.
CREATE INDEX conversations_assignee ON conversations(workspace_id, assignee_id, status, last_activity_at, id);
CREATE INDEX conversations_status ON conversations(workspace_id, status, last_activity_at, id);
CREATE INDEX conversations_priority ON conversations(workspace_id, status, priority, id);
CREATE INDEX conversations_contact ON conversations(contact_id, inbox_id, status);
CREATE INDEX conversations_inbox ON conversations(inbox_id, last_activity_at, id);

CREATE TABLE conversation_tags (
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    tag              TEXT NOT NULL,
    PRIMARY KEY (conversation_id, tag)
);
CREATE INDEX conversation_tags_tag ON conversation_tags(tag, conversation_id);

CREATE TABLE messages (
    id                    INTEGER PRIMARY KEY,
    workspace_id          INTEGER NOT NULL REFERENCES workspaces(id),
    conversation_id       INTEGER NOT NULL REFERENCES conversations(id),
    inbox_id              INTEGER NOT NULL REFERENCES inboxes(id),
    direction             TEXT NOT NULL,
    visibility            TEXT NOT NULL,
    contact_id            INTEGER NOT NULL DEFAULT 0,
    author_id             INTEGER NOT NULL DEFAULT 0,
    author_name           TEXT NOT NULL DEFAULT '',
    text                  TEXT NOT NULL,
    attachments           TEXT NOT NULL DEFAULT '[]',
    platform_id           TEXT NOT NULL DEFAULT '',
    reply_to_platform_id  TEXT NOT NULL DEFAULT '',
    status                TEXT NOT NULL,
    status_reason         TEXT NOT NULL DEFAULT '',
    created_at            INTEGER NOT NULL,
    sent_at               INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
CREATE UNIQUE INDEX messages_platform ON messages(inbox_id, platform_id) WHERE platform_id <> '';

CREATE TABLE merges (
    id                INTEGER PRIMARY KEY,
    workspace_id      INTEGER NOT NULL REFERENCES workspaces(id),
    winner_id         INTEGER NOT NULL REFERENCES contacts(id),
    loser_id          INTEGER NOT NULL REFERENCES contacts(id),
    identity_ids      TEXT NOT NULL,
    conversation_ids  TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    undone_at         INTEGER
);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    message_id       INTEGER NOT NULL REFERENCES messages(id),
    inbox_id         INTEGER NOT NULL,
    channel          TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL,
    leased_until     INTEGER,
    last_error       TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox(next_attempt_at);

CREATE TABLE raw_events (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL,
    inbox_id      INTEGER NOT NULL,
    dedupe_key    TEXT NOT NULL,
    payload       BLOB NOT NULL,
    inbound       TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    processed_at  INTEGER,
    error         TEXT NOT NULL DEFAULT '',
    UNIQUE (inbox_id, dedupe_key)
);
CREATE INDEX raw_events_pending ON raw_events(id) WHERE processed_at IS NULL;
CREATE INDEX raw_events_received ON raw_events(received_at);

CREATE TABLE events (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL,
    type             TEXT NOT NULL,
    conversation_id  INTEGER NOT NULL DEFAULT 0,
    message_id       INTEGER NOT NULL DEFAULT 0,
    inbox_id         INTEGER NOT NULL DEFAULT 0,
    data             TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);
CREATE INDEX events_workspace ON events(workspace_id, id);

CREATE TABLE audit (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL,
    actor         TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    details       TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL
);
CREATE INDEX audit_target ON audit(workspace_id, target, id);
CREATE INDEX audit_workspace ON audit(workspace_id, id);
