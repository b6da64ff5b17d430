-- Gifts through the API: a gift is made, or redeemed, by a staff member or
-- by an API key. created_by becomes optional; the key that made or redeemed
-- a gift is kept beside it, in gift_api_keys.
--
-- SQLite cannot drop NOT NULL in place, so gifts is rebuilt (the migration
-- runner turns foreign keys off around migrations and checks them
-- afterwards, as SQLite's documentation prescribes).

CREATE TABLE gifts_new (
    id INTEGER PRIMARY KEY,
    catalogue_id INTEGER NOT NULL REFERENCES gift_catalogue(id),
    ticket_id INTEGER REFERENCES tickets(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    redeem_how TEXT NOT NULL,
    value_cents BIGINT,
    currency TEXT NOT NULL,
    percent SMALLINT,
    cost_cents BIGINT NOT NULL,
    validity_days INTEGER NOT NULL,
    language TEXT NOT NULL,
    recipient_email TEXT,
    recipient_name TEXT,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'declined', 'sent', 'redeemed', 'void')),
    code_hash TEXT UNIQUE,
    access_token_hash TEXT UNIQUE,
    created_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided_at TIMESTAMP,
    decline_reason TEXT,
    sent_at TIMESTAMP,
    expires_at TIMESTAMP,
    redeemed_at TIMESTAMP,
    redeemed_by INTEGER REFERENCES users(id),
    redeemed_location_id INTEGER REFERENCES locations(id),
    voided_at TIMESTAMP,
    voided_by INTEGER REFERENCES users(id)
);
INSERT INTO gifts_new (id, catalogue_id, ticket_id, location_id, kind, title, description,
                       redeem_how, value_cents, currency, percent, cost_cents, validity_days,
                       language, recipient_email, recipient_name, message, status, code_hash,
                       access_token_hash, created_by, created_at, decided_by, decided_at,
                       decline_reason, sent_at, expires_at, redeemed_at, redeemed_by,
                       redeemed_location_id, voided_at, voided_by)
    SELECT id, catalogue_id, ticket_id, location_id, kind, title, description,
           redeem_how, value_cents, currency, percent, cost_cents, validity_days,
           language, recipient_email, recipient_name, message, status, code_hash,
           access_token_hash, created_by, created_at, decided_by, decided_at,
           decline_reason, sent_at, expires_at, redeemed_at, redeemed_by,
           redeemed_location_id, voided_at, voided_by
    FROM gifts;
DROP TABLE gifts;
ALTER TABLE gifts_new RENAME TO gifts;
CREATE INDEX gifts_location_created ON gifts(location_id, created_at);
CREATE INDEX gifts_ticket ON gifts(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX gifts_awaiting ON gifts(created_at) WHERE status = 'awaiting_approval';
CREATE INDEX gifts_redeemed ON gifts(redeemed_at) WHERE redeemed_at IS NOT NULL;
CREATE INDEX gifts_sent ON gifts(sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE gift_api_keys (
    gift_id INTEGER PRIMARY KEY REFERENCES gifts(id),
    created_by INTEGER REFERENCES api_keys(id),
    redeemed_by INTEGER REFERENCES api_keys(id)
);
