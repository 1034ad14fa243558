-- Each account's language, digest and muted kinds; what it follows; which
-- notifications were mailed (SQLite). Keep in step with ../postgres/0016_preferences.sql.
ALTER TABLE users ADD COLUMN lang TEXT NOT NULL DEFAULT 'ar';
-- daily, weekly or none
ALTER TABLE users ADD COLUMN digest TEXT NOT NULL DEFAULT 'daily';
ALTER TABLE users ADD COLUMN digest_sent_at INTEGER;
-- kinds of notification the account does not want, between commas
ALTER TABLE users ADD COLUMN muted TEXT NOT NULL DEFAULT ',';
ALTER TABLE notifications ADD COLUMN mailed_at INTEGER;
CREATE INDEX notifications_unmailed ON notifications(mailed_at, user_id);

CREATE TABLE follows (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- sector, area, topic or org
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (user_id, kind, value)
);
CREATE INDEX follows_target ON follows(kind, value);
