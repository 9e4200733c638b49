CREATE INDEX voice_sessions_by_meeting ON voice_sessions (meeting_id, user_id);
