-- When a moderator hid a customer's public comment on the platform, so
-- agents see which comments the public no longer sees; NULL when shown.
ALTER TABLE messages ADD COLUMN hidden_at INTEGER;
