-- The commitments set for a group's next meeting (due_meeting_id still NULL) are read for every turn message,
-- summary, nudge and /goals set. Without this index that read went through the group's whole history.
CREATE INDEX commitments_upcoming ON commitments (group_id, user_id, position) WHERE due_meeting_id IS NULL;
