-- Everything that leaves Tellus over HTTP (webhooks, Slack, Teams): one row
-- per message and receiver, written in the same transaction as the change
-- that causes it, like the mail outbox.
CREATE TABLE outbound (
    id INTEGER PRIMARY KEY,
    -- The message's id for the receiver (`webhook-id`): random, the same on
    -- every attempt, so a receiver can drop a repeat.
    delivery_id TEXT NOT NULL UNIQUE,
    -- The event's name, e.g. `feedback.created`.
    event TEXT NOT NULL,
    -- 'webhook', 'slack' or 'teams'.
    target TEXT NOT NULL,
    -- The webhook endpoint, for webhooks.
    webhook_id BIGINT,
    -- The chat target, for Slack and Teams.
    chat_target_id BIGINT,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'queued', 'sent' or 'failed'.
    status TEXT NOT NULL DEFAULT 'queued',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    -- Claimed by a sender until then; a crashed sender's claim runs out.
    claimed_until TIMESTAMP,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX outbound_due ON outbound (next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbound_webhook ON outbound (webhook_id, id);
