-- Data-subject rights (sqlite). Kept in step with ../postgres/0008_privacy.sql.

-- When an elector's personal data was erased. The row stays, emptied, so that counts of
-- electors, contacts and intentions are unchanged.
ALTER TABLE electors ADD COLUMN erased_at TEXT;

-- Retention: intentions and notes from before an election are purged this many months
-- after it. An empty election date means nothing is due.
INSERT INTO campaign_settings (key, value) VALUES ('election_date', ''), ('retention_months', '6');

-- Invitations: a link (or a code read out or printed) that lets a new person set their
-- own password. Only a hash of the code is kept; it works once, until it expires.
CREATE TABLE invitations (
    code_hash     TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin','regional','organiser','team_leader','volunteer')),
    region_id     INTEGER REFERENCES regions(id) ON DELETE CASCADE,
    seat_id       INTEGER REFERENCES seats(id) ON DELETE CASCADE,
    invited_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    accepted_at   TEXT
);
