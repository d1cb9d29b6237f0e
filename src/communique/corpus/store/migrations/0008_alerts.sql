-- communique corpus store, schema version 8: saved queries and the alerts they raised.
-- An analyst saves a query (a search, a dyad with event types, a country's balance; a minimum confidence) and
-- is alerted for each new real-world event matching it, and, with a deviation set, when the dyad's monthly mean
-- score or a balance share moves more than that many standard deviations from its trailing baseline
-- (communique.corpus.alerts). What alerted is recorded here, so a real-world event alerts once however often
-- the watch runs: alert_events holds every matching event id a query has seen (with the alert it raised, or
-- none for the events already stored when the query was saved), and an alert's key is unique per query.
-- Webhook deliveries are kept on the alert: delivered_at is set when the receiver answered 2xx; until then
-- each check tries again, and the receiver is given the alert's id to drop a repeat of a delivery whose answer
-- was lost.

CREATE TABLE saved_queries (
    id {auto_id},
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,                   -- search | dyad | balance
    search TEXT,                          -- kind search: the full-text query
    actor TEXT,                           -- kind dyad: the directed dyad actor -> recipient
    recipient TEXT,
    country TEXT,                         -- kind balance: the country whose engagement with the centres is watched
    event_types TEXT NOT NULL,            -- JSON list of PLOVER types; [] for any
    min_confidence {float},               -- events below it do not alert (NULL: every counted event)
    deviation {float},                    -- k: a change alert when the latest month moves > k SD (NULL: none)
    baseline_months INTEGER NOT NULL,     -- the trailing baseline's length, in months with events
    webhook TEXT,                         -- URL POSTed each alert as JSON (NULL: none)
    created_at TEXT NOT NULL
);

CREATE TABLE alerts (
    id {auto_id},
    query_id {bigint} NOT NULL,
    alert_key TEXT NOT NULL,              -- event:<first event id> | deviation:<measure>:<period>
    kind TEXT NOT NULL,                   -- event | deviation
    summary TEXT NOT NULL,                -- one line saying what happened
    cluster_id TEXT,                      -- kind event: the real-world event when it alerted
    period TEXT,                          -- kind deviation: the month, its measure and the figures
    measure TEXT,
    value {float},
    baseline_mean {float},
    baseline_sd {float},
    events TEXT NOT NULL,                 -- JSON list of the event ids behind it
    created_at TEXT NOT NULL,
    read_at TEXT,
    delivery_attempts INTEGER NOT NULL DEFAULT 0,
    delivered_at TEXT,
    delivery_error TEXT,
    UNIQUE (query_id, alert_key)
);
CREATE INDEX alerts_unread ON alerts (read_at, query_id);

CREATE TABLE alert_events (
    query_id {bigint} NOT NULL,
    event_id TEXT NOT NULL,
    alert_id {bigint},                    -- NULL: stored before the query was saved, never alerted
    PRIMARY KEY (query_id, event_id)
);
