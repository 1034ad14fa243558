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
