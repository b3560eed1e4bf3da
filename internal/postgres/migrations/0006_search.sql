-- Full-text search: expression GIN indexes with the 'simple' configuration,
-- so words of any language match as written. The queries in postgres.go
-- repeat these expressions exactly.
CREATE INDEX messages_search ON messages USING GIN (to_tsvector('simple', text));
CREATE INDEX contacts_search ON contacts USING GIN (to_tsvector('simple', name));
CREATE INDEX identities_search ON identities USING GIN (to_tsvector('simple', display_name || ' ' || handle));
