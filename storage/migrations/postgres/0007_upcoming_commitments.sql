CREATE INDEX commitments_upcoming ON commitments (group_id, user_id, position) WHERE due_meeting_id IS NULL;
