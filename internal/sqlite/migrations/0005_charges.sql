-- Messages a platform bills (WhatsApp), once each, for the inbox's spend line.
CREATE TABLE charges (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id),
    inbox_id    INTEGER NOT NULL,
    category    TEXT NOT NULL,
    charged_at  INTEGER NOT NULL
);
CREATE INDEX charges_inbox ON charges(inbox_id, charged_at);
