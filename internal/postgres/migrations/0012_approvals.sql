-- Public replies held for approval: the approvers' queue reads them oldest
-- first.
CREATE INDEX messages_pending_approval ON messages(workspace_id, id) WHERE status = 'pending_approval';
