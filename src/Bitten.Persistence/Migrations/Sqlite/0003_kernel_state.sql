-- The kernel's live state at its last checkpoint (one row): missions, fires, positions, accounts, tracked signals.
-- Fires themselves are committed before they are sent (fires table); this row is what ties them together again.
CREATE TABLE kernel_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    taken_at_ms INTEGER NOT NULL,
    version INTEGER NOT NULL,
    state_json TEXT NOT NULL
);
