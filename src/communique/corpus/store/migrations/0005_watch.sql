-- communique corpus store, schema version 5: the sources `communique watch` polls, and when.
-- A watch polls each source (a feed URL, a list file, a folder) on a schedule and ingests what is new through
-- the ingestion run. What it knows of each source is kept here, not in the process, so a watch stopped or killed
-- outright and started again goes on where it was: a source is polled when its next_run comes, a failing one
-- keeps its backoff. A poll's documents are written by its run first and this row updated after, so a watch
-- killed between the two only polls the source again: the run finds the documents stored and adds nothing.
-- Times are UTC ISO 8601, to the millisecond.

CREATE TABLE watch_sources (
    source TEXT PRIMARY KEY,              -- as given on the command line: URL, list file or folder
    every_seconds {float} NOT NULL,       -- the polling interval
    added_at TEXT NOT NULL,
    last_fetch TEXT,                      -- when the last poll began
    last_status TEXT,                     -- ok | unchanged (nothing read: a 304, an empty feed) | error
    last_added INTEGER NOT NULL DEFAULT 0, -- documents the last poll stored
    items_added INTEGER NOT NULL DEFAULT 0, -- documents all polls stored
    polls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,    -- polls that failed, all told
    consecutive_errors INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    backoff_seconds {float} NOT NULL DEFAULT 0, -- the wait before next_run after a failure (0: none)
    next_run TEXT NOT NULL,
    last_run_id {bigint}                  -- the ingestion run of the last poll
);
CREATE INDEX watch_sources_next_run ON watch_sources (next_run);
