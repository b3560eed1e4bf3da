-- The parts of a customer's message that the platform delivers one by one
-- (the photos of a Telegram album, each a webhook request of its own),
-- joined into the message stored for the first to arrive. Each part's
-- platform id, the first's included, names that message: a reply, a
-- reaction or a deletion naming a later part reaches it, and a replay
-- finds the part already stored. part_group is the parts' Inbound.Group,
-- by which a later part finds the message. Rows exist for such messages
-- only, so the table stays small; it goes with its message.
CREATE TABLE message_parts (
    inbox_id     INTEGER NOT NULL,
    platform_id  TEXT NOT NULL,
    part_group   TEXT NOT NULL,
    message_id   INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    PRIMARY KEY (inbox_id, platform_id)
);
CREATE INDEX message_parts_group ON message_parts(inbox_id, part_group);
CREATE INDEX message_parts_message ON message_parts(message_id);
