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
