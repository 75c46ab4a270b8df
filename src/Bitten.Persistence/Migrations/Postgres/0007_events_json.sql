-- The events with their data as plain compact JSON: the writer stores each of the commonest keys ("key":) as one
-- control character (Events/EventData.cs, whose token table this view mirrors; a test checks the two agree). Rows
-- written before that hold plain JSON and pass through unchanged.
CREATE VIEW events_json AS
SELECT e.id, e.event_type, e.timestamp_ms, e.source, e.correlation_id, e.user_id, e.session_id,
       REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(e.data_json, chr(1), '"user_id":'), chr(2), '"signal_id":'), chr(3), '"symbol":'), chr(4), '"fire_id":'), chr(5), '"mission_id":'), chr(6), '"direction":'), chr(7), '"ticket":'), chr(8), '"volume":'), chr(11), '"tp_price":'), chr(12), '"sl_price":'), chr(14), '"reason":'), chr(15), '"message":'), chr(16), '"pattern_type":'), chr(17), '"confidence":'), chr(18), '"target_pips":'), chr(19), '"stop_pips":'), chr(20), '"status":'), chr(21), '"outcome":'), chr(22), '"open_price":'), chr(23), '"lot_size":'), chr(24), '"expires_at":'), chr(25), '"execution_time":'), chr(26), '"execution_mode":'), chr(27), '"equity":'), chr(28), '"entry_price":'), chr(29), '"component":'), chr(30), '"balance":'), chr(31), '"account_number":') AS data_json,
       e.created_at_ms
FROM events e;
