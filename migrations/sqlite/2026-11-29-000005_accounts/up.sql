-- Accounts: invitations and password resets (one-use links; only the token's
-- SHA-256 is stored), the TOTP second factor, and the half-logged-in session
-- between the password and the code.

CREATE TABLE invites (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    language TEXT NOT NULL DEFAULT 'nl',
    invited_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX invites_email ON invites(email);

CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- One confirmed authenticator per user; last_step is the last 30-second step
-- whose code was accepted, so no code works twice.
CREATE TABLE totp_credentials (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    last_step BIGINT NOT NULL DEFAULT 0,
    enabled_at TIMESTAMP NOT NULL
);

-- A session that has passed the password but not yet the code grants nothing
-- but the code step.
ALTER TABLE sessions ADD COLUMN second_factor_pending BOOLEAN NOT NULL DEFAULT 0;
