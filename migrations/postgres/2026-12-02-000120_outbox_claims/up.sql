-- A mail a sender has claimed is its own until `claimed_until`: no other
-- instance takes it meanwhile, and a crashed sender's claim runs out.
-- `claimed_by` names the instance, so one that stops cleanly gives back
-- what it had not sent yet.
ALTER TABLE outbox ADD COLUMN claimed_until TIMESTAMP;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
