-- The languages a location offers its customers, default first, as a
-- comma-separated list of codes (`fr,nl`). Existing locations keep what
-- they offered: their default and the other of Dutch and English.
ALTER TABLE locations ADD COLUMN languages TEXT NOT NULL DEFAULT '';
UPDATE locations SET languages = CASE default_language WHEN 'en' THEN 'en,nl' ELSE 'nl,en' END;
