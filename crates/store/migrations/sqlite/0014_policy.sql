-- The policy tracker: host-country decisions, where they apply, the network's analysis,
-- position and advocacy (SQLite). Keep in step with ../postgres/0014_policy.sql (the
-- same with BIGINT).
CREATE TABLE policy_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title_ar TEXT, title_en TEXT, title_tr TEXT,
    summary_ar TEXT, summary_en TEXT, summary_tr TEXT,
    authority_id INTEGER REFERENCES organisations(id),
    instrument TEXT NOT NULL,
    reference TEXT,
    issued_on TEXT,
    effective_on TEXT,
    expires_on TEXT,
    status TEXT NOT NULL,
    impact TEXT NOT NULL,
    -- codes between commas (",students,workers,"), so one LIKE finds a code
    affected_groups TEXT NOT NULL DEFAULT ',',
    topics TEXT NOT NULL DEFAULT ',',
    -- links, one per line
    sources TEXT NOT NULL DEFAULT '',
    analysis TEXT NOT NULL DEFAULT '',
    proposal_id INTEGER REFERENCES proposals(id),
    visibility TEXT NOT NULL,
    author_email TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX policy_items_dates ON policy_items(issued_on, effective_on);

CREATE TABLE policy_areas (
    policy_id INTEGER NOT NULL REFERENCES policy_items(id) ON DELETE CASCADE,
    area_code TEXT NOT NULL REFERENCES areas(code),
    PRIMARY KEY (policy_id, area_code)
);
CREATE INDEX policy_areas_area ON policy_areas(area_code);

CREATE TABLE policy_documents (
    policy_id INTEGER NOT NULL REFERENCES policy_items(id) ON DELETE CASCADE,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (policy_id, document_id)
);

CREATE TABLE policy_advocacy (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id INTEGER NOT NULL REFERENCES policy_items(id) ON DELETE CASCADE,
    raised_with TEXT NOT NULL,
    raised_on TEXT NOT NULL,
    ask TEXT,
    answer TEXT,
    answered_on TEXT,
    author_email TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX policy_advocacy_policy ON policy_advocacy(policy_id);
