-- The customer's follower band on the channel when the clock stopped, so a
-- report shows whether people with small audiences are answered as fast.
ALTER TABLE sla_outcomes ADD COLUMN band TEXT NOT NULL DEFAULT '';
