-- Each member's own time zone in a server, remembered so a later /availability set can leave it out.
CREATE TABLE member_zones (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    timezone   TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- A member's usual free hours: a local weekday and minutes after local midnight in their zone, never UTC, so the
-- hours stay the same local hours on both sides of a change of clocks.
CREATE TABLE availability (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),            -- 0 = Monday
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),      -- 1440: midnight at the day's end
    PRIMARY KEY (guild_id, user_id, weekday, start_minute),
    FOREIGN KEY (guild_id, user_id) REFERENCES member_zones (guild_id, user_id),
    CHECK (end_minute > start_minute)
);
