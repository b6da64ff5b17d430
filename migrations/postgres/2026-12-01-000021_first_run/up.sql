-- The first hour: the owner's checklist and the checks behind it.

-- What the owner dismissed on the checklist (a step's name, or 'checklist'
-- for the whole list), and steps only Tellus sees done ('poster': the first
-- download of a poster or QR code).
CREATE TABLE checklist_steps (
    step TEXT PRIMARY KEY NOT NULL,
    dismissed_at TIMESTAMP,
    done_at TIMESTAMP
);

-- The latest result of each check an owner ran: 'mail' (a test mail) and
-- 'address' (the server fetching its own public address). One row each.
CREATE TABLE self_checks (
    name TEXT PRIMARY KEY NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    target TEXT NOT NULL,
    via TEXT NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- How a delivered mail left: 'smtp', or 'file' when it was only written to
-- the data folder (no SMTP server set). Staff see the difference.
ALTER TABLE outbox ADD COLUMN sent_via TEXT;
