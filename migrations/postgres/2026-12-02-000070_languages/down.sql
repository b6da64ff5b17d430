ALTER TABLE locations DROP COLUMN languages;
