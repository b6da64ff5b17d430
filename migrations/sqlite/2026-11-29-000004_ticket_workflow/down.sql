ALTER TABLE users DROP COLUMN language;
ALTER TABLE business_profile DROP COLUMN owner_totp_required;
ALTER TABLE business_profile DROP COLUMN time_zone;
ALTER TABLE business_profile DROP COLUMN digest_hour;
ALTER TABLE business_profile DROP COLUMN csat_delay_hours;
ALTER TABLE business_profile DROP COLUMN reminder_days;
ALTER TABLE business_profile DROP COLUMN auto_close_days;
ALTER TABLE locations DROP COLUMN resolution_minutes;
ALTER TABLE locations DROP COLUMN first_response_minutes;
DROP TABLE job_runs;
DROP TABLE audit_log;
DROP TABLE canned_responses;
DROP TABLE ticket_events;

CREATE TABLE tickets_new (
    id INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL UNIQUE REFERENCES feedback(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved')),
    access_nonce TEXT NOT NULL,
    access_token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    spot TEXT
);
INSERT INTO tickets_new (id, feedback_id, location_id, status, access_nonce, access_token_hash,
                         created_at, updated_at, spot)
    SELECT id, feedback_id, location_id,
           CASE status WHEN 'waiting' THEN 'open' WHEN 'closed' THEN 'resolved' ELSE status END,
           access_nonce, access_token_hash, created_at, updated_at, spot
    FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_status_created ON tickets(status, created_at, id);
CREATE INDEX tickets_location_created ON tickets(location_id, created_at, id);
CREATE INDEX tickets_location_spot_created ON tickets(location_id, spot, created_at, id);
