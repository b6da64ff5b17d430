-- Back to one row per Message-ID: the oldest row of each is kept.
CREATE TABLE inbound_mails_old (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    ticket_message_id INTEGER REFERENCES ticket_messages(id),
    message_id TEXT NOT NULL UNIQUE,
    sender TEXT NOT NULL,
    other_sender BOOLEAN NOT NULL,
    raw BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('accepted', 'ignored')),
    reason TEXT NOT NULL DEFAULT '',
    received_at TIMESTAMP NOT NULL
);
INSERT INTO inbound_mails_old
    (id, ticket_id, ticket_message_id, message_id, sender, other_sender, raw, status, reason, received_at)
SELECT id, ticket_id, ticket_message_id, message_id, sender, other_sender, raw, status, reason, received_at
FROM inbound_mails
WHERE id IN (SELECT MIN(id) FROM inbound_mails GROUP BY message_id);
DROP TABLE inbound_mails;
ALTER TABLE inbound_mails_old RENAME TO inbound_mails;
CREATE INDEX inbound_mails_ticket ON inbound_mails(ticket_id, id);
CREATE INDEX inbound_mails_sender ON inbound_mails(sender);
