DROP INDEX tickets_location_spot_created;
ALTER TABLE tickets DROP COLUMN spot;
