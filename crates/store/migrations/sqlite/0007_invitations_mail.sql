-- Invitations, password resets, and the outgoing mail queue (SQLite).
-- Keep in step with ../postgres/0007_invitations_mail.sql.

-- Single-use links: only the SHA-256 of the token is stored.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    invited_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX invitations_email ON invitations(email_key);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX password_resets_user ON password_resets(user_id);

-- Mail waits here until it is delivered: it survives restarts, and failures are retried
-- with a growing wait.
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    last_error TEXT
);
CREATE INDEX mail_queue_due ON mail_queue(sent_at, failed_at, next_attempt_at);
