-- How to reach a voter who asked for a call back or wants to volunteer (SQLite). Kept in
-- step with ../postgres/0018_follow_up_contact.sql. Given at the door only with their
-- consent to be contacted about it, which is recorded with when it was given; erased with
-- the elector (see elector erasure) and purged with the follow-up.
ALTER TABLE follow_ups ADD COLUMN phone TEXT;
ALTER TABLE follow_ups ADD COLUMN email TEXT;
ALTER TABLE follow_ups ADD COLUMN contact_consent_at TEXT;
