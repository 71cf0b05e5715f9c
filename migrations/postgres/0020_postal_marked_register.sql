-- Postal votes and the marked register (PostgreSQL). Kept in step with
-- ../sqlite/0020_postal_marked_register.sql.

-- An elector on the council's absent-voters list with a postal vote. The list is
-- imported whole: a new import replaces the seat's rows.
CREATE TABLE postal_voters (
    elector_id   BIGINT PRIMARY KEY REFERENCES electors(id) ON DELETE CASCADE,
    seat_id      BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    imported_at  TIMESTAMPTZ NOT NULL,
    imported_by  BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX postal_voters_seat ON postal_voters(seat_id);

-- What a postal voter told the organiser chasing them (latest wins): the vote is sent,
-- not yet, or lost and needs a replacement ballot. Who and when are kept.
CREATE TABLE postal_chases (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id     BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    elector_id  BIGINT NOT NULL REFERENCES electors(id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent','not_yet','lost')),
    made_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX postal_chases_elector ON postal_chases(elector_id, made_at);
CREATE INDEX postal_chases_seat ON postal_chases(seat_id);

-- A marked register imported after an election: its figures stay when an elector's row
-- goes (erasure), so the seat's turnout share is still known.
CREATE TABLE marked_registers (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id        BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    label          TEXT NOT NULL,
    election_date  DATE NOT NULL,
    -- Electors the turnout share is out of, and those marked as having voted.
    electorate     BIGINT NOT NULL CHECK (electorate >= 0),
    voted          BIGINT NOT NULL CHECK (voted >= 0),
    imported_at    TIMESTAMPTZ NOT NULL,
    imported_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (seat_id, election_date)
);

-- Each elector's turnout history: whether they voted at an election.
CREATE TABLE turnout_history (
    elector_id          BIGINT NOT NULL REFERENCES electors(id) ON DELETE CASCADE,
    marked_register_id  BIGINT NOT NULL REFERENCES marked_registers(id) ON DELETE CASCADE,
    voted               BOOLEAN NOT NULL,
    PRIMARY KEY (elector_id, marked_register_id)
);
CREATE INDEX turnout_history_register ON turnout_history(marked_register_id);
