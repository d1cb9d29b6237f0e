-- communique corpus store, schema version 7: feed entries already stored are known without fetching them.
-- A feed that changed (a new entry) used to have every entry's article fetched again, only for the run to find
-- it stored: a watch of a 50-entry feed fetched 50 pages for each new one. A run now skips an entry whose
-- article is stored under that entry's link (its origin) and id; this index makes the look-up cheap.

CREATE INDEX documents_origin ON documents (origin);
