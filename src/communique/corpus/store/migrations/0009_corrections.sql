-- communique corpus store, schema version 9: an analyst's corrections of events, and the analyzer behind rows.
-- `communique correct` (and the web UI) change an event's type, participants or status, reject a false event
-- or add a missed one from a sentence. Every correction is a row here, never overwritten: who made it, when,
-- what it set and the machine's original event (as the contract gives it). A correction is anchored to its
-- document, sentence and trigger rather than to the event's position, so it finds its event again when the
-- document is analysed anew (`communique reanalyze`, `documents edit`): Store.replace_document applies every
-- correction of the document to the new analysis before writing it, and events.correction_id names the latest
-- correction an event row carries (NULL: the machine's). Corrections of one event share a root_id (the first).
-- documents.analyzer is the analyzer that produced a document's rows (package version + event model hash);
-- runs.analyzer the one a run used; document_analyses logs each document's analyses, one row per analyzer,
-- which makes a re-analysis exactly once and resumable.

CREATE TABLE corrections (
    id {auto_id},
    root_id {bigint},                     -- the first correction of the same event (itself for the first)
    document_id TEXT NOT NULL,
    event_id TEXT,                        -- the event corrected, as it was numbered then (NULL for action add)
    action TEXT NOT NULL,                 -- change | reject | add
    sentence INTEGER,                     -- the anchor: sentence index, trigger offsets and the original type
    trigger_start INTEGER,
    trigger_end INTEGER,
    original_type TEXT,
    changes TEXT NOT NULL,                -- JSON: what it sets {type, actor: [...], recipient: [...], status}
    original TEXT,                        -- JSON: the machine's event, as the contract gives it (NULL for add)
    corrected_by TEXT NOT NULL,
    corrected_at TEXT NOT NULL,
    note TEXT
);
CREATE INDEX corrections_document ON corrections (document_id, id);

ALTER TABLE events ADD COLUMN correction_id {bigint};
ALTER TABLE documents ADD COLUMN analyzer TEXT;
ALTER TABLE runs ADD COLUMN analyzer TEXT;

CREATE TABLE document_analyses (
    document_id TEXT NOT NULL,
    analyzer TEXT NOT NULL,
    run_id {bigint},
    analysed_at TEXT NOT NULL,
    PRIMARY KEY (document_id, analyzer)
);
