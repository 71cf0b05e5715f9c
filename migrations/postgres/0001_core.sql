-- Groundwork core schema (PostgreSQL). Kept in step with ../sqlite/0001_core.sql.
-- Timestamps are TIMESTAMPTZ, always written by the application in UTC.

CREATE TABLE regions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE
);

CREATE TABLE seats (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    gss_code     TEXT NOT NULL UNIQUE,          -- e.g. E14000611
    name         TEXT NOT NULL,
    region_id    BIGINT REFERENCES regions(id),
    electorate   BIGINT,
    is_target    BOOLEAN NOT NULL DEFAULT FALSE,
    boundary     TEXT                             -- GeoJSON geometry
);

-- Every result we hold; the seat's "last result" is the row with the latest year.
CREATE TABLE seat_results (
    seat_id         BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    year            BIGINT NOT NULL,
    winner          TEXT NOT NULL,
    runner_up       TEXT NOT NULL,
    winner_votes    BIGINT NOT NULL,
    runner_up_votes BIGINT NOT NULL,
    majority        BIGINT NOT NULL,
    electorate      BIGINT NOT NULL,
    valid_votes     BIGINT NOT NULL,
    invalid_votes   BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (seat_id, year)
);

CREATE TABLE wards (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id   BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    gss_code  TEXT NOT NULL,
    name      TEXT NOT NULL,
    boundary  TEXT ,
    UNIQUE (seat_id, gss_code)
);

CREATE TABLE polling_districts (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ward_id  BIGINT NOT NULL REFERENCES wards(id) ON DELETE CASCADE,
    code     TEXT NOT NULL,                      -- the register's prefix, e.g. "NA"
    name     TEXT NOT NULL,
    UNIQUE (ward_id, code)
);

-- One door. address_key is the UPRN when known, else the normalised address + postcode,
-- so that electors at one address always share one household.
CREATE TABLE households (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id              BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    polling_district_id  BIGINT REFERENCES polling_districts(id),
    address_key          TEXT NOT NULL,
    uprn                 TEXT,
    address1             TEXT NOT NULL,
    address2             TEXT,
    address3             TEXT,
    street               TEXT,
    house_number         TEXT,
    postcode             TEXT,
    lat                  DOUBLE PRECISION,
    lon                  DOUBLE PRECISION,
    UNIQUE (seat_id, address_key)
);
CREATE INDEX households_pd ON households(polling_district_id);

CREATE TABLE electors (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id              BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    household_id         BIGINT NOT NULL REFERENCES households(id),
    polling_district_id  BIGINT REFERENCES polling_districts(id),
    pd_prefix            TEXT NOT NULL,
    elector_number       BIGINT NOT NULL,
    elector_suffix       BIGINT NOT NULL DEFAULT 0,
    markers              TEXT NOT NULL DEFAULT '',   -- franchise markers as printed, e.g. "F" or "K"
    title                TEXT,
    first_name           TEXT NOT NULL,
    middle_names         TEXT,
    surname              TEXT NOT NULL,
    date_of_birth        DATE,                        -- YYYY-MM-DD, rarely supplied
    attainment_date      DATE,                        -- YYYY-MM-DD, for attainers
    left_at              TIMESTAMPTZ                  -- set when a later register drops them
);
-- Numbers are unique among current electors only: a council reuses the number of someone
-- who has left, and we keep the leaver's history.
CREATE UNIQUE INDEX electors_number ON electors(seat_id, pd_prefix, elector_number, elector_suffix)
    WHERE left_at IS NULL;
CREATE INDEX electors_household ON electors(household_id);
CREATE INDEX electors_seat ON electors(seat_id);

CREATE TABLE users (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin','regional','organiser','team_leader','volunteer')),
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ
);

-- What a user may see: a region (regional staff) or a seat (organisers, volunteers).
CREATE TABLE user_scopes (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    region_id  BIGINT REFERENCES regions(id) ON DELETE CASCADE,
    seat_id    BIGINT REFERENCES seats(id) ON DELETE CASCADE,
    CHECK ((region_id IS NULL) <> (seat_id IS NULL))
);
CREATE INDEX user_scopes_user ON user_scopes(user_id);

-- Sessions live in the database so that several app servers share them.
-- Only a hash of the cookie's token is stored.
CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE volunteers (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id      BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    user_id      BIGINT REFERENCES users(id),
    first_name   TEXT NOT NULL,
    surname      TEXT NOT NULL,
    email        TEXT,
    phone        TEXT,
    ward_id      BIGINT REFERENCES wards(id),
    stage        TEXT NOT NULL DEFAULT 'prospect'
                 CHECK (stage IN ('prospect','first_session','regular','team_leader','organiser')),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX volunteers_seat ON volunteers(seat_id);

CREATE TABLE canvass_sessions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id        BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    title          TEXT NOT NULL,
    starts_at      TIMESTAMPTZ NOT NULL,
    ends_at        TIMESTAMPTZ NOT NULL,
    meeting_point  TEXT NOT NULL,
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    capacity       BIGINT
);
CREATE INDEX canvass_sessions_seat ON canvass_sessions(seat_id, starts_at);

CREATE TABLE session_attendance (
    canvass_session_id  BIGINT NOT NULL REFERENCES canvass_sessions(id) ON DELETE CASCADE,
    volunteer_id        BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    attended            BOOLEAN NOT NULL DEFAULT FALSE,
    hours               DOUBLE PRECISION,
    PRIMARY KEY (canvass_session_id, volunteer_id)
);

CREATE TABLE walk_lists (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id             BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    name                TEXT NOT NULL,
    canvass_session_id  BIGINT REFERENCES canvass_sessions(id) ON DELETE SET NULL,
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('draft','active','closed')),
    created_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX walk_lists_seat ON walk_lists(seat_id);

CREATE TABLE walk_list_households (
    walk_list_id  BIGINT NOT NULL REFERENCES walk_lists(id) ON DELETE CASCADE,
    household_id  BIGINT NOT NULL REFERENCES households(id),
    position      BIGINT NOT NULL,
    PRIMARY KEY (walk_list_id, household_id),
    UNIQUE (walk_list_id, position)
);

CREATE TABLE walk_list_assignments (
    walk_list_id  BIGINT NOT NULL REFERENCES walk_lists(id) ON DELETE CASCADE,
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    PRIMARY KEY (walk_list_id, volunteer_id)
);

-- A doorstep conversation. The id is a UUID made on the phone, so however often an
-- entry is sent it is stored once.
CREATE TABLE conversations (
    id                TEXT PRIMARY KEY,
    seat_id           BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    household_id      BIGINT NOT NULL REFERENCES households(id),
    elector_id        BIGINT REFERENCES electors(id),
    walk_list_id      BIGINT REFERENCES walk_lists(id) ON DELETE SET NULL,
    volunteer_id      BIGINT REFERENCES volunteers(id) ON DELETE SET NULL,
    result            TEXT NOT NULL,               -- spoke, not_in, refused, moved, ...
    intention         TEXT,                        -- party code, when known
    intention_source  TEXT CHECK (intention_source IN ('said','inferred')),
    firmness          BIGINT,
    notes             TEXT,
    made_at           TIMESTAMPTZ NOT NULL,               -- on the phone's clock
    received_at       TIMESTAMPTZ NOT NULL                -- on the server's clock
);
CREATE INDEX conversations_seat_made ON conversations(seat_id, made_at);
CREATE INDEX conversations_household ON conversations(household_id, made_at);

-- Append-only: the app has no code path that updates or deletes these rows.
CREATE TABLE audit_log (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           TIMESTAMPTZ NOT NULL,
    user_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    action       TEXT NOT NULL,                  -- view, export, change, sign_in, ...
    object_type  TEXT NOT NULL,
    object_id    TEXT,
    reason       TEXT,                            -- the screen or walk list it was for
    detail       TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
