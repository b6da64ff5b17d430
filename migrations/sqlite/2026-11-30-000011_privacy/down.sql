ALTER TABLE feedback DROP COLUMN anonymised_at;
ALTER TABLE feedback DROP COLUMN consent_wording_id;
DROP TABLE consent_wordings;
ALTER TABLE business_profile DROP COLUMN retention_months;
