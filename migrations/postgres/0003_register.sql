-- Register import: postcode centroids for geocoding, the franchise markers we know,
-- remembered column mappings, and a record of each import.

CREATE TABLE postcodes (
    postcode  TEXT PRIMARY KEY,        -- normalised: upper case, one space, e.g. "BL0 0AA"
    lat       DOUBLE PRECISION NOT NULL,
    lon       DOUBLE PRECISION NOT NULL
);

-- Markers are data, not code: a council's new marker is a row here, not a release.
CREATE TABLE franchise_markers (
    code           TEXT PRIMARY KEY,
    description    TEXT NOT NULL,
    parliamentary  BOOLEAN NOT NULL,   -- may vote at a general election
    local          BOOLEAN NOT NULL    -- may vote at local elections
);
INSERT INTO franchise_markers (code, description, parliamentary, local) VALUES
    ('E', 'EU citizen: local elections only', FALSE, TRUE),
    ('F', 'Overseas elector: parliamentary elections only', TRUE, FALSE),
    ('G', 'EU citizen: local and devolved elections', FALSE, TRUE),
    ('K', 'EU citizen: local and devolved elections (Scotland)', FALSE, TRUE),
    ('L', 'Peer: local elections only', FALSE, TRUE),
    ('N', 'Anonymous elector', TRUE, TRUE),
    ('M', 'Service voter', TRUE, TRUE);

-- Column mappings an organiser made for a header we did not recognise, keyed by the
-- header itself, so the next file from that council maps itself.
CREATE TABLE register_mappings (
    header_signature  TEXT PRIMARY KEY,
    mapping           TEXT NOT NULL,   -- JSON: field name -> column header
    created_at        TIMESTAMPTZ NOT NULL
);

CREATE TABLE register_imports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seat_id      BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    user_id      BIGINT REFERENCES users(id) ON DELETE SET NULL,
    file_name    TEXT NOT NULL,
    layout       TEXT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL,
    added        BIGINT NOT NULL,
    changed      BIGINT NOT NULL,
    left_count   BIGINT NOT NULL,
    renumbered   BIGINT NOT NULL,
    rejected     BIGINT NOT NULL
);

-- A register file uploaded through the web page, held (in the database, so that any
-- app server can finish the job) between the preview and the organiser's decision.
CREATE TABLE register_uploads (
    id          TEXT PRIMARY KEY,
    seat_id     BIGINT NOT NULL REFERENCES seats(id) ON DELETE CASCADE,
    user_id     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    file_name   TEXT NOT NULL,
    content     BYTEA NOT NULL,
    preview     TEXT NOT NULL,             -- the preview report, as JSON
    created_at  TIMESTAMPTZ NOT NULL
);
