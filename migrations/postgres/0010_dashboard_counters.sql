-- Dashboards: the issues voters raise, per seat and over time (PostgreSQL). Kept in step
-- with ../sqlite/0010_dashboard_issues.sql.

-- Each issue row carries its conversation's seat and time, so that the seat dashboard
-- counts a seat's issues (in all, and per day) from one index alone instead of looking
-- up every conversation. A trigger fills them in the same transaction as the insert,
-- whichever code path stores the issue.
ALTER TABLE conversation_issues ADD COLUMN seat_id BIGINT;
ALTER TABLE conversation_issues ADD COLUMN made_at TIMESTAMPTZ;
UPDATE conversation_issues i SET seat_id = c.seat_id, made_at = c.made_at
  FROM conversations c WHERE c.id = i.conversation_id;
CREATE FUNCTION conversation_issues_seat() RETURNS trigger AS $$
BEGIN
    SELECT c.seat_id, c.made_at INTO NEW.seat_id, NEW.made_at FROM conversations c WHERE c.id = NEW.conversation_id;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER conversation_issues_seat BEFORE INSERT ON conversation_issues
    FOR EACH ROW EXECUTE FUNCTION conversation_issues_seat();
CREATE INDEX conversation_issues_seat ON conversation_issues(seat_id, issue, made_at);
-- Follow-ups open and done per kind, and the oldest open, from the index alone.
CREATE INDEX follow_ups_seat_status_created ON follow_ups(seat_id, status, kind, created_at);

-- The seat dashboard's canvass figures, kept up to date by a trigger in the same
-- transaction as each conversation is stored, changed or deleted, so that the dashboard
-- reads a few hundred counter rows instead of every conversation. A test recounts them
-- from the raw rows. district_key is the door's polling district, 0 for none.

-- Knocks, contacts and doors knocked at least once.
CREATE TABLE dashboard_districts (
    seat_id       BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key  BIGINT NOT NULL,
    knocks        BIGINT NOT NULL DEFAULT 0,
    spoke         BIGINT NOT NULL DEFAULT 0,
    reached       BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, district_key)
);

-- Knocks per door, so that a door's first knock counts it as reached and its last
-- deleted one uncounts it, however many rows one statement touches (row triggers run
-- after the whole statement, so they cannot ask the conversations table).
CREATE TABLE dashboard_doors (
    household_id  BIGINT PRIMARY KEY,
    knocks        BIGINT NOT NULL
);
INSERT INTO dashboard_doors (household_id, knocks) SELECT household_id, COUNT(*) FROM conversations GROUP BY household_id;

-- Each elector's latest recorded intention (latest by made_at, then id), at the door
-- where it was recorded. source is 'said' unless the canvasser inferred it.
CREATE TABLE dashboard_latest (
    elector_id       BIGINT PRIMARY KEY,
    seat_id          BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key     BIGINT NOT NULL,
    conversation_id  TEXT NOT NULL,
    made_at          TIMESTAMPTZ NOT NULL,
    intention        TEXT NOT NULL,
    source           TEXT NOT NULL
);

-- Electors by their latest intention, per district.
CREATE TABLE dashboard_intentions (
    seat_id       BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key  BIGINT NOT NULL,
    intention     TEXT NOT NULL,
    source        TEXT NOT NULL,
    electors      BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, district_key, intention, source)
);

INSERT INTO dashboard_districts (seat_id, district_key, knocks, spoke, reached)
SELECT h.seat_id, COALESCE(h.polling_district_id, 0), COUNT(*), COUNT(*) FILTER (WHERE c.result = 'spoke'),
       COUNT(DISTINCT h.id)
  FROM conversations c JOIN households h ON h.id = c.household_id
 GROUP BY h.seat_id, COALESCE(h.polling_district_id, 0);

INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
SELECT DISTINCT ON (c.elector_id) c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at,
       c.intention, CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
  FROM conversations c JOIN households h ON h.id = c.household_id
 WHERE c.elector_id IS NOT NULL AND c.intention IS NOT NULL
 ORDER BY c.elector_id, c.made_at DESC, c.id DESC;

INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
SELECT seat_id, district_key, intention, source, COUNT(*) FROM dashboard_latest
 GROUP BY seat_id, district_key, intention, source;

-- Counts (sign 1) or uncounts (-1) one knock at a door.
CREATE FUNCTION dashboard_count_knock(p_seat BIGINT, p_household BIGINT, p_result TEXT, sign BIGINT)
RETURNS void AS $$
DECLARE
    n BIGINT;
BEGIN
    IF sign < 0 THEN
        UPDATE dashboard_doors SET knocks = knocks - 1 WHERE household_id = p_household RETURNING knocks INTO n;
        UPDATE dashboard_districts d
           SET knocks = d.knocks - 1, spoke = d.spoke - CASE WHEN p_result = 'spoke' THEN 1 ELSE 0 END,
               reached = d.reached - CASE WHEN n = 0 THEN 1 ELSE 0 END
          FROM households h
         WHERE h.id = p_household AND d.seat_id = p_seat AND d.district_key = COALESCE(h.polling_district_id, 0);
        DELETE FROM dashboard_doors WHERE household_id = p_household AND knocks = 0;
        RETURN;
    END IF;
    INSERT INTO dashboard_doors AS d (household_id, knocks) VALUES (p_household, 1)
    ON CONFLICT (household_id) DO UPDATE SET knocks = d.knocks + 1
    RETURNING d.knocks INTO n;
    INSERT INTO dashboard_districts AS d (seat_id, district_key, knocks, spoke, reached)
    SELECT p_seat, COALESCE(h.polling_district_id, 0), 1, CASE WHEN p_result = 'spoke' THEN 1 ELSE 0 END,
           CASE WHEN n = 1 THEN 1 ELSE 0 END
      FROM households h WHERE h.id = p_household
    ON CONFLICT (seat_id, district_key) DO UPDATE
       SET knocks = d.knocks + excluded.knocks, spoke = d.spoke + excluded.spoke, reached = d.reached + excluded.reached;
END
$$ LANGUAGE plpgsql;

-- Works out an elector's latest intention again from their conversations.
CREATE FUNCTION dashboard_recount_elector(p_seat BIGINT, p_elector BIGINT) RETURNS void AS $$
BEGIN
    IF p_elector IS NULL THEN
        RETURN;
    END IF;
    UPDATE dashboard_intentions i SET electors = i.electors - 1
      FROM dashboard_latest l
     WHERE l.elector_id = p_elector AND i.seat_id = l.seat_id AND i.district_key = l.district_key
       AND i.intention = l.intention AND i.source = l.source;
    DELETE FROM dashboard_latest WHERE elector_id = p_elector;
    INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
    SELECT c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at, c.intention,
           CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
      FROM conversations c JOIN households h ON h.id = c.household_id
     WHERE c.seat_id = p_seat AND c.elector_id = p_elector AND c.intention IS NOT NULL
     ORDER BY c.made_at DESC, c.id DESC LIMIT 1;
    INSERT INTO dashboard_intentions AS i (seat_id, district_key, intention, source, electors)
    SELECT seat_id, district_key, intention, source, 1 FROM dashboard_latest WHERE elector_id = p_elector
    ON CONFLICT (seat_id, district_key, intention, source) DO UPDATE SET electors = i.electors + 1;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION dashboard_conversation_changed() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        PERFORM dashboard_count_knock(OLD.seat_id, OLD.household_id, OLD.result, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM dashboard_count_knock(NEW.seat_id, NEW.household_id, NEW.result, 1);
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- Only a newer intention than the elector's latest changes anything.
        IF NEW.elector_id IS NOT NULL AND NEW.intention IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM dashboard_latest l WHERE l.elector_id = NEW.elector_id
               AND (l.made_at > NEW.made_at OR (l.made_at = NEW.made_at AND l.conversation_id > NEW.id))) THEN
            PERFORM dashboard_recount_elector(NEW.seat_id, NEW.elector_id);
        END IF;
    ELSE
        PERFORM dashboard_recount_elector(OLD.seat_id, OLD.elector_id);
        IF TG_OP = 'UPDATE' AND NEW.elector_id IS DISTINCT FROM OLD.elector_id THEN
            PERFORM dashboard_recount_elector(NEW.seat_id, NEW.elector_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER dashboard_conversation_changed
AFTER INSERT OR DELETE OR UPDATE OF seat_id, household_id, elector_id, result, intention, intention_source, made_at
ON conversations FOR EACH ROW EXECUTE FUNCTION dashboard_conversation_changed();
