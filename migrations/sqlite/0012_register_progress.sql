-- A register upload is checked in the background so that a big file shows its progress.
-- The state lives here, not in a server's memory, so any app server can show it.
--   status: checking | needs_mapping | ready | failed
ALTER TABLE register_uploads ADD COLUMN status TEXT NOT NULL DEFAULT 'ready';
ALTER TABLE register_uploads ADD COLUMN rows_done INTEGER NOT NULL DEFAULT 0;
-- Counted from the file's line ends before the check starts, so it is an estimate.
ALTER TABLE register_uploads ADD COLUMN rows_total INTEGER NOT NULL DEFAULT 0;
ALTER TABLE register_uploads ADD COLUMN error TEXT;
-- Touched as the check goes on: a check not heard from for a while has died with its server.
ALTER TABLE register_uploads ADD COLUMN updated_at TEXT;
