-- communique corpus store, schema version 1: the tables, written once for SQLite and PostgreSQL.
-- Before running it the store fills in the four column types the dialects spell differently
-- (Store.column_types in store/sqlite.py and store/postgres.py):
--   auto_id   a row id the database numbers itself   INTEGER PRIMARY KEY | BIGINT GENERATED ... AS IDENTITY
--   bigint    a reference to such an id              INTEGER             | BIGINT
--   float     a double-precision number              REAL                | DOUBLE PRECISION
--   bytes     raw bytes                              BLOB                | BYTEA
-- then runs the dialect's own part, migrations/<dialect>/0001_initial.sql (full-text search), in the same
-- transaction. A later change takes the next number: NNNN_what.sql here for what both dialects share, and a
-- file of the same name under migrations/<dialect>/ for what only one needs. A released migration's statements
-- never change: stores record the number and name of each one they ran (schema_migrations) and skip it.
-- Offsets are Python str character offsets into documents.text, end exclusive (see CONTRACT.md).
-- Dates are ISO text ('YYYY-MM-DD'), identical in both dialects so results compare byte for byte.

CREATE TABLE runs (
    id {auto_id},
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,                 -- running | finished | failed (a killed run stays 'running')
    sources TEXT NOT NULL,                -- JSON list of the sources given
    settings TEXT,                        -- JSON: workers, batch size, thresholds
    documents_added INTEGER NOT NULL DEFAULT 0,
    documents_linked INTEGER NOT NULL DEFAULT 0,
    documents_skipped INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE run_errors (
    run_id {bigint} NOT NULL,
    origin TEXT NOT NULL,                 -- file, URL or line the document came from
    document_id TEXT,
    error TEXT NOT NULL
);
CREATE INDEX run_errors_run ON run_errors (run_id);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,                  -- content_id(text): sha256 of the normalised text
    external_id TEXT,                     -- the id the input gave it (JSONL "id"), if any
    title TEXT,
    published TEXT,
    url TEXT,
    author TEXT,
    source TEXT,                          -- outlet or feed
    genre TEXT,
    language TEXT,
    text TEXT NOT NULL,
    origin TEXT,                          -- file, URL or line it was read from
    signature {bytes},                       -- MinHash signature for near-duplicate detection
    run_id {bigint}
);
CREATE INDEX documents_published ON documents (published);
CREATE INDEX documents_source ON documents (source);

CREATE TABLE document_links (
    document_id TEXT NOT NULL,            -- the stored (canonical) document
    copy_key TEXT NOT NULL,               -- content id of a near copy, or the external id/url of an exact copy
    kind TEXT NOT NULL,                   -- exact | near
    similarity {float} NOT NULL,             -- estimated Jaccard similarity of word 5-shingles
    external_id TEXT,
    url TEXT,
    source TEXT,
    title TEXT,
    published TEXT,
    run_id {bigint},
    PRIMARY KEY (document_id, copy_key)
);
CREATE INDEX document_links_copy ON document_links (copy_key);

CREATE TABLE sentences (
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    kind TEXT NOT NULL,
    cues TEXT NOT NULL,                   -- JSON list
    PRIMARY KEY (document_id, idx)
);

CREATE TABLE actors (
    document_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT,
    code TEXT,
    sector TEXT,
    role TEXT,
    kb_id TEXT,
    party TEXT,                           -- the key analytics group by: country code, else IGO name/kb id
    PRIMARY KEY (document_id, actor_id)
);
CREATE INDEX actors_party ON actors (party, document_id);

CREATE TABLE mentions (
    document_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence INTEGER,
    kind TEXT,
    PRIMARY KEY (document_id, actor_id, idx)
);

CREATE TABLE dates (
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    value TEXT,
    granularity TEXT,
    sentence INTEGER,
    PRIMARY KEY (document_id, idx)
);

CREATE TABLE events (
    id TEXT PRIMARY KEY,                  -- '<document id>:<index>'
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    mode TEXT,
    context TEXT NOT NULL,                -- JSON list
    quad_class TEXT,
    status TEXT,
    attribution TEXT,
    score {float},
    confidence {float},
    sentence INTEGER,
    date_text TEXT,
    date_value TEXT,
    date_granularity TEXT,
    event_date TEXT,                      -- the day it is counted on: day-precise date, else publication date
    location_text TEXT,
    location_code TEXT,
    trigger_text TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER
);
CREATE INDEX events_document ON events (document_id);
CREATE INDEX events_type ON events (type, document_id);

CREATE TABLE event_participants (
    event_id TEXT NOT NULL,
    role TEXT NOT NULL,                   -- actor | recipient
    idx INTEGER NOT NULL,
    actor_id TEXT,
    code TEXT,
    sector TEXT,
    text TEXT,
    party TEXT,
    PRIMARY KEY (event_id, role, idx)
);

CREATE TABLE event_evidence (
    event_id TEXT NOT NULL,
    idx INTEGER NOT NULL,                 -- 0: the evidence sentence span; 1..: further mentions
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    PRIMARY KEY (event_id, idx)
);

CREATE TABLE quotes (
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    kind TEXT,
    speaker_text TEXT,
    speaker_actor_id TEXT,
    speaker_name TEXT,
    speaker_code TEXT,
    cue_text TEXT,
    cue_start INTEGER,
    cue_end INTEGER,
    content_text TEXT NOT NULL,
    content_start INTEGER,
    content_end INTEGER,
    sentence INTEGER,
    PRIMARY KEY (document_id, idx)
);
CREATE INDEX quotes_speaker ON quotes (speaker_code);

CREATE TABLE rhetoric (
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    technique TEXT NOT NULL,
    text TEXT NOT NULL,
    char_start INTEGER NOT NULL,
    char_end INTEGER NOT NULL,
    sentence INTEGER,
    cue TEXT,
    PRIMARY KEY (document_id, idx)
);

CREATE TABLE stance (
    document_id TEXT NOT NULL,
    actor_id TEXT NOT NULL,
    code TEXT,
    score {float} NOT NULL,
    sentences TEXT NOT NULL,              -- JSON list
    PRIMARY KEY (document_id, actor_id)
);

-- One row per (event, directed dyad) that counts in the analytics; cluster_id joins the real-world event.
CREATE TABLE event_sources (
    event_id TEXT NOT NULL,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    document_id TEXT NOT NULL,
    outlet TEXT,
    type TEXT NOT NULL,
    quad_class TEXT NOT NULL,
    event_date TEXT NOT NULL,
    score {float} NOT NULL,
    cluster_id TEXT,                      -- NULL until dedup.merge_events has placed it
    PRIMARY KEY (event_id, actor, recipient)
);
CREATE INDEX event_sources_cluster ON event_sources (cluster_id);
CREATE INDEX event_sources_key ON event_sources (type, actor, recipient, event_date);

-- One real-world directed event: same type and dyad, dates within the merge window.
CREATE TABLE event_clusters (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    quad_class TEXT NOT NULL,
    actor TEXT NOT NULL,
    recipient TEXT NOT NULL,
    event_date TEXT NOT NULL,             -- the earliest date among its reports
    last_date TEXT NOT NULL,
    score {float} NOT NULL,                  -- mean PLOVER score of its reports
    reports INTEGER NOT NULL,             -- event mentions merged
    documents INTEGER NOT NULL,           -- distinct documents reporting it
    sources INTEGER NOT NULL              -- distinct outlets reporting it (documents without an outlet count one each)
);
CREATE INDEX event_clusters_actor ON event_clusters (actor, recipient, event_date);
CREATE INDEX event_clusters_recipient ON event_clusters (recipient, actor, event_date);
CREATE INDEX event_clusters_date ON event_clusters (event_date);

CREATE TABLE feeds (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    checked_at TEXT
);
