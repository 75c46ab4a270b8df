-- One engine per store (issue 13): the row an engine holds while it runs, who it is, where, and when it last said so.
-- A second engine refuses to start while the heartbeat is fresh; a holder whose process is gone is taken over.
CREATE TABLE engine_lease (
    name         TEXT    PRIMARY KEY, -- 'engine'
    holder       TEXT    NOT NULL,    -- a random id per engine start
    host         TEXT    NOT NULL,
    pid          INTEGER NOT NULL,
    acquired_ms  INTEGER NOT NULL,
    heartbeat_ms INTEGER NOT NULL
);
