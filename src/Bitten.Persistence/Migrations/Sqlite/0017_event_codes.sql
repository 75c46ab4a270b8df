-- Each event's type and source as a small integer, named once in event_types and event_sources, instead of the
-- text in every row and in every entry of the index by type: the log's rows and that index were 108.6 and 34.0
-- bytes an event in bench events (dbstat, 2026-12-04), and the two names about 20 of the first and 13 of the second.
-- Codes are handed out by the writer as names first appear (Events/EventCodes.cs); they differ from store to store,
-- so whoever reads the log reads the names through events_json and event_stats, whose columns are as before.
-- Existing rows keep their names, as codes. SQLite cannot add a NOT NULL column without a default: the writer
-- names both codes on every insert, and a test checks that every row's codes name a type and a source.

CREATE TABLE event_types (
    code INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

CREATE TABLE event_sources (
    code INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);

INSERT INTO event_types (name) SELECT DISTINCT event_type FROM events ORDER BY event_type;
INSERT INTO event_sources (name) SELECT DISTINCT source FROM events ORDER BY source;

DROP VIEW IF EXISTS events_json;
DROP VIEW IF EXISTS event_stats;
DROP INDEX IF EXISTS events_type_time;
ALTER TABLE events ADD COLUMN type_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN source_code INTEGER NOT NULL DEFAULT 0;
UPDATE events SET type_code = (SELECT code FROM event_types WHERE name = events.event_type),
                  source_code = (SELECT code FROM event_sources WHERE name = events.source);
ALTER TABLE events DROP COLUMN event_type;
ALTER TABLE events DROP COLUMN source;

-- As before, by code: the start's reads by type, and event_stats as a covering scan.
CREATE INDEX events_type_time ON events(type_code, timestamp_ms);

CREATE VIEW event_stats AS
SELECT t.name AS event_type, COUNT(*) AS count, MIN(e.timestamp_ms) AS first_seen, MAX(e.timestamp_ms) AS last_seen
FROM events e
JOIN event_types t ON t.code = e.type_code
GROUP BY t.code, t.name;

-- 0008's view, its first step reading the names through the codes.
CREATE VIEW events_json AS
WITH
keys_1_to_7 AS (
  SELECT e.id, t.name AS event_type, e.timestamp_ms, s.name AS source, e.correlation_id, e.user_id, e.session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(e.data_json, char(1), '"user_id":'), char(2), '"signal_id":'), char(3), '"symbol":'), char(4), '"fire_id":'), char(5), '"mission_id":'), char(6), '"direction":'), char(7), '"ticket":') AS data_json,
         e.created_at_ms
  FROM events e
  JOIN event_types t ON t.code = e.type_code
  JOIN event_sources s ON s.code = e.source_code
),
keys_8_to_14 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, char(8), '"volume":'), char(11), '"tp_price":'), char(12), '"sl_price":'), char(14), '"reason":'), char(15), '"message":'), char(16), '"pattern_type":'), char(17), '"confidence":') AS data_json,
         created_at_ms
  FROM keys_1_to_7
),
keys_15_to_21 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, char(18), '"target_pips":'), char(19), '"stop_pips":'), char(20), '"status":'), char(21), '"outcome":'), char(22), '"open_price":'), char(23), '"lot_size":'), char(24), '"expires_at":') AS data_json,
         created_at_ms
  FROM keys_8_to_14
)
SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
       REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, char(25), '"execution_time":'), char(26), '"execution_mode":'), char(27), '"equity":'), char(28), '"entry_price":'), char(29), '"component":'), char(30), '"balance":'), char(31), '"account_number":') AS data_json,
       created_at_ms
FROM keys_15_to_21;
