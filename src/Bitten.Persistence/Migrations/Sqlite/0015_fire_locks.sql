-- The one-time fire lock (issue 13), enforced by the database: a mission fires once, whoever asks. A signal's fires claim
-- their missions here in the transaction that stores them, before any is sent; a claim that finds its mission held by
-- another fire is refused there and that fire is never sent. One engine per store (engine_lease) makes a conflict rare;
-- this primary key is what still holds when two engines overlap (a paused holder waking after a takeover) or a second
-- writer of fires appears.
CREATE TABLE fire_locks (
    mission_id   TEXT    PRIMARY KEY,
    fire_id      TEXT    NOT NULL,
    locked_at_ms INTEGER NOT NULL
);

-- Fires stored before this table: their missions are locked by their first fire.
INSERT INTO fire_locks (mission_id, fire_id, locked_at_ms)
SELECT mission_id, MIN(fire_id), MIN(created_at_ms) FROM fires GROUP BY mission_id;
