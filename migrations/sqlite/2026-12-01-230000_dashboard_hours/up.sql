-- The dashboard's rollup also stores the local hour of unhappy submissions
-- (dimension 'unhappy_hour', for the hour-of-week heat map). Days rolled up
-- before lack it, so the rollup is forgotten; the jobs roll every day up
-- again, and until then the page counts those days live.
DELETE FROM dashboard_days;
DELETE FROM daily_durations;
DELETE FROM daily_satisfaction;
DROP TABLE daily_feedback;
CREATE TABLE daily_feedback_new (
    day DATE NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    dimension TEXT NOT NULL CHECK (dimension IN ('face', 'channel', 'category', 'unhappy_hour')),
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, dimension, value)
);
ALTER TABLE daily_feedback_new RENAME TO daily_feedback;
