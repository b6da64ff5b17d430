-- Thank-you gifts: the owner's catalogue, every gift sent (or waiting for an
-- owner's approval), and each location's monthly budget.

-- NULL: no monthly budget; gifts above the approval amount still wait.
ALTER TABLE locations ADD COLUMN gift_budget_cents BIGINT CHECK (gift_budget_cents >= 0);
-- A gift from staff costing more than this waits for an owner; NULL: never.
ALTER TABLE locations ADD COLUMN gift_approval_above_cents BIGINT CHECK (gift_approval_above_cents >= 0);

CREATE TABLE gift_catalogue (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('flowers', 'cinema', 'discount', 'store_credit', 'free_product', 'custom')),
    title_nl TEXT NOT NULL,
    title_en TEXT NOT NULL,
    description_nl TEXT NOT NULL DEFAULT '',
    description_en TEXT NOT NULL DEFAULT '',
    -- How and where to redeem it, shown on the customer's gift page.
    redeem_nl TEXT NOT NULL DEFAULT '',
    redeem_en TEXT NOT NULL DEFAULT '',
    -- A money value (cents, with its currency) or a percentage, never both.
    value_cents BIGINT CHECK (value_cents > 0),
    currency TEXT NOT NULL DEFAULT 'EUR',
    percent SMALLINT CHECK (percent BETWEEN 1 AND 100),
    -- What one costs the shop; this is what counts against the budget.
    cost_cents BIGINT NOT NULL CHECK (cost_cents >= 0),
    validity_days INTEGER NOT NULL CHECK (validity_days BETWEEN 1 AND 3660),
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((value_cents IS NULL) <> (percent IS NULL))
);

CREATE TABLE gifts (
    id INTEGER PRIMARY KEY,
    catalogue_id INTEGER NOT NULL REFERENCES gift_catalogue(id),
    -- The complaint it thanks for; NULL when sent to an address without one.
    ticket_id INTEGER REFERENCES tickets(id),
    -- Whose budget it counts against.
    location_id INTEGER NOT NULL REFERENCES locations(id),
    -- What was promised, copied from the catalogue in the customer's language
    -- when the gift was made, so later catalogue edits don't change it.
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
    -- Personal data: emptied by the retention job and by erasure.
    recipient_email TEXT,
    recipient_name TEXT,
    message TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('awaiting_approval', 'declined', 'sent', 'redeemed', 'void')),
    -- Set when the gift is sent (not while it waits for approval). The code
    -- is stored only as a keyed hash (HMAC with the server secret), the page
    -- token only as its SHA-256: a leaked database reveals no live code.
    code_hash TEXT UNIQUE,
    access_token_hash TEXT UNIQUE,
    created_by INTEGER NOT NULL REFERENCES users(id),
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
CREATE INDEX gifts_location_created ON gifts(location_id, created_at);
CREATE INDEX gifts_ticket ON gifts(ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX gifts_awaiting ON gifts(created_at) WHERE status = 'awaiting_approval';
CREATE INDEX gifts_redeemed ON gifts(redeemed_at) WHERE redeemed_at IS NOT NULL;

-- One row per gift form sent: a doubled submit (a double click, a resent
-- form) finds the key taken and makes no second gift. Only the key's SHA-256.
CREATE TABLE gift_requests (
    key_hash TEXT PRIMARY KEY,
    gift_id INTEGER NOT NULL REFERENCES gifts(id),
    created_at TIMESTAMP NOT NULL
);
