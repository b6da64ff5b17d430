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
DROP FUNCTION audit_log_append_only();
DROP TABLE canned_responses;
DROP TABLE ticket_events;
ALTER TABLE tickets
    DROP COLUMN merged_into_id,
    DROP COLUMN csat_at,
    DROP COLUMN csat_score,
    DROP COLUMN csat_sent_at,
    DROP COLUMN csat_due_at,
    DROP COLUMN closed_at,
    DROP COLUMN resolved_at,
    DROP COLUMN reminder_sent_at,
    DROP COLUMN waiting_since,
    DROP COLUMN resolution_escalated_at,
    DROP COLUMN first_response_escalated_at,
    DROP COLUMN first_response_at,
    DROP COLUMN due_at,
    DROP COLUMN resolution_due_at,
    DROP COLUMN first_response_due_at,
    DROP COLUMN assignee_id,
    DROP COLUMN priority;
UPDATE tickets SET status = CASE status WHEN 'waiting' THEN 'open' WHEN 'closed' THEN 'resolved' ELSE status END;
ALTER TABLE tickets DROP CONSTRAINT tickets_status_check;
ALTER TABLE tickets ADD CONSTRAINT tickets_status_check CHECK (status IN ('new', 'open', 'resolved'));
