DROP TABLE daily_satisfaction;
DROP TABLE daily_durations;
DROP TABLE daily_feedback;
DROP TABLE dashboard_days;
