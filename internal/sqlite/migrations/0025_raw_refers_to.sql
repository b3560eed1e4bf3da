-- The message a raw event refers to where that is not its own platform id:
-- the message a reaction reacts to. A reaction may come before its message
-- (the message's first delivery failed and was sent again), and storing the
-- message then looks for it here. Set for reactions only, so the partial
-- index holds few rows. Reactions received before this migration are not
-- filled in: one that came before its message was already set aside.
ALTER TABLE raw_events ADD COLUMN refers_to TEXT NOT NULL DEFAULT '';
CREATE INDEX raw_events_refers_to ON raw_events(inbox_id, refers_to) WHERE refers_to <> '';
