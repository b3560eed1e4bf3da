-- Customers' emoji reactions, kept on the message they react to.
ALTER TABLE messages ADD COLUMN reactions TEXT NOT NULL DEFAULT '[]';
