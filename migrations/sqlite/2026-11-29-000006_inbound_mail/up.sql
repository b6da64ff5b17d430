-- Replies by email: every accepted or ignored inbound mail is kept raw, once
-- per Message-ID; the images and PDFs it carried are stored with the ticket
-- message they belong to, for staff to download.

CREATE TABLE inbound_mails (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    -- The ticket message it became; NULL when it was ignored (auto-reply).
    ticket_message_id INTEGER REFERENCES ticket_messages(id),
    -- The Message-ID header, or a digest of the raw bytes when it has none.
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    -- The sender is not the address the customer gave.
    other_sender BOOLEAN NOT NULL,
    raw BLOB NOT NULL,
    -- accepted or ignored
    status TEXT NOT NULL CHECK (status IN ('accepted', 'ignored')),
    -- Why it was ignored, or which attachments were dropped.
    reason TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMP NOT NULL
);
CREATE INDEX inbound_mails_ticket ON inbound_mails(ticket_id, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    ticket_message_id INTEGER NOT NULL REFERENCES ticket_messages(id),
    file_name TEXT NOT NULL,
    -- Decided from the content's magic bytes, never from the sender's claim.
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BLOB NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX attachments_ticket ON attachments(ticket_id, id);
