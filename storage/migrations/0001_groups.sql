-- Server defaults set by /setup. Every row in this database is keyed by guild.
CREATE TABLE guild_settings (
    guild_id          INTEGER PRIMARY KEY,
    organizer_role_id INTEGER,
    category_id       INTEGER,
    timezone          TEXT    NOT NULL DEFAULT 'UTC',
    updated_at        INTEGER NOT NULL
);

CREATE TABLE groups (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    name             TEXT    NOT NULL,
    name_key         TEXT    NOT NULL,
    text_channel_id  INTEGER NOT NULL,
    voice_channel_id INTEGER NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
    created_by       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    archived_at      INTEGER,
    UNIQUE (guild_id, name_key)
);
CREATE INDEX groups_by_text_channel ON groups (text_channel_id);
CREATE INDEX groups_by_voice_channel ON groups (voice_channel_id);

CREATE TABLE group_members (
    group_id  INTEGER NOT NULL REFERENCES groups (id),
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_by_user ON group_members (guild_id, user_id);
