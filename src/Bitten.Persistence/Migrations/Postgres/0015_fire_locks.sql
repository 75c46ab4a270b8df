-- The one-time fire lock (issue 13): the same table as Migrations/Sqlite/0015_fire_locks.sql. A signal's fires claim
-- their missions here in the transaction that stores them, before any is sent; a claim that finds its mission held by
-- another fire is refused and that fire is never sent. Two transactions claiming one mission at once: the second waits
-- for the first to commit, then finds it held.
CREATE TABLE fire_locks (
    mission_id   TEXT    PRIMARY KEY,
    fire_id      TEXT    NOT NULL,
    locked_at_ms BIGINT  NOT NULL
);

-- Fires stored before this table: their missions are locked by their first fire.
INSERT INTO fire_locks (mission_id, fire_id, locked_at_ms)
SELECT mission_id, MIN(fire_id), MIN(created_at_ms) FROM fires GROUP BY mission_id;
