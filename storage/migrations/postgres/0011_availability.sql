-- Members' own time zones and usual free hours (see the SQLite twin).
CREATE TABLE member_zones (
    guild_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    timezone   TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

CREATE TABLE availability (
    guild_id     BIGINT  NOT NULL,
    user_id      BIGINT  NOT NULL,
    weekday      INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    PRIMARY KEY (guild_id, user_id, weekday, start_minute),
    FOREIGN KEY (guild_id, user_id) REFERENCES member_zones (guild_id, user_id),
    CHECK (end_minute > start_minute)
);
