-- communique corpus store, schema version 6: UN General Assembly ideal points beside the events.
-- `communique import unga FILE` loads Bailey, Strezhnev and Voeten's estimates of each member state's ideal
-- point per General Assembly session (IdealpointestimatesAll_Apr2020.csv, see docs/corpus.md): an independent
-- measure of how close two states' foreign-policy preferences are, shown beside the event-based convergence
-- and balance. One row per state (Correlates of War code) and session; year is the calendar year the session
-- opens in September (1945 + session). An import replaces every row in one transaction and is recorded in
-- unga_imports, which the API's read cache also watches. (Number 0005 is left to another change: the runner
-- applies every migration it has not recorded, whatever the order they arrive in.)

CREATE TABLE unga_ideal_points (
    ccode INTEGER NOT NULL,               -- Correlates of War state code (365: USSR, then Russia)
    session INTEGER NOT NULL,             -- General Assembly session, 1 = 1946
    year INTEGER NOT NULL,                -- 1945 + session
    code TEXT NOT NULL,                   -- ISO 3166-1 alpha-3 (iso3c), the state codes of the events
    country TEXT NOT NULL,
    votes INTEGER NOT NULL,               -- recorded votes the estimate rests on (NVotes)
    ideal_point {float} NOT NULL,         -- higher = closer to the US-led Western position
    q5 {float},                           -- posterior 5% and 95% quantiles
    q50 {float},
    q95 {float},
    PRIMARY KEY (ccode, session)
);
CREATE INDEX unga_ideal_points_code ON unga_ideal_points (code, year);

CREATE TABLE unga_imports (
    id {auto_id},
    source TEXT NOT NULL,                 -- the file imported (its name)
    row_count INTEGER NOT NULL,
    imported_at TEXT NOT NULL
);
