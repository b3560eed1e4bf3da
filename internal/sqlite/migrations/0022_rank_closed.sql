-- A conversation that is not open has nobody to answer, so it ranks 0 with
-- no reasons (triage.Rank; the store keeps it so on every status change).
-- Those closed before this rule kept the score they had when last open.
UPDATE conversations SET priority = 0, priority_reasons = '[]' WHERE status <> 'open' AND (priority <> 0 OR priority_reasons <> '[]');
