-- The spot a ticket came from, on the ticket itself, so the inbox can filter
-- by location and spot straight from one index in ticket order.
ALTER TABLE tickets ADD COLUMN spot TEXT;
UPDATE tickets SET spot = (SELECT spot FROM feedback WHERE feedback.id = tickets.feedback_id);
CREATE INDEX tickets_location_spot_created ON tickets(location_id, spot, created_at, id);
