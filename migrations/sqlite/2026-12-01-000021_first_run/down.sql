ALTER TABLE outbox DROP COLUMN sent_via;
DROP TABLE self_checks;
DROP TABLE checklist_steps;
