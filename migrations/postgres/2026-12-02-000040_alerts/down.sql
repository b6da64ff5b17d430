DROP TABLE chat_targets;
DROP TABLE alert_answers;
DROP TABLE alerts;
DROP TABLE alert_counts;
DROP TABLE alert_rules;
