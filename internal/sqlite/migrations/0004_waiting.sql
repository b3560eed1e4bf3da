-- "Longest waiting first" sorts by this exact expression (see noWait in
-- internal/sqlstore): conversations nobody waits on sort last.
CREATE INDEX conversations_waiting ON conversations(workspace_id, status, COALESCE(waiting_since, 4611686018427387904), id);
