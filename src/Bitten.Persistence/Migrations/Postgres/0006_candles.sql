-- Closed candles as the kernel built them, so a start can warm Elite Guard's history instead of waiting hours for the
-- detectors' look-back to fill. Written through the event log's writer on each close; old rows are pruned.
CREATE TABLE candles (
    symbol       TEXT    NOT NULL,
    timeframe    BIGINT  NOT NULL,
    open_time_ms BIGINT  NOT NULL,
    bid_open     DOUBLE PRECISION NOT NULL,
    bid_high     DOUBLE PRECISION NOT NULL,
    bid_low      DOUBLE PRECISION NOT NULL,
    bid_close    DOUBLE PRECISION NOT NULL,
    ask_open     DOUBLE PRECISION NOT NULL,
    ask_high     DOUBLE PRECISION NOT NULL,
    ask_low      DOUBLE PRECISION NOT NULL,
    ask_close    DOUBLE PRECISION NOT NULL,
    mid_open     DOUBLE PRECISION NOT NULL,
    mid_high     DOUBLE PRECISION NOT NULL,
    mid_low      DOUBLE PRECISION NOT NULL,
    mid_close    DOUBLE PRECISION NOT NULL,
    tick_count   BIGINT  NOT NULL,
    PRIMARY KEY (symbol, timeframe, open_time_ms)
);
