-- electors_seat (seat_id) repeats the first column of electors_seat_left (seat_id, left_at):
-- every query that finds a seat's electors, and the seat's ON DELETE CASCADE, uses the
-- longer index as well. Dropping it saves one index entry per elector written, which is
-- measurable in a 75,000-row register import (`groundwork bench import`).
DROP INDEX electors_seat;
