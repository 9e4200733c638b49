-- The language the bot writes in: a server's default, and a group's own (NULL: the server's).
ALTER TABLE guild_settings ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE groups ADD COLUMN language TEXT;
