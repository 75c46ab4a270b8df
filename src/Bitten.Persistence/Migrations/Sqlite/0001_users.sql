-- Users, their API tokens and EA pairing codes, and fires (PRODUCT.md §5).
-- Decimals are TEXT in invariant culture: SQLite REAL would round risk and lot sizes.

CREATE TABLE users (
    user_id       INTEGER PRIMARY KEY,
    telegram_id   INTEGER NOT NULL UNIQUE,
    tier          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    mode          TEXT    NOT NULL,
    auto_min      REAL    NOT NULL,
    auto_max      REAL    NOT NULL,
    auto_slots    INTEGER NOT NULL,
    auto_risk     TEXT    NOT NULL,
    ea_uuid       TEXT    NULL UNIQUE,
    created_at_ms INTEGER NOT NULL
);

-- Only the SHA-256 of a token is kept: a copy of the database does not hand out logins.
CREATE TABLE api_tokens (
    token_hash    TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(user_id),
    created_at_ms INTEGER NOT NULL,
    revoked       INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE pairing_codes (
    code          TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(user_id),
    expires_at_ms INTEGER NOT NULL,
    used_at_ms    INTEGER NULL
);

CREATE TABLE fires (
    fire_id       TEXT    PRIMARY KEY,
    user_id       INTEGER NOT NULL REFERENCES users(user_id),
    ea_uuid       TEXT    NOT NULL,
    mission_id    TEXT    NOT NULL,
    signal_id     TEXT    NOT NULL,
    symbol        TEXT    NOT NULL,
    direction     TEXT    NOT NULL,
    lot           TEXT    NOT NULL,
    sl            REAL    NOT NULL,
    tp            REAL    NOT NULL,
    status        TEXT    NOT NULL,
    created_at_ms INTEGER NOT NULL,
    sent_count    INTEGER NOT NULL DEFAULT 0,
    ticket        INTEGER NULL,
    fill_price    REAL    NULL,
    message       TEXT    NULL,
    updated_at_ms INTEGER NOT NULL
);

CREATE INDEX fires_ea_status ON fires(ea_uuid, status);
