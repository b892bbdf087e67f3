-- Core tables. Every row belongs to a sandbox: one per browser session, so runs that
-- happen at the same time, or one after another, never see each other's state.
CREATE TABLE IF NOT EXISTS sandbox (
    id TEXT PRIMARY KEY,
    clock TEXT,               -- ISO 8601; NULL means the instance's fixed clock
    device TEXT,              -- 'android' | 'iphone' | NULL (from the user agent)
    card_persona TEXT         -- the persona whose マイナンバーカード is "in hand"
);

CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,       -- 'email' | 'letter'
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    sent_at TEXT NOT NULL
);
