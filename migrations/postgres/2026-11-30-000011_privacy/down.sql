DROP INDEX inbound_mails_sender;
DROP INDEX outbox_untied_recipient;
DROP INDEX feedback_not_anonymised;
ALTER TABLE feedback DROP COLUMN anonymised_at;
ALTER TABLE feedback DROP COLUMN consent_wording_id;
DROP TABLE consent_wordings;
ALTER TABLE business_profile DROP COLUMN retention_months;
