-- Inbound mail is kept once per ticket and Message-ID, not once per
-- Message-ID: the same Message-ID on a mail to another ticket is another
-- mail (a forged one must not suppress another customer's reply).
ALTER TABLE inbound_mails DROP CONSTRAINT inbound_mails_message_id_key;
CREATE UNIQUE INDEX inbound_mails_ticket_message ON inbound_mails(ticket_id, message_id);
