ALTER TABLE ticket_messages DROP COLUMN api_key_id;
ALTER TABLE ticket_events DROP COLUMN api_key_id;
ALTER TABLE audit_log DROP COLUMN api_key_id;
DROP TABLE api_cors_origins;
DROP TABLE api_key_locations;
DROP TABLE api_keys;
