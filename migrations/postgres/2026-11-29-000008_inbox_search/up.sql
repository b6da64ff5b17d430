-- Inbox at scale: indexes that fit each filter and sort of the staff inbox,
-- and a full-text index over each ticket's reference, the customer's message,
-- name and email, and the replies. Triggers keep the index in step, so no
-- code on the submission path has to remember it.

-- The submission's face and category, copied onto its ticket (as the spot
-- already is) so every inbox filter is a column of tickets and the indexes
-- below answer a filtered page without reading the rows they skip. A
-- trigger copies them, so the code that opens tickets needs not know.
ALTER TABLE tickets ADD COLUMN face SMALLINT;
ALTER TABLE tickets ADD COLUMN category_id BIGINT;
UPDATE tickets SET
    face = (SELECT f.face FROM feedback f WHERE f.id = tickets.feedback_id),
    category_id = (SELECT f.category_id FROM feedback f WHERE f.id = tickets.feedback_id);

CREATE FUNCTION tickets_copy_submission() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    SELECT f.face, f.category_id INTO NEW.face, NEW.category_id
    FROM feedback f WHERE f.id = NEW.feedback_id;
    RETURN NEW;
END
$$;
CREATE TRIGGER tickets_copy_submission BEFORE INSERT ON tickets
    FOR EACH ROW WHEN (NEW.face IS NULL) EXECUTE FUNCTION tickets_copy_submission();

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

-- One document per ticket ('simple': no stemming, the shop speaks nl and en).
CREATE TABLE ticket_search (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    document TSVECTOR NOT NULL
);
CREATE INDEX ticket_search_document ON ticket_search USING GIN (document);

CREATE FUNCTION ticket_search_document(ticket BIGINT) RETURNS TSVECTOR
LANGUAGE sql STABLE AS $$
    SELECT to_tsvector('simple', concat_ws(' ', f.reference, f.message, f.customer_name, f.customer_email,
           (SELECT string_agg(m.body, ' ' ORDER BY m.id) FROM ticket_messages m WHERE m.ticket_id = t.id)))
    FROM tickets t JOIN feedback f ON f.id = t.feedback_id
    WHERE t.id = ticket
$$;

INSERT INTO ticket_search (ticket_id, document)
SELECT id, ticket_search_document(id) FROM tickets;

CREATE FUNCTION ticket_search_ticket_added() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ticket_search (ticket_id, document)
    VALUES (NEW.id, ticket_search_document(NEW.id));
    RETURN NULL;
END
$$;
CREATE TRIGGER ticket_search_ticket_added AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_search_ticket_added();

-- A reply added, edited or removed: the document is rebuilt.
CREATE FUNCTION ticket_search_message_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
    ticket BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN ticket := OLD.ticket_id; ELSE ticket := NEW.ticket_id; END IF;
    UPDATE ticket_search SET document = ticket_search_document(ticket) WHERE ticket_id = ticket;
    RETURN NULL;
END
$$;
CREATE TRIGGER ticket_search_message_changed
    AFTER INSERT OR DELETE OR UPDATE OF body ON ticket_messages
    FOR EACH ROW EXECUTE FUNCTION ticket_search_message_changed();

-- Edited or removed customer text (retention, anonymisation).
CREATE FUNCTION ticket_search_feedback_changed() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticket_search SET document = ticket_search_document(ticket_id)
    WHERE ticket_id IN (SELECT id FROM tickets WHERE feedback_id = NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER ticket_search_feedback_changed
    AFTER UPDATE OF message, customer_name, customer_email ON feedback
    FOR EACH ROW EXECUTE FUNCTION ticket_search_feedback_changed();
