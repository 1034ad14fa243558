-- 4W: activity types per sector, activities, needs, reporting rounds (sqlite).
-- Keep in step with the other backend's 0004_fourw.sql.
CREATE TABLE activity_types (
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    code TEXT NOT NULL,
    name_ar TEXT, name_en TEXT, name_tr TEXT,
    search_key TEXT NOT NULL DEFAULT '',
    sort INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sector_code, code)
);

CREATE TABLE activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    activity_type TEXT,
    area_code TEXT NOT NULL REFERENCES areas(code),
    -- the first-level area above area_code (itself when it is first-level), for the matrix
    adm1_code TEXT NOT NULL,
    partners TEXT, donor TEXT,
    start_date TEXT, end_date TEXT,
    status TEXT NOT NULL,
    modality TEXT,
    t_women INTEGER, t_men INTEGER, t_girls INTEGER, t_boys INTEGER, t_total INTEGER,
    r_women INTEGER, r_men INTEGER, r_girls INTEGER, r_boys INTEGER, r_total INTEGER,
    households INTEGER,
    notes TEXT,
    natural_key TEXT NOT NULL,
    -- the first 8 bytes of SHA-256 of natural_key: a small unique index instead of a long one
    key_hash BIGINT NOT NULL UNIQUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX activities_matrix ON activities(period, adm1_code, sector_code, org_id);
CREATE INDEX activities_org ON activities(org_id, period);

CREATE TABLE needs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    area_code TEXT NOT NULL REFERENCES areas(code),
    adm1_code TEXT NOT NULL,
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    period TEXT NOT NULL,
    n_women INTEGER, n_men INTEGER, n_girls INTEGER, n_boys INTEGER, n_total INTEGER NOT NULL,
    severity INTEGER NOT NULL,
    source TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (area_code, sector_code, period)
);
CREATE INDEX needs_matrix ON needs(period, adm1_code, sector_code);

CREATE TABLE report_rounds (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    period TEXT NOT NULL,
    state TEXT NOT NULL,
    comment TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, period)
);
