-- Messages a platform bills (WhatsApp), once each, for the inbox's spend line.
CREATE TABLE charges (
    message_id  BIGINT PRIMARY KEY REFERENCES messages(id),
    inbox_id    BIGINT NOT NULL,
    category    TEXT NOT NULL,
    charged_at  BIGINT NOT NULL
);
CREATE INDEX charges_inbox ON charges(inbox_id, charged_at);
