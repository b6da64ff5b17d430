DROP TABLE attachments;
DROP TABLE inbound_mails;
