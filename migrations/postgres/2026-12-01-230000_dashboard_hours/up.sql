-- The dashboard's rollup also stores the local hour of unhappy submissions
-- (dimension 'unhappy_hour', for the hour-of-week heat map). Days rolled up
-- before lack it, so the rollup is forgotten; the jobs roll every day up
-- again, and until then the page counts those days live.
DELETE FROM dashboard_days;
DELETE FROM daily_feedback;
DELETE FROM daily_durations;
DELETE FROM daily_satisfaction;
ALTER TABLE daily_feedback DROP CONSTRAINT daily_feedback_dimension_check;
ALTER TABLE daily_feedback ADD CONSTRAINT daily_feedback_dimension_check
    CHECK (dimension IN ('face', 'channel', 'category', 'unhappy_hour'));
