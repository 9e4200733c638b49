-- A server's default zone is NULL until /setup is given one (PostgreSQL twin of 0015_server_zone.sql).
ALTER TABLE guild_settings ALTER COLUMN timezone DROP NOT NULL, ALTER COLUMN timezone DROP DEFAULT;
UPDATE guild_settings SET timezone = NULL WHERE timezone = 'UTC';
