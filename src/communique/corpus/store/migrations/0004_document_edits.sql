-- communique corpus store, schema version 4: corrections to a stored document's metadata.
-- A plain-text article is often stored without a date (or under a wrong title or outlet) and re-ingesting it
-- with the right one only finds it stored. `communique documents edit` and PATCH /api/documents/ID correct
-- it in place: the document is analysed again with the corrected metadata (relative dates resolve against the
-- new publication date, events are counted on it) and its rows replaced in one transaction. Each change is
-- recorded here, so what the store holds can be told from what the input said; the API's read cache also
-- watches this table.

CREATE TABLE document_edits (
    id {auto_id},
    document_id TEXT NOT NULL,
    field TEXT NOT NULL,                  -- published | title | source
    old_value TEXT,
    new_value TEXT,
    edited_at TEXT NOT NULL
);
CREATE INDEX document_edits_document ON document_edits (document_id);
