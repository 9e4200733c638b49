-- Keeping groups alive: pauses, drift check-ins, the organizers' channel, and what the health view reads.

-- Where organizers are told about check-ins (and other notes meant for them); NULL: nowhere.
ALTER TABLE guild_settings ADD COLUMN organizer_channel_id INTEGER;

-- Missing this many meetings in a row, without saying "Can't make it", earns a member one check-in.
ALTER TABLE groups ADD COLUMN drift_after INTEGER NOT NULL DEFAULT 2 CHECK (drift_after BETWEEN 1 AND 6);
-- Since when the group has had no schedule (its creation, or the last /schedule clear); NULL while it has one.
ALTER TABLE groups ADD COLUMN unscheduled_since INTEGER;
-- Groups without a schedule before this migration: since their latest meeting, else since they were created.
UPDATE groups SET unscheduled_since = COALESCE(
    (SELECT MAX(m.starts_at) FROM meetings m WHERE m.group_id = groups.id), groups.created_at)
WHERE NOT EXISTS (SELECT 1 FROM schedules s WHERE s.group_id = groups.id);

-- Meetings a member is still paused for: counted down as each meeting closes.
ALTER TABLE group_members ADD COLUMN paused_for INTEGER NOT NULL DEFAULT 0 CHECK (paused_for BETWEEN 0 AND 6);

-- A closed meeting a member was paused for (and did not attend): neither present nor absent.
ALTER TABLE attendance ADD COLUMN paused INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1));

-- The member's current run of absences without "Can't make it", and the meeting it began at.
ALTER TABLE member_records ADD COLUMN absent_run INTEGER NOT NULL DEFAULT 0;
ALTER TABLE member_records ADD COLUMN absent_since INTEGER REFERENCES meetings (id);

-- One check-in per drift: a run of absences is named by its first meeting, and asked about once.
CREATE TABLE check_ins (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    group_id        INTEGER NOT NULL REFERENCES groups (id),
    user_id         INTEGER NOT NULL,
    first_meeting_id INTEGER NOT NULL REFERENCES meetings (id),  -- the first meeting of the run asked about
    last_meeting_id INTEGER NOT NULL REFERENCES meetings (id),   -- the meeting whose close asked
    meetings        INTEGER NOT NULL,                            -- how many in a row had been missed then
    created_at      INTEGER NOT NULL,
    answer          TEXT CHECK (answer IN ('in', 'pause', 'leave')),
    answered_at     INTEGER,
    UNIQUE (group_id, user_id, first_meeting_id)
);
CREATE INDEX check_ins_by_meeting ON check_ins (last_meeting_id, user_id);
-- The health view reads each group's latest closed meetings.
CREATE INDEX meetings_by_group_start ON meetings (group_id, status, starts_at);
