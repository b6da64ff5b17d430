DROP TABLE gift_requests;
DROP TABLE gifts;
DROP TABLE gift_catalogue;
ALTER TABLE locations DROP COLUMN gift_approval_above_cents;
ALTER TABLE locations DROP COLUMN gift_budget_cents;
