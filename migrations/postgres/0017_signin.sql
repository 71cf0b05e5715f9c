-- Invitations can be withdrawn before they are used (a wrong address, someone who left).
ALTER TABLE invitations ADD COLUMN revoked_at TIMESTAMPTZ;

-- A password reset link an admin gives someone who has forgotten theirs: only a hash of
-- the code is kept; it works once, for a day, and a newer link replaces an older one.
CREATE TABLE password_resets (
    code_hash   TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by  BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_resets_user ON password_resets(user_id);
