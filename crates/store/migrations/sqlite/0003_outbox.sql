-- Changes for the search index, written in the same transaction as the data they
-- describe. Each `minbar serve` process keeps its own cursor into this table.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
