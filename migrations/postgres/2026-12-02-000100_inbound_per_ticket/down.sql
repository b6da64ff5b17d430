-- Back to one row per Message-ID: the oldest row of each is kept.
DROP INDEX inbound_mails_ticket_message;
DELETE FROM inbound_mails a USING inbound_mails b
WHERE a.message_id = b.message_id AND a.id > b.id;
ALTER TABLE inbound_mails ADD CONSTRAINT inbound_mails_message_id_key UNIQUE (message_id);
