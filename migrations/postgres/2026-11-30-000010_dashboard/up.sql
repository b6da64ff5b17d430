-- The owner's dashboard reads these daily figures instead of a million rows.
-- A day is a local day in the business's time zone. The jobs loop rolls up
-- each finished day once (and the last few again, for late arrivals); the
-- days not yet rolled up are counted live from the tickets themselves. A
-- change to an older day (a reopened ticket, a changed answer, a released
-- submission) forgets that day's rollup, so it is counted live again until
-- the next round rolls it up anew.

-- The local days already rolled up.
CREATE TABLE dashboard_days (
    day DATE NOT NULL PRIMARY KEY,
    rolled_at TIMESTAMP NOT NULL
);

-- Submissions (quarantine excluded) by the day they came in, counted once
-- per dimension (not their cross product, which a year of would be too many
-- rows to add up quickly): 'face' (value 1-4), 'channel' (kiosk, qr, web),
-- 'category' (the category id; 0: none chosen). The faces add up to the day's
-- volume.
CREATE TABLE daily_feedback (
    day DATE NOT NULL,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    dimension TEXT NOT NULL CHECK (dimension IN ('face', 'channel', 'category')),
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, dimension, value)
);

-- First responses and resolutions by the day they happened: how many, how
-- many met their SLA target, and every duration in exact whole minutes as a
-- histogram ("minutes:count" pairs separated by spaces, ascending), so
-- medians and percentiles over any range are exact and a year is a few
-- thousand rows.
CREATE TABLE daily_durations (
    day DATE NOT NULL,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    measure TEXT NOT NULL CHECK (measure IN ('first_response', 'resolution')),
    count INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    minutes TEXT NOT NULL,
    PRIMARY KEY (day, location_id, measure)
);

-- Satisfaction answers after resolution by the day they were given, with the
-- face the complaint started with (unhappy start + happy answer = recovered).
CREATE TABLE daily_satisfaction (
    day DATE NOT NULL,
    location_id BIGINT NOT NULL REFERENCES locations(id),
    first_face SMALLINT NOT NULL,
    answer SMALLINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, first_face, answer)
);

-- Counting a day live (today, and days not yet rolled up) finds its events by
-- time; NULLs (the unanswered, the unsent) stay out of the indexes.
CREATE INDEX tickets_first_response ON tickets(first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX tickets_csat ON tickets(csat_at) WHERE csat_at IS NOT NULL;
CREATE INDEX gifts_sent ON gifts(sent_at) WHERE sent_at IS NOT NULL;
