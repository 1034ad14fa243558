-- The expertise exchange: offers, requests and the exchanges that followed (SQLite).
-- Keep in step with ../postgres/0015_expertise.sql (the same with BIGINT).
CREATE TABLE expertise (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    sector_code TEXT REFERENCES sectors(code),
    -- topics as typed, one per line, and their keys between commas (",key,key,")
    topics TEXT NOT NULL DEFAULT '',
    topic_keys TEXT NOT NULL DEFAULT ',',
    languages TEXT NOT NULL DEFAULT ',',
    areas TEXT NOT NULL DEFAULT ',',
    format TEXT NOT NULL,
    available_from TEXT,
    available_to TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    visibility TEXT NOT NULL,
    author_email TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX expertise_open ON expertise(kind, status);

-- An exchange: a request answered (by an offer, or by an organisation directly).
CREATE TABLE expertise_exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES expertise(id) ON DELETE CASCADE,
    offer_id INTEGER REFERENCES expertise(id) ON DELETE SET NULL,
    provider_org_id INTEGER NOT NULL REFERENCES organisations(id),
    receiver_org_id INTEGER NOT NULL REFERENCES organisations(id),
    held_on TEXT,
    people INTEGER,
    feedback TEXT,
    recorded_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (request_id)
);
CREATE INDEX expertise_exchanges_provider ON expertise_exchanges(provider_org_id);
CREATE INDEX expertise_exchanges_receiver ON expertise_exchanges(receiver_org_id);
