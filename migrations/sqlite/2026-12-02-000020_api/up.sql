-- API keys the owner makes for the shop's other systems: only the key's
-- SHA-256 is kept, with a short prefix to tell keys apart in lists.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    -- The first characters of the key (not secret), e.g. 'tellus_AbC1'.
    prefix TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    -- Space-separated scopes, e.g. 'tickets:read feedback:write'.
    scopes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- The owner who made it (none: the command line).
    created_by BIGINT REFERENCES users(id),
    last_used_at TIMESTAMP,
    revoked_at TIMESTAMP
);

-- The locations a key is limited to; none listed: every location.
CREATE TABLE api_key_locations (
    api_key_id BIGINT NOT NULL REFERENCES api_keys(id),
    location_id BIGINT NOT NULL REFERENCES locations(id),
    PRIMARY KEY (api_key_id, location_id)
);

-- Web origins whose pages may call the API from a browser (CORS); none: CORS off.
CREATE TABLE api_cors_origins (
    origin TEXT PRIMARY KEY,
    created_at TIMESTAMP NOT NULL
);

-- What an API key did: the key as the actor, beside the user column.
ALTER TABLE audit_log ADD COLUMN api_key_id BIGINT REFERENCES api_keys(id);
ALTER TABLE ticket_events ADD COLUMN api_key_id BIGINT REFERENCES api_keys(id);
ALTER TABLE ticket_messages ADD COLUMN api_key_id BIGINT REFERENCES api_keys(id);
