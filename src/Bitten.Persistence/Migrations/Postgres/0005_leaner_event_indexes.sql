-- Every index on the event log costs each event a B-tree insert and bytes on disk. These duplicated lookups the typed
-- tables and projections already serve: an event by correlation id (a fire, mission or signal id: trade_events,
-- missions and signal_events have those), signal events by symbol, pattern or expiry (the signals projection), trade
-- events by ticket (positions). Measured: about a fifth of the writer's time (docs/performance.md).
DROP INDEX events_correlation;
DROP INDEX signal_events_symbol;
DROP INDEX signal_events_pattern;
DROP INDEX signal_events_expires;
DROP INDEX trade_events_ticket;
