-- The league table's figures per seat, kept by triggers like migration 0010's, so that a
-- region's league reads a few rows a seat instead of counting every elector and every
-- recent conversation in the country. A test recounts them from the raw rows. Kept in
-- step with ../sqlite/0013_dashboard_seats_days.sql.

-- Electors on the register (not marked as left) per seat.
CREATE TABLE dashboard_seats (
    seat_id   BIGINT PRIMARY KEY REFERENCES seats(id) ON DELETE CASCADE,
    electors  BIGINT NOT NULL DEFAULT 0
);
INSERT INTO dashboard_seats (seat_id, electors)
SELECT seat_id, COUNT(*) FROM electors WHERE left_at IS NULL GROUP BY seat_id;

-- Once per statement, from its transition tables: a register import writes tens of
-- thousands of electors in one transaction, and a row trigger would update one counter
-- row that many times (each update a new row version the next must step over).
CREATE FUNCTION dashboard_electors_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO dashboard_seats AS d (seat_id, electors)
        SELECT seat_id, COUNT(*) FROM new_rows WHERE left_at IS NULL GROUP BY seat_id
        ON CONFLICT (seat_id) DO UPDATE SET electors = d.electors + excluded.electors;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE dashboard_seats d SET electors = d.electors - o.n
          FROM (SELECT seat_id, COUNT(*) AS n FROM old_rows WHERE left_at IS NULL GROUP BY seat_id) o
         WHERE d.seat_id = o.seat_id;
    ELSE
        INSERT INTO dashboard_seats AS d (seat_id, electors)
        SELECT seat_id, SUM(n) FROM (
            SELECT seat_id, 1 AS n FROM new_rows WHERE left_at IS NULL
            UNION ALL
            SELECT seat_id, -1 FROM old_rows WHERE left_at IS NULL
        ) x GROUP BY seat_id HAVING SUM(n) <> 0
        ON CONFLICT (seat_id) DO UPDATE SET electors = d.electors + excluded.electors;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboard_electors_inserted AFTER INSERT ON electors
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_electors_changed();
CREATE TRIGGER dashboard_electors_deleted AFTER DELETE ON electors
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_electors_changed();
CREATE TRIGGER dashboard_electors_updated AFTER UPDATE ON electors
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION dashboard_electors_changed();

-- Conversations per seat and UTC day (YYYY-MM-DD), for the charts and the league's trend.
CREATE TABLE dashboard_days (
    seat_id        BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    day            TEXT NOT NULL,
    conversations  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, day)
);
INSERT INTO dashboard_days (seat_id, day, conversations)
SELECT seat_id, to_char(made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), COUNT(*) FROM conversations GROUP BY 1, 2;

CREATE FUNCTION dashboard_conversation_day() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE dashboard_days SET conversations = conversations - 1
         WHERE seat_id = OLD.seat_id AND day = to_char(OLD.made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD');
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO dashboard_days AS d (seat_id, day, conversations)
        VALUES (NEW.seat_id, to_char(NEW.made_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), 1)
        ON CONFLICT (seat_id, day) DO UPDATE SET conversations = d.conversations + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboard_conversation_day AFTER INSERT OR DELETE OR UPDATE OF seat_id, made_at ON conversations
    FOR EACH ROW EXECUTE FUNCTION dashboard_conversation_day();

-- Migration 0002's indexes for counting results per door and per seat from the raw rows:
-- the counters answer those questions now, and every conversation stored wrote a page of
-- each (no query reads them any more).
DROP INDEX conversations_household_result;
DROP INDEX conversations_seat_result;
