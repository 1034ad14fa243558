-- Directory, accounts and sessions (SQLite). Keep in step with ../postgres/0001_directory.sql.
CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    name_ar TEXT, name_en TEXT, name_tr TEXT,
    custom INTEGER NOT NULL DEFAULT 0,
    sort INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    level INTEGER NOT NULL,
    parent_code TEXT REFERENCES areas(code),
    name_ar TEXT, name_en TEXT, name_tr TEXT,
    search_key TEXT NOT NULL DEFAULT '',
    lat REAL, lon REAL,
    boundary TEXT,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    acronym TEXT NOT NULL,
    acronym_key TEXT NOT NULL UNIQUE,
    name_ar TEXT, name_en TEXT, name_tr TEXT,
    kind TEXT NOT NULL,
    membership_status TEXT NOT NULL,
    founding_year INTEGER,
    registration_country TEXT,
    registration_number TEXT,
    registration_date TEXT,
    hq_area TEXT REFERENCES areas(code),
    website TEXT, email TEXT, phone TEXT,
    description_ar TEXT, description_en TEXT, description_tr TEXT,
    logo BLOB, logo_mime TEXT,
    search_key TEXT NOT NULL DEFAULT '',
    sort_ar TEXT NOT NULL DEFAULT '',
    sort_en TEXT NOT NULL DEFAULT '',
    sort_tr TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX organisations_sort_ar ON organisations(sort_ar);
CREATE INDEX organisations_sort_en ON organisations(sort_en);
CREATE INDEX organisations_sort_tr ON organisations(sort_tr);
CREATE INDEX organisations_kind ON organisations(kind, membership_status);

CREATE TABLE org_sectors (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    sector_code TEXT NOT NULL REFERENCES sectors(code),
    PRIMARY KEY (org_id, sector_code)
);
CREATE INDEX org_sectors_sector ON org_sectors(sector_code);

CREATE TABLE org_areas (
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    area_code TEXT NOT NULL REFERENCES areas(code),
    PRIMARY KEY (org_id, area_code)
);
CREATE INDEX org_areas_area ON org_areas(area_code);

CREATE TABLE org_membership (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    since TEXT NOT NULL,
    recorded_at INTEGER NOT NULL
);
CREATE INDEX org_membership_org ON org_membership(org_id);

CREATE TABLE people (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name_ar TEXT, name_en TEXT,
    email TEXT, email_visibility TEXT NOT NULL DEFAULT 'members',
    phone TEXT, phone_visibility TEXT NOT NULL DEFAULT 'coordinators',
    committees TEXT NOT NULL DEFAULT '',
    search_key TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE affiliations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    title_ar TEXT, title_en TEXT, title_tr TEXT,
    from_date TEXT, to_date TEXT
);
CREATE INDEX affiliations_person ON affiliations(person_id);
CREATE INDEX affiliations_org ON affiliations(org_id);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    email_key TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
