-- A file uploaded for a check, kept so that importing it after the check (with the
-- columns the person chose) needs no second upload. One per account; gone after two
-- hours or once imported. Keep in step with ../postgres/0017_kept_uploads.sql.
CREATE TABLE kept_uploads (
    token TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- what the file holds: activities or needs
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    content BLOB NOT NULL,
    kept_at INTEGER NOT NULL
);
CREATE INDEX kept_uploads_user ON kept_uploads(user_id);
