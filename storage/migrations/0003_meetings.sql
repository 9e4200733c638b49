-- Per-group settings for meetings.
ALTER TABLE groups ADD COLUMN turn_minutes INTEGER NOT NULL DEFAULT 10;        -- hot-seat turn length
ALTER TABLE groups ADD COLUMN attendance_minutes INTEGER NOT NULL DEFAULT 10;  -- time in the call that counts as present

CREATE TABLE meetings (
    id                 INTEGER PRIMARY KEY,
    guild_id           INTEGER NOT NULL,
    group_id           INTEGER NOT NULL REFERENCES groups (id),
    starts_at          INTEGER NOT NULL,  -- the scheduled start, or the moment it was opened by hand
    opened_at          INTEGER NOT NULL,
    closed_at          INTEGER,
    status             TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    round_status       TEXT    NOT NULL DEFAULT 'not_started'
                       CHECK (round_status IN ('not_started', 'running', 'finished')),
    UNIQUE (group_id, starts_at)
);
CREATE UNIQUE INDEX meetings_one_open_per_group ON meetings (group_id) WHERE status = 'open';
CREATE INDEX meetings_by_guild_status ON meetings (guild_id, status);

-- Time spent in the group's voice channel while a meeting is open; attendance is computed from it at the end.
CREATE TABLE voice_sessions (
    id         INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    joined_at  INTEGER NOT NULL,
    left_at    INTEGER
);
CREATE UNIQUE INDEX voice_sessions_one_open ON voice_sessions (meeting_id, user_id) WHERE left_at IS NULL;

-- One row per member per closed meeting: the meetings held while they were in the group.
CREATE TABLE attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    group_id   INTEGER NOT NULL,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    seconds    INTEGER NOT NULL,
    present    INTEGER NOT NULL CHECK (present IN (0, 1)),
    PRIMARY KEY (meeting_id, user_id)
);
CREATE INDEX attendance_by_member ON attendance (group_id, user_id);

CREATE TABLE hotseat_turns (
    meeting_id INTEGER NOT NULL REFERENCES meetings (id),
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    present    INTEGER NOT NULL CHECK (present IN (0, 1)),  -- in the call when the round started
    status     TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'active', 'done', 'skipped')),
    started_at INTEGER,
    ends_at    INTEGER,
    message_id INTEGER,
    PRIMARY KEY (meeting_id, user_id),
    UNIQUE (meeting_id, position)
);
CREATE UNIQUE INDEX hotseat_one_active ON hotseat_turns (meeting_id) WHERE status = 'active';

-- The goal ledger. A commitment is due at the group's next meeting (due_meeting_id NULL) until that meeting
-- opens and takes it on; it is then checked there, or becomes 'unreported' when the meeting closes.
CREATE TABLE commitments (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    user_id         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    text            TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    due_meeting_id  INTEGER REFERENCES meetings (id),
    status          TEXT    NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'done', 'partial', 'missed', 'unreported')),
    note            TEXT,
    checked_at      INTEGER,
    carried_from_id INTEGER REFERENCES commitments (id)
);
CREATE INDEX commitments_by_member ON commitments (group_id, user_id, due_meeting_id);
CREATE INDEX commitments_by_meeting ON commitments (due_meeting_id);
