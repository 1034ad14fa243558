//! Fresh, migrated databases for tests: always SQLite in a temporary directory, and a new
//! PostgreSQL database when `MINBAR_TEST_POSTGRES_URL` is set (dropped afterwards).

use crate::backend::postgres;
use crate::Store;

/// A database that lives as long as this value.
pub struct TestDb {
    pub store: Store,
    pub url: String,
    pub name: &'static str,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

impl TestDb {
    /// Numbers that change when anything is written: rows of every table users change,
    /// the versions of edited records, the audit trail's length. Equal fingerprints
    /// before and after a refused request show it had no side effect.
    pub async fn fingerprint(&self) -> Vec<i64> {
        use sqlx::Row;
        let mut v = Vec::new();
        for sql in [
            "SELECT COUNT(*) AS n FROM organisations",
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM organisations",
            "SELECT COUNT(*) AS n FROM people",
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM people",
            "SELECT COUNT(*) AS n FROM affiliations",
            "SELECT COUNT(*) AS n FROM activities",
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM activities",
            "SELECT COUNT(*) AS n FROM needs",
            "SELECT COUNT(*) AS n FROM report_rounds",
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM report_rounds",
            "SELECT COUNT(*) AS n FROM sectors",
            "SELECT COUNT(*) AS n FROM areas",
            "SELECT COUNT(*) AS n FROM users",
            "SELECT COUNT(*) AS n FROM api_tokens",
            "SELECT COUNT(*) AS n FROM audit_log",
            "SELECT CAST(COALESCE(SUM(version + minutes_version), 0) AS BIGINT) AS n FROM meetings",
            "SELECT COUNT(*) AS n FROM meeting_attendees",
            "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM action_items",
            "SELECT COUNT(*) AS n FROM endorsements",
            "SELECT COUNT(*) AS n FROM proposal_comments",
            "SELECT COUNT(*) AS n FROM proposals",
        ] {
            let r = sqlx::query(sql)
                .fetch_one(self.store.reader())
                .await
                .expect("fingerprint query");
            v.push(r.try_get::<i64, _>("n").expect("a count"));
        }
        v
    }

    /// Run SQL straight on the database, as someone with access to its files would (for
    /// tests that tamper with it).
    pub async fn raw(&self, sql: &str) {
        sqlx::raw_sql(sql)
            .execute(self.store.writer())
            .await
            .expect("raw SQL runs");
    }

    /// Drop the PostgreSQL database (SQLite's directory goes with the value).
    pub async fn cleanup(self) {
        self.store.close().await;
        if let Some((admin, name)) = &self.pg {
            let _ = postgres::drop_database(admin, name).await;
        }
    }
}

/// A migrated SQLite database in a new temporary directory.
pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = crate::backend::sqlite::url_for_path(&dir.path().join("minbar.db"));
    let store = Store::connect(&url).await.expect("connect sqlite");
    store.migrate().await.expect("migrate sqlite");
    TestDb {
        store,
        url,
        name: "sqlite",
        _dir: Some(dir),
        pg: None,
    }
}

/// A migrated, new PostgreSQL database, when `MINBAR_TEST_POSTGRES_URL` is set.
pub async fn postgres() -> Option<TestDb> {
    let admin = std::env::var("MINBAR_TEST_POSTGRES_URL").ok()?;
    let name = format!("minbar_test_{}_{}", std::process::id(), {
        use rand::RngCore;
        rand::thread_rng().next_u32()
    });
    let url = postgres::create_database(&admin, &name)
        .await
        .expect("create test database (is MINBAR_TEST_POSTGRES_URL right?)");
    let store = Store::connect(&url).await.expect("connect postgres");
    store.migrate().await.expect("migrate postgres");
    Some(TestDb {
        store,
        url,
        name: "postgres",
        _dir: None,
        pg: Some((admin, name)),
    })
}

/// Every backend this run tests: SQLite, and PostgreSQL when configured.
pub async fn all() -> Vec<TestDb> {
    let mut v = vec![sqlite().await];
    if let Some(pg) = postgres().await {
        v.push(pg);
    }
    v
}

/// For tests against hostile text: one organisation and one person per payload, the
/// payload in every free-text field that accepts it (fields whose own rules refuse it,
/// such as an e-mail address, keep their refusal). Returns their ids.
pub async fn load_hostile_text(
    store: &Store,
    payloads: &[String],
) -> Vec<(minbar_core::OrgId, minbar_core::PersonId)> {
    use minbar_core::{OrgDraft, OrgInput, PersonDraft, PersonInput};
    let mut out = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let base = OrgInput {
            acronym: format!("XSS{i}"),
            name_en: format!("Hostile {i}"),
            kind: "member".into(),
            membership_status: "member".into(),
            sectors: vec!["health".into()],
            areas: vec!["SY-ID".into()],
            ..Default::default()
        };
        let mut input = base.clone();
        let setters: [fn(&mut OrgInput, String); 8] = [
            |o, v| o.name_ar = v,
            |o, v| o.name_en = v,
            |o, v| o.name_tr = v,
            |o, v| o.description_ar = v,
            |o, v| o.description_en = v,
            |o, v| o.description_tr = v,
            |o, v| o.registration_number = v,
            |o, v| o.website = v,
        ];
        for set in setters {
            let mut tried = input.clone();
            set(&mut tried, p.clone());
            if OrgDraft::parse(&tried).is_ok() {
                input = tried;
            }
        }
        let org = store
            .create_org(&OrgDraft::parse(&input).expect("the base organisation is valid"))
            .await
            .expect("a hostile organisation is stored");
        let mut person = PersonInput {
            name_en: format!("Hostile person {i}"),
            email_visibility: "public".into(),
            phone_visibility: "public".into(),
            org_id: Some(org.0),
            ..Default::default()
        };
        let psetters: [fn(&mut PersonInput, String); 6] = [
            |o, v| o.name_ar = v,
            |o, v| o.name_en = v,
            |o, v| o.committees = v,
            |o, v| o.title_ar = v,
            |o, v| o.title_en = v,
            |o, v| o.title_tr = v,
        ];
        for set in psetters {
            let mut tried = person.clone();
            set(&mut tried, p.clone());
            if PersonDraft::parse(&tried).is_ok() {
                person = tried;
            }
        }
        let pid = store
            .create_person(&PersonDraft::parse(&person).expect("the base person is valid"))
            .await
            .expect("a hostile person is stored");
        out.push((org, pid));
    }
    out
}
