-- The league table's figures per seat, kept by triggers like migration 0010's, so that a
-- region's league reads a few rows a seat instead of counting every elector and every
-- recent conversation in the country. A test recounts them from the raw rows.

-- Electors on the register (not marked as left) per seat.
CREATE TABLE dashboard_seats (
    seat_id   INTEGER PRIMARY KEY REFERENCES seats(id) ON DELETE CASCADE,
    electors  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO dashboard_seats (seat_id, electors)
SELECT seat_id, COUNT(*) FROM electors WHERE left_at IS NULL GROUP BY seat_id;

CREATE TRIGGER dashboard_elector_insert AFTER INSERT ON electors WHEN NEW.left_at IS NULL
BEGIN
    INSERT INTO dashboard_seats (seat_id, electors) VALUES (NEW.seat_id, 1)
        ON CONFLICT (seat_id) DO UPDATE SET electors = electors + 1;
END;

CREATE TRIGGER dashboard_elector_delete AFTER DELETE ON electors WHEN OLD.left_at IS NULL
BEGIN
    UPDATE dashboard_seats SET electors = electors - 1 WHERE seat_id = OLD.seat_id;
END;

CREATE TRIGGER dashboard_elector_update AFTER UPDATE OF seat_id, left_at ON electors
WHEN (OLD.left_at IS NULL) <> (NEW.left_at IS NULL) OR OLD.seat_id <> NEW.seat_id
BEGIN
    UPDATE dashboard_seats SET electors = electors - 1 WHERE seat_id = OLD.seat_id AND OLD.left_at IS NULL;
    INSERT INTO dashboard_seats (seat_id, electors) SELECT NEW.seat_id, 1 WHERE NEW.left_at IS NULL
        ON CONFLICT (seat_id) DO UPDATE SET electors = electors + 1;
END;

-- Conversations per seat and UTC day (YYYY-MM-DD), for the charts and the league's trend.
CREATE TABLE dashboard_days (
    seat_id        INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    day            TEXT NOT NULL,
    conversations  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, day)
) WITHOUT ROWID;
-- made_at is stored as UTC text, so its first ten characters are the UTC day.
INSERT INTO dashboard_days (seat_id, day, conversations)
SELECT seat_id, substr(made_at, 1, 10), COUNT(*) FROM conversations GROUP BY seat_id, substr(made_at, 1, 10);

CREATE TRIGGER dashboard_day_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO dashboard_days (seat_id, day, conversations) VALUES (NEW.seat_id, substr(NEW.made_at, 1, 10), 1)
        ON CONFLICT (seat_id, day) DO UPDATE SET conversations = conversations + 1;
END;

CREATE TRIGGER dashboard_day_delete AFTER DELETE ON conversations
BEGIN
    UPDATE dashboard_days SET conversations = conversations - 1
     WHERE seat_id = OLD.seat_id AND day = substr(OLD.made_at, 1, 10);
END;

CREATE TRIGGER dashboard_day_update AFTER UPDATE OF seat_id, made_at ON conversations
BEGIN
    UPDATE dashboard_days SET conversations = conversations - 1
     WHERE seat_id = OLD.seat_id AND day = substr(OLD.made_at, 1, 10);
    INSERT INTO dashboard_days (seat_id, day, conversations) VALUES (NEW.seat_id, substr(NEW.made_at, 1, 10), 1)
        ON CONFLICT (seat_id, day) DO UPDATE SET conversations = conversations + 1;
END;

-- Migration 0002's indexes for counting results per door and per seat from the raw rows:
-- the counters answer those questions now, and every conversation stored wrote a page of
-- each (no query reads them any more).
DROP INDEX conversations_household_result;
DROP INDEX conversations_seat_result;
