-- A seat's latest intentions, by party: the knock-up page counts a seat's promises per
-- district (every few seconds on polling day), which without this reads every seat's row.
CREATE INDEX dashboard_latest_seat ON dashboard_latest(seat_id, intention);
