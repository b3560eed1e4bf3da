-- A handle's "@" split into words: PostgreSQL's parser reads
-- "user@host" (Mastodon's "@user@host") as one email-address token, so
-- "user" alone found nothing. postgres.go repeats this expression exactly.
DROP INDEX IF EXISTS identities_search;
CREATE INDEX identities_search ON identities USING GIN (to_tsvector('simple', display_name || ' ' || replace(handle, '@', ' ')));
