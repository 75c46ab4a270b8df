-- Whether a fire was fired by hand (MANUAL) or by auto-fire (AUTO), so a fire restored from the store after a crash
-- keeps its source. Rows from before have none and read as AUTO, as they were restored before.
ALTER TABLE fires ADD COLUMN execution_mode TEXT NULL;
