-- Meetings, minutes, decisions, action items; proposals and their endorsement (SQLite).
-- Keep in step with ../postgres/0010_meetings.sql (generated from this file by
-- replacing the integer types).
CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    place TEXT,
    online_url TEXT,
    visibility TEXT NOT NULL,
    minutes TEXT NOT NULL DEFAULT '',
    minutes_state TEXT NOT NULL DEFAULT 'draft',
    minutes_version INTEGER NOT NULL DEFAULT 1,
    approved_at INTEGER,
    summary_ar TEXT,
    summary_en TEXT,
    summary_tr TEXT,
    summary_visibility TEXT NOT NULL DEFAULT 'members',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX meetings_starts ON meetings(starts_at);

-- organisations convening (role 'organiser') or invited ('invited') to a meeting
CREATE TABLE meeting_orgs (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    role TEXT NOT NULL,
    PRIMARY KEY (meeting_id, org_id)
);
CREATE INDEX meeting_orgs_org ON meeting_orgs(org_id);

CREATE TABLE meeting_attendees (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    person_id INTEGER REFERENCES people(id),
    name TEXT,
    org_id INTEGER REFERENCES organisations(id),
    org_name TEXT,
    role TEXT,
    attended INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_attendees_meeting ON meeting_attendees(meeting_id);

CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE decisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    text TEXT NOT NULL,
    vote TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX decisions_meeting ON decisions(meeting_id);

CREATE TABLE action_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    person_id INTEGER REFERENCES people(id),
    due_date TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX action_items_org ON action_items(org_id, status);
CREATE INDEX action_items_due ON action_items(status, due_date);

CREATE TABLE action_item_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    action_item_id INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
    user_email TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX action_item_comments_item ON action_item_comments(action_item_id);

-- approved minutes change only by a recorded amendment
CREATE TABLE minutes_amendments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    before_text TEXT NOT NULL,
    after_text TEXT NOT NULL,
    reason TEXT NOT NULL,
    user_email TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

-- the coordinator's rules per kind of proposal (JSON of minbar_core::KindRules)
CREATE TABLE proposal_rules (
    kind TEXT PRIMARY KEY,
    rules TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    kind TEXT NOT NULL,
    meeting_id INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    agenda_item_id INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    time_zone TEXT NOT NULL,
    visibility TEXT NOT NULL,
    -- the kind's rules when the proposal was put forward: later changes do not apply
    rules TEXT NOT NULL,
    reminded_at INTEGER,
    -- sealed at closing, never changed after
    outcome TEXT,
    members INTEGER,
    support INTEGER,
    object INTEGER,
    abstain INTEGER,
    sealed_at INTEGER,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX proposals_closes ON proposals(outcome, closes_at);

CREATE TABLE proposal_orgs (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    PRIMARY KEY (proposal_id, org_id)
);

CREATE TABLE endorsements (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES organisations(id),
    answer TEXT NOT NULL,
    reason TEXT,
    user_email TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, org_id)
);

CREATE TABLE proposal_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id INTEGER NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES proposal_comments(id),
    user_email TEXT NOT NULL,
    org_id INTEGER REFERENCES organisations(id),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX proposal_comments_proposal ON proposal_comments(proposal_id, id);

-- a personal calendar feed's secret (only its hash is kept)
CREATE TABLE calendar_tokens (
    user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
