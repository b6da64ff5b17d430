-- Intake everywhere: location details and opening hours, the business profile,
-- kiosks (paired tablets) and the device each submission came from.

ALTER TABLE locations ADD COLUMN address TEXT NOT NULL DEFAULT '';
-- One line per weekday, e.g. "mon 09:00-17:30"; empty means always open.
ALTER TABLE locations ADD COLUMN opening_hours TEXT NOT NULL DEFAULT '';

CREATE TABLE business_profile (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL DEFAULT '',
    accent_colour TEXT NOT NULL DEFAULT '#1f5f8b',
    logo_type TEXT,
    logo_base64 TEXT,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE kiosk_devices (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP,
    revoked_at TIMESTAMP
);

CREATE TABLE kiosk_pairing_codes (
    id INTEGER PRIMARY KEY,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    name TEXT NOT NULL,
    code_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

-- Which kiosk a submission came from (kiosk submissions only).
CREATE TABLE kiosk_submissions (
    feedback_id INTEGER PRIMARY KEY REFERENCES feedback(id),
    device_id INTEGER NOT NULL REFERENCES kiosk_devices(id)
);
CREATE INDEX kiosk_submissions_device ON kiosk_submissions(device_id);
CREATE INDEX tickets_location_created ON tickets(location_id, created_at, id);
CREATE INDEX feedback_spot ON feedback(location_id, spot) WHERE spot IS NOT NULL;
