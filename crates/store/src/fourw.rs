//! 4W: activities, needs, reporting rounds, and the coverage matrix computed from them.

use crate::audit::{Key, Table};
use crate::directory::{ImportOutcome, Page};
use crate::sql::Sql;
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

/// Rows per multi-row INSERT: 29 values each, well under SQLite's 32,766 and
/// PostgreSQL's 65,535 placeholders.
const INSERT_BATCH: usize = 400;

/// The secondary indexes of `activities` (as migration 0004 makes them). A large import
/// into a table no larger than itself, on SQLite, drops them, inserts, and builds them
/// again in the same transaction: building an index from sorted rows once is several
/// times cheaper than keeping it through a million random inserts. A test checks these
/// are the schema's own definitions.
pub const ACTIVITY_INDEXES: [(&str, &str); 2] = [
    (
        "activities_matrix",
        "CREATE INDEX activities_matrix ON activities(period, adm1_code, sector_code, org_id)",
    ),
    (
        "activities_org",
        "CREATE INDEX activities_org ON activities(org_id, period)",
    ),
];

/// The network's reporting cycle changes (`Store::calendar`).
const CALENDAR_SQL: &str = "SELECT starts, cycle FROM reporting_cycles";

/// How many rows make an import "large" for [`ACTIVITY_INDEXES`].
pub const BULK_ROWS: usize = 50_000;

#[cfg(test)]
mod index_tests {
    use super::*;

    /// A large import (which on SQLite rebuilds the secondary indexes after loading)
    /// leaves the schema as the migrations made it, the matrix equal to a count from
    /// scratch, and a second import of the same rows adds nothing.
    #[tokio::test]
    async fn a_bulk_import_keeps_the_indexes_and_the_matrix() {
        let db = crate::testing::sqlite().await;
        let s = &db.store;
        let input = OrgInput {
            acronym: "AMAL".into(),
            name_ar: "أمل".into(),
            kind: "member".into(),
            membership_status: "applicant".into(),
            ..Default::default()
        };
        let org = s
            .create_org(&OrgDraft::parse(&input).unwrap())
            .await
            .unwrap();
        let areas = ["SY-ID", "SY-HL", "SY-RA", "SY-HM", "SY-LA"];
        let sectors = ["wash", "health", "education", "protection", "shelter"];
        let mut rows = Vec::new();
        for n in 0..BULK_ROWS {
            let input = ActivityInput {
                period: format!("2025-{:02}", 1 + (n / 25) % 12),
                sector: sectors[n % 5].into(),
                area: areas[(n / 5) % 5].into(),
                donor: format!("donor {}", n / 300),
                targeted: [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "100".into(),
                ],
                reached: [
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "40".into(),
                ],
                ..Default::default()
            };
            rows.push((
                n + 2,
                input.parse(org, &ActivityTypes::default()).unwrap().0,
            ));
        }
        let out = s.import_activities(&rows, false, false).await.unwrap();
        assert_eq!(out.created, rows.len());
        let indexes: Vec<String> = sqlx::query(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'activities' AND sql IS NOT NULL ORDER BY name",
        )
        .fetch_all(s.reader())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("sql"))
        .collect();
        let want: Vec<String> = ACTIVITY_INDEXES
            .iter()
            .map(|(_, c)| c.to_string())
            .collect();
        assert_eq!(indexes, want);
        let matrix_equals_a_recount = || async {
            for p in s.periods().await.unwrap() {
                let f = ActivityFilter {
                    period: Some(p),
                    ..Default::default()
                };
                assert_eq!(
                    s.coverage(&f).await.unwrap(),
                    s.coverage_from_scratch(&f).await.unwrap()
                );
            }
        };
        matrix_equals_a_recount().await;
        let again = s.import_activities(&rows, false, false).await.unwrap();
        assert_eq!((again.created, again.updated), (0, rows.len()));
        matrix_equals_a_recount().await;
        // new rows and changed ones in turn: each update waits for the batch of inserts
        // running beside it, and every row of both kinds lands
        let mixed: Vec<(usize, ActivityDraft)> = rows
            .iter()
            .take(4_000)
            .enumerate()
            .map(|(i, (n, d))| {
                let mut d = d.clone();
                if i % 2 == 0 {
                    d.donor = Some(format!("new donor {i}"));
                } else {
                    d.reached.total = Some(41);
                }
                (*n, d)
            })
            .collect();
        let out = s.import_activities(&mixed, false, false).await.unwrap();
        assert_eq!((out.created, out.updated), (2_000, 2_000));
        let count = |sql: &'static str| async move {
            sqlx::query(sql)
                .fetch_one(s.reader())
                .await
                .unwrap()
                .get::<i64, _>("n")
        };
        assert_eq!(
            count("SELECT COUNT(*) AS n FROM activities").await,
            BULK_ROWS as i64 + 2_000
        );
        assert_eq!(
            count("SELECT COUNT(*) AS n FROM activities WHERE r_total = 41").await,
            2_000
        );
        matrix_equals_a_recount().await;
        db.cleanup().await;
    }

    #[test]
    fn the_indexes_a_bulk_import_rebuilds_are_the_schemas_own() {
        for m in [
            include_str!("../migrations/sqlite/0004_fourw.sql"),
            include_str!("../migrations/postgres/0004_fourw.sql"),
        ] {
            for (name, create) in super::ACTIVITY_INDEXES {
                assert!(
                    m.contains(&format!("{create};")),
                    "{name} differs from 0004"
                );
            }
        }
        // and no later migration adds, drops or changes an index of activities
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for backend in ["sqlite", "postgres"] {
            for f in std::fs::read_dir(dir.join(backend)).unwrap() {
                let f = f.unwrap();
                let name = f.file_name().to_string_lossy().to_string();
                let text = std::fs::read_to_string(f.path()).unwrap();
                if !name.starts_with("0004") {
                    assert!(
                        !text.contains("ON activities"),
                        "{backend}/{name} touches an index of activities: update ACTIVITY_INDEXES"
                    );
                }
            }
        }
    }
}

/// Filters of activity lists and of the coverage matrix.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub period: Option<Period>,
    pub org: Option<OrgId>,
    pub sector: Option<String>,
    /// An area code: activities in it, or (for a first-level area) anywhere below it.
    pub area: Option<String>,
    pub status: Option<ActivityStatus>,
    pub page: i64,
    pub per_page: i64,
}

impl ActivityFilter {
    pub const MAX_PER_PAGE: i64 = 500;

    fn where_clause(&self) -> Sql {
        let mut wh = Sql::new(" WHERE 1=1");
        if let Some(p) = self.period {
            wh.push(" AND a.period = ").bind(p.to_string());
        }
        if let Some(o) = self.org {
            wh.push(" AND a.org_id = ").bind(o.0);
        }
        if let Some(s) = &self.sector {
            wh.push(" AND a.sector_code = ").bind(s.as_str());
        }
        if let Some(ar) = &self.area {
            wh.push(" AND (a.area_code = ")
                .bind(ar.as_str())
                .push(" OR a.adm1_code = ")
                .bind(ar.as_str())
                .push(")");
        }
        if let Some(s) = self.status {
            wh.push(" AND a.status = ").bind(s.code());
        }
        wh
    }
}

const ACTIVITY_COLS: &str = "a.id, a.org_id, o.acronym, a.period, a.sector_code, a.activity_type, a.area_code, \
    a.adm1_code, a.partners, a.donor, a.start_date, a.end_date, a.status, a.modality, \
    a.t_women, a.t_men, a.t_girls, a.t_boys, a.t_total, a.r_women, a.r_men, a.r_girls, a.r_boys, a.r_total, \
    a.households, a.notes, a.version, a.updated_at";

fn people_from(r: &AnyRow, p: &str) -> Result<People, sqlx::Error> {
    Ok(People {
        women: r.try_get(format!("{p}_women").as_str())?,
        men: r.try_get(format!("{p}_men").as_str())?,
        girls: r.try_get(format!("{p}_girls").as_str())?,
        boys: r.try_get(format!("{p}_boys").as_str())?,
        total: r.try_get(format!("{p}_total").as_str())?,
    })
}

fn bad_data(what: &str, v: &str) -> StoreError {
    StoreError::Other(format!("stored {what} {v:?} is not valid"))
}

fn activity_from_row(r: &AnyRow) -> Result<Activity, StoreError> {
    let period: String = r.try_get("period")?;
    let status: String = r.try_get("status")?;
    let modality: Option<String> = r.try_get("modality")?;
    Ok(Activity {
        id: ActivityId(r.try_get("id")?),
        org: OrgId(r.try_get("org_id")?),
        org_acronym: r.try_get("acronym")?,
        period: Period::parse(&period).map_err(|_| bad_data("period", &period))?,
        sector: r.try_get("sector_code")?,
        activity_type: r.try_get("activity_type")?,
        area: r.try_get("area_code")?,
        adm1: r.try_get("adm1_code")?,
        partners: r.try_get("partners")?,
        donor: r.try_get("donor")?,
        start: r.try_get("start_date")?,
        end: r.try_get("end_date")?,
        status: ActivityStatus::parse(&status).map_err(|_| bad_data("status", &status))?,
        modality: modality
            .map(|m| Modality::parse(&m).map_err(|_| bad_data("modality", &m)))
            .transpose()?,
        targeted: people_from(r, "t")?,
        reached: people_from(r, "r")?,
        households: r.try_get("households")?,
        notes: r.try_get("notes")?,
        version: r.try_get("version")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn need_from_row(r: &AnyRow) -> Result<Need, StoreError> {
    let period: String = r.try_get("period")?;
    let sev: i64 = r.try_get("severity")?;
    Ok(Need {
        id: NeedId(r.try_get("id")?),
        area: r.try_get("area_code")?,
        adm1: r.try_get("adm1_code")?,
        sector: r.try_get("sector_code")?,
        period: Period::parse(&period).map_err(|_| bad_data("period", &period))?,
        in_need: people_from(r, "n")?,
        severity: Severity::new(sev as u8).ok_or_else(|| bad_data("severity", &sev.to_string()))?,
        source: r.try_get("source")?,
        version: r.try_get("version")?,
    })
}

/// What an import needs to know about the places and sectors it refers to.
pub struct Lookups {
    /// area code → its first-level area
    pub adm1: HashMap<String, String>,
    pub sectors: HashSet<String>,
}

fn push_people(q: &mut Sql, p: &People) {
    for v in [p.women, p.men, p.girls, p.boys, p.total] {
        q.push(", ").bind(v);
    }
}

impl Store {
    /// Every area's first-level area, and the sectors: loaded once per import or form.
    pub async fn lookups(&self) -> Result<Lookups, StoreError> {
        let rows = sqlx::query("SELECT code, level, parent_code FROM areas")
            .fetch_all(self.reader())
            .await?;
        let mut parent: HashMap<String, (i64, Option<String>)> = HashMap::new();
        for r in &rows {
            parent.insert(
                r.try_get("code")?,
                (r.try_get("level")?, r.try_get("parent_code")?),
            );
        }
        let mut adm1 = HashMap::new();
        for code in parent.keys() {
            let mut at = code.clone();
            // walk up to level 1 (or to the top, for countries), at most 6 steps
            for _ in 0..6 {
                match parent.get(&at) {
                    Some((lvl, Some(p))) if *lvl > 1 => at = p.clone(),
                    _ => break,
                }
            }
            adm1.insert(code.clone(), at);
        }
        let sectors = sqlx::query("SELECT code FROM sectors")
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| r.try_get("code"))
            .collect::<Result<_, _>>()?;
        Ok(Lookups { adm1, sectors })
    }

    fn check_refs(l: &Lookups, area: &AreaCode, sector: &SectorCode) -> Result<String, StoreError> {
        let mut e = FieldErrors::default();
        let adm1 = l.adm1.get(area.as_str()).cloned();
        if adm1.is_none() {
            e.push("area", "area_unknown");
        }
        if !l.sectors.contains(sector.as_str()) {
            e.push("sector", "sector_unknown");
        }
        match adm1 {
            Some(a) if e.is_empty() => Ok(a),
            _ => Err(StoreError::Invalid(e)),
        }
    }

    async fn insert_activity_in(
        tx: &mut Transaction<'static, Any>,
        d: &ActivityDraft,
        adm1: &str,
    ) -> Result<ActivityId, StoreError> {
        let t = now();
        let mut q = Sql::new(
            "INSERT INTO activities (org_id, period, sector_code, activity_type, area_code, adm1_code, partners, donor, \
             start_date, end_date, status, modality, t_women, t_men, t_girls, t_boys, t_total, \
             r_women, r_men, r_girls, r_boys, r_total, households, notes, natural_key, key_hash, version, created_at, updated_at) VALUES (",
        );
        q.bind(d.org.0);
        Self::activity_values(&mut q, d, adm1, &d.natural_key());
        q.push(", 1, ")
            .bind(t)
            .push(", ")
            .bind(t)
            .push(") RETURNING id");
        let id: i64 = q.query().fetch_one(&mut **tx).await?.try_get("id")?;
        Ok(ActivityId(id))
    }

    /// Everything after org_id, in the column order of the INSERT and UPDATE.
    fn activity_values(q: &mut Sql, d: &ActivityDraft, adm1: &str, key: &str) {
        q.push(", ").bind(d.period.to_string());
        q.push(", ").bind(d.sector.as_str());
        q.push(", ").bind(d.activity_type.clone());
        q.push(", ").bind(d.area.as_str());
        q.push(", ").bind(adm1);
        q.push(", ").bind(d.partners.clone());
        q.push(", ").bind(d.donor.clone());
        q.push(", ").bind(d.start.as_ref().map(|x| x.as_str()));
        q.push(", ").bind(d.end.as_ref().map(|x| x.as_str()));
        q.push(", ").bind(d.status.code());
        q.push(", ").bind(d.modality.map(|m| m.code()));
        push_people(q, &d.targeted);
        push_people(q, &d.reached);
        q.push(", ").bind(d.households);
        q.push(", ").bind(d.notes.clone());
        q.push(", ").bind(key);
        q.push(", ").bind(key_hash(key));
    }

    async fn update_activity_in(
        tx: &mut Transaction<'static, Any>,
        id: ActivityId,
        version: i64,
        d: &ActivityDraft,
        adm1: &str,
    ) -> Result<i64, StoreError> {
        let mut q = Sql::new(
            "UPDATE activities SET (org_id, period, sector_code, activity_type, area_code, adm1_code, partners, donor, \
             start_date, end_date, status, modality, t_women, t_men, t_girls, t_boys, t_total, \
             r_women, r_men, r_girls, r_boys, r_total, households, notes, natural_key, key_hash) = (",
        );
        q.bind(d.org.0);
        Self::activity_values(&mut q, d, adm1, &d.natural_key());
        q.push("), version = version + 1, updated_at = ")
            .bind(now())
            .push(" WHERE id = ")
            .bind(id.0)
            .push(" AND version = ")
            .bind(version);
        let done = q.query().execute(&mut **tx).await.map_err(duplicate)?;
        if done.rows_affected() == 0 {
            let current: Option<i64> = sqlx::query("SELECT version FROM activities WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| r.try_get("version"))
                .transpose()?;
            return Err(match current {
                Some(current) => StoreError::Conflict { current },
                None => StoreError::NotFound,
            });
        }
        Ok(version + 1)
    }

    /// Record an activity. The same organisation, period, sector, type, area, modality
    /// and donor twice is refused (`activity_duplicate`): edit the first instead.
    pub async fn create_activity(&self, d: &ActivityDraft) -> Result<ActivityId, StoreError> {
        let d = &self.in_cycle(d).await?;
        let l = self.lookups().await?;
        let adm1 = Self::check_refs(&l, &d.area, &d.sector)?;
        let mut tx = self.writer().begin().await?;
        Self::ensure_round_draft(&mut tx, d.org, d.period).await?;
        let id = Self::insert_activity_in(&mut tx, d, &adm1)
            .await
            .map_err(|e| match e {
                StoreError::Db(e) => duplicate(e),
                e => e,
            })?;
        Self::refresh_cells(
            &mut tx,
            &d.period.to_string(),
            Some((&adm1, d.sector.as_str())),
        )
        .await?;
        self.audit_row(&mut tx, "create", Table::Activities, Key::Int(id.0), None)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Replace an activity, if nobody changed it since `version` was read.
    pub async fn update_activity(
        &self,
        id: ActivityId,
        version: i64,
        d: &ActivityDraft,
    ) -> Result<i64, StoreError> {
        let d = &self.in_cycle(d).await?;
        let l = self.lookups().await?;
        let adm1 = Self::check_refs(&l, &d.area, &d.sector)?;
        let mut tx = self.writer().begin().await?;
        let old = Self::snapshot(&mut tx, Table::Activities, Key::Int(id.0)).await?;
        let before = Self::cell_of(&mut tx, id).await?;
        let v = Self::update_activity_in(&mut tx, id, version, d, &adm1).await?;
        self.audit_row(&mut tx, "update", Table::Activities, Key::Int(id.0), old)
            .await?;
        if let Some((p, a, s)) = before {
            Self::refresh_cells(&mut tx, &p, Some((&a, &s))).await?;
        }
        Self::refresh_cells(
            &mut tx,
            &d.period.to_string(),
            Some((&adm1, d.sector.as_str())),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    pub async fn delete_activity(&self, id: ActivityId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let current: i64 = sqlx::query("SELECT version FROM activities WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("version")?;
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        let cell = Self::cell_of(&mut tx, id).await?;
        let old = Self::snapshot(&mut tx, Table::Activities, Key::Int(id.0)).await?;
        sqlx::query("DELETE FROM activities WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit_row(&mut tx, "delete", Table::Activities, Key::Int(id.0), old)
            .await?;
        if let Some((p, a, s)) = cell {
            Self::refresh_cells(&mut tx, &p, Some((&a, &s))).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_activity(&self, id: ActivityId) -> Result<Activity, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {ACTIVITY_COLS} FROM activities a JOIN organisations o ON o.id = a.org_id WHERE a.id = $1"
        ))
        .bind(id.0)
        .fetch_optional(self.reader())
        .await?
        .ok_or(StoreError::NotFound)?;
        activity_from_row(&row)
    }

    /// A page of activities, newest period first, then by organisation and sector.
    pub async fn list_activities(&self, f: &ActivityFilter) -> Result<Page<Activity>, StoreError> {
        let per = if f.per_page <= 0 {
            100
        } else {
            f.per_page.min(ActivityFilter::MAX_PER_PAGE)
        };
        let page = f.page.clamp(1, crate::util::MAX_PAGE);
        let wh = f.where_clause();
        let total: i64 = Sql::new("SELECT COUNT(*) AS n FROM activities a")
            .append(&wh)
            .query()
            .fetch_one(self.reader())
            .await?
            .try_get("n")?;
        let mut list = Sql::new(&format!(
            "SELECT {ACTIVITY_COLS} FROM activities a JOIN organisations o ON o.id = a.org_id"
        ))
        .append(&wh);
        list.push(" ORDER BY a.period DESC, o.acronym, a.sector_code, a.area_code, a.id LIMIT ")
            .bind(per)
            .push(" OFFSET ")
            .bind((page - 1) * per);
        let items = list
            .query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(activity_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page {
            items,
            total,
            page,
            per_page: per,
        })
    }

    /// Visit every activity matching `f` in order, a batch at a time, without holding them
    /// all: for exports of any size.
    pub async fn each_activity(
        &self,
        f: &ActivityFilter,
        mut visit: impl FnMut(Activity) -> Result<(), StoreError>,
    ) -> Result<usize, StoreError> {
        let mut after = 0i64;
        let mut n = 0;
        loop {
            let mut q = Sql::new(&format!(
                "SELECT {ACTIVITY_COLS} FROM activities a JOIN organisations o ON o.id = a.org_id"
            ))
            .append(&f.where_clause());
            q.push(" AND a.id > ")
                .bind(after)
                .push(" ORDER BY a.id LIMIT 5000");
            let rows = q.query().fetch_all(self.reader()).await?;
            if rows.is_empty() {
                return Ok(n);
            }
            for r in &rows {
                let a = activity_from_row(r)?;
                after = a.id.0;
                n += 1;
                visit(a)?;
            }
        }
    }

    /// Import activities in one transaction. A row with the same organisation, period,
    /// sector, type, area, modality and donor as a stored activity updates it (so the same
    /// file imported twice adds nothing); the others are added. Unless `valid_rows_only`,
    /// one bad row means nothing is written; with `dry_run`, nothing is written either way.
    pub async fn import_activities(
        &self,
        rows: &[(usize, ActivityDraft)],
        dry_run: bool,
        valid_rows_only: bool,
    ) -> Result<ImportOutcome, StoreError> {
        self.import_activities_from(
            rows.iter().cloned(),
            rows.len(),
            || dry_run,
            valid_rows_only,
        )
        .await
    }

    /// [`Store::import_activities`] from rows made as they are needed: a file's rows are
    /// checked on this thread while the database's thread inserts the rows before them
    /// (a million-row import no longer checks everything first and then waits on the
    /// store). `expected` is about how many rows will come (it decides whether a large
    /// import rebuilds the indexes after loading); `dry_run` is asked once the rows have
    /// all come, so a caller can decide from what it found while making them.
    pub async fn import_activities_from<I, D>(
        &self,
        rows: I,
        expected: usize,
        dry_run: D,
        valid_rows_only: bool,
    ) -> Result<ImportOutcome, StoreError>
    where
        I: Iterator<Item = (usize, ActivityDraft)> + Send,
        D: FnOnce() -> bool + Send,
    {
        let l = self.lookups().await?;
        let cal = self.calendar().await?;
        let mut out = ImportOutcome::default();
        let mut tx = self.writer().begin().await?;
        let bulk = self.backend() == crate::backend::Backend::Sqlite && expected >= BULK_ROWS && {
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM activities")
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            usize::try_from(n).unwrap_or(usize::MAX) <= expected
        };
        if bulk {
            for (name, _) in ACTIVITY_INDEXES {
                sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // what is there already, read a month at a time as the file's months come up:
        // one query per month, not one per row
        let mut periods: HashSet<Period> = HashSet::new();
        let mut existing: HashMap<String, (i64, i64)> = HashMap::new();
        let mut rounds: HashMap<(i64, Period), RoundState> = HashMap::new();
        let mut seen: HashSet<String> = HashSet::new();
        let mut memo = KeyMemo::default();
        let mut new_rounds: Vec<(i64, Period)> = Vec::new();
        let mut batch: Vec<(ActivityDraft, String, String)> = Vec::new();
        let mut pipe = InsertPipe::new(tx, self.backend());
        for (row, mut d) in rows {
            d.period = cal.period_of(d.period);
            if periods.insert(d.period) {
                let tx = pipe.tx().await?;
                Self::existing_of(tx, d.period, &mut existing, &mut rounds).await?;
            }
            let adm1 = match Self::check_refs(&l, &d.area, &d.sector) {
                Ok(a) => a,
                Err(StoreError::Invalid(e)) => {
                    out.rejected.push((row, e));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let key = d.natural_key_memo(&mut memo);
            if !seen.insert(key.clone()) {
                let mut e = FieldErrors::default();
                e.push("activity", "activity_repeated_in_file");
                out.rejected.push((row, e));
                continue;
            }
            match rounds.get(&(d.org.0, d.period)) {
                Some(s) if !s.editable() => {
                    let mut e = FieldErrors::default();
                    e.push("period", "round_locked");
                    out.rejected.push((row, e));
                    continue;
                }
                Some(_) => {}
                None => {
                    rounds.insert((d.org.0, d.period), RoundState::Draft);
                    new_rounds.push((d.org.0, d.period));
                }
            }
            match existing.get(&key) {
                Some((id, v)) => {
                    Self::update_activity_in(pipe.tx().await?, ActivityId(*id), *v, &d, &adm1)
                        .await?;
                    out.updated += 1;
                    out.changes.push((row, false));
                }
                None => {
                    batch.push((d, adm1, key));
                    out.created += 1;
                    out.changes.push((row, true));
                    if batch.len() == INSERT_BATCH {
                        pipe.send(&batch).await?;
                        batch.clear();
                    }
                }
            }
        }
        pipe.send(&batch).await?;
        let mut tx = pipe.finish().await?;
        for chunk in new_rounds.chunks(INSERT_BATCH) {
            let mut q = Sql::new(
                "INSERT INTO report_rounds (org_id, period, state, version, updated_at) VALUES ",
            );
            let t = now();
            for (i, (org, p)) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(")
                    .bind(*org)
                    .push(", ")
                    .bind(p.to_string())
                    .push(", ")
                    .bind(RoundState::Draft.code())
                    .push(", 1, ")
                    .bind(t)
                    .push(")");
            }
            q.query().execute(&mut *tx).await?;
        }
        if bulk {
            for (_, create) in ACTIVITY_INDEXES {
                sqlx::query(create).execute(&mut *tx).await?;
            }
        }
        out.rejected.sort_by_key(|(r, _)| *r);
        let write = out.should_write(dry_run(), valid_rows_only);
        if write {
            // a row matched by its natural key stays in its cell, so the months of the
            // file are all that changed
            let mut periods: Vec<Period> = periods.into_iter().collect();
            periods.sort();
            for p in &periods {
                Self::refresh_cells(&mut tx, &p.to_string(), None).await?;
            }
        }
        out.close(self, tx, "activities", write).await
    }

    /// The activities (natural key → id, version) and report rounds stored for `period`.
    async fn existing_of(
        tx: &mut Tx,
        period: Period,
        existing: &mut HashMap<String, (i64, i64)>,
        rounds: &mut HashMap<(i64, Period), RoundState>,
    ) -> Result<(), StoreError> {
        for r in sqlx::query("SELECT id, version, natural_key FROM activities WHERE period = $1")
            .bind(period.to_string())
            .fetch_all(&mut **tx)
            .await?
        {
            existing.insert(
                r.try_get("natural_key")?,
                (r.try_get("id")?, r.try_get("version")?),
            );
        }
        for r in sqlx::query("SELECT org_id, state FROM report_rounds WHERE period = $1")
            .bind(period.to_string())
            .fetch_all(&mut **tx)
            .await?
        {
            let state: String = r.try_get("state")?;
            rounds.insert(
                (r.try_get("org_id")?, period),
                RoundState::parse(&state).unwrap_or(RoundState::Draft),
            );
        }
        Ok(())
    }

    /// Count the coverage cells of a month again from its activities (all of them, or
    /// the one of `cell` = (first-level area, sector)), in the caller's transaction.
    pub(crate) async fn refresh_cells(
        tx: &mut Transaction<'static, Any>,
        period: &str,
        cell: Option<(&str, &str)>,
    ) -> Result<(), StoreError> {
        let mut del = Sql::new("DELETE FROM coverage_cells WHERE period = ");
        del.bind(period);
        let mut ins = Sql::new(
            "INSERT INTO coverage_cells (period, adm1_code, sector_code, organisations, activities, targeted, reached) \
             SELECT period, adm1_code, sector_code, COUNT(DISTINCT org_id), COUNT(*), \
             CAST(COALESCE(SUM(t_total), 0) AS BIGINT), CAST(COALESCE(SUM(r_total), 0) AS BIGINT) \
             FROM activities WHERE period = ",
        );
        ins.bind(period);
        if let Some((adm1, sector)) = cell {
            del.push(" AND adm1_code = ")
                .bind(adm1)
                .push(" AND sector_code = ")
                .bind(sector);
            ins.push(" AND adm1_code = ")
                .bind(adm1)
                .push(" AND sector_code = ")
                .bind(sector);
        }
        ins.push(" GROUP BY period, adm1_code, sector_code");
        del.query().execute(&mut **tx).await?;
        ins.query().execute(&mut **tx).await?;
        Ok(())
    }

    /// The coverage cell an activity counts in: (month, first-level area, sector).
    async fn cell_of(
        tx: &mut Transaction<'static, Any>,
        id: ActivityId,
    ) -> Result<Option<(String, String, String)>, StoreError> {
        let row =
            sqlx::query("SELECT period, adm1_code, sector_code FROM activities WHERE id = $1")
                .bind(id.0)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(match row {
            Some(r) => Some((
                r.try_get("period")?,
                r.try_get("adm1_code")?,
                r.try_get("sector_code")?,
            )),
            None => None,
        })
    }

    /// The INSERT of a batch of new activities, one statement for all of them.
    fn batch_sql(batch: &[(ActivityDraft, String, String)]) -> Sql {
        let t = now();
        let mut q = Sql::new(
            "INSERT INTO activities (org_id, period, sector_code, activity_type, area_code, adm1_code, partners, donor, \
             start_date, end_date, status, modality, t_women, t_men, t_girls, t_boys, t_total, \
             r_women, r_men, r_girls, r_boys, r_total, households, notes, natural_key, key_hash, version, created_at, updated_at) VALUES ",
        );
        for (i, (d, adm1, key)) in batch.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(d.org.0);
            Self::activity_values(&mut q, d, adm1, key);
            q.push(", 1, ").bind(t).push(", ").bind(t).push(")");
        }
        q
    }

    /// Copy an organisation's activities of `from` into `to` (reached figures cleared,
    /// status kept unless completed), skipping those already there. Returns how many.
    pub async fn copy_activities_forward(
        &self,
        org: OrgId,
        from: Period,
        to: Period,
    ) -> Result<usize, StoreError> {
        let cal = self.calendar().await?;
        let (from, to) = (cal.period_of(from), cal.period_of(to));
        let f = ActivityFilter {
            period: Some(from),
            org: Some(org),
            per_page: ActivityFilter::MAX_PER_PAGE,
            ..Default::default()
        };
        let mut drafts = Vec::new();
        let types = self.activity_types().await?;
        self.each_activity(&f, |a| {
            if a.status == ActivityStatus::Completed {
                return Ok(());
            }
            let mut input = a.to_input();
            input.period = to.to_string();
            input.reached = Default::default();
            input.households = String::new();
            if let Ok((d, _)) = input.parse(org, &types) {
                drafts.push(d);
            }
            Ok(())
        })
        .await?;
        let l = self.lookups().await?;
        let mut tx = self.writer().begin().await?;
        Self::ensure_round_draft(&mut tx, org, to).await?;
        let mut n = 0;
        for d in drafts {
            let exists = sqlx::query("SELECT id FROM activities WHERE key_hash = $1")
                .bind(key_hash(&d.natural_key()))
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            if exists {
                continue;
            }
            let adm1 = Self::check_refs(&l, &d.area, &d.sector)?;
            Self::insert_activity_in(&mut tx, &d, &adm1).await?;
            n += 1;
        }
        Self::refresh_cells(&mut tx, &to.to_string(), None).await?;
        let after =
            serde_json::json!({ "from": from.to_string(), "to": to.to_string(), "copied": n });
        self.audit(
            &mut tx,
            "copy_forward",
            "activities",
            &org.to_string(),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    // ------------------------------------------------------------ reporting calendar

    /// The network's reporting calendar: monthly unless a coordinator changed the cycle.
    pub async fn calendar(&self) -> Result<Calendar, StoreError> {
        let rows = sqlx::query(CALENDAR_SQL).fetch_all(self.reader()).await?;
        Self::calendar_of(&rows)
    }

    fn calendar_of(rows: &[AnyRow]) -> Result<Calendar, StoreError> {
        let mut changes = Vec::with_capacity(rows.len());
        for r in rows {
            let s: String = r.try_get("starts")?;
            let c: String = r.try_get("cycle")?;
            changes.push((
                Period::parse(&s).map_err(|_| bad_data("starts", &s))?,
                Cycle::parse(&c).map_err(|_| bad_data("cycle", &c))?,
            ));
        }
        Ok(Calendar::new(changes))
    }

    /// The draft with its period moved to the start of the period it falls in (a month
    /// inside a quarter is stored as the quarter).
    async fn in_cycle(&self, d: &ActivityDraft) -> Result<ActivityDraft, StoreError> {
        let mut d = d.clone();
        d.period = self.calendar().await?.period_of(d.period);
        Ok(d)
    }

    /// Report by `cycle` from the period starting `starts` on. Refused where `starts` does
    /// not begin a period of both the cycle in force and the new one
    /// (`cycle_start_invalid`), and where activities, rounds or needs are already recorded
    /// for `starts` or later (`cycle_has_reports`: those periods would change meaning).
    /// Returns the new calendar.
    pub async fn set_cycle(&self, starts: Period, cycle: Cycle) -> Result<Calendar, StoreError> {
        let mut tx = self.writer().begin().await?;
        // read in the transaction: two changes at once cannot both pass the checks
        let cal = Self::calendar_of(&sqlx::query(CALENDAR_SQL).fetch_all(&mut *tx).await?)?;
        let new = cal
            .with_change(starts, cycle)
            .map_err(|e| StoreError::invalid("starts", e.code()))?;
        let later: Option<String> = sqlx::query(
            "SELECT MAX(p) AS latest FROM (\
             SELECT MAX(period) AS p FROM activities WHERE period >= $1 \
             UNION ALL SELECT MAX(period) AS p FROM report_rounds WHERE period >= $1 \
             UNION ALL SELECT MAX(period) AS p FROM needs WHERE period >= $1) x",
        )
        .bind(starts.to_string())
        .fetch_one(&mut *tx)
        .await?
        .try_get("latest")?;
        if later.is_some() {
            return Err(StoreError::invalid("starts", "cycle_has_reports"));
        }
        let before = cal.cycle_at(starts);
        sqlx::query("DELETE FROM reporting_cycles WHERE starts = $1")
            .bind(starts.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO reporting_cycles (starts, cycle, changed_at) VALUES ($1, $2, $3)")
            .bind(starts.to_string())
            .bind(cycle.code())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "update",
            "reporting_cycle",
            &starts.to_string(),
            Some(serde_json::json!({ "cycle": before.code() })),
            Some(serde_json::json!({ "cycle": cycle.code() })),
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    // ------------------------------------------------------------ reporting rounds

    /// The round must be open for changes: created as a draft when not started, refused
    /// (`round_locked`) once submitted or validated.
    async fn ensure_round_draft(
        tx: &mut Transaction<'static, Any>,
        org: OrgId,
        period: Period,
    ) -> Result<(), StoreError> {
        let state: Option<String> =
            sqlx::query("SELECT state FROM report_rounds WHERE org_id = $1 AND period = $2")
                .bind(org.0)
                .bind(period.to_string())
                .fetch_optional(&mut **tx)
                .await?
                .map(|r| r.try_get("state"))
                .transpose()?;
        match state.as_deref().and_then(RoundState::parse) {
            None => {
                sqlx::query(
                    "INSERT INTO report_rounds (org_id, period, state, version, updated_at) VALUES ($1, $2, $3, 1, $4)",
                )
                .bind(org.0)
                .bind(period.to_string())
                .bind(RoundState::Draft.code())
                .bind(now())
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
            Some(s) if s.editable() => Ok(()),
            Some(_) => Err(StoreError::invalid("period", "round_locked")),
        }
    }

    /// Where an organisation's round for a period stands, and the coordinator's comment.
    pub async fn round(
        &self,
        org: OrgId,
        period: Period,
    ) -> Result<(RoundState, Option<String>), StoreError> {
        let period = self.calendar().await?.period_of(period);
        let row = sqlx::query(
            "SELECT state, comment FROM report_rounds WHERE org_id = $1 AND period = $2",
        )
        .bind(org.0)
        .bind(period.to_string())
        .fetch_optional(self.reader())
        .await?;
        Ok(match row {
            Some(r) => {
                let s: String = r.try_get("state")?;
                (
                    RoundState::parse(&s).unwrap_or(RoundState::Draft),
                    r.try_get("comment")?,
                )
            }
            None => (RoundState::NotStarted, None),
        })
    }

    /// Every member organisation's round state for a period (not started where none).
    pub async fn rounds(
        &self,
        period: Period,
    ) -> Result<Vec<(OrgId, String, RoundState, Option<String>)>, StoreError> {
        let period = self.calendar().await?.period_of(period);
        let rows = sqlx::query(
            "SELECT o.id, o.acronym, r.state, r.comment FROM organisations o \
             LEFT JOIN report_rounds r ON r.org_id = o.id AND r.period = $1 \
             WHERE o.kind = 'member' ORDER BY o.acronym",
        )
        .bind(period.to_string())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let s: Option<String> = r.try_get("state")?;
                Ok((
                    OrgId(r.try_get("id")?),
                    r.try_get("acronym")?,
                    s.as_deref()
                        .and_then(RoundState::parse)
                        .unwrap_or(RoundState::NotStarted),
                    r.try_get("comment")?,
                ))
            })
            .collect()
    }

    /// Move a round: a focal point submits a draft or returned round; a coordinator
    /// validates or returns (with a comment) a submitted one. Other moves are refused.
    pub async fn set_round(
        &self,
        org: OrgId,
        period: Period,
        to: RoundState,
        comment: Option<&str>,
    ) -> Result<(), StoreError> {
        let period = self.calendar().await?.period_of(period);
        let mut tx = self.writer().begin().await?;
        let (from, _) = {
            let row =
                sqlx::query("SELECT state FROM report_rounds WHERE org_id = $1 AND period = $2")
                    .bind(org.0)
                    .bind(period.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
            match row {
                Some(r) => {
                    let s: String = r.try_get("state")?;
                    (RoundState::parse(&s).unwrap_or(RoundState::Draft), ())
                }
                None => (RoundState::NotStarted, ()),
            }
        };
        let allowed = matches!(
            (from, to),
            (
                RoundState::NotStarted | RoundState::Draft | RoundState::Returned,
                RoundState::Submitted
            ) | (
                RoundState::Submitted,
                RoundState::Validated | RoundState::Returned
            ) | (RoundState::Validated, RoundState::Returned)
        );
        if !allowed {
            return Err(StoreError::invalid("state", "round_move_invalid"));
        }
        if from == RoundState::NotStarted {
            sqlx::query(
                "INSERT INTO report_rounds (org_id, period, state, comment, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5)",
            )
            .bind(org.0)
            .bind(period.to_string())
            .bind(to.code())
            .bind(comment.map(str::to_string))
            .bind(now())
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query(
                "UPDATE report_rounds SET state = $1, comment = $2, version = version + 1, updated_at = $3 \
                 WHERE org_id = $4 AND period = $5",
            )
            .bind(to.code())
            .bind(comment.map(str::to_string))
            .bind(now())
            .bind(org.0)
            .bind(period.to_string())
            .execute(&mut *tx)
            .await?;
        }
        let key = format!("{}/{period}", org.0);
        self.audit(
            &mut tx,
            "update",
            "round",
            &key,
            Some(serde_json::json!({ "state": from.code() })),
            Some(serde_json::json!({ "state": to.code(), "comment": comment })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------ needs

    async fn upsert_need_in(
        tx: &mut Transaction<'static, Any>,
        d: &NeedDraft,
        adm1: &str,
    ) -> Result<bool, StoreError> {
        let existing = sqlx::query(
            "SELECT id FROM needs WHERE area_code = $1 AND sector_code = $2 AND period = $3",
        )
        .bind(d.area.as_str())
        .bind(d.sector.as_str())
        .bind(d.period.to_string())
        .fetch_optional(&mut **tx)
        .await?;
        let t = now();
        let p = &d.in_need;
        match existing {
            Some(r) => {
                let id: i64 = r.try_get("id")?;
                let mut q = Sql::new("UPDATE needs SET (n_women, n_men, n_girls, n_boys, n_total, severity, source) = (");
                q.bind(p.women);
                for v in [p.men, p.girls, p.boys, p.total] {
                    q.push(", ").bind(v);
                }
                q.push(", ")
                    .bind(i64::from(d.severity.get()))
                    .push(", ")
                    .bind(d.source.clone())
                    .push("), version = version + 1, updated_at = ")
                    .bind(t)
                    .push(" WHERE id = ")
                    .bind(id);
                q.query().execute(&mut **tx).await?;
                Ok(false)
            }
            None => {
                let mut q = Sql::new(
                    "INSERT INTO needs (area_code, adm1_code, sector_code, period, n_women, n_men, n_girls, n_boys, n_total, \
                     severity, source, version, created_at, updated_at) VALUES (",
                );
                q.bind(d.area.as_str())
                    .push(", ")
                    .bind(adm1)
                    .push(", ")
                    .bind(d.sector.as_str())
                    .push(", ")
                    .bind(d.period.to_string());
                push_people(&mut q, p);
                q.push(", ")
                    .bind(i64::from(d.severity.get()))
                    .push(", ")
                    .bind(d.source.clone())
                    .push(", 1, ")
                    .bind(t)
                    .push(", ")
                    .bind(t)
                    .push(")");
                q.query().execute(&mut **tx).await?;
                Ok(true)
            }
        }
    }

    /// Record the need of an area and sector for a period, replacing an earlier figure
    /// for the same three. Returns true when it was new.
    pub async fn save_need(&self, d: &NeedDraft) -> Result<bool, StoreError> {
        let mut d = d.clone();
        d.period = self.calendar().await?.period_of(d.period);
        let d = &d;
        let l = self.lookups().await?;
        let adm1 = Self::check_refs(&l, &d.area, &d.sector)?;
        let mut tx = self.writer().begin().await?;
        let created = Self::upsert_need_in(&mut tx, d, &adm1).await?;
        let key = format!("{}/{}/{}", d.area.as_str(), d.sector.as_str(), d.period);
        let after = serde_json::json!({
            "people_in_need": d.in_need.total,
            "severity": d.severity.get(),
            "source": d.source,
        });
        self.audit(&mut tx, "save", "need", &key, None, Some(after))
            .await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Import needs in one transaction, as [`Store::import_activities`] does.
    pub async fn import_needs(
        &self,
        rows: &[(usize, NeedDraft)],
        dry_run: bool,
        valid_rows_only: bool,
    ) -> Result<ImportOutcome, StoreError> {
        let l = self.lookups().await?;
        let cal = self.calendar().await?;
        let mut out = ImportOutcome::default();
        let mut tx = self.writer().begin().await?;
        let mut seen = HashSet::new();
        for (row, d) in rows {
            let snapped;
            let d = if cal.is_start(d.period) {
                d
            } else {
                let mut c = d.clone();
                c.period = cal.period_of(d.period);
                snapped = c;
                &snapped
            };
            let adm1 = match Self::check_refs(&l, &d.area, &d.sector) {
                Ok(a) => a,
                Err(StoreError::Invalid(e)) => {
                    out.rejected.push((*row, e));
                    continue;
                }
                Err(e) => return Err(e),
            };
            if !seen.insert((d.area.clone(), d.sector.clone(), d.period)) {
                let mut e = FieldErrors::default();
                e.push("need", "need_repeated_in_file");
                out.rejected.push((*row, e));
                continue;
            }
            if Self::upsert_need_in(&mut tx, d, &adm1).await? {
                out.created += 1;
                out.changes.push((*row, true));
            } else {
                out.updated += 1;
                out.changes.push((*row, false));
            }
        }
        let write = out.should_write(dry_run, valid_rows_only);
        out.close(self, tx, "needs", write).await
    }

    /// Needs, latest period first.
    pub async fn list_needs(
        &self,
        period: Option<Period>,
        area: Option<&str>,
        sector: Option<&str>,
    ) -> Result<Vec<Need>, StoreError> {
        let mut q = Sql::new(
            "SELECT id, area_code, adm1_code, sector_code, period, n_women, n_men, n_girls, n_boys, n_total, severity, source, version \
             FROM needs WHERE 1=1",
        );
        if let Some(p) = period {
            q.push(" AND period = ").bind(p.to_string());
        }
        if let Some(a) = area {
            q.push(" AND (area_code = ")
                .bind(a)
                .push(" OR adm1_code = ")
                .bind(a)
                .push(")");
        }
        if let Some(s) = sector {
            q.push(" AND sector_code = ").bind(s);
        }
        q.push(" ORDER BY period DESC, adm1_code, sector_code, area_code");
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(need_from_row)
            .collect()
    }

    // ------------------------------------------------------------ coverage

    /// The 4W matrix for a period at the first admin level: per area and sector, the
    /// organisations present, activities, people targeted and reached, and the people in
    /// need with the highest severity (from the latest needs figure at or before the
    /// period). Cells with needs and no activity are included: they are the gaps.
    pub async fn coverage(&self, f: &ActivityFilter) -> Result<Vec<CoverageCell>, StoreError> {
        // the kept cells answer one month without organisation or status filters (several
        // months would count an organisation once per month)
        let kept = f.org.is_none() && f.status.is_none() && f.period.is_some();
        self.coverage_with(f, kept).await
    }

    /// The same matrix counted from the activities themselves, ignoring the kept cells:
    /// what the tests compare the kept cells with, and what filters by organisation or
    /// status use.
    pub async fn coverage_from_scratch(
        &self,
        f: &ActivityFilter,
    ) -> Result<Vec<CoverageCell>, StoreError> {
        self.coverage_with(f, false).await
    }

    async fn coverage_with(
        &self,
        f: &ActivityFilter,
        kept: bool,
    ) -> Result<Vec<CoverageCell>, StoreError> {
        let mut cells: HashMap<(String, String), CoverageCell> = HashMap::new();
        let q = if kept {
            let mut q = Sql::new(
                "SELECT c.adm1_code AS area, c.sector_code AS sector, c.organisations AS orgs, c.activities AS n, \
                 c.targeted AS targeted, c.reached AS reached FROM coverage_cells c WHERE 1=1",
            );
            if let Some(p) = f.period {
                q.push(" AND c.period = ").bind(p.to_string());
            }
            if let Some(s) = &f.sector {
                q.push(" AND c.sector_code = ").bind(s.as_str());
            }
            if let Some(a) = &f.area {
                q.push(" AND c.adm1_code = ").bind(a.as_str());
            }
            q
        } else {
            let mut q = Sql::new(
                "SELECT a.adm1_code AS area, a.sector_code AS sector, COUNT(DISTINCT a.org_id) AS orgs, COUNT(*) AS n, \
                 CAST(COALESCE(SUM(a.t_total), 0) AS BIGINT) AS targeted, CAST(COALESCE(SUM(a.r_total), 0) AS BIGINT) AS reached FROM activities a",
            )
            .append(
                &ActivityFilter {
                    area: None,
                    ..f.clone()
                }
                .where_clause(),
            );
            if let Some(a) = &f.area {
                q.push(" AND a.adm1_code = ").bind(a.as_str());
            }
            q.push(" GROUP BY a.adm1_code, a.sector_code");
            q
        };
        for r in q.query().fetch_all(self.reader()).await? {
            let area: String = r.try_get("area")?;
            let sector: String = r.try_get("sector")?;
            cells.insert(
                (area.clone(), sector.clone()),
                CoverageCell {
                    area,
                    sector,
                    organisations: r.try_get("orgs")?,
                    activities: r.try_get("n")?,
                    targeted: r.try_get("targeted")?,
                    reached: r.try_get("reached")?,
                    people_in_need: None,
                    severity: None,
                },
            );
        }
        // needs: for each (area, sector), the latest period at or before the one asked
        // (only the newest rows cross over: each row costs far more in the driver than
        // in the database)
        let mut inner =
            Sql::new("SELECT area_code, sector_code, MAX(period) AS latest FROM needs WHERE 1=1");
        if let Some(p) = f.period {
            inner.push(" AND period <= ").bind(p.to_string());
        }
        if let Some(s) = &f.sector {
            inner.push(" AND sector_code = ").bind(s.as_str());
        }
        if let Some(a) = &f.area {
            inner.push(" AND adm1_code = ").bind(a.as_str());
        }
        inner.push(" GROUP BY area_code, sector_code");
        let mut nq = Sql::new(
            "SELECT n.adm1_code, n.area_code, n.sector_code, n.period, n.n_total, n.severity FROM needs n JOIN (",
        )
        .append(&inner);
        nq.push(") m ON n.area_code = m.area_code AND n.sector_code = m.sector_code AND n.period = m.latest");
        let mut latest: HashMap<(String, String), String> = HashMap::new();
        let mut sums: HashMap<(String, String), (i64, u8)> = HashMap::new();
        for r in nq.query().fetch_all(self.reader()).await? {
            let adm1: String = r.try_get("adm1_code")?;
            let area: String = r.try_get("area_code")?;
            let sector: String = r.try_get("sector_code")?;
            let period: String = r.try_get("period")?;
            // one figure per exact area and sector: the newest
            let p = latest
                .entry((area, sector.clone()))
                .or_insert_with(|| period.clone());
            if *p != period {
                continue;
            }
            let total: i64 = r.try_get("n_total")?;
            let sev: i64 = r.try_get("severity")?;
            let e = sums.entry((adm1, sector)).or_insert((0, 0));
            e.0 += total;
            e.1 = e.1.max(sev as u8);
        }
        if f.org.is_none() && f.status.is_none() {
            for ((area, sector), (pin, sev)) in sums {
                let c = cells
                    .entry((area.clone(), sector.clone()))
                    .or_insert(CoverageCell {
                        area,
                        sector,
                        organisations: 0,
                        activities: 0,
                        targeted: 0,
                        reached: 0,
                        people_in_need: None,
                        severity: None,
                    });
                c.people_in_need = Some(pin);
                c.severity = Some(sev);
            }
        } else {
            for c in cells.values_mut() {
                if let Some((pin, sev)) = sums.get(&(c.area.clone(), c.sector.clone())) {
                    c.people_in_need = Some(*pin);
                    c.severity = Some(*sev);
                }
            }
        }
        let mut v: Vec<CoverageCell> = cells.into_values().collect();
        v.sort_by(|a, b| (&a.area, &a.sector).cmp(&(&b.area, &b.sector)));
        Ok(v)
    }

    /// Every sector's list of activity types, in each list's order.
    pub async fn activity_types(&self) -> Result<ActivityTypes, StoreError> {
        let rows = sqlx::query(
            "SELECT sector_code, code, name_ar, name_en, name_tr FROM activity_types \
             ORDER BY sector_code, sort, code",
        )
        .fetch_all(self.reader())
        .await?;
        let mut list = Vec::with_capacity(rows.len());
        for r in &rows {
            let sector: String = r.try_get("sector_code")?;
            let Ok(sector) = SectorCode::parse(&sector) else {
                continue;
            };
            list.push(ActivityType {
                sector,
                code: r.try_get("code")?,
                name: I18nText {
                    ar: r.try_get("name_ar")?,
                    en: r.try_get("name_en")?,
                    tr: r.try_get("name_tr")?,
                },
            });
        }
        Ok(ActivityTypes::new(list))
    }

    /// Add a type at the end of its sector's list. Refused when the code is taken, or a
    /// name is already another type's of the same sector (they would be told apart by
    /// nobody).
    pub async fn add_activity_type(&self, t: &ActivityType) -> Result<(), StoreError> {
        let existing = self.activity_types().await?;
        let sector = t.sector.as_str();
        let clashes = existing.clashes(sector, &t.code, &t.name);
        if !clashes.is_empty() {
            return Err(StoreError::Invalid(clashes));
        }
        let key = [&t.name.ar, &t.name.en, &t.name.tr]
            .into_iter()
            .flatten()
            .map(|n| minbar_text::name_key(n))
            .collect::<Vec<_>>()
            .join(" ");
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO activity_types (sector_code, code, name_ar, name_en, name_tr, search_key, sort) \
             VALUES ($1, $2, $3, $4, $5, $6, \
             (SELECT COALESCE(MAX(sort), 0) + 1 FROM activity_types WHERE sector_code = $7))",
        )
        .bind(sector)
        .bind(t.code.as_str())
        .bind(t.name.ar.clone())
        .bind(t.name.en.clone())
        .bind(t.name.tr.clone())
        .bind(format!(" {key} "))
        .bind(sector)
        .execute(&mut *tx)
        .await?;
        let id = format!("{sector}/{}", t.code);
        self.audit_row(
            &mut tx,
            "create",
            Table::ActivityTypes,
            Key::Text(&id),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Take a type off its sector's list; refused (`activity_type_in_use`) while
    /// activities are recorded with it, so that no activity is left with a code nobody can
    /// read.
    pub async fn remove_activity_type(&self, sector: &str, code: &str) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let used: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM activities WHERE sector_code = $1 AND activity_type = $2",
        )
        .bind(sector)
        .bind(code)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if used > 0 {
            return Err(StoreError::invalid("code", "activity_type_in_use"));
        }
        let id = format!("{sector}/{code}");
        let before = Self::snapshot(&mut tx, Table::ActivityTypes, Key::Text(&id)).await?;
        if before.is_none() {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM activity_types WHERE sector_code = $1 AND code = $2")
            .bind(sector)
            .bind(code)
            .execute(&mut *tx)
            .await?;
        self.audit_row(
            &mut tx,
            "delete",
            Table::ActivityTypes,
            Key::Text(&id),
            before,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Activity types people have used, most used first: the template's drop-down.
    pub async fn activity_types_in_use(&self, limit: i64) -> Result<Vec<String>, StoreError> {
        let rows = sqlx::query(
            "SELECT activity_type, COUNT(*) AS n FROM activities WHERE activity_type IS NOT NULL \
             GROUP BY activity_type ORDER BY n DESC, activity_type LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| r.try_get("activity_type").map_err(StoreError::from))
            .collect()
    }

    /// The periods that have activities or needs, newest first.
    pub async fn periods(&self) -> Result<Vec<Period>, StoreError> {
        let rows = sqlx::query(
            "SELECT period FROM coverage_cells UNION SELECT period FROM needs ORDER BY period DESC",
        )
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.try_get::<String, _>("period").ok())
            .filter_map(|p| Period::parse(&p).ok())
            .collect())
    }

    /// Activities and people reached per period, oldest first: the trend line.
    pub async fn trend(&self, f: &ActivityFilter) -> Result<Vec<(Period, i64, i64)>, StoreError> {
        let q = if f.org.is_none() && f.status.is_none() {
            let mut q = Sql::new(
                "SELECT c.period AS period, CAST(SUM(c.activities) AS BIGINT) AS n, CAST(SUM(c.reached) AS BIGINT) AS reached \
                 FROM coverage_cells c WHERE 1=1",
            );
            if let Some(s) = &f.sector {
                q.push(" AND c.sector_code = ").bind(s.as_str());
            }
            if let Some(a) = &f.area {
                q.push(" AND c.adm1_code = ").bind(a.as_str());
            }
            q.push(" GROUP BY c.period ORDER BY c.period");
            q
        } else {
            let mut q = Sql::new(
                "SELECT a.period AS period, COUNT(*) AS n, CAST(COALESCE(SUM(a.r_total), 0) AS BIGINT) AS reached FROM activities a",
            )
            .append(
                &ActivityFilter {
                    period: None,
                    ..f.clone()
                }
                .where_clause(),
            );
            q.push(" GROUP BY a.period ORDER BY a.period");
            q
        };
        let mut out = Vec::new();
        for r in q.query().fetch_all(self.reader()).await? {
            let p: String = r.try_get("period")?;
            if let Ok(p) = Period::parse(&p) {
                out.push((p, r.try_get("n")?, r.try_get("reached")?));
            }
        }
        Ok(out)
    }
}

type Tx = Transaction<'static, Any>;
type Pending = Pin<Box<dyn Future<Output = (Tx, Result<(), StoreError>)> + Send>>;

/// An import's INSERTs, run on the database's thread while the next batch is built on
/// this one. Awaited one by one, the two took turns: SQLite's worker thread and the
/// importing thread each had about half of a large import's store phase, and each sat
/// idle while the other worked. Now a batch is handed over (its statement starts on the
/// first poll) and the next is checked and bound while it runs. The transaction travels
/// with the running statement and comes back when it ends; anything else that needs the
/// transaction waits for it with [`InsertPipe::tx`].
struct InsertPipe {
    tx: Option<Tx>,
    pending: Option<Pending>,
    backend: crate::Backend,
    /// The text of a full batch, the same for each, made once.
    full_text: Option<std::sync::Arc<str>>,
}

impl InsertPipe {
    fn new(tx: Tx, backend: crate::Backend) -> InsertPipe {
        InsertPipe {
            tx: Some(tx),
            pending: None,
            backend,
            full_text: None,
        }
    }

    /// The transaction, once the statement running on it (if any) has ended.
    async fn tx(&mut self) -> Result<&mut Tx, StoreError> {
        if let Some(p) = self.pending.take() {
            let (tx, r) = p.await;
            self.tx = Some(tx);
            r?;
        }
        self.tx
            .as_mut()
            .ok_or(StoreError::Db(sqlx::Error::PoolClosed))
    }

    /// Wait for the last batch and give the transaction back.
    async fn finish(mut self) -> Result<Tx, StoreError> {
        self.tx().await?;
        self.tx
            .take()
            .ok_or(StoreError::Db(sqlx::Error::PoolClosed))
    }

    /// Start inserting `batch`; returns when the statement is on its way (or done).
    async fn send(&mut self, batch: &[(ActivityDraft, String, String)]) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let sql = Store::batch_sql(batch);
        let text: std::sync::Arc<str> = match &self.full_text {
            Some(t) if batch.len() == INSERT_BATCH => t.clone(),
            _ => {
                let t: std::sync::Arc<str> = sql.query_on(self.backend).0.into();
                if batch.len() == INSERT_BATCH {
                    self.full_text = Some(t.clone());
                }
                t
            }
        };
        self.tx().await?;
        let mut tx = self
            .tx
            .take()
            .ok_or(StoreError::Db(sqlx::Error::PoolClosed))?;
        let mut run: Pending = Box::pin(async move {
            let r = sql.query_text(&text).execute(&mut *tx).await;
            (tx, r.map(|_| ()).map_err(StoreError::from))
        });
        // one poll hands the statement to the database's thread
        match std::future::poll_fn(|cx| Poll::Ready(run.as_mut().poll(cx))).await {
            Poll::Ready((tx, r)) => {
                self.tx = Some(tx);
                r?;
            }
            Poll::Pending => self.pending = Some(run),
        }
        Ok(())
    }
}

/// The first 8 bytes of SHA-256 of an activity's natural key: what the unique index holds
/// (8 bytes instead of ~80 of text; two different keys sharing a hash would take 2^32
/// activities to be likely).
fn key_hash(key: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let d = Sha256::digest(key.as_bytes());
    i64::from_le_bytes(d[..8].try_into().expect("8 bytes"))
}

fn duplicate(e: sqlx::Error) -> StoreError {
    let text = e.to_string().to_lowercase();
    if text.contains("unique") || text.contains("duplicate") {
        StoreError::invalid("activity", "activity_duplicate")
    } else {
        StoreError::Db(e)
    }
}
