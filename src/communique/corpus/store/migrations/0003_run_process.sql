-- communique corpus store, schema version 3: which process runs each ingestion run.
-- A run killed outright (SIGKILL, a power cut, an out-of-memory kill) never reaches finish_run and stayed
-- 'running' for ever. Each run now records its process as 'host:pid:start' (start: the process's start time in
-- clock ticks since boot, so a reused pid is not mistaken for it); the next run started on that host marks the
-- runs whose process is gone 'interrupted'. Runs recorded before this migration have no process and are left as
-- they are.

ALTER TABLE runs ADD COLUMN process TEXT;
