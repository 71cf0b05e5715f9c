-- Volunteers and canvass sessions (PostgreSQL). Kept in step with ../sqlite/0007_volunteers.sql.
-- The ladder of engagement with the date of each step, what a volunteer can do and
-- needs, their consent to be contacted (who recorded it, when), teams, and who signed
-- up for a session and who recorded their attendance.

-- A team in a seat, led by a user with the team_leader role. A team leader sees and
-- manages only the volunteers and sessions of the teams they lead.
CREATE TABLE teams (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id         BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    leader_user_id  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    UNIQUE (seat_id, name)
);
CREATE INDEX teams_leader ON teams(leader_user_id);

ALTER TABLE volunteers ADD COLUMN team_id BIGINT REFERENCES teams(id) ON DELETE SET NULL;
-- When they can help: codes such as "sat_am", "wed_eve" (day + morning/afternoon/evening).
ALTER TABLE volunteers ADD COLUMN availability TEXT NOT NULL DEFAULT '';
ALTER TABLE volunteers ADD COLUMN drives BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE volunteers ADD COLUMN languages TEXT NOT NULL DEFAULT '';     -- besides English, e.g. "Urdu, Polish"
ALTER TABLE volunteers ADD COLUMN skills TEXT NOT NULL DEFAULT '';        -- e.g. "phone banking, data entry"
ALTER TABLE volunteers ADD COLUMN needs TEXT NOT NULL DEFAULT '';         -- e.g. "can't do stairs"
ALTER TABLE volunteers ADD COLUMN heard_from TEXT NOT NULL DEFAULT '';    -- doorstep, friend, social_media, ...
ALTER TABLE volunteers ADD COLUMN notes TEXT NOT NULL DEFAULT '';
-- A prospect met on the doorstep: the conversation, and whom it was with.
ALTER TABLE volunteers ADD COLUMN conversation_id TEXT REFERENCES conversations(id) ON DELETE SET NULL;
ALTER TABLE volunteers ADD COLUMN elector_id BIGINT REFERENCES electors(id) ON DELETE SET NULL;
ALTER TABLE volunteers ADD COLUMN household_id BIGINT REFERENCES households(id) ON DELETE SET NULL;
-- One prospect per conversation, however often the doorstep asks.
CREATE UNIQUE INDEX volunteers_conversation ON volunteers(conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX volunteers_team ON volunteers(team_id);
CREATE INDEX volunteers_user ON volunteers(user_id);

-- Each step up (or down) the ladder, dated. The volunteer's stage is the latest row's.
CREATE TABLE volunteer_stages (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    stage         TEXT NOT NULL
                  CHECK (stage IN ('prospect','first_session','regular','team_leader','organiser')),
    at            TIMESTAMPTZ NOT NULL,
    recorded_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    note          TEXT
);
CREATE INDEX volunteer_stages_volunteer ON volunteer_stages(volunteer_id, at);
INSERT INTO volunteer_stages (volunteer_id, stage, at) SELECT id, stage, created_at FROM volunteers;

-- Consent to be contacted, per purpose. Append-only: the latest row for a purpose is
-- the volunteer's current answer; earlier rows are the record of who changed it, when.
CREATE TABLE volunteer_consents (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    volunteer_id  BIGINT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    purpose       TEXT NOT NULL CHECK (purpose IN ('sessions','news','fundraising')),
    given         BOOLEAN NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    recorded_by   BIGINT REFERENCES users(id) ON DELETE SET NULL,
    source        TEXT NOT NULL DEFAULT ''      -- how it was given: in person, by email, CSV import, ...
);
CREATE INDEX volunteer_consents_volunteer ON volunteer_consents(volunteer_id, purpose, recorded_at);

-- A session may belong to a team (its leader manages it).
ALTER TABLE canvass_sessions ADD COLUMN team_id BIGINT REFERENCES teams(id) ON DELETE SET NULL;
ALTER TABLE canvass_sessions ADD COLUMN notes TEXT NOT NULL DEFAULT '';

-- A session_attendance row is a sign-up; `attended` and `hours` are recorded afterwards
-- (the dashboards count attended rows and their hours).
ALTER TABLE session_attendance ADD COLUMN signed_up_at TIMESTAMPTZ;
ALTER TABLE session_attendance ADD COLUMN signed_up_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE session_attendance ADD COLUMN recorded_at TIMESTAMPTZ;
ALTER TABLE session_attendance ADD COLUMN recorded_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
CREATE INDEX session_attendance_volunteer ON session_attendance(volunteer_id, attended);
