ALTER TABLE sessions DROP COLUMN second_factor_pending;
DROP TABLE totp_credentials;
DROP TABLE password_resets;
DROP TABLE invites;
