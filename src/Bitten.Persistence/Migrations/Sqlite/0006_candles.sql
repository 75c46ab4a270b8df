-- Closed candles as the kernel built them, so a start can warm Elite Guard's history instead of waiting hours for the
-- detectors' look-back to fill. Written through the event log's writer on each close; old rows are pruned.
CREATE TABLE candles (
    symbol       TEXT    NOT NULL,
    timeframe    INTEGER NOT NULL,
    open_time_ms INTEGER NOT NULL,
    bid_open     REAL    NOT NULL,
    bid_high     REAL    NOT NULL,
    bid_low      REAL    NOT NULL,
    bid_close    REAL    NOT NULL,
    ask_open     REAL    NOT NULL,
    ask_high     REAL    NOT NULL,
    ask_low      REAL    NOT NULL,
    ask_close    REAL    NOT NULL,
    mid_open     REAL    NOT NULL,
    mid_high     REAL    NOT NULL,
    mid_low      REAL    NOT NULL,
    mid_close    REAL    NOT NULL,
    tick_count   INTEGER NOT NULL,
    PRIMARY KEY (symbol, timeframe, open_time_ms)
) WITHOUT ROWID;
