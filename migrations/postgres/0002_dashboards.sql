-- Dashboards (PostgreSQL). Kept in step with ../sqlite/0002_dashboards.sql.

-- Campaign-wide settings. `our_party` is the intention code that counts as a supporter;
-- `our_party_name` is how results name the same party (for the win number).
CREATE TABLE campaign_settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
INSERT INTO campaign_settings (key, value) VALUES ('our_party', 'lab'), ('our_party_name', 'Labour');

-- Dashboards are computed from the raw rows on every request; these indexes let each
-- aggregate read an index alone instead of visiting every conversation row.
-- Knocks and contacts per door (walked from the seat's doors in district order), and per seat.
CREATE INDEX conversations_household_result ON conversations(household_id, result);
CREATE INDEX conversations_seat_result ON conversations(seat_id, result);
CREATE INDEX households_seat_pd ON households(seat_id, polling_district_id, id);
-- Each elector's latest recorded intention, in elector order.
CREATE INDEX conversations_seat_elector_latest
    ON conversations(seat_id, elector_id, made_at DESC, id DESC)
    INCLUDE (intention, intention_source, household_id)
    WHERE elector_id IS NOT NULL AND intention IS NOT NULL;
-- Live electors per seat and per polling district.
CREATE INDEX electors_seat_left ON electors(seat_id, left_at);
CREATE INDEX electors_pd_left ON electors(polling_district_id, left_at);
