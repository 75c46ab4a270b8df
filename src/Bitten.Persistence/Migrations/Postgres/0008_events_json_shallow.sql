-- The same view as SQLite's 0008, in the same four steps of seven (PostgreSQL parsed 0007's 28 nested REPLACE calls
-- fine; an older SQLite did not): the two providers' views stay one text apart (char/chr). PostgreSQL inlines a
-- step read once into the query that reads it, so a WHERE on the view still reaches the events' indexes.
DROP VIEW IF EXISTS events_json;
CREATE VIEW events_json AS
WITH
keys_1_to_7 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, chr(1), '"user_id":'), chr(2), '"signal_id":'), chr(3), '"symbol":'), chr(4), '"fire_id":'), chr(5), '"mission_id":'), chr(6), '"direction":'), chr(7), '"ticket":') AS data_json,
         created_at_ms
  FROM events
),
keys_8_to_14 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, chr(8), '"volume":'), chr(11), '"tp_price":'), chr(12), '"sl_price":'), chr(14), '"reason":'), chr(15), '"message":'), chr(16), '"pattern_type":'), chr(17), '"confidence":') AS data_json,
         created_at_ms
  FROM keys_1_to_7
),
keys_15_to_21 AS (
  SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
         REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, chr(18), '"target_pips":'), chr(19), '"stop_pips":'), chr(20), '"status":'), chr(21), '"outcome":'), chr(22), '"open_price":'), chr(23), '"lot_size":'), chr(24), '"expires_at":') AS data_json,
         created_at_ms
  FROM keys_8_to_14
)
SELECT id, event_type, timestamp_ms, source, correlation_id, user_id, session_id,
       REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(data_json, chr(25), '"execution_time":'), chr(26), '"execution_mode":'), chr(27), '"equity":'), chr(28), '"entry_price":'), chr(29), '"component":'), chr(30), '"balance":'), chr(31), '"account_number":') AS data_json,
       created_at_ms
FROM keys_15_to_21;
