-- A location's burst rule: "at least percent % unhappy (faces 1-2) within
-- minutes minutes with at least min_answers answers", and optionally the
-- same for happy answers (faces 3-4). A location without a row has the
-- defaults (unhappy on, 50 %, 15 minutes, 4 answers; happy off).
CREATE TABLE alert_rules (
    location_id BIGINT PRIMARY KEY REFERENCES locations(id),
    unhappy_on BOOLEAN NOT NULL,
    unhappy_percent INTEGER NOT NULL,
    happy_on BOOLEAN NOT NULL,
    happy_percent INTEGER NOT NULL,
    minutes INTEGER NOT NULL,
    min_answers INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Answers per location and minute, bumped in each submission's transaction,
-- so the rule is checked over at most 240 small rows instead of the feedback
-- itself.
CREATE TABLE alert_counts (
    location_id BIGINT NOT NULL REFERENCES locations(id),
    minute TIMESTAMP NOT NULL,
    answers INTEGER NOT NULL,
    unhappy INTEGER NOT NULL,
    happy INTEGER NOT NULL,
    PRIMARY KEY (location_id, minute)
);
-- A burst that fired: the window and counts at that moment. last_met_at is
-- the last answer that kept the rule met; the alert holds back the next one
-- until it is acknowledged or the rule was not met for a whole window.
CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    -- 'unhappy' or 'happy'.
    kind TEXT NOT NULL,
    raised_at TIMESTAMP NOT NULL,
    window_start TIMESTAMP NOT NULL,
    minutes INTEGER NOT NULL,
    answers INTEGER NOT NULL,
    matching INTEGER NOT NULL,
    percent INTEGER NOT NULL,
    last_met_at TIMESTAMP NOT NULL,
    acknowledged_at TIMESTAMP,
    acknowledged_by BIGINT REFERENCES users(id),
    ack_comment TEXT
);
CREATE INDEX alerts_location_kind ON alerts (location_id, kind, id);
CREATE INDEX alerts_open ON alerts (raised_at) WHERE acknowledged_at IS NULL;
-- The answers in an alert's window, as they were when it fired.
CREATE TABLE alert_answers (
    alert_id BIGINT NOT NULL REFERENCES alerts(id),
    feedback_id BIGINT NOT NULL REFERENCES feedback(id),
    PRIMARY KEY (alert_id, feedback_id)
);
-- A location's team chat: a Slack incoming webhook or a Teams Workflows
-- webhook. outbound.chat_target_id refers to it.
CREATE TABLE chat_targets (
    id INTEGER PRIMARY KEY,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    -- 'slack' or 'teams'.
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX chat_targets_location ON chat_targets (location_id) WHERE active;
