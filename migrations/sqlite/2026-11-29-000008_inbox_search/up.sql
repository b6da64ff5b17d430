-- Inbox at scale: indexes that fit each filter and sort of the staff inbox,
-- and a full-text index over each ticket's reference, the customer's message,
-- name and email, and the replies. Triggers keep the index in step, so no
-- code on the submission path has to remember it.

-- The submission's face and category, copied onto its ticket (as the spot
-- already is) so every inbox filter is a column of tickets and the indexes
-- below answer a filtered page without reading the rows they skip. A
-- trigger copies them, so the code that opens tickets needs not know.
ALTER TABLE tickets ADD COLUMN face SMALLINT;
ALTER TABLE tickets ADD COLUMN category_id INTEGER;
UPDATE tickets SET
    face = (SELECT f.face FROM feedback f WHERE f.id = tickets.feedback_id),
    category_id = (SELECT f.category_id FROM feedback f WHERE f.id = tickets.feedback_id);

CREATE TRIGGER tickets_copy_submission AFTER INSERT ON tickets
WHEN NEW.face IS NULL
BEGIN
    UPDATE tickets SET
        face = (SELECT f.face FROM feedback f WHERE f.id = NEW.feedback_id),
        category_id = (SELECT f.category_id FROM feedback f WHERE f.id = NEW.feedback_id)
    WHERE id = NEW.id;
END;

-- Work in hand (new, open, waiting) newest first: a small slice of the table,
-- carrying every filter column.
CREATE INDEX tickets_active_created
    ON tickets(created_at, id, location_id, spot, assignee_id, due_at, face, category_id)
    WHERE status IN ('new', 'open', 'waiting');
-- Due time first (overdue on top), with the id as tie-break for paging.
CREATE INDEX tickets_due_id
    ON tickets(due_at, id, created_at, status, location_id, spot, assignee_id, face, category_id)
    WHERE due_at IS NOT NULL;
-- One status newest first, and the counts per status; one location newest
-- first. They replace the narrower indexes with the same leading columns.
DROP INDEX tickets_status_created;
CREATE INDEX tickets_status_walk
    ON tickets(status, created_at, id, location_id, spot, assignee_id, due_at, face, category_id);
DROP INDEX tickets_location_created;
CREATE INDEX tickets_location_walk
    ON tickets(location_id, created_at, id, status, spot, assignee_id, due_at, face, category_id);
-- One staff member's tickets, newest first.
CREATE INDEX tickets_assignee_created ON tickets(assignee_id, created_at, id);
-- An exact email address finds its tickets directly, whatever its case.
CREATE INDEX feedback_customer_email ON feedback(lower(customer_email));

-- One document per ticket, its rowid the ticket id (FTS5, bundled SQLite).
CREATE VIRTUAL TABLE ticket_search USING fts5(
    reference,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO ticket_search (rowid, reference, body)
SELECT t.id, f.reference,
       concat_ws(' ', f.message, f.customer_name, f.customer_email,
                 (SELECT group_concat(m.body, ' ') FROM ticket_messages m WHERE m.ticket_id = t.id))
FROM tickets t JOIN feedback f ON f.id = t.feedback_id;

CREATE TRIGGER ticket_search_ticket_added AFTER INSERT ON tickets
BEGIN
    INSERT INTO ticket_search (rowid, reference, body)
    SELECT NEW.id, f.reference, concat_ws(' ', f.message, f.customer_name, f.customer_email)
    FROM feedback f WHERE f.id = NEW.feedback_id;
END;

CREATE TRIGGER ticket_search_ticket_removed AFTER DELETE ON tickets
BEGIN
    DELETE FROM ticket_search WHERE rowid = OLD.id;
END;

CREATE TRIGGER ticket_search_message_added AFTER INSERT ON ticket_messages
BEGIN
    UPDATE ticket_search SET body = concat_ws(' ', body, NEW.body) WHERE rowid = NEW.ticket_id;
END;

-- Edited or removed text (retention, anonymisation): the document is rebuilt.
CREATE TRIGGER ticket_search_message_changed AFTER UPDATE OF body ON ticket_messages
BEGIN
    UPDATE ticket_search SET body = (
        SELECT concat_ws(' ', f.message, f.customer_name, f.customer_email,
                         (SELECT group_concat(m.body, ' ') FROM ticket_messages m WHERE m.ticket_id = t.id))
        FROM tickets t JOIN feedback f ON f.id = t.feedback_id WHERE t.id = NEW.ticket_id)
    WHERE rowid = NEW.ticket_id;
END;

CREATE TRIGGER ticket_search_message_removed AFTER DELETE ON ticket_messages
BEGIN
    UPDATE ticket_search SET body = (
        SELECT concat_ws(' ', f.message, f.customer_name, f.customer_email,
                         (SELECT group_concat(m.body, ' ') FROM ticket_messages m WHERE m.ticket_id = t.id))
        FROM tickets t JOIN feedback f ON f.id = t.feedback_id WHERE t.id = OLD.ticket_id)
    WHERE rowid = OLD.ticket_id;
END;

CREATE TRIGGER ticket_search_feedback_changed
AFTER UPDATE OF message, customer_name, customer_email ON feedback
BEGIN
    UPDATE ticket_search SET body = (
        SELECT concat_ws(' ', NEW.message, NEW.customer_name, NEW.customer_email,
                         (SELECT group_concat(m.body, ' ') FROM ticket_messages m WHERE m.ticket_id = t.id))
        FROM tickets t WHERE t.id = ticket_search.rowid)
    WHERE rowid IN (SELECT id FROM tickets WHERE feedback_id = NEW.id);
END;
