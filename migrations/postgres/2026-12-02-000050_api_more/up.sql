-- Webhook endpoints get a public id for the API (`wh_…`); integrations
-- never see the row id. Existing endpoints get a random one.
ALTER TABLE webhooks ADD COLUMN public_id TEXT NOT NULL DEFAULT '';
UPDATE webhooks SET public_id = 'wh_' || md5(random()::text || clock_timestamp()::text || id::text);
ALTER TABLE webhooks ALTER COLUMN public_id DROP DEFAULT;
CREATE UNIQUE INDEX webhooks_public_id ON webhooks (public_id);
