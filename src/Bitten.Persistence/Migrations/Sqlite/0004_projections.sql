-- Projections: the current state the events describe, written by the event log's writer in the same transaction as
-- the events that change it (Events/Projections.cs), so a query never sees an event without its effect or the
-- reverse. They can be rebuilt from `events` at any time; nothing else writes them. WITHOUT ROWID: each is keyed by
-- its own id, so the key's B-tree is the table (one tree to update per write, not a rowid table and its key's index).

-- One row per signal raised, its outcome filled in when it resolves (pattern analytics read this).
CREATE TABLE signals (
    signal_id        TEXT    PRIMARY KEY,
    symbol           TEXT    NOT NULL,
    direction        TEXT    NOT NULL,
    pattern_type     TEXT    NOT NULL,
    confidence       REAL    NOT NULL,
    citadel_score    REAL    NULL,
    entry_price      REAL    NULL,
    sl               REAL    NULL,
    tp               REAL    NULL,
    session          TEXT    NULL,
    generated_at_ms  INTEGER NOT NULL,
    expires_at_ms    INTEGER NULL,
    outcome          TEXT    NULL,
    exit_price       REAL    NULL,
    pips             REAL    NULL,
    duration_minutes REAL    NULL,
    resolved_at_ms   INTEGER NULL
) WITHOUT ROWID;

CREATE INDEX signals_generated ON signals(generated_at_ms);

-- One per user per signal: PENDING -> FIRED -> FILLED/FAILED -> CLOSED, or EXPIRED.
CREATE TABLE missions (
    mission_id    TEXT    PRIMARY KEY,
    signal_id     TEXT    NOT NULL,
    user_id       TEXT    NOT NULL,
    status        TEXT    NOT NULL,
    fire_id       TEXT    NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX missions_user_status ON missions(user_id, status);
CREATE INDEX missions_fire ON missions(fire_id) WHERE fire_id IS NOT NULL;

-- Positions as the EAs reported them; a ticket is unique within one user's account, not across accounts.
CREATE TABLE positions (
    user_id      TEXT    NOT NULL,
    ticket       INTEGER NOT NULL,
    fire_id      TEXT    NULL,
    symbol       TEXT    NOT NULL,
    direction    TEXT    NOT NULL,
    volume       REAL    NOT NULL,
    open_price   REAL    NOT NULL,
    sl           REAL    NULL,
    tp           REAL    NULL,
    opened_at_ms INTEGER NOT NULL,
    closed_at_ms INTEGER NULL,
    close_reason TEXT    NULL,
    PRIMARY KEY (user_id, ticket)
) WITHOUT ROWID;

CREATE INDEX positions_open ON positions(user_id) WHERE closed_at_ms IS NULL;

-- A slot is held from the fire until its position closes (or the fire fails); every release records its reason.
CREATE TABLE slots (
    fire_id        TEXT    PRIMARY KEY,
    user_id        TEXT    NOT NULL,
    taken_at_ms    INTEGER NOT NULL,
    released_at_ms INTEGER NULL,
    release_reason TEXT    NULL
) WITHOUT ROWID;

CREATE INDEX slots_held ON slots(user_id) WHERE released_at_ms IS NULL;

-- Each user's account as the EA last reported it.
CREATE TABLE accounts (
    user_id        TEXT    PRIMARY KEY,
    account_number TEXT    NULL,
    balance        REAL    NOT NULL,
    equity         REAL    NOT NULL,
    updated_at_ms  INTEGER NOT NULL
) WITHOUT ROWID;
