-- 0007's view undid the packing in one expression of 28 nested REPLACE calls: deeper than the parser of an older
-- SQLite takes (Debian 12's sqlite3 3.40, and Python's sqlite3 module on the same library), which then refuses to open
-- the file at all ("malformed database schema (events_json) - parser stack overflow"). The same substitutions, in the
-- same order, in four steps of seven, each step reading the one before: no expression nests deeper than seven. A step
-- read once is merged into the query that reads it, so a WHERE on the view still reaches the events' indexes.
DROP VIEW IF EXISTS events_json;
CREATE VIEW events_json AS
WITH
keys_1_to_7 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, char(1), '"user_id":'), char(2), '"signal_id":'), char(3), '"symbol":'), char(4), '"fire_id":'), char(5), '"mission_id":'), char(6), '"direction":'), char(7), '"ticket":') AS data_json,
         created_at_ms
  FROM events
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
