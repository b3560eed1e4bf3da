-- PostgreSQL's 0019 changes its handle search index; SQLite's FTS5 index
-- already splits "@user@host" into words. Kept so the numbering stays alike.
SELECT 1;
