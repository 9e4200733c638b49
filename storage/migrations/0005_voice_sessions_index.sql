-- Who has been in a meeting's call (the hot-seat order, attendance at the close), read through an index
-- so it stays flat as the call history grows.
CREATE INDEX voice_sessions_by_meeting ON voice_sessions (meeting_id, user_id);
