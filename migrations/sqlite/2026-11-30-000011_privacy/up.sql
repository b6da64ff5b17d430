-- Privacy by design: how long personal data is kept after a ticket closes,
-- the exact consent wording each submission agreed to, and when a
-- submission's personal data was removed.

ALTER TABLE business_profile ADD COLUMN retention_months INTEGER NOT NULL DEFAULT 12 CHECK (retention_months BETWEEN 1 AND 120);

-- Every consent wording ever shown with the email box, once per language and text.
CREATE TABLE consent_wordings (
    id INTEGER PRIMARY KEY,
    language TEXT NOT NULL,
    wording TEXT NOT NULL,
    first_shown_at TIMESTAMP NOT NULL,
    UNIQUE (language, wording)
);

-- The wording the customer agreed to (NULL: no consent given); the moment is
-- the submission's created_at.
ALTER TABLE feedback ADD COLUMN consent_wording_id INTEGER REFERENCES consent_wordings(id);
-- When the name, address and texts were removed (retention or erasure); the
-- numbers the dashboard needs stay.
ALTER TABLE feedback ADD COLUMN anonymised_at TIMESTAMP;

-- The daily retention run walks only what is still personal, oldest first:
-- cheap when there is nothing to do, whatever the number of tickets.
CREATE INDEX feedback_not_anonymised ON feedback(created_at, id) WHERE anonymised_at IS NULL;
-- Erasure and export find the mails to an address that belong to no ticket
-- (gifts sent to an address); the ones on tickets are found by the ticket.
CREATE INDEX outbox_untied_recipient ON outbox(lower(recipient)) WHERE ticket_id IS NULL;
-- Erasure and export find the mails received from an address.
CREATE INDEX inbound_mails_sender ON inbound_mails(sender);
-- Removed or changed text leaves the full-text index at once (FTS5 would
-- otherwise keep old terms in its segments until a merge): an anonymised or
-- erased customer is not findable even in the index's shadow tables.
INSERT INTO ticket_search(ticket_search, rank) VALUES('secure-delete', 1);
