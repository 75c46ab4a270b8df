-- A signal's fires, committed as one row before any of them is sent (see the SQLite migration of the same number).
CREATE TABLE fire_batches (
    batch_id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signal_id     TEXT   NOT NULL,
    fire_count    INTEGER NOT NULL,
    created_at_ms BIGINT NOT NULL,
    fires         BYTEA  NOT NULL
);
