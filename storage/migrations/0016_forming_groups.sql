-- Forming groups (issue 16): the server's intake, members' applications, matching proposals and refill suggestions.

-- A group formed by matching remembers the size it was formed for and the language its members share, so that a
-- seat it loses can be refilled by someone who speaks it. NULL for groups made by hand.
ALTER TABLE groups ADD COLUMN target_size INTEGER CHECK (target_size BETWEEN 3 AND 6);
ALTER TABLE groups ADD COLUMN shared_language TEXT;

-- What applicants choose from, set by /intake setup: fields and languages one per line, in the server's order.
CREATE TABLE intake_settings (
    guild_id          INTEGER PRIMARY KEY,
    fields            TEXT    NOT NULL,
    languages         TEXT    NOT NULL,
    group_size        INTEGER NOT NULL DEFAULT 4 CHECK (group_size BETWEEN 3 AND 6),
    accepting         INTEGER NOT NULL DEFAULT 1 CHECK (accepting IN (0, 1)),
    updated_at        INTEGER NOT NULL
);

-- One application per member and server. Its place in the queue is queued_at (then id): applying again while
-- waiting keeps it; applying again after being matched or withdrawing starts a new place. The hours and zone are
-- the member's availability (member_zones, availability), not copied here.
CREATE TABLE applications (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    user_id     INTEGER NOT NULL,
    field       TEXT    NOT NULL,
    experience  INTEGER NOT NULL CHECK (experience BETWEEN 0 AND 3),
    languages   TEXT    NOT NULL,                               -- one per line, as the server names them
    about       TEXT,
    status      TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting', 'matched', 'withdrawn')),
    queued_at   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    group_id    INTEGER REFERENCES groups (id),                 -- the group they were matched into
    closed_at   INTEGER,                                        -- when matched or withdrawn
    UNIQUE (guild_id, user_id)
);
CREATE INDEX applications_in_queue ON applications (guild_id, status, queued_at, id);

-- What /match preview proposed: the groups and their members. The first "Create these groups" uses it (status
-- goes from open to used once, by a conditional UPDATE); pool is the fingerprint of the waiting applications it
-- was made from, so a proposal whose pool has changed is refused.
CREATE TABLE match_proposals (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    created_by  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    target_size INTEGER NOT NULL CHECK (target_size BETWEEN 3 AND 6),
    pool        TEXT    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'used', 'cancelled')),
    used_by     INTEGER,
    used_at     INTEGER
);

CREATE TABLE proposed_groups (
    proposal_id INTEGER NOT NULL REFERENCES match_proposals (id),
    guild_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL,                                         -- 1, 2, ... in the order shown
    weekday     INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    local_time  TEXT    NOT NULL,                                         -- HH:MM in the zone
    timezone    TEXT    NOT NULL,
    language    TEXT    NOT NULL,
    field       TEXT    NOT NULL,
    PRIMARY KEY (proposal_id, number)
);

CREATE TABLE proposed_members (
    proposal_id INTEGER NOT NULL REFERENCES match_proposals (id),
    guild_id    INTEGER NOT NULL,
    number      INTEGER NOT NULL,                                         -- the proposed group
    place       INTEGER NOT NULL,                                         -- in queue order within it
    user_id     INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, user_id)
);
CREATE INDEX proposed_members_by_user ON proposed_members (guild_id, user_id);

-- A waiting applicant suggested to organizers for a seat a group lost: answered once (added or skipped).
CREATE TABLE refill_suggestions (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    group_id    INTEGER NOT NULL REFERENCES groups (id),
    user_id     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'added', 'skipped')),
    answered_by INTEGER,
    answered_at INTEGER
);
CREATE INDEX refill_suggestions_by_group ON refill_suggestions (group_id, user_id);
CREATE INDEX refill_suggestions_by_user ON refill_suggestions (guild_id, user_id);
