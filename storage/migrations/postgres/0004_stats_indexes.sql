CREATE INDEX commitments_outcomes ON commitments (guild_id, group_id, user_id, status);
CREATE INDEX attendance_presence ON attendance (guild_id, group_id, user_id, meeting_id, present);
