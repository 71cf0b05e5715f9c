-- Polling day (SQLite). Kept in step with ../postgres/0019_polling_day.sql.
-- The set-up (stations, ballot boxes, committee rooms), who works where, what tellers
-- see at the stations, what knockers hear at the doors, and the boxes' counts.

-- A polling station: a school hall or a church; it holds a ballot box per district.
CREATE TABLE polling_stations (
    id       INTEGER PRIMARY KEY,
    seat_id  INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    address  TEXT NOT NULL DEFAULT '',
    UNIQUE (seat_id, name)
);

-- A committee room (campaign centre): it runs the knock-up in its districts.
CREATE TABLE committee_rooms (
    id          INTEGER PRIMARY KEY,
    seat_id     INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL DEFAULT '',
    canvassers  INTEGER NOT NULL DEFAULT 0 CHECK (canvassers >= 0),
    cars        INTEGER NOT NULL DEFAULT 0 CHECK (cars >= 0),
    UNIQUE (seat_id, name)
);

-- One ballot box per polling district, at the station where that district votes, and
-- the room whose knockers work the district.
CREATE TABLE ballot_boxes (
    id                   INTEGER PRIMARY KEY,
    seat_id              INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    polling_district_id  INTEGER NOT NULL UNIQUE REFERENCES polling_districts(id) ON DELETE CASCADE,
    station_id           INTEGER NOT NULL REFERENCES polling_stations(id) ON DELETE CASCADE,
    label                TEXT NOT NULL,
    committee_room_id    INTEGER REFERENCES committee_rooms(id) ON DELETE SET NULL
);
CREATE INDEX ballot_boxes_station ON ballot_boxes(station_id);

-- Papers issued from a box by a time of the day ("HH:MM"), as the presiding officer
-- says. A second figure for the same time corrects the first (the audit log keeps both).
CREATE TABLE ballot_box_counts (
    box_id       INTEGER NOT NULL REFERENCES ballot_boxes(id) ON DELETE CASCADE,
    at_time      TEXT NOT NULL,
    papers       INTEGER NOT NULL CHECK (papers >= 0),
    recorded_by  INTEGER REFERENCES users(id) ON DELETE SET NULL,
    recorded_at  TEXT NOT NULL,
    PRIMARY KEY (box_id, at_time)
);

-- Who tells at which station and knocks up for which room on polling day. Volunteers
-- reach the polling-day phone pages only through a row here.
CREATE TABLE polling_day_helpers (
    user_id            INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    seat_id            INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    station_id         INTEGER REFERENCES polling_stations(id) ON DELETE CASCADE,
    committee_room_id  INTEGER REFERENCES committee_rooms(id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, seat_id)
);

-- A poll number a teller took at a station. The id is made on the phone, so an entry
-- sent twice is stored once. A number that matches nobody is kept (elector_id NULL) for
-- correction, never dropped. An elector is told once: a second live entry for the same
-- elector is not stored. Undoing keeps the row (who, where, when) with undone_at set.
CREATE TABLE telling_entries (
    id           TEXT PRIMARY KEY,
    seat_id      INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    station_id   INTEGER NOT NULL REFERENCES polling_stations(id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    typed        TEXT NOT NULL,
    elector_id   INTEGER REFERENCES electors(id) ON DELETE CASCADE,
    made_at      TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    corrected_at TEXT,
    undone_at    TEXT
);
CREATE UNIQUE INDEX telling_entries_told ON telling_entries(elector_id)
    WHERE elector_id IS NOT NULL AND undone_at IS NULL;
CREATE INDEX telling_entries_station ON telling_entries(station_id, made_at);
CREATE INDEX telling_entries_user ON telling_entries(user_id, received_at);

-- What a knocker heard at a promise's door on polling day (latest by the phone's clock wins).
CREATE TABLE knock_up_results (
    id           TEXT PRIMARY KEY,
    seat_id      INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    elector_id   INTEGER NOT NULL REFERENCES electors(id) ON DELETE CASCADE,
    user_id      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    result       TEXT NOT NULL
                 CHECK (result IN ('not_in','will_vote','needs_lift','voted','do_not_return')),
    made_at      TEXT NOT NULL,
    received_at  TEXT NOT NULL
);
CREATE INDEX knock_up_results_elector ON knock_up_results(elector_id, made_at);
CREATE INDEX knock_up_results_seat ON knock_up_results(seat_id);
