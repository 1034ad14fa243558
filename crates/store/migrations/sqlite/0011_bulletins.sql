-- Bulletins: short posts with an optional expiry (SQLite).
-- Keep in step with ../postgres/0011_bulletins.sql (the same with BIGINT).
CREATE TABLE bulletins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    kind TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    lang TEXT NOT NULL,
    expires_on TEXT,
    pinned INTEGER NOT NULL DEFAULT 0,
    visibility TEXT NOT NULL,
    author_email TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX bulletins_listed ON bulletins(pinned, created_at);
