-- Inbound mail is kept once per ticket and Message-ID, not once per
-- Message-ID: the same Message-ID on a mail to another ticket is another
-- mail (a forged one must not suppress another customer's reply).
-- SQLite cannot drop a column's UNIQUE constraint, so the table is rebuilt
-- (nothing references it).

CREATE TABLE inbound_mails_new (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    -- The ticket message it became; NULL when it was ignored (auto-reply).
    ticket_message_id INTEGER REFERENCES ticket_messages(id),
    -- The Message-ID header, or a digest of the raw bytes when it has none.
    message_id TEXT NOT NULL,
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
INSERT INTO inbound_mails_new
    (id, ticket_id, ticket_message_id, message_id, sender, other_sender, raw, status, reason, received_at)
SELECT id, ticket_id, ticket_message_id, message_id, sender, other_sender, raw, status, reason, received_at
FROM inbound_mails;
DROP TABLE inbound_mails;
ALTER TABLE inbound_mails_new RENAME TO inbound_mails;
CREATE INDEX inbound_mails_ticket ON inbound_mails(ticket_id, id);
CREATE INDEX inbound_mails_sender ON inbound_mails(sender);
CREATE UNIQUE INDEX inbound_mails_ticket_message ON inbound_mails(ticket_id, message_id);
