-- The events with their data as plain compact JSON: the writer stores each of the commonest keys ("key":) as one
-- control character (Events/EventData.cs, whose token table this view mirrors; a test checks the two agree). Rows
-- written before that hold plain JSON and pass through unchanged.
CREATE VIEW events_json AS
SELECT e.id, e.event_type, e.timestamp_ms, e.source, e.correlation_id, e.user_id, e.session_id,
       REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(e.data_json, char(1), '"user_id":'), char(2), '"signal_id":'), char(3), '"symbol":'), char(4), '"fire_id":'), char(5), '"mission_id":'), char(6), '"direction":'), char(7), '"ticket":'), char(8), '"volume":'), char(11), '"tp_price":'), char(12), '"sl_price":'), char(14), '"reason":'), char(15), '"message":'), char(16), '"pattern_type":'), char(17), '"confidence":'), char(18), '"target_pips":'), char(19), '"stop_pips":'), char(20), '"status":'), char(21), '"outcome":'), char(22), '"open_price":'), char(23), '"lot_size":'), char(24), '"expires_at":'), char(25), '"execution_time":'), char(26), '"execution_mode":'), char(27), '"equity":'), char(28), '"entry_price":'), char(29), '"component":'), char(30), '"balance":'), char(31), '"account_number":') AS data_json,
       e.created_at_ms
FROM events e;
