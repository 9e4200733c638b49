-- group_members_by_user was keyed (guild_id, user_id), so SQLite also chose it for "this group's members"
-- (guild_id = ? AND group_id = ?) and read every membership in the server to find one group's few.
-- Keyed by user first, it serves only "this member's groups", and group lookups use the primary key.
DROP INDEX group_members_by_user;
CREATE INDEX group_members_by_user ON group_members (user_id, guild_id);
