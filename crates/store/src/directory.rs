//! The directory: organisations, people, sectors, areas.

use crate::audit::{Key, Table};
use crate::sql::{like_escape, Sql};
use crate::util::{now, today};
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// One page of a list, as the API answers it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    /// Every item on one page.
    pub fn whole(items: Vec<T>) -> Page<T> {
        let n = items.len() as i64;
        Page {
            items,
            total: n,
            page: 1,
            per_page: n.max(1),
        }
    }
}

/// What an import did, or would do.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    pub created: usize,
    pub updated: usize,
    /// Rows refused, with why (by field).
    pub rejected: Vec<(usize, FieldErrors)>,
    /// What each accepted row does: (row, true when it adds a record, false when it
    /// changes one). Filled by the 4W imports, for the upload's preview.
    pub changes: Vec<(usize, bool)>,
    /// Whether anything was committed.
    pub written: bool,
}

impl ImportOutcome {
    /// Whether an import commits: not on a dry run, and with refused rows only when the
    /// caller asked for the valid rows alone.
    pub(crate) fn should_write(&self, dry_run: bool, valid_rows_only: bool) -> bool {
        !dry_run && (self.rejected.is_empty() || valid_rows_only)
    }

    /// Commit or roll back the import's transaction, and say which. A committed import
    /// is one audit entry for `entity` with its counts (not one per row: a 4W import can
    /// be a million rows; the rows themselves carry their import's time).
    pub(crate) async fn close(
        mut self,
        store: &Store,
        mut tx: Transaction<'static, Any>,
        entity: &str,
        write: bool,
    ) -> Result<ImportOutcome, StoreError> {
        if write {
            let counts = serde_json::json!({
                "created": self.created,
                "updated": self.updated,
                "rejected_rows": self.rejected.len(),
            });
            store
                .audit(&mut tx, "import", entity, "", None, Some(counts))
                .await?;
            tx.commit().await?;
            self.written = true;
        } else {
            tx.rollback().await?;
        }
        Ok(self)
    }
}

/// Filters of the directory.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    /// Matches names in any language and the acronym, Arabic-normalised.
    pub q: Option<String>,
    pub kind: Option<OrgKind>,
    pub status: Option<MembershipStatus>,
    pub sector: Option<String>,
    /// An area code; organisations working in it or in an area below it match.
    pub area: Option<String>,
    pub page: i64,
    pub per_page: i64,
    /// Sort by the names in this language (falling back to the others).
    pub sort: Option<Lang>,
}

impl OrgFilter {
    pub const MAX_PER_PAGE: i64 = 200;
    fn limits(&self) -> (i64, i64) {
        let per = self.per_page.clamp(1, Self::MAX_PER_PAGE);
        let page = self.page.clamp(1, crate::util::MAX_PAGE);
        (page, per)
    }
}

const ORG_COLS: &str =
    "id, acronym, name_ar, name_en, name_tr, kind, membership_status, founding_year, \
    registration_country, registration_number, registration_date, hq_area, website, email, phone, \
    description_ar, description_en, description_tr, logo_mime, version, updated_at";

fn text(r: &AnyRow, c: &str) -> Result<Option<String>, sqlx::Error> {
    r.try_get::<Option<String>, _>(c)
}

fn org_from_row(r: &AnyRow) -> Result<Organisation, StoreError> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("membership_status")?;
    Ok(Organisation {
        id: OrgId(r.try_get("id")?),
        acronym: r.try_get("acronym")?,
        name: I18nText {
            ar: text(r, "name_ar")?,
            en: text(r, "name_en")?,
            tr: text(r, "name_tr")?,
        },
        kind: OrgKind::parse(&kind).map_err(|_| StoreError::Other(format!("bad kind {kind}")))?,
        membership_status: MembershipStatus::parse(&status)
            .map_err(|_| StoreError::Other(format!("bad status {status}")))?,
        founding_year: r.try_get("founding_year")?,
        registration_country: text(r, "registration_country")?,
        registration_number: text(r, "registration_number")?,
        registration_date: text(r, "registration_date")?,
        hq_area: text(r, "hq_area")?,
        website: text(r, "website")?,
        email: text(r, "email")?,
        phone: text(r, "phone")?,
        description: I18nText {
            ar: text(r, "description_ar")?,
            en: text(r, "description_en")?,
            tr: text(r, "description_tr")?,
        },
        sectors: vec![],
        areas: vec![],
        has_logo: text(r, "logo_mime")?.is_some(),
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn i18n(r: &AnyRow, prefix: &str) -> Result<I18nText, sqlx::Error> {
    Ok(I18nText {
        ar: text(r, &format!("{prefix}_ar"))?,
        en: text(r, &format!("{prefix}_en"))?,
        tr: text(r, &format!("{prefix}_tr"))?,
    })
}

/// The name key of a query, for `LIKE` against `search_key`.
fn query_pattern(q: &str) -> Option<String> {
    let key = minbar_text::name_key(q);
    if key.is_empty() {
        None
    } else {
        Some(format!("%{}%", like_escape(&key)))
    }
}

impl Store {
    // ---------------------------------------------------------------- organisations

    /// A page of organisations, sorted by name.
    pub async fn list_orgs(&self, f: &OrgFilter) -> Result<Page<Organisation>, StoreError> {
        let (page, per) = f.limits();
        let mut wh = Sql::new(" WHERE 1=1");
        if let Some(p) = f.q.as_deref().and_then(query_pattern) {
            wh.push(" AND search_key LIKE ")
                .bind(p)
                .push(" ESCAPE '\\'");
        }
        if let Some(k) = f.kind {
            wh.push(" AND kind = ").bind(k.code());
        }
        if let Some(s) = f.status {
            wh.push(" AND membership_status = ").bind(s.code());
        }
        if let Some(s) = &f.sector {
            wh.push(" AND id IN (SELECT org_id FROM org_sectors WHERE sector_code = ")
                .bind(s.as_str())
                .push(")");
        }
        if let Some(a) = &f.area {
            wh.push(" AND (hq_area = ")
                .bind(a.as_str())
                .push(" OR id IN (SELECT org_id FROM org_areas oa JOIN areas ar ON ar.code = oa.area_code WHERE ar.code = ")
                .bind(a.as_str())
                .push(" OR ar.parent_code = ")
                .bind(a.as_str())
                .push("))");
        }
        let count = Sql::new("SELECT COUNT(*) AS n FROM organisations").append(&wh);
        let list = Sql::new(&format!("SELECT {ORG_COLS} FROM organisations")).append(&wh);
        let total: i64 = count.query().fetch_one(self.reader()).await?.try_get("n")?;
        let mut list = list;
        let sort_col = match f.sort.unwrap_or(Lang::Ar) {
            Lang::Ar => "sort_ar",
            Lang::En => "sort_en",
            Lang::Tr => "sort_tr",
        };
        list.push(&format!(" ORDER BY {sort_col}, id LIMIT "))
            .bind(per)
            .push(" OFFSET ")
            .bind((page - 1) * per);
        let rows = list.query().fetch_all(self.reader()).await?;
        let mut items = rows
            .iter()
            .map(org_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        self.attach_codes(&mut items).await?;
        Ok(Page {
            items,
            total,
            page,
            per_page: per,
        })
    }

    async fn attach_codes(&self, orgs: &mut [Organisation]) -> Result<(), StoreError> {
        if orgs.is_empty() {
            return Ok(());
        }
        for (table, col) in [("org_sectors", "sector_code"), ("org_areas", "area_code")] {
            let mut q = Sql::new(&format!(
                "SELECT org_id, {col} AS code FROM {table} WHERE org_id IN ("
            ));
            for (i, o) in orgs.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind(o.id.0);
            }
            q.push(&format!(") ORDER BY {col}"));
            for r in q.query().fetch_all(self.reader()).await? {
                let id: i64 = r.try_get("org_id")?;
                let code: String = r.try_get("code")?;
                if let Some(o) = orgs.iter_mut().find(|o| o.id.0 == id) {
                    if col == "sector_code" {
                        o.sectors.push(code);
                    } else {
                        o.areas.push(code);
                    }
                }
            }
        }
        Ok(())
    }

    pub async fn get_org(&self, id: OrgId) -> Result<Organisation, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ORG_COLS} FROM organisations WHERE id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut o = [org_from_row(&row)?];
        self.attach_codes(&mut o).await?;
        let [o] = o;
        Ok(o)
    }

    pub async fn find_org_by_acronym(
        &self,
        acronym: &str,
    ) -> Result<Option<Organisation>, StoreError> {
        let Ok(a) = Acronym::parse(acronym) else {
            return Ok(None);
        };
        let id: Option<i64> = sqlx::query("SELECT id FROM organisations WHERE acronym_key = $1")
            .bind(a.key())
            .fetch_optional(self.reader())
            .await?
            .map(|r| r.try_get("id"))
            .transpose()?;
        match id {
            Some(id) => Ok(Some(self.get_org(OrgId(id)).await?)),
            None => Ok(None),
        }
    }

    /// Check what only the database knows: the acronym is free, the codes exist.
    async fn check_org_refs(
        tx: &mut Transaction<'static, Any>,
        d: &OrgDraft,
        exclude: Option<OrgId>,
    ) -> Result<(), StoreError> {
        let mut errors = FieldErrors::default();
        let taken: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM organisations WHERE acronym_key = $1 AND id <> $2",
        )
        .bind(d.acronym.key())
        .bind(exclude.map(|i| i.0).unwrap_or(-1))
        .fetch_one(&mut **tx)
        .await?
        .try_get("n")?;
        if taken > 0 {
            errors.push("acronym", "acronym_taken");
        }
        let mut area_codes: Vec<(&str, &AreaCode)> = d.areas.iter().map(|a| ("areas", a)).collect();
        if let Some(h) = &d.hq_area {
            area_codes.push(("hq_area", h));
        }
        if let Some(c) = &d.registration_country {
            area_codes.push(("registration_country", c));
        }
        for (field, code) in area_codes {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM areas WHERE code = $1")
                .bind(code.as_str())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 && errors.get(field).is_none() {
                errors.push(field, "area_unknown");
            }
        }
        for s in &d.sectors {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sectors WHERE code = $1")
                .bind(s.as_str())
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 && errors.get("sectors").is_none() {
                errors.push("sectors", "sector_unknown");
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }

    async fn write_org_links(
        tx: &mut Transaction<'static, Any>,
        id: OrgId,
        d: &OrgDraft,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM org_sectors WHERE org_id = $1")
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        sqlx::query("DELETE FROM org_areas WHERE org_id = $1")
            .bind(id.0)
            .execute(&mut **tx)
            .await?;
        for s in &d.sectors {
            sqlx::query("INSERT INTO org_sectors (org_id, sector_code) VALUES ($1, $2)")
                .bind(id.0)
                .bind(s.as_str())
                .execute(&mut **tx)
                .await?;
        }
        for a in &d.areas {
            sqlx::query("INSERT INTO org_areas (org_id, area_code) VALUES ($1, $2)")
                .bind(id.0)
                .bind(a.as_str())
                .execute(&mut **tx)
                .await?;
        }
        Ok(())
    }

    fn org_values(q: &mut Sql, d: &OrgDraft) {
        let s = |v: Option<&str>| v.map(str::to_string);
        q.bind(d.acronym.as_str())
            .push(", ")
            .bind(d.acronym.key())
            .push(", ")
            .bind(d.name.ar.clone())
            .push(", ")
            .bind(d.name.en.clone())
            .push(", ")
            .bind(d.name.tr.clone())
            .push(", ")
            .bind(d.kind.code())
            .push(", ")
            .bind(d.membership_status.code())
            .push(", ")
            .bind(d.founding_year)
            .push(", ")
            .bind(s(d.registration_country.as_ref().map(AreaCode::as_str)))
            .push(", ")
            .bind(s(d.registration_number.as_ref().map(Name::as_str)))
            .push(", ")
            .bind(s(d.registration_date.as_ref().map(Date::as_str)))
            .push(", ")
            .bind(s(d.hq_area.as_ref().map(AreaCode::as_str)))
            .push(", ")
            .bind(s(d.website.as_ref().map(WebUrl::as_str)))
            .push(", ")
            .bind(s(d.email.as_ref().map(Email::as_str)))
            .push(", ")
            .bind(s(d.phone.as_ref().map(Phone::as_str)))
            .push(", ")
            .bind(d.description.ar.clone())
            .push(", ")
            .bind(d.description.en.clone())
            .push(", ")
            .bind(d.description.tr.clone())
            .push(", ")
            .bind(d.search_key())
            .push(", ")
            .bind(sort_name(&d.name, Lang::Ar))
            .push(", ")
            .bind(sort_name(&d.name, Lang::En))
            .push(", ")
            .bind(sort_name(&d.name, Lang::Tr));
    }

    /// Create an organisation; its first membership status is recorded as of today.
    pub async fn create_org(&self, d: &OrgDraft) -> Result<OrgId, StoreError> {
        let mut tx = self.writer().begin().await?;
        let id = Self::create_org_in(&mut tx, d).await?;
        self.audit_row(
            &mut tx,
            "create",
            Table::Organisations,
            Key::Int(id.0),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn create_org_in(
        tx: &mut Transaction<'static, Any>,
        d: &OrgDraft,
    ) -> Result<OrgId, StoreError> {
        Self::check_org_refs(tx, d, None).await?;
        let t = now();
        let mut q = Sql::new(
            "INSERT INTO organisations (acronym, acronym_key, name_ar, name_en, name_tr, kind, membership_status, \
             founding_year, registration_country, registration_number, registration_date, hq_area, website, email, phone, \
             description_ar, description_en, description_tr, search_key, sort_ar, sort_en, sort_tr, version, created_at, updated_at) VALUES (",
        );
        Self::org_values(&mut q, d);
        q.push(", 1, ")
            .bind(t)
            .push(", ")
            .bind(t)
            .push(") RETURNING id");
        let id = OrgId(
            q.query()
                .fetch_one(&mut **tx)
                .await
                .map_err(unique_to_acronym)?
                .try_get("id")?,
        );
        Self::write_org_links(tx, id, d).await?;
        Self::record_membership(tx, id, d.membership_status).await?;
        crate::outbox::record(tx, "organisation", &id.to_string()).await?;
        Ok(id)
    }

    async fn record_membership(
        tx: &mut Transaction<'static, Any>,
        id: OrgId,
        status: MembershipStatus,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO org_membership (org_id, status, since, recorded_at) VALUES ($1, $2, $3, $4)")
            .bind(id.0)
            .bind(status.code())
            .bind(today())
            .bind(now())
            .execute(&mut **tx)
            .await?;
        Ok(())
    }

    /// Replace an organisation's fields, if nobody changed it since `version` was read.
    pub async fn update_org(
        &self,
        id: OrgId,
        version: i64,
        d: &OrgDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Organisations, Key::Int(id.0)).await?;
        let v = Self::update_org_in(&mut tx, id, Some(version), d).await?;
        self.audit_row(
            &mut tx,
            "update",
            Table::Organisations,
            Key::Int(id.0),
            before,
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Update inside a transaction; with `version` None, whatever the current version is
    /// (imports, which match by acronym).
    pub(crate) async fn update_org_in(
        tx: &mut Transaction<'static, Any>,
        id: OrgId,
        version: Option<i64>,
        d: &OrgDraft,
    ) -> Result<i64, StoreError> {
        let row = sqlx::query("SELECT version, membership_status FROM organisations WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let current: i64 = row.try_get("version")?;
        let old_status: String = row.try_get("membership_status")?;
        let version = version.unwrap_or(current);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        Self::check_org_refs(tx, d, Some(id)).await?;
        let mut q = Sql::new(
            "UPDATE organisations SET (acronym, acronym_key, name_ar, name_en, name_tr, kind, membership_status, \
             founding_year, registration_country, registration_number, registration_date, hq_area, website, email, phone, \
             description_ar, description_en, description_tr, search_key, sort_ar, sort_en, sort_tr) = (",
        );
        Self::org_values(&mut q, d);
        q.push("), version = version + 1, updated_at = ")
            .bind(now())
            .push(" WHERE id = ")
            .bind(id.0)
            .push(" AND version = ")
            .bind(version);
        let done = q
            .query()
            .execute(&mut **tx)
            .await
            .map_err(unique_to_acronym)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { current });
        }
        Self::write_org_links(tx, id, d).await?;
        if old_status != d.membership_status.code() {
            Self::record_membership(tx, id, d.membership_status).await?;
        }
        crate::outbox::record(tx, "organisation", &id.to_string()).await?;
        Ok(version + 1)
    }

    /// Import organisations in one transaction: rows whose acronym exists update that
    /// organisation, the others are created. Every row with a problem is reported with
    /// its field errors. Unless `valid_rows_only`, one bad row means nothing is written;
    /// with `dry_run`, nothing is written either way.
    pub async fn import_orgs(
        &self,
        rows: &[(usize, OrgDraft)],
        dry_run: bool,
        valid_rows_only: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.writer().begin().await?;
        let mut out = ImportOutcome::default();
        let mut seen = std::collections::HashMap::new();
        for (row, d) in rows {
            let key = d.acronym.key();
            if let Some(first) = seen.insert(key.clone(), *row) {
                let mut e = FieldErrors::default();
                e.push("acronym", "acronym_repeated_in_file");
                out.rejected.push((*row, e));
                seen.insert(key, first);
                continue;
            }
            let existing: Option<i64> =
                sqlx::query("SELECT id FROM organisations WHERE acronym_key = $1")
                    .bind(key)
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get("id"))
                    .transpose()?;
            let result = match existing {
                Some(id) => Self::update_org_in(&mut tx, OrgId(id), None, d)
                    .await
                    .map(|_| false),
                None => Self::create_org_in(&mut tx, d).await.map(|_| true),
            };
            match result {
                Ok(true) => out.created += 1,
                Ok(false) => out.updated += 1,
                Err(StoreError::Invalid(e)) => out.rejected.push((*row, e)),
                Err(e) => return Err(e),
            }
        }
        let write = out.should_write(dry_run, valid_rows_only);
        out.close(self, tx, "organisations", write).await
    }

    pub async fn delete_org(&self, id: OrgId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let current: i64 = sqlx::query("SELECT version FROM organisations WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("version")?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let before = Self::snapshot(&mut tx, Table::Organisations, Key::Int(id.0)).await?;
        // its activities go with it: the months they were in are counted again
        let periods: Vec<String> =
            sqlx::query("SELECT DISTINCT period FROM activities WHERE org_id = $1")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("period"))
                .collect::<Result<_, _>>()?;
        sqlx::query("DELETE FROM organisations WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        for p in &periods {
            Self::refresh_cells(&mut tx, p, None).await?;
        }
        crate::outbox::record(&mut tx, "organisation", &id.to_string()).await?;
        self.audit_row(
            &mut tx,
            "delete",
            Table::Organisations,
            Key::Int(id.0),
            before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn membership_history(&self, id: OrgId) -> Result<Vec<MembershipEvent>, StoreError> {
        let rows = sqlx::query(
            "SELECT status, since FROM org_membership WHERE org_id = $1 ORDER BY since, id",
        )
        .bind(id.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let s: String = r.try_get("status")?;
                Ok(MembershipEvent {
                    status: MembershipStatus::parse(&s).unwrap_or(MembershipStatus::NotApplicable),
                    since: r.try_get("since")?,
                })
            })
            .collect()
    }

    /// Store a logo whose bytes were already checked by [`ImageKind::sniff`].
    pub async fn set_logo(
        &self,
        id: OrgId,
        bytes: Vec<u8>,
        kind: ImageKind,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Organisations, Key::Int(id.0)).await?;
        let size = bytes.len();
        let done = sqlx::query("UPDATE organisations SET logo = $1, logo_mime = $2, version = version + 1 WHERE id = $3")
            .bind(bytes)
            .bind(kind.mime())
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let mut after = Self::snapshot(&mut tx, Table::Organisations, Key::Int(id.0)).await?;
        if let Some(serde_json::Value::Object(m)) = &mut after {
            m.insert("logo_bytes".into(), size.into());
        }
        self.audit(
            &mut tx,
            "update",
            "organisation",
            &id.to_string(),
            before,
            after,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_logo(&self, id: OrgId) -> Result<(Vec<u8>, String), StoreError> {
        let r = sqlx::query(
            "SELECT logo, logo_mime FROM organisations WHERE id = $1 AND logo_mime IS NOT NULL",
        )
        .bind(id.0)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok((r.try_get("logo")?, r.try_get("logo_mime")?))
    }

    /// How many member organisations work in each first-level area (for the map).
    pub async fn members_per_area(&self) -> Result<Vec<(String, i64)>, StoreError> {
        let rows = sqlx::query(
            "SELECT CASE a.level WHEN 1 THEN a.code WHEN 2 THEN a.parent_code ELSE p.parent_code END AS code,
                    COUNT(DISTINCT o.id) AS n
             FROM organisations o
             JOIN org_areas oa ON oa.org_id = o.id
             JOIN areas a ON a.code = oa.area_code
             LEFT JOIN areas p ON p.code = a.parent_code
             WHERE o.kind = 'member' AND a.level >= 1
             GROUP BY CASE a.level WHEN 1 THEN a.code WHEN 2 THEN a.parent_code ELSE p.parent_code END",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("n")?)))
            .collect()
    }

    // ---------------------------------------------------------------- sectors and areas

    pub async fn list_sectors(&self) -> Result<Vec<Sector>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, name_ar, name_en, name_tr, custom FROM sectors ORDER BY sort, code",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Sector {
                    code: r.try_get("code")?,
                    name: i18n(r, "name")?,
                    custom: r.try_get::<i64, _>("custom")? != 0,
                })
            })
            .collect()
    }

    pub async fn create_sector(
        &self,
        code: &SectorCode,
        name: &I18nText,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let exists: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sectors WHERE code = $1")
            .bind(code.as_str())
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if exists > 0 {
            return Err(StoreError::invalid("code", "sector_code_taken"));
        }
        sqlx::query("INSERT INTO sectors (code, name_ar, name_en, name_tr, custom, sort) VALUES ($1, $2, $3, $4, 1, 1000)")
            .bind(code.as_str())
            .bind(name.ar.clone())
            .bind(name.en.clone())
            .bind(name.tr.clone())
            .execute(&mut *tx)
            .await?;
        crate::outbox::record(&mut tx, "sector", code.as_str()).await?;
        self.audit_row(
            &mut tx,
            "create",
            Table::Sectors,
            Key::Text(code.as_str()),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Areas, optionally of one level or under one parent, optionally matching a name.
    pub async fn list_areas(
        &self,
        level: Option<i64>,
        parent: Option<&str>,
        q: Option<&str>,
    ) -> Result<Vec<Area>, StoreError> {
        let mut s = Sql::new(
            "SELECT code, level, parent_code, name_ar, name_en, name_tr FROM areas WHERE 1=1",
        );
        if let Some(l) = level {
            s.push(" AND level = ").bind(l);
        }
        if let Some(p) = parent {
            s.push(" AND parent_code = ").bind(p);
        }
        if let Some(p) = q.and_then(query_pattern) {
            s.push(" AND search_key LIKE ").bind(p).push(" ESCAPE '\\'");
        }
        s.push(" ORDER BY level, code");
        let rows = s.query().fetch_all(self.reader()).await?;
        rows.iter().map(area_from_row).collect()
    }

    /// An area by its code or by another code recorded for it (a p-code for an ISO area).
    pub async fn get_area(&self, code: &str) -> Result<Area, StoreError> {
        let code = code.trim().to_ascii_uppercase();
        let r = sqlx::query(
            "SELECT code, level, parent_code, name_ar, name_en, name_tr FROM areas
             WHERE code = $1 OR code = (SELECT area_code FROM area_aliases WHERE alias = $1)",
        )
        .bind(code)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        area_from_row(&r)
    }

    /// Every alias: (alias, area code).
    pub async fn area_aliases(&self) -> Result<Vec<(String, String)>, StoreError> {
        let rows = sqlx::query("SELECT alias, area_code FROM area_aliases ORDER BY alias")
            .fetch_all(self.reader())
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("alias")?, r.try_get("area_code")?)))
            .collect()
    }

    /// Add areas (levels 2 and 3, say, from an OCHA p-code table) and aliases for existing
    /// ones, in one transaction. Areas are written parents first; an area whose code exists
    /// gets the new names. A parent must exist or come in the same import.
    pub async fn import_areas(
        &self,
        rows: &[(usize, AreaDraft)],
        aliases: &[(String, String)],
        dry_run: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.writer().begin().await?;
        let mut out = ImportOutcome::default();
        for (alias, code) in aliases {
            if alias == code {
                continue;
            }
            sqlx::query("DELETE FROM area_aliases WHERE alias = $1")
                .bind(alias.as_str())
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO area_aliases (alias, area_code) VALUES ($1, $2)")
                .bind(alias.as_str())
                .bind(code.as_str())
                .execute(&mut *tx)
                .await?;
        }
        let mut ordered: Vec<&(usize, AreaDraft)> = rows.iter().collect();
        ordered.sort_by_key(|(row, d)| (d.level, *row));
        for (row, d) in ordered {
            if let Some(p) = &d.parent {
                let n: i64 =
                    sqlx::query("SELECT COUNT(*) AS n FROM areas WHERE code = $1 AND level = $2")
                        .bind(p.as_str())
                        .bind(d.level - 1)
                        .fetch_one(&mut *tx)
                        .await?
                        .try_get("n")?;
                if n == 0 {
                    let mut e = FieldErrors::default();
                    e.push("parent", "area_parent_unknown");
                    out.rejected.push((*row, e));
                    continue;
                }
            }
            let key = format!(
                " {} {} {} {} ",
                d.code.as_str().to_ascii_lowercase(),
                minbar_text::name_key(d.name.ar.as_deref().unwrap_or("")),
                minbar_text::name_key(d.name.en.as_deref().unwrap_or("")),
                minbar_text::name_key(d.name.tr.as_deref().unwrap_or(""))
            );
            let existed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM areas WHERE code = $1")
                .bind(d.code.as_str())
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            sqlx::query(
                "INSERT INTO areas (code, level, parent_code, name_ar, name_en, name_tr, search_key) VALUES ($1, $2, $3, $4, $5, $6, $7)
                 ON CONFLICT (code) DO UPDATE SET name_ar = $4, name_en = $5, name_tr = $6, search_key = $7, version = areas.version + 1",
            )
            .bind(d.code.as_str())
            .bind(d.level)
            .bind(d.parent.as_ref().map(|p| p.as_str().to_string()))
            .bind(d.name.ar.clone())
            .bind(d.name.en.clone())
            .bind(d.name.tr.clone())
            .bind(key)
            .execute(&mut *tx)
            .await?;
            crate::outbox::record(&mut tx, "area", d.code.as_str()).await?;
            if existed > 0 {
                out.updated += 1;
            } else {
                out.created += 1;
            }
        }
        let write = out.should_write(dry_run, false);
        out.close(self, tx, "areas", write).await
    }

    /// First-level areas with their boundaries (GeoJSON geometry text), for maps.
    pub async fn area_shapes(
        &self,
        country: Option<&str>,
    ) -> Result<Vec<(String, String)>, StoreError> {
        let mut s =
            Sql::new("SELECT code, boundary FROM areas WHERE level = 1 AND boundary IS NOT NULL");
        if let Some(c) = country {
            s.push(" AND parent_code = ").bind(c);
        }
        s.push(" ORDER BY code");
        let rows = s.query().fetch_all(self.reader()).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("code")?, r.try_get("boundary")?)))
            .collect()
    }

    // ---------------------------------------------------------------- people

    pub async fn create_person(&self, d: &PersonDraft) -> Result<PersonId, StoreError> {
        let mut tx = self.writer().begin().await?;
        let id = Self::create_person_in(&mut tx, d).await?;
        self.audit_row(&mut tx, "create", Table::People, Key::Int(id.0), None)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub(crate) async fn create_person_in(
        tx: &mut Transaction<'static, Any>,
        d: &PersonDraft,
    ) -> Result<PersonId, StoreError> {
        Self::check_affiliation_org(tx, d).await?;
        let t = now();
        let id: i64 = sqlx::query(
            "INSERT INTO people (name_ar, name_en, email, email_visibility, phone, phone_visibility, committees, search_key, version, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) RETURNING id",
        )
        .bind(d.name.ar.clone())
        .bind(d.name.en.clone())
        .bind(d.email.as_ref().map(|e| e.as_str().to_string()))
        .bind(d.email_visibility.code())
        .bind(d.phone.as_ref().map(|e| e.as_str().to_string()))
        .bind(d.phone_visibility.code())
        .bind(d.committees.join("\n"))
        .bind(d.search_key())
        .bind(t)
        .bind(t)
        .fetch_one(&mut **tx)
        .await?
        .try_get("id")?;
        if let Some(a) = &d.affiliation {
            Self::upsert_affiliation_in(tx, id, a).await?;
        }
        crate::outbox::record(tx, "person", &id.to_string()).await?;
        Ok(PersonId(id))
    }

    /// Refuse, before anything is written, an affiliation with an organisation that does
    /// not exist.
    async fn check_affiliation_org(
        tx: &mut Transaction<'static, Any>,
        d: &PersonDraft,
    ) -> Result<(), StoreError> {
        if let Some(a) = &d.affiliation {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM organisations WHERE id = $1")
                .bind(a.org_id.0)
                .fetch_one(&mut **tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                return Err(StoreError::invalid("org_id", "org_unknown"));
            }
        }
        // a contact shown to a group that does not exist would be shown to no one
        for (field, v) in [
            ("email_visibility", d.email_visibility),
            ("phone_visibility", d.phone_visibility),
        ] {
            if let Visibility::Group(g) = v {
                let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM account_groups WHERE id = $1")
                    .bind(g.0)
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get("n")?;
                if n == 0 {
                    return Err(StoreError::invalid(field, "group_unknown"));
                }
            }
        }
        Ok(())
    }

    /// Add the person's affiliation with an organisation, or update its title and dates.
    async fn upsert_affiliation_in(
        tx: &mut Transaction<'static, Any>,
        person: i64,
        a: &AffiliationDraft,
    ) -> Result<(), StoreError> {
        let exists: i64 = sqlx::query("SELECT COUNT(*) AS n FROM organisations WHERE id = $1")
            .bind(a.org_id.0)
            .fetch_one(&mut **tx)
            .await?
            .try_get("n")?;
        if exists == 0 {
            return Err(StoreError::invalid("org_id", "org_unknown"));
        }
        let from = a.from.as_ref().map(|d| d.as_str().to_string());
        let to = a.to.as_ref().map(|d| d.as_str().to_string());
        let updated = sqlx::query(
            "UPDATE affiliations SET title_ar = $1, title_en = $2, title_tr = $3, from_date = $4, to_date = $5
             WHERE person_id = $6 AND org_id = $7",
        )
        .bind(a.title.ar.clone())
        .bind(a.title.en.clone())
        .bind(a.title.tr.clone())
        .bind(from.clone())
        .bind(to.clone())
        .bind(person)
        .bind(a.org_id.0)
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO affiliations (person_id, org_id, title_ar, title_en, title_tr, from_date, to_date) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(person)
            .bind(a.org_id.0)
            .bind(a.title.ar.clone())
            .bind(a.title.en.clone())
            .bind(a.title.tr.clone())
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
        }
        Ok(())
    }

    /// Replace a person's fields (and add or update the affiliation in the draft), if
    /// nobody changed them since `version` was read.
    pub async fn update_person(
        &self,
        id: PersonId,
        version: i64,
        d: &PersonDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::People, Key::Int(id.0)).await?;
        let v = Self::update_person_in(&mut tx, id, Some(version), d).await?;
        self.audit_row(&mut tx, "update", Table::People, Key::Int(id.0), before)
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Update inside a transaction; with `version` None, whatever the current one is.
    pub(crate) async fn update_person_in(
        tx: &mut Transaction<'static, Any>,
        id: PersonId,
        version: Option<i64>,
        d: &PersonDraft,
    ) -> Result<i64, StoreError> {
        Self::check_affiliation_org(tx, d).await?;
        let current: i64 = sqlx::query("SELECT version FROM people WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("version")?;
        let version = version.unwrap_or(current);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let done = sqlx::query(
            "UPDATE people SET name_ar = $1, name_en = $2, email = $3, email_visibility = $4, phone = $5, phone_visibility = $6,
             committees = $7, search_key = $8, version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11",
        )
        .bind(d.name.ar.clone())
        .bind(d.name.en.clone())
        .bind(d.email.as_ref().map(|e| e.as_str().to_string()))
        .bind(d.email_visibility.code())
        .bind(d.phone.as_ref().map(|e| e.as_str().to_string()))
        .bind(d.phone_visibility.code())
        .bind(d.committees.join("\n"))
        .bind(d.search_key())
        .bind(now())
        .bind(id.0)
        .bind(version)
        .execute(&mut **tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict { current });
        }
        if let Some(a) = &d.affiliation {
            Self::upsert_affiliation_in(tx, id.0, a).await?;
        }
        crate::outbox::record(tx, "person", &id.to_string()).await?;
        Ok(version + 1)
    }

    /// Import people in one transaction. A row matches an existing person by e-mail, or
    /// else by name together with the organisation of the row's affiliation; matches are
    /// updated, the others created. Same all-or-nothing rules as [`Store::import_orgs`].
    pub async fn import_people(
        &self,
        rows: &[(usize, PersonDraft)],
        dry_run: bool,
        valid_rows_only: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let mut tx = self.writer().begin().await?;
        let mut out = ImportOutcome::default();
        for (row, d) in rows {
            let by_email = match &d.email {
                Some(e) => sqlx::query("SELECT id FROM people WHERE LOWER(email) = $1")
                    .bind(e.key())
                    .fetch_optional(&mut *tx)
                    .await?
                    .map(|r| r.try_get::<i64, _>("id"))
                    .transpose()?,
                None => None,
            };
            let existing = match (by_email, &d.affiliation) {
                (Some(id), _) => Some(id),
                (None, Some(a)) => sqlx::query(
                    "SELECT p.id FROM people p JOIN affiliations f ON f.person_id = p.id
                     WHERE p.search_key = $1 AND f.org_id = $2",
                )
                .bind(d.search_key())
                .bind(a.org_id.0)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get::<i64, _>("id"))
                .transpose()?,
                (None, None) => None,
            };
            let result = match existing {
                Some(id) => Self::update_person_in(&mut tx, PersonId(id), None, d)
                    .await
                    .map(|_| false),
                None => Self::create_person_in(&mut tx, d).await.map(|_| true),
            };
            match result {
                Ok(true) => out.created += 1,
                Ok(false) => out.updated += 1,
                Err(StoreError::Invalid(e)) => out.rejected.push((*row, e)),
                Err(e) => return Err(e),
            }
        }
        let write = out.should_write(dry_run, valid_rows_only);
        out.close(self, tx, "people", write).await
    }

    pub async fn delete_person(&self, id: PersonId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let current: i64 = sqlx::query("SELECT version FROM people WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("version")?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let before = Self::snapshot(&mut tx, Table::People, Key::Int(id.0)).await?;
        sqlx::query("DELETE FROM people WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        crate::outbox::record(&mut tx, "person", &id.to_string()).await?;
        self.audit_row(&mut tx, "delete", Table::People, Key::Int(id.0), before)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// End a person's affiliation with an organisation (the row goes; history of who
    /// did it comes with the audit trail).
    pub async fn remove_affiliation(&self, person: PersonId, org: OrgId) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::People, Key::Int(person.0)).await?;
        let done = sqlx::query("DELETE FROM affiliations WHERE person_id = $1 AND org_id = $2")
            .bind(person.0)
            .bind(org.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        crate::outbox::record(&mut tx, "person", &person.to_string()).await?;
        self.audit_row(&mut tx, "update", Table::People, Key::Int(person.0), before)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_person(&self, id: PersonId) -> Result<Person, StoreError> {
        let r = sqlx::query(
            "SELECT id, name_ar, name_en, email, email_visibility, phone, phone_visibility, committees, version FROM people WHERE id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        let mut p = person_from_row(&r)?;
        p.affiliations = self.affiliations("person_id", id.0).await?;
        Ok(p)
    }

    async fn affiliations(&self, col: &str, id: i64) -> Result<Vec<Affiliation>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT a.person_id, a.org_id, o.acronym, a.title_ar, a.title_en, a.title_tr, a.from_date, a.to_date
             FROM affiliations a JOIN organisations o ON o.id = a.org_id WHERE a.{col} = $1 ORDER BY a.id"
        ))
        .bind(id)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Affiliation {
                    org_id: OrgId(r.try_get("org_id")?),
                    org_acronym: r.try_get("acronym")?,
                    title: i18n(r, "title")?,
                    from: text(r, "from_date")?,
                    to: text(r, "to_date")?,
                })
            })
            .collect()
    }

    /// People affiliated with an organisation, with their title there.
    pub async fn people_of_org(&self, org: OrgId) -> Result<Vec<(Person, I18nText)>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.name_ar, p.name_en, p.email, p.email_visibility, p.phone, p.phone_visibility, p.committees, p.version,
                    a.title_ar, a.title_en, a.title_tr
             FROM people p JOIN affiliations a ON a.person_id = p.id WHERE a.org_id = $1 ORDER BY a.id",
        )
        .bind(org.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| Ok((person_from_row(r)?, i18n(r, "title")?)))
            .collect()
    }

    pub async fn list_people(
        &self,
        q: Option<&str>,
        page: i64,
        per_page: i64,
    ) -> Result<Page<Person>, StoreError> {
        let per = per_page.clamp(1, 200);
        let page = page.clamp(1, crate::util::MAX_PAGE);
        let mut wh = Sql::new(" WHERE 1=1");
        if let Some(p) = q.and_then(query_pattern) {
            wh.push(" AND search_key LIKE ")
                .bind(p)
                .push(" ESCAPE '\\'");
        }
        let total: i64 = Sql::new("SELECT COUNT(*) AS n FROM people")
            .append(&wh)
            .query()
            .fetch_one(self.reader())
            .await?
            .try_get("n")?;
        let mut s = Sql::new(
            "SELECT id, name_ar, name_en, email, email_visibility, phone, phone_visibility, committees, version FROM people",
        )
        .append(&wh);
        s.push(" ORDER BY id LIMIT ")
            .bind(per)
            .push(" OFFSET ")
            .bind((page - 1) * per);
        let rows = s.query().fetch_all(self.reader()).await?;
        let mut items = rows
            .iter()
            .map(person_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        for p in &mut items {
            p.affiliations = self.affiliations("person_id", p.id.0).await?;
        }
        Ok(Page {
            items,
            total,
            page,
            per_page: per,
        })
    }
}

fn person_from_row(r: &AnyRow) -> Result<Person, StoreError> {
    let ev: String = r.try_get("email_visibility")?;
    let pv: String = r.try_get("phone_visibility")?;
    let committees: String = r.try_get("committees")?;
    Ok(Person {
        id: PersonId(r.try_get("id")?),
        name: I18nText {
            ar: text(r, "name_ar")?,
            en: text(r, "name_en")?,
            tr: None,
        },
        email: text(r, "email")?,
        email_visibility: Visibility::parse(&ev).unwrap_or(Visibility::Coordinators),
        phone: text(r, "phone")?,
        phone_visibility: Visibility::parse(&pv).unwrap_or(Visibility::Coordinators),
        committees: committees.lines().map(str::to_string).collect(),
        affiliations: vec![],
        version: r.try_get("version")?,
    })
}

fn area_from_row(r: &AnyRow) -> Result<Area, StoreError> {
    Ok(Area {
        code: r.try_get("code")?,
        level: r.try_get("level")?,
        parent: text(r, "parent_code")?,
        name: i18n(r, "name")?,
    })
}

/// The key organisations sort by for readers of `lang`: the name they will see, normalised
/// (so that أ/ا and Ş/S sort together).
fn sort_name(n: &I18nText, lang: Lang) -> String {
    minbar_text::name_key(n.get(lang))
}

fn unique_to_acronym(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => {
            StoreError::invalid("acronym", "acronym_taken")
        }
        _ => StoreError::Db(e),
    }
}

/// What a name in the directory belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameKind {
    Organisation,
    Person,
    Area,
}

impl NameKind {
    pub fn code(self) -> &'static str {
        match self {
            NameKind::Organisation => "organisation",
            NameKind::Person => "person",
            NameKind::Area => "area",
        }
    }
}

impl Store {
    /// Every name the directory knows, for finding them in text: organisations (names in
    /// three languages and acronym), people (Arabic and English names), areas (three
    /// languages). (kind, id, name), one row per name.
    pub async fn directory_names(&self) -> Result<Vec<(NameKind, String, String)>, StoreError> {
        let mut out = Vec::new();
        for r in sqlx::query("SELECT id, acronym, name_ar, name_en, name_tr FROM organisations")
            .fetch_all(self.reader())
            .await?
        {
            let id: i64 = r.try_get("id")?;
            for col in ["acronym", "name_ar", "name_en", "name_tr"] {
                if let Some(n) = r.try_get::<Option<String>, _>(col)? {
                    out.push((NameKind::Organisation, id.to_string(), n));
                }
            }
        }
        for r in sqlx::query("SELECT id, name_ar, name_en FROM people")
            .fetch_all(self.reader())
            .await?
        {
            let id: i64 = r.try_get("id")?;
            for col in ["name_ar", "name_en"] {
                if let Some(n) = r.try_get::<Option<String>, _>(col)? {
                    out.push((NameKind::Person, id.to_string(), n));
                }
            }
        }
        for r in sqlx::query("SELECT code, name_ar, name_en, name_tr FROM areas")
            .fetch_all(self.reader())
            .await?
        {
            let code: String = r.try_get("code")?;
            for col in ["name_ar", "name_en", "name_tr"] {
                if let Some(n) = r.try_get::<Option<String>, _>(col)? {
                    out.push((NameKind::Area, code.clone(), n));
                }
            }
        }
        Ok(out)
    }
}
