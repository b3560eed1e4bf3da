-- Public posts that listening found: what is said about the brand and its
-- competitors where the brand was not addressed. They open no conversation,
-- so they live apart from messages, and a found post is written once and
-- read by time: one unique key to drop posts found again, one index for
-- the reads, nothing more to slow the inserts.
CREATE TABLE listen_posts (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    -- The inbox whose search found the post. No foreign key on purpose:
    -- what was said about the brand stays part of its history, and of
    -- every report over that period, after the account that searched is
    -- disconnected and its inbox removed.
    inbox_id         INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL,
    platform_id      TEXT NOT NULL,
    url              TEXT NOT NULL DEFAULT '',
    author_id        TEXT NOT NULL DEFAULT '',
    author_handle    TEXT NOT NULL DEFAULT '',
    author_name      TEXT NOT NULL DEFAULT '',
    author_followers INTEGER NOT NULL DEFAULT 0,
    author_verified  INTEGER NOT NULL DEFAULT 0,
    text             TEXT NOT NULL,
    lang             TEXT NOT NULL DEFAULT '',
    posted_at        INTEGER NOT NULL,
    found_at         INTEGER NOT NULL,
    -- The names of the subjects the text mentions, joined by a newline
    -- (names never hold control characters), so a post is one row.
    subjects         TEXT NOT NULL DEFAULT '',
    sentiment        REAL NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, source, platform_id)
);
CREATE INDEX listen_posts_posted ON listen_posts(workspace_id, posted_at, id);
