-- communique corpus store, schema version 1, SQLite's own part: full-text search, run right after the shared
-- tables of migrations/0001_initial.sql. External-content FTS5 tables, kept in step with documents and quotes
-- by triggers.
CREATE VIRTUAL TABLE documents_fts USING fts5 (title, text, content='documents', tokenize='porter unicode61');
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, title, text) VALUES (new.rowid, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, title, text)
    VALUES ('delete', old.rowid, coalesce(old.title, ''), old.text);
END;

CREATE VIRTUAL TABLE quotes_fts USING fts5 (content_text, speaker_text, content='quotes', tokenize='porter unicode61');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts (rowid, content_text, speaker_text)
    VALUES (new.rowid, new.content_text, coalesce(new.speaker_text, ''));
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, content_text, speaker_text)
    VALUES ('delete', old.rowid, old.content_text, coalesce(old.speaker_text, ''));
END;
