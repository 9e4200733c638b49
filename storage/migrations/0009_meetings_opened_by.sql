-- Who opened a meeting: a member by hand (their id), or the schedule's kickoff (NULL). A meeting opened by hand
-- before its time is the one the kickoff finds under way; one the kickoff opened is not, even in the same second.
ALTER TABLE meetings ADD COLUMN opened_by INTEGER;
