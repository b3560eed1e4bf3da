-- Full-text search (FTS5): external-content indexes over message text,
-- contact names and identity names and handles, kept in sync by triggers.
CREATE VIRTUAL TABLE messages_fts USING fts5(text, content='messages', content_rowid='id');
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages WHEN old.text IS NOT new.text BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE VIRTUAL TABLE contacts_fts USING fts5(name, content='contacts', content_rowid='id');
INSERT INTO contacts_fts(contacts_fts) VALUES ('rebuild');
CREATE TRIGGER contacts_fts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contacts_fts(rowid, name) VALUES (new.id, new.name);
END;
CREATE TRIGGER contacts_fts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name) VALUES ('delete', old.id, old.name);
END;
CREATE TRIGGER contacts_fts_update AFTER UPDATE OF name ON contacts WHEN old.name IS NOT new.name BEGIN
    INSERT INTO contacts_fts(contacts_fts, rowid, name) VALUES ('delete', old.id, old.name);
    INSERT INTO contacts_fts(rowid, name) VALUES (new.id, new.name);
END;

CREATE VIRTUAL TABLE identities_fts USING fts5(display_name, handle, content='identities', content_rowid='id');
INSERT INTO identities_fts(identities_fts) VALUES ('rebuild');
CREATE TRIGGER identities_fts_insert AFTER INSERT ON identities BEGIN
    INSERT INTO identities_fts(rowid, display_name, handle) VALUES (new.id, new.display_name, new.handle);
END;
CREATE TRIGGER identities_fts_delete AFTER DELETE ON identities BEGIN
    INSERT INTO identities_fts(identities_fts, rowid, display_name, handle) VALUES ('delete', old.id, old.display_name, old.handle);
END;
CREATE TRIGGER identities_fts_update AFTER UPDATE OF display_name, handle ON identities
WHEN old.display_name IS NOT new.display_name OR old.handle IS NOT new.handle BEGIN
    INSERT INTO identities_fts(identities_fts, rowid, display_name, handle) VALUES ('delete', old.id, old.display_name, old.handle);
    INSERT INTO identities_fts(rowid, display_name, handle) VALUES (new.id, new.display_name, new.handle);
END;
