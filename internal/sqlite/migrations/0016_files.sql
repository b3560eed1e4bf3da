-- Files agents attach to replies, served to the platform and to agents
-- from a link whose token is the capability.
CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    mime_type     TEXT NOT NULL,
    size          INTEGER NOT NULL,
    token         TEXT NOT NULL,
    data          BLOB NOT NULL,
    created_by    INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
