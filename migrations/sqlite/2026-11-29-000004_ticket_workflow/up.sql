-- Ticket workflow: the waiting and closed statuses, assignee, priority, the SLA
-- clocks, merging and the satisfaction answer on the ticket itself; a timeline
-- of events (notes, status and assignment changes, reminders); canned
-- responses; an append-only audit log; SLA targets per location and the
-- workflow settings of the business.
--
-- SQLite cannot change a CHECK constraint in place, so tickets is rebuilt
-- (the migration runner turns foreign keys off around migrations and checks
-- them afterwards, as SQLite's documentation prescribes).

CREATE TABLE tickets_new (
    id INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL UNIQUE REFERENCES feedback(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'waiting', 'resolved', 'closed')),
    access_nonce TEXT NOT NULL,
    access_token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    spot TEXT,
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('normal', 'high')),
    assignee_id INTEGER REFERENCES users(id),
    -- SLA: both targets as moments, moved later by the time spent waiting.
    first_response_due_at TIMESTAMP,
    resolution_due_at TIMESTAMP,
    -- The moment that matters now (first response, then resolution); NULL
    -- while waiting on the customer, resolved or closed. The inbox sorts by it.
    due_at TIMESTAMP,
    first_response_at TIMESTAMP,
    first_response_escalated_at TIMESTAMP,
    resolution_escalated_at TIMESTAMP,
    waiting_since TIMESTAMP,
    reminder_sent_at TIMESTAMP,
    resolved_at TIMESTAMP,
    closed_at TIMESTAMP,
    csat_due_at TIMESTAMP,
    csat_sent_at TIMESTAMP,
    csat_score SMALLINT CHECK (csat_score BETWEEN 1 AND 4),
    csat_at TIMESTAMP,
    merged_into_id INTEGER REFERENCES tickets(id)
);
INSERT INTO tickets_new (id, feedback_id, location_id, status, access_nonce, access_token_hash,
                         created_at, updated_at, spot)
    SELECT id, feedback_id, location_id, status, access_nonce, access_token_hash,
           created_at, updated_at, spot
    FROM tickets;
DROP TABLE tickets;
ALTER TABLE tickets_new RENAME TO tickets;
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_status_created ON tickets(status, created_at, id);
CREATE INDEX tickets_location_created ON tickets(location_id, created_at, id);
CREATE INDEX tickets_location_spot_created ON tickets(location_id, spot, created_at, id);
CREATE INDEX tickets_waiting ON tickets(waiting_since) WHERE waiting_since IS NOT NULL;
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX tickets_csat_due ON tickets(csat_due_at) WHERE csat_due_at IS NOT NULL;

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    -- note, status, assign, priority, merge, reminder, escalation, csat_sent, csat
    kind TEXT NOT NULL,
    actor_id INTEGER REFERENCES users(id),
    -- Short machine-readable detail, e.g. "open>waiting" or a user id.
    detail TEXT NOT NULL DEFAULT '',
    -- Free text (internal notes); never shown to the customer.
    body TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);

CREATE TABLE canned_responses (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    body_nl TEXT NOT NULL,
    body_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    detail TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_created ON audit_log(created_at, id);
CREATE INDEX audit_log_ticket ON audit_log(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- When each background job last ran (daily digest, …), so it runs once.
CREATE TABLE job_runs (
    name TEXT PRIMARY KEY,
    last_run_at TIMESTAMP NOT NULL
);

-- SLA targets, in minutes of the location's opening hours.
ALTER TABLE locations ADD COLUMN first_response_minutes INTEGER NOT NULL DEFAULT 120;
ALTER TABLE locations ADD COLUMN resolution_minutes INTEGER NOT NULL DEFAULT 960;

-- Workflow settings of the business.
ALTER TABLE business_profile ADD COLUMN auto_close_days INTEGER NOT NULL DEFAULT 7;
ALTER TABLE business_profile ADD COLUMN reminder_days INTEGER NOT NULL DEFAULT 3;
ALTER TABLE business_profile ADD COLUMN csat_delay_hours INTEGER NOT NULL DEFAULT 4;
ALTER TABLE business_profile ADD COLUMN digest_hour INTEGER NOT NULL DEFAULT 8;
ALTER TABLE business_profile ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Europe/Amsterdam';
ALTER TABLE business_profile ADD COLUMN owner_totp_required BOOLEAN NOT NULL DEFAULT 0;
-- The one profile row always exists from here on, so every setting is a plain
-- update (no insert-or-update in each place that saves one).
INSERT INTO business_profile (id, updated_at)
    SELECT 1, CURRENT_TIMESTAMP WHERE NOT EXISTS (SELECT 1 FROM business_profile WHERE id = 1);

-- Staff read their mail in their own language.
ALTER TABLE users ADD COLUMN language TEXT NOT NULL DEFAULT 'nl';
