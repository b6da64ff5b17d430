-- Back to the three dimensions; the rollup is forgotten and rebuilt.
DELETE FROM dashboard_days;
DELETE FROM daily_durations;
DELETE FROM daily_satisfaction;
DROP TABLE daily_feedback;
CREATE TABLE daily_feedback_new (
    day DATE NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    dimension TEXT NOT NULL CHECK (dimension IN ('face', 'channel', 'category')),
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, dimension, value)
);
ALTER TABLE daily_feedback_new RENAME TO daily_feedback;
