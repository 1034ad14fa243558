//! The audit trail: every write records who, when, through which session or token, which
//! entity, and its values before and after — in the same transaction as the write, so a
//! change and its record commit or roll back together.
//!
//! Entries are hash-chained: an entry's `hash` is the SHA-256 of its own fields and the
//! previous entry's hash, and ids are assigned by the writer as the last id plus one. So
//! an entry changed after the fact no longer matches its hash, a removed one leaves a gap,
//! and one slipped in between breaks the link to its neighbour; [`Store::verify_audit`]
//! names the first such entry. (Removing the newest entries leaves a shorter chain that is
//! still valid: anchoring the head outside the database is the operator's part, see
//! docs/SECURITY.md.)

use crate::backend::Backend;
use crate::directory::Page;
use crate::sql::Sql;
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::{OrgId, UserId};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use sqlx::{Any, Column, Row, Transaction};
use std::sync::Arc;

/// Who is writing, and through what: what an audit entry says about its author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Who {
    pub user: Option<UserId>,
    pub email: String,
    pub org: Option<OrgId>,
    /// `session:<first 12 hex digits of the session's hash>`, `token:<id>`, `cli` or
    /// `system`.
    pub via: String,
}

impl Who {
    /// An operator at the command line (named by their login, when the system says).
    pub fn cli() -> Who {
        Who {
            email: std::env::var("USER").unwrap_or_default(),
            via: "cli".into(),
            ..Who::default()
        }
    }
    /// Minbar itself (demo data, background work).
    pub fn system() -> Who {
        Who {
            via: "system".into(),
            ..Who::default()
        }
    }
}

/// The hash every chain starts from.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds, UTC.
    pub at: i64,
    pub user_id: Option<i64>,
    pub user_email: String,
    pub org_id: Option<i64>,
    pub via: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The columns of the audit trail as CSV (page export and `minbar audit export`).
pub const CSV_HEADER: [&str; 13] = [
    "id",
    "at_utc",
    "user_id",
    "user_email",
    "org_id",
    "via",
    "action",
    "entity",
    "entity_id",
    "before",
    "after",
    "prev_hash",
    "hash",
];

/// A Unix time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_time(t: i64) -> String {
    let s = t.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        crate::util::date_of(t),
        s / 3600,
        s % 3600 / 60,
        s % 60
    )
}

impl AuditEntry {
    /// The entry as a CSV record, in the order of [`CSV_HEADER`].
    pub fn csv_record(&self) -> [String; 13] {
        let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
        [
            self.id.to_string(),
            iso_time(self.at),
            opt(self.user_id),
            self.user_email.clone(),
            opt(self.org_id),
            self.via.clone(),
            self.action.clone(),
            self.entity.clone(),
            self.entity_id.clone(),
            self.before.clone().unwrap_or_default(),
            self.after.clone().unwrap_or_default(),
            self.prev_hash.clone(),
            self.hash.clone(),
        ]
    }

    /// The hash this entry should carry, given its fields.
    pub fn expected_hash(&self) -> String {
        let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_else(|| "\0".into());
        let mut h = Sha256::new();
        for part in [
            self.prev_hash.as_str(),
            &self.id.to_string(),
            &self.at.to_string(),
            &opt(self.user_id),
            &self.user_email,
            &opt(self.org_id),
            &self.via,
            &self.action,
            &self.entity,
            &self.entity_id,
            self.before.as_deref().unwrap_or("\0"),
            self.after.as_deref().unwrap_or("\0"),
        ] {
            h.update(part.as_bytes());
            h.update([0x1f]);
        }
        hex::encode(h.finalize())
    }
}

/// What `verify` found wrong first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditProblem {
    /// The entry's fields no longer match its hash: it was edited.
    Altered { id: i64 },
    /// Entries between `after` and `next` are missing: they were removed.
    Missing { after: i64, next: i64 },
    /// The entry does not link to the one before it: inserted, reordered or re-hashed.
    BrokenLink { id: i64 },
}

impl std::fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditProblem::Altered { id } => {
                write!(
                    f,
                    "entry {id} was altered: its content does not match its hash"
                )
            }
            AuditProblem::Missing { after, next } => write!(
                f,
                "entries {} to {} are missing: removed after entry {after}",
                after + 1,
                next - 1
            ),
            AuditProblem::BrokenLink { id } => write!(
                f,
                "entry {id} does not follow the entry before it: inserted out of order or re-hashed"
            ),
        }
    }
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheck {
    /// Entries checked before stopping.
    pub checked: i64,
    pub last_hash: String,
    pub problem: Option<AuditProblem>,
}

/// Filters of the audit page and export.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Part of the author's e-mail.
    pub user: Option<String>,
    /// The author's organisation.
    pub org: Option<OrgId>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// From this Unix time on.
    pub from: Option<i64>,
    /// Before this Unix time.
    pub to: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

/// A table whose rows are snapshotted before and after a change.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Table {
    Organisations,
    People,
    Sectors,
    Activities,
    Users,
    Meetings,
    ActionItems,
    Proposals,
    Bulletins,
    Documents,
    Policy,
    Expertise,
    ActivityTypes,
}

/// A row's key.
#[derive(Debug, Clone)]
pub(crate) enum Key<'a> {
    Int(i64),
    Text(&'a str),
}

/// Columns that are derived from others or secret: left out of snapshots.
const SKIPPED: &[&str] = &[
    "search_key",
    "sort_ar",
    "sort_en",
    "sort_tr",
    "acronym_key",
    "email_key",
    "password_hash",
    "key_hash",
    "natural_key",
    "logo",
    "boundary",
];

fn row_json(r: &sqlx::any::AnyRow) -> Value {
    let mut m = Map::new();
    for (i, c) in r.columns().iter().enumerate() {
        let name = c.name();
        if SKIPPED.contains(&name) {
            continue;
        }
        let v = if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else if let Ok(v) = r.try_get::<Option<String>, _>(i) {
            v.map(Value::from).unwrap_or(Value::Null)
        } else {
            Value::Null
        };
        m.insert(name.to_string(), v);
    }
    Value::Object(m)
}

fn entry_from_row(r: &sqlx::any::AnyRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        user_id: r.try_get("user_id")?,
        user_email: r.try_get("user_email")?,
        org_id: r.try_get("org_id")?,
        via: r.try_get("via")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        before: r.try_get("before_json")?,
        after: r.try_get("after_json")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

const COLUMNS: &str = "id, at, user_id, user_email, org_id, via, action, entity, entity_id, before_json, after_json, prev_hash, hash";

impl Store {
    /// This store, writing in the name of `who`: every audit entry it records names them.
    pub fn acting(&self, who: Who) -> Store {
        let mut s = self.clone();
        s.who = Some(Arc::new(who));
        s
    }

    /// Who this store writes for (`system` when nobody said).
    pub fn who(&self) -> Who {
        self.who.as_deref().cloned().unwrap_or_else(Who::system)
    }

    /// The current row of `table` with key `key`, as JSON (None when there is none).
    pub(crate) async fn snapshot(
        tx: &mut Transaction<'static, Any>,
        table: Table,
        key: Key<'_>,
    ) -> Result<Option<Value>, StoreError> {
        let (name, col) = match table {
            Table::Organisations => ("organisations", "id"),
            Table::People => ("people", "id"),
            Table::Sectors => ("sectors", "code"),
            Table::Activities => ("activities", "id"),
            Table::Users => ("users", "id"),
            Table::Meetings => ("meetings", "id"),
            Table::ActionItems => ("action_items", "id"),
            Table::Proposals => ("proposals", "id"),
            Table::Bulletins => ("bulletins", "id"),
            Table::Documents => ("documents", "id"),
            Table::Policy => ("policy_items", "id"),
            Table::Expertise => ("expertise", "id"),
            // keyed "sector/code"
            Table::ActivityTypes => ("activity_types", "sector_code || '/' || code"),
        };
        let sql = format!("SELECT * FROM {name} WHERE {col} = $1");
        let q = sqlx::query(&sql);
        let q = match key {
            Key::Int(i) => q.bind(i),
            Key::Text(t) => q.bind(t.to_string()),
        };
        let Some(row) = q.fetch_optional(&mut **tx).await? else {
            return Ok(None);
        };
        let mut v = row_json(&row);
        if let (Table::Organisations, Key::Int(id), Value::Object(m)) = (table, &key, &mut v) {
            for (link, col) in [("org_sectors", "sector_code"), ("org_areas", "area_code")] {
                let codes: Vec<String> = sqlx::query(&format!(
                    "SELECT {col} FROM {link} WHERE org_id = $1 ORDER BY {col}"
                ))
                .bind(*id)
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
                m.insert(link.to_string(), Value::from(codes));
            }
        }
        for (t, link, col, parent) in [
            (
                Table::Meetings,
                "meeting_orgs",
                "org_id, role",
                "meeting_id",
            ),
            (Table::Proposals, "proposal_orgs", "org_id", "proposal_id"),
        ] {
            if let (true, Key::Int(id), Value::Object(m)) = (
                std::mem::discriminant(&t) == std::mem::discriminant(&table),
                &key,
                &mut v,
            ) {
                let rows = sqlx::query(&format!(
                    "SELECT {col} FROM {link} WHERE {parent} = $1 ORDER BY org_id"
                ))
                .bind(*id)
                .fetch_all(&mut **tx)
                .await?;
                m.insert(
                    link.to_string(),
                    Value::Array(rows.iter().map(row_json).collect()),
                );
            }
        }
        if let (Table::Policy, Key::Int(id), Value::Object(m)) = (table, &key, &mut v) {
            for (link, col) in [
                ("policy_areas", "area_code"),
                ("policy_documents", "document_id"),
            ] {
                let rows = sqlx::query(&format!(
                    "SELECT {col} FROM {link} WHERE policy_id = $1 ORDER BY {col}"
                ))
                .bind(*id)
                .fetch_all(&mut **tx)
                .await?;
                m.insert(
                    link.to_string(),
                    Value::Array(rows.iter().map(row_json).collect()),
                );
            }
        }
        if let (Table::Documents, Key::Int(id), Value::Object(m)) = (table, &key, &mut v) {
            let tags: Vec<String> = sqlx::query(
                "SELECT tag FROM document_tags WHERE document_id = $1 ORDER BY tag_key",
            )
            .bind(*id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
            m.insert("tags".into(), Value::from(tags));
        }
        if let (Table::People, Key::Int(id), Value::Object(m)) = (table, &key, &mut v) {
            let rows = sqlx::query(
                "SELECT org_id, title_ar, title_en, title_tr, from_date, to_date FROM affiliations WHERE person_id = $1 ORDER BY org_id, id",
            )
            .bind(*id)
            .fetch_all(&mut **tx)
            .await?;
            m.insert(
                "affiliations".into(),
                Value::Array(rows.iter().map(row_json).collect()),
            );
        }
        Ok(Some(v))
    }

    /// Append an entry to the trail, inside the caller's transaction.
    pub(crate) async fn audit(
        &self,
        tx: &mut Transaction<'static, Any>,
        action: &str,
        entity: &str,
        entity_id: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), StoreError> {
        if before.is_some() && before == after {
            return Ok(()); // nothing changed: nothing to record
        }
        let who = self.who();
        if self.backend == Backend::Postgres {
            // one writer of the chain at a time; released at commit or rollback
            sqlx::query("SELECT pg_advisory_xact_lock(726382)")
                .execute(&mut **tx)
                .await?;
        }
        let last = sqlx::query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
        let (last_id, prev_hash) = match last {
            Some(r) => (r.try_get::<i64, _>("id")?, r.try_get::<String, _>("hash")?),
            None => (0, GENESIS.to_string()),
        };
        let mut e = AuditEntry {
            id: last_id + 1,
            at: now(),
            user_id: who.user.map(|u| u.0),
            user_email: who.email.clone(),
            org_id: who.org.map(|o| o.0),
            via: who.via.clone(),
            action: action.to_string(),
            entity: entity.to_string(),
            entity_id: entity_id.to_string(),
            before: before.map(|v| v.to_string()),
            after: after.map(|v| v.to_string()),
            prev_hash,
            hash: String::new(),
        };
        e.hash = e.expected_hash();
        sqlx::query(
            "INSERT INTO audit_log (id, at, user_id, user_email, org_id, via, action, entity, entity_id, before_json, after_json, prev_hash, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(e.id)
        .bind(e.at)
        .bind(e.user_id)
        .bind(e.user_email)
        .bind(e.org_id)
        .bind(e.via)
        .bind(e.action)
        .bind(e.entity)
        .bind(e.entity_id)
        .bind(e.before)
        .bind(e.after)
        .bind(e.prev_hash)
        .bind(e.hash)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Record an event that changes no table of its own (a sign-in, an export), in a
    /// transaction of its own.
    pub async fn audit_event(
        &self,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: Option<Value>,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        self.audit(&mut tx, action, entity, entity_id, None, detail)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Entries matching `f`, newest first.
    pub async fn audit_entries(&self, f: &AuditFilter) -> Result<Page<AuditEntry>, StoreError> {
        let mut w = Sql::new(" WHERE 1 = 1");
        if let Some(u) = f.user.as_deref().filter(|u| !u.trim().is_empty()) {
            w.push(" AND LOWER(user_email) LIKE ")
                .bind(format!("%{}%", u.trim().to_lowercase()));
        }
        if let Some(o) = f.org {
            w.push(" AND org_id = ").bind(o.0);
        }
        if let Some(e) = f.entity.as_deref().filter(|e| !e.is_empty()) {
            w.push(" AND entity = ").bind(e.to_string());
        }
        if let Some(e) = f.entity_id.as_deref().filter(|e| !e.is_empty()) {
            w.push(" AND entity_id = ").bind(e.to_string());
        }
        if let Some(t) = f.from {
            w.push(" AND at >= ").bind(t);
        }
        if let Some(t) = f.to {
            w.push(" AND at < ").bind(t);
        }
        let per_page = f.per_page.clamp(1, 100_000);
        let page = f.page.clamp(1, crate::util::MAX_PAGE);
        let count = Sql::new("SELECT COUNT(*) AS n FROM audit_log").append(&w);
        let total: i64 = count.query().fetch_one(self.reader()).await?.try_get("n")?;
        let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM audit_log")).append(&w);
        q.push(" ORDER BY id DESC LIMIT ")
            .bind(per_page)
            .push(" OFFSET ")
            .bind((page - 1) * per_page);
        let items = q
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(entry_from_row)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page,
        })
    }

    /// Walk the whole chain, oldest first, and stop at the first entry that does not
    /// check out.
    pub async fn verify_audit(&self) -> Result<AuditCheck, StoreError> {
        let mut prev_id = 0i64;
        let mut prev_hash = GENESIS.to_string();
        let mut checked = 0i64;
        loop {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000"
            ))
            .bind(prev_id)
            .fetch_all(self.reader())
            .await?;
            if rows.is_empty() {
                return Ok(AuditCheck {
                    checked,
                    last_hash: prev_hash,
                    problem: None,
                });
            }
            for r in &rows {
                let e = entry_from_row(r)?;
                let problem = if e.id != prev_id + 1 {
                    Some(AuditProblem::Missing {
                        after: prev_id,
                        next: e.id,
                    })
                } else if e.hash != e.expected_hash() {
                    Some(AuditProblem::Altered { id: e.id })
                } else if e.prev_hash != prev_hash {
                    Some(AuditProblem::BrokenLink { id: e.id })
                } else {
                    None
                };
                if problem.is_some() {
                    return Ok(AuditCheck {
                        checked,
                        last_hash: prev_hash,
                        problem,
                    });
                }
                checked += 1;
                prev_id = e.id;
                prev_hash = e.hash;
            }
        }
    }
}

impl Table {
    /// The entity name entries use for rows of this table.
    pub(crate) fn entity(self) -> &'static str {
        match self {
            Table::Organisations => "organisation",
            Table::People => "person",
            Table::Sectors => "sector",
            Table::Activities => "activity",
            Table::Users => "user",
            Table::Meetings => "meeting",
            Table::ActionItems => "action_item",
            Table::Proposals => "proposal",
            Table::Bulletins => "bulletin",
            Table::Documents => "document",
            Table::Policy => "policy",
            Table::Expertise => "expertise",
            Table::ActivityTypes => "activity_type",
        }
    }
}

impl Store {
    /// Record a change to one row: `before` as the caller read it at the start of the
    /// transaction, the row as it is now as `after`.
    pub(crate) async fn audit_row(
        &self,
        tx: &mut Transaction<'static, Any>,
        action: &str,
        table: Table,
        key: Key<'_>,
        before: Option<Value>,
    ) -> Result<(), StoreError> {
        let after = Self::snapshot(tx, table, key.clone()).await?;
        let id = match key {
            Key::Int(i) => i.to_string(),
            Key::Text(t) => t.to_string(),
        };
        self.audit(tx, action, table.entity(), &id, before, after)
            .await
    }
}
