-- Gifts made by an API key cannot go back to a table without them.
DELETE FROM gift_requests WHERE gift_id IN (SELECT id FROM gifts WHERE created_by IS NULL);
DELETE FROM gifts WHERE created_by IS NULL;
DROP TABLE gift_api_keys;
ALTER TABLE gifts ALTER COLUMN created_by SET NOT NULL;
