-- Foundation: accounts, locations, feedback, tickets, the mail outbox.
-- Times are UTC, stored as text in ISO order so they sort correctly.

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('owner', 'staff')),
    password_hash TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE setup_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE locations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Amsterdam',
    default_language TEXT NOT NULL DEFAULT 'nl',
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1
);
INSERT INTO categories (slug, name_nl, name_en, position, active) VALUES
    ('service', 'Bediening', 'Service', 1, 1),
    ('product', 'Product', 'Product', 2, 1),
    ('waiting', 'Wachttijd', 'Waiting time', 3, 1),
    ('cleanliness', 'Netheid', 'Cleanliness', 4, 1),
    ('price', 'Prijs', 'Price', 5, 1),
    ('other', 'Iets anders', 'Something else', 6, 1);

CREATE TABLE review_links (
    id INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    url TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    face SMALLINT NOT NULL CHECK (face BETWEEN 1 AND 4),
    category_id INTEGER REFERENCES categories(id),
    message TEXT,
    customer_name TEXT,
    customer_email TEXT,
    contact_consent BOOLEAN NOT NULL DEFAULT 0,
    language TEXT NOT NULL,
    channel TEXT NOT NULL,
    spot TEXT,
    idempotency_key TEXT,
    quarantine_reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX feedback_idempotency ON feedback(location_id, idempotency_key);
CREATE INDEX feedback_quarantine ON feedback(quarantine_reason) WHERE quarantine_reason IS NOT NULL;
CREATE INDEX feedback_location_created ON feedback(location_id, created_at);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    feedback_id INTEGER NOT NULL UNIQUE REFERENCES feedback(id),
    location_id INTEGER NOT NULL REFERENCES locations(id),
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'resolved')),
    access_nonce TEXT NOT NULL,
    access_token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_status_created ON tickets(status, created_at, id);

CREATE TABLE ticket_messages (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    author TEXT NOT NULL CHECK (author IN ('customer', 'staff')),
    staff_user_id INTEGER REFERENCES users(id),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_messages_ticket ON ticket_messages(ticket_id, id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets(id),
    ticket_message_id INTEGER REFERENCES ticket_messages(id),
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    message_id TEXT NOT NULL,
    in_reply_to TEXT,
    message_references TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
CREATE INDEX outbox_ticket ON outbox(ticket_id);
