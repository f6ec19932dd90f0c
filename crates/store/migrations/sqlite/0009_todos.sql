-- SkillBridge 0009: to-dos and notifications (issue 10, item 5). SQLite dialect; the PostgreSQL file
-- of the same number creates the same tables. The to-dos themselves are not stored: the sources
-- of each module compute them (crates/store/src/modules/todos/mod.rs). Stored here is what the
-- sources cannot know: a user's preferences, which items they have read and been notified of,
-- and the mails waiting to be delivered.

-- One row per user who saved preferences; a user without one has the defaults (Chinese, no mail).
CREATE TABLE user_preferences (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- zh / en: the language of notifications
    language TEXT NOT NULL,
    email_enabled INTEGER NOT NULL DEFAULT 0,
    -- where notifications go; NULL: none
    email TEXT,
    updated_at TEXT NOT NULL
);

-- The state of one item (by its stable key, e.g. 'order_offer:17') for one user. A row outlives
-- its item harmlessly; the key never names another item.
CREATE TABLE todo_state (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    read_at TEXT,
    notified_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, item_key)
);

-- Mails to deliver, written in the transaction that marks their item notified; the delivery task
-- sends those whose next_attempt_at has come, and backs off after a failure.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    item_key TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    -- the last failure, for the administrator; never shown to users
    last_error TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX mail_outbox_due ON mail_outbox (sent_at, next_attempt_at);
