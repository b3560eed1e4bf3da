-- Waking snoozed conversations scans only the snoozed ones.
CREATE INDEX conversations_snoozed ON conversations(snoozed_until) WHERE status = 'snoozed';
