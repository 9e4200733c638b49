-- Confidentiality and members' own data (issue 11): the server's pledge, invitations that wait for it, the record
-- of who accepted which version, and how long data is kept after a group is archived or a member leaves.
ALTER TABLE guild_settings ADD COLUMN pledge_enabled INTEGER NOT NULL DEFAULT 0 CHECK (pledge_enabled IN (0, 1));
ALTER TABLE guild_settings ADD COLUMN pledge_text TEXT;                           -- NULL: the default text in prompts/
ALTER TABLE guild_settings ADD COLUMN pledge_version INTEGER NOT NULL DEFAULT 1;  -- goes up each time the text changes
ALTER TABLE guild_settings ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 365;

-- With the pledge on, joining a group makes a member invited: the channels stay hidden until they accept.
CREATE TABLE group_invitations (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES groups (id),
    user_id     INTEGER NOT NULL,
    invited_by  INTEGER NOT NULL,
    invited_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'withdrawn', 'expired')),
    answered_at INTEGER                                    -- when it was accepted, withdrawn or found expired
);
CREATE UNIQUE INDEX group_invitations_one_pending ON group_invitations (group_id, user_id) WHERE status = 'pending';
CREATE INDEX group_invitations_by_user ON group_invitations (user_id, guild_id);
CREATE INDEX group_invitations_by_group ON group_invitations (group_id, user_id);

-- Who accepted which version of the server's pledge, when, on joining which group.
CREATE TABLE pledge_acceptances (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES groups (id),
    user_id     INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    accepted_at INTEGER NOT NULL
);
CREATE INDEX pledge_acceptances_by_user ON pledge_acceptances (user_id, guild_id, version);
