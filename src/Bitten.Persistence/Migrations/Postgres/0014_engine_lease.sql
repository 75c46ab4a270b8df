-- One engine per store (issue 13): the same table as Migrations/Sqlite/0014_engine_lease.sql. The row an engine holds
-- while it runs; a second engine refuses to start while the heartbeat is fresh; a holder whose process is gone is taken over.
CREATE TABLE engine_lease (
    name         TEXT    PRIMARY KEY,
    holder       TEXT    NOT NULL,
    host         TEXT    NOT NULL,
    pid          INTEGER NOT NULL,
    acquired_ms  BIGINT  NOT NULL,
    heartbeat_ms BIGINT  NOT NULL
);
