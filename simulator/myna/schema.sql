-- マイナポータル's changeable state, keyed by sandbox (see simulator/sandbox.py).
CREATE TABLE IF NOT EXISTS myna_card (
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    pin_failures INTEGER NOT NULL DEFAULT 0,  -- wrong 利用者証明用パスワード in a row
    locked INTEGER NOT NULL DEFAULT 0,        -- 1 after the 3rd wrong try
    PRIMARY KEY (sandbox, persona)
);

CREATE TABLE IF NOT EXISTS myna_link (
    sandbox TEXT NOT NULL REFERENCES sandbox(id) ON DELETE CASCADE,
    persona TEXT NOT NULL,
    site TEXT NOT NULL,                       -- e.g. 'nenkin'
    linked_at TEXT,                           -- ISO 8601; NULL for seeded links
    PRIMARY KEY (sandbox, persona, site)
);

-- The card login in progress: PIN typed, waiting for the card, read, card removed.
CREATE TABLE IF NOT EXISTS myna_login (
    sandbox TEXT PRIMARY KEY REFERENCES sandbox(id) ON DELETE CASCADE,
    stage TEXT NOT NULL DEFAULT 'idle',       -- idle | reading | read | failed | removed
    pin TEXT,                                 -- the typed PIN until the card is tapped
    persona TEXT,                             -- whose card was read
    outcome TEXT                              -- of the last tap: read | wrong | locked | unreadable
);
