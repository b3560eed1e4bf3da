-- One row each time an SLA clock stops: a first or next response given, a
-- conversation resolved. Reports of targets met per policy, team, agent,
-- channel and day read them. used and target are business seconds.
CREATE TABLE sla_outcomes (
    id               INTEGER PRIMARY KEY,
    workspace_id     INTEGER NOT NULL REFERENCES workspaces(id),
    conversation_id  INTEGER NOT NULL,
    policy_id        INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    channel          TEXT NOT NULL,
    team_id          INTEGER NOT NULL,
    assignee_id      INTEGER NOT NULL,
    met              INTEGER NOT NULL,
    used             INTEGER NOT NULL,
    target           INTEGER NOT NULL,
    at               INTEGER NOT NULL
);
CREATE INDEX sla_outcomes_at ON sla_outcomes(workspace_id, at);
