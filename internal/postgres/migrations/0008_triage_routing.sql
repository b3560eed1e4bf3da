-- What Parley reads in each customer message (language, sentiment, topics,
-- reach), the conversation's summary of it with the inputs its priority is
-- computed from, its SLA clocks, and what routing needs: the kind of work
-- (capacity is per kind), whether routing assigned it, an escalation team;
-- agents' presence, skills and capacity; teams' skills and hours; and
-- per-workspace settings (topic rules, weights, policies, rules).
ALTER TABLE messages ADD COLUMN triage TEXT NOT NULL DEFAULT '';

ALTER TABLE conversations ADD COLUMN kind TEXT NOT NULL DEFAULT 'social';
ALTER TABLE conversations ADD COLUMN language TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN mood TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE conversations ADD COLUMN priority_inputs TEXT NOT NULL DEFAULT '{}';
ALTER TABLE conversations ADD COLUMN sla TEXT NOT NULL DEFAULT '';
ALTER TABLE conversations ADD COLUMN auto_assigned BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN escalation_team_id BIGINT NOT NULL DEFAULT 0;
-- The routing queue: unassigned open conversations, highest priority first.
CREATE INDEX conversations_queue ON conversations(workspace_id, status, assignee_id, priority DESC, id);

ALTER TABLE members ADD COLUMN presence TEXT NOT NULL DEFAULT 'offline';
ALTER TABLE members ADD COLUMN presence_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN skills TEXT NOT NULL DEFAULT '{}';
ALTER TABLE members ADD COLUMN capacity TEXT NOT NULL DEFAULT '{}';
ALTER TABLE members ADD COLUMN last_assigned_at BIGINT NOT NULL DEFAULT 0;

ALTER TABLE teams ADD COLUMN skills TEXT NOT NULL DEFAULT '{}';
ALTER TABLE teams ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN escalation BIGINT NOT NULL DEFAULT 0;

CREATE TABLE settings (
    workspace_id  BIGINT NOT NULL REFERENCES workspaces(id),
    name          TEXT NOT NULL,
    value         TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (workspace_id, name)
);
