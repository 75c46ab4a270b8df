-- The event log of PRODUCT.md §7: every event in `events`, the ones worth querying by field also in a typed table,
-- written in the same transaction. Times are INTEGER Unix ms; data_json is the compact JSON the bus validated.
-- Indexes are few on purpose: each one costs bytes on every row, and the log is meant to stay near 100 bytes an event.

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    event_type     TEXT    NOT NULL,
    timestamp_ms   INTEGER NOT NULL,
    source         TEXT    NOT NULL,
    correlation_id TEXT    NULL,
    user_id        TEXT    NULL,
    session_id     TEXT    NULL,
    data_json      TEXT    NOT NULL,
    created_at_ms  INTEGER NOT NULL
);

-- Serves "events of a type in a time range" and event_stats (a covering scan) alike. No index on time alone: rows are
-- appended in time order, so a time range is close to an id range.
CREATE INDEX events_type_time ON events(event_type, timestamp_ms);
-- Partial: most events carry neither, and rows without one cost nothing here.
CREATE INDEX events_user ON events(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX events_correlation ON events(correlation_id) WHERE correlation_id IS NOT NULL;

-- Typed rows: one per event, keyed by it (no id of their own, no second created_at: the event has both).
CREATE TABLE signal_events (
    event_id      INTEGER PRIMARY KEY REFERENCES events(id),
    signal_id     TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    direction     TEXT    NOT NULL,
    confidence    REAL    NOT NULL,
    pattern_type  TEXT    NOT NULL,
    entry_price   REAL    NULL,
    stop_pips     REAL    NULL,
    target_pips   REAL    NULL,
    expires_at_ms INTEGER NULL
);

CREATE INDEX signal_events_signal ON signal_events(signal_id);
CREATE INDEX signal_events_symbol ON signal_events(symbol);
CREATE INDEX signal_events_pattern ON signal_events(pattern_type);
CREATE INDEX signal_events_expires ON signal_events(expires_at_ms);

-- Fed by fire_command (no ticket yet) and trade_executed.
CREATE TABLE trade_events (
    event_id          INTEGER PRIMARY KEY REFERENCES events(id),
    fire_id           TEXT    NULL,
    ticket            INTEGER NULL,
    symbol            TEXT    NOT NULL,
    direction         TEXT    NOT NULL,
    volume            REAL    NULL,
    open_price        REAL    NULL,
    sl_price          REAL    NULL,
    tp_price          REAL    NULL,
    execution_time_ms INTEGER NULL
);

CREATE INDEX trade_events_fire ON trade_events(fire_id);
CREATE INDEX trade_events_ticket ON trade_events(ticket);

CREATE TABLE health_events (
    event_id      INTEGER PRIMARY KEY REFERENCES events(id),
    component     TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    uptime        REAL    NULL,
    memory_usage  REAL    NULL,
    cpu_usage     REAL    NULL,
    message       TEXT    NULL
);

CREATE INDEX health_events_component ON health_events(component);

CREATE VIEW event_stats AS
SELECT event_type, COUNT(*) AS count, MIN(timestamp_ms) AS first_seen, MAX(timestamp_ms) AS last_seen
FROM events
GROUP BY event_type;
