-- The owner's webhook endpoints. The signing secret is not stored: it is
-- derived from the server's secret key and the endpoint's random nonce, so
-- the database alone cannot sign (or forge) a delivery.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- The subscribed event names, comma-separated.
    events TEXT NOT NULL,
    secret_nonce TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    -- Why it is paused: 'owner' or 'failing'.
    paused_reason TEXT,
    paused_at TIMESTAMP,
    -- The first failed attempt since the last success.
    failing_since TIMESTAMP,
    last_success_at TIMESTAMP,
    last_attempt_at TIMESTAMP,
    -- The last attempt's HTTP status, if an answer came.
    last_status INTEGER,
    created_at TIMESTAMP NOT NULL,
    created_by BIGINT
);
-- What every event asks first: the active endpoints (usually none).
CREATE INDEX webhooks_active ON webhooks (active);

-- Every attempt at a webhook delivery, the last 200 per endpoint.
CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY,
    webhook_id BIGINT NOT NULL,
    delivery_id TEXT NOT NULL,
    event TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX webhook_attempts_endpoint ON webhook_attempts (webhook_id, id);
