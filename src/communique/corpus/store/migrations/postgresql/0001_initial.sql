-- communique corpus store, schema version 1, PostgreSQL's own part: full-text search, run right after the
-- shared tables of migrations/0001_initial.sql.
-- Full text: generated tsvector columns with GIN indexes stand in for SQLite's FTS5 tables.
ALTER TABLE documents ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || text)) STORED;
CREATE INDEX documents_tsv ON documents USING gin (tsv);
ALTER TABLE quotes ADD COLUMN tsv tsvector
    GENERATED ALWAYS AS (to_tsvector('english', content_text || ' ' || coalesce(speaker_text, ''))) STORED;
CREATE INDEX quotes_tsv ON quotes USING gin (tsv);
