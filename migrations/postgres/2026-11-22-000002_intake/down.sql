DROP INDEX feedback_spot;
DROP INDEX tickets_location_created;
DROP TABLE kiosk_submissions;
DROP TABLE kiosk_pairing_codes;
DROP TABLE kiosk_devices;
DROP TABLE business_profile;
ALTER TABLE locations DROP COLUMN opening_hours;
ALTER TABLE locations DROP COLUMN address;
