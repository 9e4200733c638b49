-- Each member's running record in a group: updated when a meeting closes, so /stats reads one row per member
-- however long the group has met. Commitments count here once their meeting has closed (then their outcome is
-- final); those still open to marking are counted live.
CREATE TABLE member_records (
    group_id   INTEGER NOT NULL REFERENCES groups (id),
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    meetings   INTEGER NOT NULL DEFAULT 0,  -- closed meetings held while they were in the group
    attended   INTEGER NOT NULL DEFAULT 0,
    streak     INTEGER NOT NULL DEFAULT 0,  -- attended in a row, up to the latest closed meeting
    done       INTEGER NOT NULL DEFAULT 0,
    partial    INTEGER NOT NULL DEFAULT 0,
    missed     INTEGER NOT NULL DEFAULT 0,
    unreported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, user_id)
);

-- The records of groups that met before this migration, from their history.
INSERT INTO member_records (group_id, guild_id, user_id, meetings, attended, streak, done, partial, missed, unreported)
WITH presence AS (
    SELECT group_id, guild_id, user_id, present,
           ROW_NUMBER() OVER (PARTITION BY group_id, user_id ORDER BY meeting_id DESC) AS recency
    FROM attendance
),
attended AS (
    SELECT group_id, guild_id, user_id, COUNT(*) AS meetings, SUM(present) AS attended,
           COALESCE(MIN(CASE WHEN present = 0 THEN recency END) - 1, COUNT(*)) AS streak
    FROM presence GROUP BY group_id, guild_id, user_id
),
outcomes AS (
    SELECT c.group_id, c.guild_id, c.user_id, SUM(c.status = 'done') AS done, SUM(c.status = 'partial') AS partial,
           SUM(c.status = 'missed') AS missed, SUM(c.status = 'unreported') AS unreported
    FROM commitments c JOIN meetings m ON m.id = c.due_meeting_id AND m.status = 'closed'
    GROUP BY c.group_id, c.guild_id, c.user_id
),
people AS (
    SELECT group_id, guild_id, user_id FROM attended UNION SELECT group_id, guild_id, user_id FROM outcomes
)
SELECT p.group_id, p.guild_id, p.user_id, COALESCE(a.meetings, 0), COALESCE(a.attended, 0), COALESCE(a.streak, 0),
       COALESCE(o.done, 0), COALESCE(o.partial, 0), COALESCE(o.missed, 0), COALESCE(o.unreported, 0)
FROM people p
LEFT JOIN attended a ON a.group_id = p.group_id AND a.user_id = p.user_id
LEFT JOIN outcomes o ON o.group_id = p.group_id AND o.user_id = p.user_id;
