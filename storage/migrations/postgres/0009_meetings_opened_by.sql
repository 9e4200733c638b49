ALTER TABLE meetings ADD COLUMN opened_by BIGINT;
