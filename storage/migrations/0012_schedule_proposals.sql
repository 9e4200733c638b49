-- What /schedule find proposed to a group: the times its "Use this time" buttons stand for. The first press
-- uses the proposal (used_at is set once, by a conditional UPDATE); later presses are refused.
CREATE TABLE schedule_proposals (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    group_id       INTEGER NOT NULL REFERENCES groups (id),
    length_minutes INTEGER NOT NULL,
    every_weeks    INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 8),
    created_by     INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    used_rank      INTEGER,
    used_by        INTEGER,
    used_at        INTEGER
);

CREATE TABLE proposed_slots (
    proposal_id INTEGER NOT NULL REFERENCES schedule_proposals (id),
    guild_id    INTEGER NOT NULL,
    rank        INTEGER NOT NULL,                                        -- 1 is the best
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    local_time  TEXT    NOT NULL,                                        -- HH:MM in the anchor zone
    timezone    TEXT    NOT NULL,
    PRIMARY KEY (proposal_id, rank)
);
