-- Turf cutting (SQLite). Kept in step with ../postgres/0006_turf.sql.

-- Polling district boundaries, where the council publishes them (GeoJSON geometry).
ALTER TABLE polling_districts ADD COLUMN boundary TEXT;

-- A door the campaign must not knock again (asked on the doorstep or on a paper return).
ALTER TABLE households ADD COLUMN do_not_knock BOOLEAN NOT NULL DEFAULT FALSE;

-- A cut list's short code (printed on the walk sheet, for entering the paper returns),
-- the list it is a second pass of, and who cut it.
ALTER TABLE walk_lists ADD COLUMN code TEXT;
ALTER TABLE walk_lists ADD COLUMN reissued_from INTEGER REFERENCES walk_lists(id) ON DELETE SET NULL;
ALTER TABLE walk_lists ADD COLUMN created_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
CREATE UNIQUE INDEX walk_lists_code ON walk_lists(code) WHERE code IS NOT NULL;
-- Which lists a door is on (the doors already on a list, progress by list).
CREATE INDEX walk_list_households_household ON walk_list_households(household_id);
-- Each door's latest conversation, for the map's colours and the cutting filters.
CREATE INDEX conversations_seat_household_made ON conversations(seat_id, household_id, made_at);

-- Postal voters, as marked from the absent voters list.
INSERT INTO franchise_markers (code, description, parliamentary, local)
    VALUES ('P', 'Postal voter (from the absent voters list)', TRUE, TRUE)
    ON CONFLICT (code) DO NOTHING;

-- Map tiles: empty means no tiles (boundaries and doors on a plain background, no network).
-- Set a URL template such as https://tiles.example.org/{z}/{x}/{y}.png and its attribution.
INSERT INTO campaign_settings (key, value) VALUES ('map_tile_url', ''), ('map_tile_attribution', '')
    ON CONFLICT (key) DO NOTHING;
