-- The doorstep app (SQLite). Kept in step with ../postgres/0005_doorstep.sql.
-- Issues raised, survey answers and follow-ups belong to a conversation; entries an
-- organiser must look at (flagged, or held while review is on) wait in doorstep_reviews.

-- What a voter asked us to do next. Dashboards and the organiser's queue read these.
CREATE TABLE follow_ups (
    id               INTEGER PRIMARY KEY,
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    seat_id          INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    household_id     INTEGER NOT NULL REFERENCES households(id),
    elector_id       INTEGER REFERENCES electors(id),
    kind             TEXT NOT NULL
                     CHECK (kind IN ('poster','postal_vote','volunteer','join','call_back','do_not_knock')),
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    created_at       TEXT NOT NULL,
    done_at          TEXT,
    done_by          INTEGER REFERENCES users(id) ON DELETE SET NULL,
    UNIQUE (conversation_id, kind)
);
CREATE INDEX follow_ups_seat_status ON follow_ups(seat_id, status, kind);
-- "Do not knock again" is looked up per door on every walk list.
CREATE INDEX follow_ups_household_kind ON follow_ups(household_id, kind);

-- The issues a voter raised (codes from the campaign's list).
CREATE TABLE conversation_issues (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    issue            TEXT NOT NULL,
    PRIMARY KEY (conversation_id, issue)
);
CREATE INDEX conversation_issues_issue ON conversation_issues(issue);

-- Answers to the campaign's own survey questions.
CREATE TABLE survey_answers (
    conversation_id  TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question         TEXT NOT NULL,       -- the question's id in the campaign's survey
    answer           TEXT NOT NULL,
    PRIMARY KEY (conversation_id, question)
);

-- Entries for an organiser to look at. A flagged entry (phone far from the address, or
-- made implausibly soon after the same volunteer's previous one) is already counted
-- unless held; with review on every entry is held here, outside `conversations`, so it
-- counts nowhere until confirmed. The entry itself is kept as sent (JSON).
CREATE TABLE doorstep_reviews (
    id            TEXT PRIMARY KEY,        -- the entry's id (the conversation's, once stored)
    seat_id       INTEGER NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    walk_list_id  INTEGER REFERENCES walk_lists(id) ON DELETE SET NULL,
    household_id  INTEGER NOT NULL REFERENCES households(id),
    volunteer_id  INTEGER REFERENCES volunteers(id) ON DELETE SET NULL,
    user_id       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    entry         TEXT NOT NULL,           -- the entry as the phone sent it (JSON)
    result        TEXT NOT NULL,
    reasons       TEXT NOT NULL DEFAULT '',-- e.g. "412 m from the address; 3 s after the last entry"
    held          BOOLEAN NOT NULL,        -- true: not in conversations until confirmed
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','confirmed','rejected')),
    made_at       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    decided_at    TEXT,
    decided_by    INTEGER REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX doorstep_reviews_seat_status ON doorstep_reviews(seat_id, status);
CREATE INDEX doorstep_reviews_household ON doorstep_reviews(household_id, status);

-- The phone's position when the entry was made, when the browser gave it.
ALTER TABLE conversations ADD COLUMN lat REAL;
ALTER TABLE conversations ADD COLUMN lon REAL;
-- A volunteer's previous entry, for the "implausibly fast" check.
CREATE INDEX conversations_volunteer_made ON conversations(volunteer_id, made_at);
