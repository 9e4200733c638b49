-- When each group meets: local wall-clock time + IANA zone + cadence. Occurrences are computed, never stored.
CREATE TABLE schedules (
    group_id    INTEGER PRIMARY KEY REFERENCES groups (id),
    guild_id    INTEGER NOT NULL,
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    local_time  TEXT    NOT NULL,                                   -- HH:MM
    timezone    TEXT    NOT NULL,
    every_weeks INTEGER NOT NULL CHECK (every_weeks BETWEEN 1 AND 8),
    anchor_date TEXT    NOT NULL,                                   -- local date of the first meeting
    updated_at  INTEGER NOT NULL
);

-- One-off changes to a single occurrence, named by the date it would regularly fall on.
CREATE TABLE schedule_overrides (
    group_id     INTEGER NOT NULL REFERENCES groups (id),
    guild_id     INTEGER NOT NULL,
    regular_date TEXT    NOT NULL,
    action       TEXT    NOT NULL CHECK (action IN ('skip', 'move')),
    moved_to     INTEGER,                                           -- UTC instant, for a move
    PRIMARY KEY (group_id, regular_date)
);

-- Every timed message the bot owes: the source of truth the wake-up timer is rebuilt from.
CREATE TABLE planned_sends (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    group_id   INTEGER NOT NULL REFERENCES groups (id),
    meeting_at INTEGER NOT NULL,                                    -- the meeting it belongs to (UTC instant)
    kind       TEXT    NOT NULL,
    detail     INTEGER NOT NULL DEFAULT 0,                          -- reminder: minutes before; turns: member id
    due_at     INTEGER NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending'
               CHECK (status IN ('pending', 'sending', 'sent', 'skipped', 'cancelled', 'failed')),
    attempts   INTEGER NOT NULL DEFAULT 0,
    message_id INTEGER,
    reason     TEXT,
    updated_at INTEGER NOT NULL,
    UNIQUE (group_id, meeting_at, kind, detail)
);
CREATE INDEX planned_sends_pending ON planned_sends (due_at) WHERE status = 'pending';
CREATE INDEX planned_sends_by_group ON planned_sends (group_id, status);

CREATE TABLE rsvps (
    group_id   INTEGER NOT NULL REFERENCES groups (id),
    guild_id   INTEGER NOT NULL,
    meeting_at INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    choice     TEXT    NOT NULL CHECK (choice IN ('yes', 'late', 'no')),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, meeting_at, user_id)
);

ALTER TABLE groups ADD COLUMN reminder_minutes TEXT NOT NULL DEFAULT '1440,15';
ALTER TABLE groups ADD COLUMN event_id INTEGER;          -- the Discord scheduled event showing the next meeting
ALTER TABLE groups ADD COLUMN event_starts_at INTEGER;
