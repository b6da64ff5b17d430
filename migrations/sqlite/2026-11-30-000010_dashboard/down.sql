DROP INDEX gifts_sent;
DROP INDEX tickets_csat;
DROP INDEX tickets_first_response;
DROP TABLE daily_satisfaction;
DROP TABLE daily_durations;
DROP TABLE daily_feedback;
DROP TABLE dashboard_days;
