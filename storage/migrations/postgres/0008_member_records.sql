-- Each member's running record in a group, updated when a meeting closes (see the SQLite twin).
CREATE TABLE member_records (
    group_id   BIGINT  NOT NULL REFERENCES groups (id),
    guild_id   BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    meetings   INTEGER NOT NULL DEFAULT 0,
    attended   INTEGER NOT NULL DEFAULT 0,
    streak     INTEGER NOT NULL DEFAULT 0,
    done       INTEGER NOT NULL DEFAULT 0,
    partial    INTEGER NOT NULL DEFAULT 0,
    missed     INTEGER NOT NULL DEFAULT 0,
    unreported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
);
