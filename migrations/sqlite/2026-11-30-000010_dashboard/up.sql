-- The owner's dashboard reads these daily figures instead of a million rows.
-- A day is a local day in the business's time zone. The jobs loop rolls up
-- each finished day once (and the last few again, for late arrivals); the
-- days not yet rolled up are counted live from the tickets themselves.

-- The local days already rolled up.
CREATE TABLE dashboard_days (
    day DATE NOT NULL PRIMARY KEY,
    rolled_at TIMESTAMP NOT NULL
);

-- Submissions (quarantine excluded) by the day they came in.
CREATE TABLE daily_feedback (
    day DATE NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    channel TEXT NOT NULL,
    face SMALLINT NOT NULL,
    -- 0: no category chosen.
    category_id INTEGER NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, channel, face, category_id)
);

-- First responses and resolutions by the day they happened, counted per
-- duration bucket (lower bound in minutes) so medians and percentiles come
-- from the counts; on_time: how many met their SLA target.
CREATE TABLE daily_durations (
    day DATE NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    measure TEXT NOT NULL CHECK (measure IN ('first_response', 'resolution')),
    minutes INTEGER NOT NULL,
    count INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, measure, minutes)
);

-- Satisfaction answers after resolution by the day they were given, with the
-- face the complaint started with (unhappy start + happy answer = recovered).
CREATE TABLE daily_satisfaction (
    day DATE NOT NULL,
    location_id INTEGER NOT NULL REFERENCES locations(id),
    first_face SMALLINT NOT NULL,
    answer SMALLINT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, location_id, first_face, answer)
);
