-- A server's default zone is NULL until /setup is given one: "UTC" was both a choice and the default, so
-- /availability set could not tell that nobody had said which zone the server is in. A stored 'UTC' can't be
-- told apart from the default either; it becomes NULL (members are asked for their zone, which is safe).
CREATE TABLE guild_settings_new (
    guild_id             INTEGER PRIMARY KEY,
    organizer_role_id    INTEGER,
    category_id          INTEGER,
    timezone             TEXT,
    updated_at           INTEGER NOT NULL,
    organizer_channel_id INTEGER,
    pledge_enabled       INTEGER NOT NULL DEFAULT 0 CHECK (pledge_enabled IN (0, 1)),
    pledge_text          TEXT,
    pledge_version       INTEGER NOT NULL DEFAULT 1,
    retention_days       INTEGER NOT NULL DEFAULT 365,
    language             TEXT    NOT NULL DEFAULT 'en'
);
INSERT INTO guild_settings_new
SELECT guild_id, organizer_role_id, category_id, NULLIF(timezone, 'UTC'), updated_at, organizer_channel_id,
       pledge_enabled, pledge_text, pledge_version, retention_days, language
FROM guild_settings;
DROP TABLE guild_settings;
ALTER TABLE guild_settings_new RENAME TO guild_settings;
