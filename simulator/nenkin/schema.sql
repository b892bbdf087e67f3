-- ねんきんネット's changeable state, one row set per sandbox (see simulator/sandbox.py).
CREATE TABLE IF NOT EXISTS nenkin_account (
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    user_id TEXT,                 -- NULL until a user ID is issued
    password_hash TEXT,
    email TEXT,
    notify_mail INTEGER,          -- 1 希望する / 0 希望しない / NULL 未登録
    paperless INTEGER,            -- 1 ペーパーレス化する / 0 しない / NULL 未登録
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked INTEGER NOT NULL DEFAULT 0,
    notice_read INTEGER NOT NULL DEFAULT 0,  -- the お知らせ dialog after login was closed
    last_login TEXT,              -- ISO 8601 by the simulator's clock
    PRIMARY KEY (sandbox, persona)
);

CREATE TABLE IF NOT EXISTS nenkin_application (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    with_access_key INTEGER NOT NULL,
    token TEXT NOT NULL,          -- for the ID confirmation URL in the e-mail
    created_at TEXT NOT NULL
);

-- When each notice (通知書) was last downloaded; without a row, the persona's seeded date shows.
CREATE TABLE IF NOT EXISTS nenkin_notice_check (
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    notice TEXT NOT NULL,         -- the notice id from the personas file
    checked TEXT NOT NULL,        -- ISO date by the simulator's clock
    PRIMARY KEY (sandbox, persona, notice)
);
