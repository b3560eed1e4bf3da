-- Leases let one node of several do a job (poll an inbox, follow a stream,
-- tick time-based rules) until it stops renewing them.
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);
