-- The library: documents, their tags, and attached files with their versions (SQLite).
-- Keep in step with ../postgres/0013_library.sql (the same with BIGINT and BYTEA).
CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title_ar TEXT, title_en TEXT, title_tr TEXT,
    summary_ar TEXT, summary_en TEXT, summary_tr TEXT,
    body TEXT NOT NULL DEFAULT '',
    org_id INTEGER REFERENCES organisations(id),
    sector_code TEXT REFERENCES sectors(code),
    area_code TEXT REFERENCES areas(code),
    lang TEXT NOT NULL,
    doc_date TEXT,
    visibility TEXT NOT NULL,
    author_email TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX documents_listed ON documents(doc_date, created_at);

CREATE TABLE document_tags (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    tag_key TEXT NOT NULL,
    PRIMARY KEY (document_id, tag_key)
);
CREATE INDEX document_tags_key ON document_tags(tag_key);

-- Files attached to a document (later: to agenda items and proposals). A new upload
-- under the same name is the next revision; earlier ones are kept.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind TEXT NOT NULL,
    owner_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    revision INTEGER NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    text_state TEXT NOT NULL,
    text TEXT,
    note TEXT NOT NULL DEFAULT '',
    uploaded_by TEXT NOT NULL,
    uploaded_at INTEGER NOT NULL,
    UNIQUE (owner_kind, owner_id, name, revision)
);
CREATE INDEX attachments_owner ON attachments(owner_kind, owner_id);
