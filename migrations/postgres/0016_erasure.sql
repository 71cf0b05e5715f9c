-- Erasure that stays erased, and register uploads that expire (postgres). Kept in step
-- with ../sqlite/0016_erasure.sql.

-- One line per erasure, holding no personal data: the elector's id, the seat, a keyed
-- hash of who they were on the register (address key, forename, surname) and a reason
-- from a fixed list. It is re-applied after a restore from a backup taken before the
-- erasure, and a register import leaves out a person whose hash is here.
CREATE TABLE erasure_journal (
    elector_id     BIGINT PRIMARY KEY,
    seat_gss       TEXT NOT NULL,
    identity_hash  TEXT NOT NULL,
    reason         TEXT NOT NULL CHECK (reason IN ('request','objection','deceased','recorded_in_error')),
    erased_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX erasure_journal_seat ON erasure_journal(seat_gss, identity_hash);

-- The key of that hash: random, made once, never shown. Without it a hash cannot be
-- tested against a list of names.
CREATE TABLE erasure_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  TEXT NOT NULL
);
INSERT INTO erasure_key (id, key) VALUES (1, md5(random()::text || clock_timestamp()::text) || md5(random()::text || pg_backend_pid()::text));

-- An uploaded register file (every elector's name and address) is deleted this many
-- days after it was uploaded, imported or not.
INSERT INTO campaign_settings (key, value) VALUES ('register_upload_days', '7');

-- A volunteer record or an account erased at its holder's request: the row stays,
-- emptied, so attendance, conversations recorded and the audit log still add up.
ALTER TABLE volunteers ADD COLUMN erased_at TIMESTAMPTZ;
ALTER TABLE users ADD COLUMN erased_at TIMESTAMPTZ;
