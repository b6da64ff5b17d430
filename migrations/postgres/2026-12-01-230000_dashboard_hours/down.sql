-- Back to the three dimensions; the rollup is forgotten and rebuilt.
DELETE FROM dashboard_days;
DELETE FROM daily_feedback;
DELETE FROM daily_durations;
DELETE FROM daily_satisfaction;
ALTER TABLE daily_feedback DROP CONSTRAINT daily_feedback_dimension_check;
ALTER TABLE daily_feedback ADD CONSTRAINT daily_feedback_dimension_check
    CHECK (dimension IN ('face', 'channel', 'category'));
