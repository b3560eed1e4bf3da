-- The search indexes are brought up to date once per transaction, by one
-- statement per table over the rows the transaction added
-- (Dialect.IndexSearch), not by a trigger per row: FTS5 writes its pending
-- terms out as a new segment at each statement of a transaction that
-- follows a write to the index, so a trigger made one segment, and later
-- merges, per message, contact and identity.
--
-- search_indexed.last_id is the newest row of the table in its index: every
-- row up to it is indexed and none after it. The triggers that keep an
-- index current on edits and deletes act only on indexed rows; the next
-- batch reads the others as they are then. A new row's id is one more than
-- the largest id in its table, so the delete triggers keep last_id at or
-- below that: deleting the newest row cannot leave its id, given again,
-- looking indexed.
CREATE TABLE search_indexed (
    name     TEXT PRIMARY KEY,
    last_id  INTEGER NOT NULL
);

DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
INSERT INTO search_indexed (name, last_id) SELECT 'messages', COALESCE(MAX(id), 0) FROM messages;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'messages') BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    UPDATE search_indexed SET last_id = MIN(last_id, (SELECT COALESCE(MAX(id), 0) FROM messages)) WHERE name = 'messages';
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
WHEN old.text IS NOT new.text AND old.id <= (SELECT last_id FROM search_indexed WHERE name = 'messages') BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;

DROP TRIGGER contacts_fts_insert;
DROP TRIGGER contacts_fts_delete;
DROP TRIGGER contacts_fts_update;
INSERT INTO search_indexed (name, last_id) SELECT 'contacts', COALESCE(MAX(id), 0) FROM contacts;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'contacts') BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name) VALUES ('delete', old.id, old.name);
    UPDATE search_indexed SET last_id = MIN(last_id, (SELECT COALESCE(MAX(id), 0) FROM contacts)) WHERE name = 'contacts';
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name ON contacts
WHEN old.name IS NOT new.name AND old.id <= (SELECT last_id FROM search_indexed WHERE name = 'contacts') BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO contacts_fts(rowid, name) VALUES (new.id, new.name);
END;

DROP TRIGGER identities_fts_insert;
DROP TRIGGER identities_fts_delete;
DROP TRIGGER identities_fts_update;
INSERT INTO search_indexed (name, last_id) SELECT 'identities', COALESCE(MAX(id), 0) FROM identities;
CREATE TRIGGER identities_fts_delete AFTER DELETE ON identities
WHEN old.id <= (SELECT last_id FROM search_indexed WHERE name = 'identities') BEGIN
    INSERT INTO identities_fts(identities_fts, rowid, display_name, handle) VALUES ('delete', old.id, old.display_name, old.handle);
    UPDATE search_indexed SET last_id = MIN(last_id, (SELECT COALESCE(MAX(id), 0) FROM identities)) WHERE name = 'identities';
END;
CREATE TRIGGER identities_fts_update AFTER UPDATE OF display_name, handle ON identities
WHEN (old.display_name IS NOT new.display_name OR old.handle IS NOT new.handle)
    AND old.id <= (SELECT last_id FROM search_indexed WHERE name = 'identities') BEGIN
    INSERT INTO identities_fts(identities_fts, rowid, display_name, handle) VALUES ('delete', old.id, old.display_name, old.handle);
    INSERT INTO identities_fts(rowid, display_name, handle) VALUES (new.id, new.display_name, new.handle);
END;
