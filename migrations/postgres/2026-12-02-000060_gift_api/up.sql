-- Gifts through the API: a gift is made, or redeemed, by a staff member or
-- by an API key. created_by becomes optional; the key that made or redeemed
-- a gift is kept beside it, in gift_api_keys.
ALTER TABLE gifts ALTER COLUMN created_by DROP NOT NULL;
CREATE TABLE gift_api_keys (
    gift_id BIGINT PRIMARY KEY REFERENCES gifts(id),
    created_by BIGINT REFERENCES api_keys(id),
    redeemed_by BIGINT REFERENCES api_keys(id)
);
