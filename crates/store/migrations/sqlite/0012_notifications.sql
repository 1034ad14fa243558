-- In-app notifications: what concerns an account, read or not (SQLite).
-- Keep in step with ../postgres/0012_notifications.sql (the same with BIGINT).
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications(user_id, read_at, id);
