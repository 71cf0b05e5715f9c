-- Failed sign-ins, by account and by address, so that guessing passwords is slow even
-- across several app servers.
CREATE TABLE login_failures (
    key  TEXT NOT NULL,    -- "email:…" or "ip:…"
    at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_failures_key ON login_failures(key, at);
