DROP INDEX webhooks_public_id;
ALTER TABLE webhooks DROP COLUMN public_id;
