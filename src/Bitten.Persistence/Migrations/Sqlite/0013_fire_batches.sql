-- A signal's fires, committed as one row before any of them is sent (the store-before-send rule at 1,000 users): one
-- insert instead of three per fire (fire, mission, slot), so the commit that gates the sends costs about a millisecond.
-- The writer files each batch into fires, missions and slots right after the sends and deletes the row; until then
-- the store reads a batch's fires as SENT, and a start after a crash files what is left before it resends anything.
CREATE TABLE fire_batches (
    batch_id      INTEGER PRIMARY KEY,
    signal_id     TEXT    NOT NULL,
    fire_count    INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    fires         BLOB    NOT NULL
);
