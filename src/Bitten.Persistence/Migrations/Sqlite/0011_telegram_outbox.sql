-- Every message the bot sends, stored before it is sent (the Telegram outbox): the sender reads the unsent ones in id
-- order, and a restart resumes from here. `key` names the message's cause, so an event seen twice stores one message.

CREATE TABLE telegram_outbox (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    key                 TEXT    NOT NULL UNIQUE,
    chat_id             INTEGER NOT NULL,
    payload             TEXT    NOT NULL,
    created_ms          INTEGER NOT NULL,
    attempts            INTEGER NOT NULL DEFAULT 0,
    not_before_ms       INTEGER NOT NULL DEFAULT 0,
    sent_ms             INTEGER NULL,
    telegram_message_id INTEGER NULL,
    last_error          TEXT    NULL,
    failed_reason       TEXT    NULL
);

-- The sender's one query: the unsent, unfailed rows by id. Sent rows pile up; this index holds only the queue.
CREATE INDEX telegram_outbox_pending ON telegram_outbox(id) WHERE sent_ms IS NULL AND failed_reason IS NULL;
