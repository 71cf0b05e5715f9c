-- Dashboards: the issues voters raise, per seat and over time (SQLite). Kept in step
-- with ../postgres/0010_dashboard_issues.sql.

-- Each issue row carries its conversation's seat and time, so that the seat dashboard
-- counts a seat's issues (in all, and per day) from one index alone instead of looking
-- up every conversation. A trigger fills them in the same transaction as the insert,
-- whichever code path stores the issue.
ALTER TABLE conversation_issues ADD COLUMN seat_id INTEGER;
ALTER TABLE conversation_issues ADD COLUMN made_at TEXT;
UPDATE conversation_issues
   SET seat_id = (SELECT c.seat_id FROM conversations c WHERE c.id = conversation_issues.conversation_id),
       made_at = (SELECT c.made_at FROM conversations c WHERE c.id = conversation_issues.conversation_id);
CREATE TRIGGER conversation_issues_seat AFTER INSERT ON conversation_issues
BEGIN
    UPDATE conversation_issues
       SET seat_id = (SELECT c.seat_id FROM conversations c WHERE c.id = NEW.conversation_id),
           made_at = (SELECT c.made_at FROM conversations c WHERE c.id = NEW.conversation_id)
     WHERE rowid = NEW.rowid;
END;
CREATE INDEX conversation_issues_seat ON conversation_issues(seat_id, issue, made_at);
-- Follow-ups open and done per kind, and the oldest open, from the index alone.
CREATE INDEX follow_ups_seat_status_created ON follow_ups(seat_id, status, kind, created_at);

-- The seat dashboard's canvass figures, kept up to date by triggers in the same
-- transaction as each conversation is stored, changed or deleted, so that the dashboard
-- reads a few hundred counter rows instead of every conversation. A test recounts them
-- from the raw rows. district_key is the door's polling district, 0 for none.

-- Knocks, contacts and doors knocked at least once.
CREATE TABLE dashboard_districts (
    seat_id       INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key  INTEGER NOT NULL,
    knocks        INTEGER NOT NULL DEFAULT 0,
    spoke         INTEGER NOT NULL DEFAULT 0,
    reached       INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, district_key)
);

-- Knocks per door, so that a door's first knock counts it as reached and its last
-- deleted one uncounts it, however many rows one statement touches.
CREATE TABLE dashboard_doors (
    household_id  INTEGER PRIMARY KEY,
    knocks        INTEGER NOT NULL
);
INSERT INTO dashboard_doors (household_id, knocks) SELECT household_id, COUNT(*) FROM conversations GROUP BY household_id;

-- Each elector's latest recorded intention (latest by made_at, then id), at the door
-- where it was recorded. source is 'said' unless the canvasser inferred it.
CREATE TABLE dashboard_latest (
    elector_id       INTEGER PRIMARY KEY,
    seat_id          INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key     INTEGER NOT NULL,
    conversation_id  TEXT NOT NULL,
    made_at          TEXT NOT NULL,
    intention        TEXT NOT NULL,
    source           TEXT NOT NULL
);

-- Electors by their latest intention, per district.
CREATE TABLE dashboard_intentions (
    seat_id       INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    district_key  INTEGER NOT NULL,
    intention     TEXT NOT NULL,
    source        TEXT NOT NULL,
    electors      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, district_key, intention, source)
);

INSERT INTO dashboard_districts (seat_id, district_key, knocks, spoke, reached)
SELECT h.seat_id, COALESCE(h.polling_district_id, 0), COUNT(*), SUM(c.result = 'spoke'), COUNT(DISTINCT h.id)
  FROM conversations c JOIN households h ON h.id = c.household_id
 GROUP BY h.seat_id, COALESCE(h.polling_district_id, 0);

INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
SELECT c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at, c.intention,
       CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
  FROM conversations c JOIN households h ON h.id = c.household_id
 WHERE c.elector_id IS NOT NULL AND c.intention IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM conversations n
                    WHERE n.elector_id = c.elector_id AND n.intention IS NOT NULL
                      AND (n.made_at > c.made_at OR (n.made_at = c.made_at AND n.id > c.id)));

INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
SELECT seat_id, district_key, intention, source, COUNT(*) FROM dashboard_latest
 GROUP BY seat_id, district_key, intention, source;

-- A conversation stored: count the knock, and make it the elector's latest if it is.
CREATE TRIGGER dashboard_conversation_insert AFTER INSERT ON conversations
BEGIN
    INSERT INTO dashboard_doors (household_id, knocks) VALUES (NEW.household_id, 1)
        ON CONFLICT (household_id) DO UPDATE SET knocks = knocks + 1;
    INSERT INTO dashboard_districts (seat_id, district_key, knocks, spoke, reached)
    SELECT NEW.seat_id, COALESCE(h.polling_district_id, 0), 1, NEW.result = 'spoke',
           (SELECT knocks FROM dashboard_doors WHERE household_id = NEW.household_id) = 1
      FROM households h WHERE h.id = NEW.household_id
        ON CONFLICT (seat_id, district_key) DO UPDATE
       SET knocks = knocks + excluded.knocks, spoke = spoke + excluded.spoke, reached = reached + excluded.reached;
    UPDATE dashboard_intentions SET electors = electors - 1
     WHERE NEW.intention IS NOT NULL
       AND (seat_id, district_key, intention, source) =
           (SELECT seat_id, district_key, intention, source FROM dashboard_latest
             WHERE elector_id = NEW.elector_id
               AND (made_at < NEW.made_at OR (made_at = NEW.made_at AND conversation_id < NEW.id)));
    INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
    SELECT NEW.elector_id, NEW.seat_id, COALESCE(h.polling_district_id, 0), NEW.id, NEW.made_at, NEW.intention,
           CASE WHEN NEW.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
      FROM households h WHERE h.id = NEW.household_id AND NEW.elector_id IS NOT NULL AND NEW.intention IS NOT NULL
        ON CONFLICT (elector_id) DO UPDATE
       SET seat_id = excluded.seat_id, district_key = excluded.district_key,
           conversation_id = excluded.conversation_id, made_at = excluded.made_at,
           intention = excluded.intention, source = excluded.source
     WHERE excluded.made_at > dashboard_latest.made_at
        OR (excluded.made_at = dashboard_latest.made_at AND excluded.conversation_id > dashboard_latest.conversation_id);
    INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
    SELECT seat_id, district_key, intention, source, 1 FROM dashboard_latest
     WHERE elector_id = NEW.elector_id AND conversation_id = NEW.id
        ON CONFLICT (seat_id, district_key, intention, source) DO UPDATE SET electors = electors + 1;
END;

-- A conversation deleted: uncount the knock, and work out the elector's latest again.
CREATE TRIGGER dashboard_conversation_delete AFTER DELETE ON conversations
BEGIN
    UPDATE dashboard_doors SET knocks = knocks - 1 WHERE household_id = OLD.household_id;
    UPDATE dashboard_districts
       SET knocks = knocks - 1, spoke = spoke - (OLD.result = 'spoke'),
           reached = reached - ((SELECT knocks FROM dashboard_doors WHERE household_id = OLD.household_id) = 0)
     WHERE seat_id = OLD.seat_id
       AND district_key = (SELECT COALESCE(polling_district_id, 0) FROM households WHERE id = OLD.household_id);
    DELETE FROM dashboard_doors WHERE household_id = OLD.household_id AND knocks = 0;
    UPDATE dashboard_intentions SET electors = electors - 1
     WHERE (seat_id, district_key, intention, source) =
           (SELECT seat_id, district_key, intention, source FROM dashboard_latest WHERE elector_id = OLD.elector_id);
    DELETE FROM dashboard_latest WHERE elector_id = OLD.elector_id;
    INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
    SELECT c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at, c.intention,
           CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
      FROM conversations c JOIN households h ON h.id = c.household_id
     WHERE c.seat_id = OLD.seat_id AND c.elector_id = OLD.elector_id AND c.intention IS NOT NULL
     ORDER BY c.made_at DESC, c.id DESC LIMIT 1;
    INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
    SELECT seat_id, district_key, intention, source, 1 FROM dashboard_latest WHERE elector_id = OLD.elector_id
        ON CONFLICT (seat_id, district_key, intention, source) DO UPDATE SET electors = electors + 1;
END;

-- A conversation changed (the retention purge clears intentions): as if deleted and
-- stored again. Changes to its notes alone touch nothing.
CREATE TRIGGER dashboard_conversation_update
AFTER UPDATE OF seat_id, household_id, elector_id, result, intention, intention_source, made_at ON conversations
BEGIN
    UPDATE dashboard_doors SET knocks = knocks - 1 WHERE household_id = OLD.household_id;
    UPDATE dashboard_districts
       SET knocks = knocks - 1, spoke = spoke - (OLD.result = 'spoke'),
           reached = reached - ((SELECT knocks FROM dashboard_doors WHERE household_id = OLD.household_id) = 0)
     WHERE seat_id = OLD.seat_id
       AND district_key = (SELECT COALESCE(polling_district_id, 0) FROM households WHERE id = OLD.household_id);
    DELETE FROM dashboard_doors WHERE household_id = OLD.household_id AND knocks = 0;
    INSERT INTO dashboard_doors (household_id, knocks) VALUES (NEW.household_id, 1)
        ON CONFLICT (household_id) DO UPDATE SET knocks = knocks + 1;
    INSERT INTO dashboard_districts (seat_id, district_key, knocks, spoke, reached)
    SELECT NEW.seat_id, COALESCE(h.polling_district_id, 0), 1, NEW.result = 'spoke',
           (SELECT knocks FROM dashboard_doors WHERE household_id = NEW.household_id) = 1
      FROM households h WHERE h.id = NEW.household_id
        ON CONFLICT (seat_id, district_key) DO UPDATE
       SET knocks = knocks + excluded.knocks, spoke = spoke + excluded.spoke, reached = reached + excluded.reached;
    UPDATE dashboard_intentions SET electors = electors - 1
     WHERE (seat_id, district_key, intention, source) =
           (SELECT seat_id, district_key, intention, source FROM dashboard_latest WHERE elector_id = OLD.elector_id);
    DELETE FROM dashboard_latest WHERE elector_id = OLD.elector_id;
    INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
    SELECT c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at, c.intention,
           CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
      FROM conversations c JOIN households h ON h.id = c.household_id
     WHERE c.seat_id = OLD.seat_id AND c.elector_id = OLD.elector_id AND c.intention IS NOT NULL
     ORDER BY c.made_at DESC, c.id DESC LIMIT 1;
    INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
    SELECT seat_id, district_key, intention, source, 1 FROM dashboard_latest WHERE elector_id = OLD.elector_id
        ON CONFLICT (seat_id, district_key, intention, source) DO UPDATE SET electors = electors + 1;
    UPDATE dashboard_intentions SET electors = electors - 1
     WHERE (seat_id, district_key, intention, source) =
           (SELECT seat_id, district_key, intention, source FROM dashboard_latest WHERE elector_id = NEW.elector_id);
    DELETE FROM dashboard_latest WHERE elector_id = NEW.elector_id;
    INSERT INTO dashboard_latest (elector_id, seat_id, district_key, conversation_id, made_at, intention, source)
    SELECT c.elector_id, c.seat_id, COALESCE(h.polling_district_id, 0), c.id, c.made_at, c.intention,
           CASE WHEN c.intention_source = 'inferred' THEN 'inferred' ELSE 'said' END
      FROM conversations c JOIN households h ON h.id = c.household_id
     WHERE c.seat_id = NEW.seat_id AND c.elector_id = NEW.elector_id AND c.intention IS NOT NULL
     ORDER BY c.made_at DESC, c.id DESC LIMIT 1;
    INSERT INTO dashboard_intentions (seat_id, district_key, intention, source, electors)
    SELECT seat_id, district_key, intention, source, 1 FROM dashboard_latest WHERE elector_id = NEW.elector_id
        ON CONFLICT (seat_id, district_key, intention, source) DO UPDATE SET electors = electors + 1;
END;
