-- Users registered through the bot and the press pass (PRODUCT.md §5): the same columns and tables as
-- Migrations/Sqlite/0012_press_pass.sql. When a user's pass ends or ended (kept after it ends: the pass is once per
-- person, and its history stays), whether its reminder went out (once, across restarts), and two choices a user makes
-- in the bot. Flags are INTEGER 0/1, as everywhere.
ALTER TABLE users ADD COLUMN press_pass_expires_ms BIGINT NULL;
ALTER TABLE users ADD COLUMN press_pass_reminded INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN mission_alerts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN on_leaderboard INTEGER NOT NULL DEFAULT 1;

-- Every pass ever granted: the primary key makes it one per person, even for two claims racing.
CREATE TABLE press_passes (
    user_id       BIGINT PRIMARY KEY REFERENCES users(user_id),
    granted_at_ms BIGINT NOT NULL,
    expires_at_ms BIGINT NOT NULL,
    day           TEXT   NOT NULL -- the UTC day granted, yyyy-MM-dd
);

-- Passes granted per UTC day: one conditional upsert counts a grant and enforces the cap in the same statement (it
-- locks the day's row under read committed), so two grants racing for the last pass of a day cannot both get it.
CREATE TABLE press_pass_days (
    day     TEXT    PRIMARY KEY,
    granted INTEGER NOT NULL
);
