-- Every message the bot sends, stored before it is sent: the same table and columns as
-- Migrations/Sqlite/0011_telegram_outbox.sql.

CREATE TABLE telegram_outbox (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key                 TEXT    NOT NULL UNIQUE,
    chat_id             BIGINT  NOT NULL,
    payload             TEXT    NOT NULL,
    created_ms          BIGINT  NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    not_before_ms       BIGINT  NOT NULL DEFAULT 0,
    sent_ms             BIGINT  NULL,
    telegram_message_id BIGINT  NULL,
    last_error          TEXT    NULL,
    failed_reason       TEXT    NULL
);

-- The sender's one query: the unsent, unfailed rows by id. Sent rows pile up; this index holds only the queue.
CREATE INDEX telegram_outbox_pending ON telegram_outbox(id) WHERE sent_ms IS NULL AND failed_reason IS NULL;
