DROP INDEX group_members_by_user;
CREATE INDEX group_members_by_user ON group_members (user_id, guild_id);
