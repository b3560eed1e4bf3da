-- Notifications for agents: @mentions in notes and automation rules' calls.
-- They stay until read, so an agent who was away finds them.
CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id),
    user_id          INTEGER NOT NULL REFERENCES users(id),
    kind             TEXT NOT NULL,
    conversation_id  INTEGER REFERENCES conversations(id),
    message_id       INTEGER,
    text             TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    read_at          INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, workspace_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, workspace_id) WHERE read_at IS NULL;
