//! `minbar-store`: persistence for Minbar.
//!
//! One [`Store`] serves SQLite (embedded, the default) and PostgreSQL (chosen by a
//! `postgres://` URL) with the same query definitions: queries are written once in the
//! SQL both engines share, with `$n` placeholders, and run through sqlx's `Any` driver.
//! What differs between the engines (migrations, connection set-up, creating a database)
//! lives in [`backend`], one module per engine.

pub mod accounts;
pub mod audit;
pub mod backend;
pub mod bulletins;
pub mod demo;
pub mod directory;
pub mod documents;
mod error;
pub mod expertise;
pub mod fourw;
pub mod groups;
pub mod mail;
pub mod meetings;
mod migrate;
pub mod notifications;
pub mod outbox;
pub mod policy;
pub mod proposals;
pub mod seed;
mod sql;
pub mod testing;
pub mod uploads;
pub mod util;

pub use error::StoreError;

use backend::Backend;
use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

/// The database, reached through a reader pool and a writer pool. On SQLite the writer
/// pool has one connection, so writers queue in the process instead of failing with
/// `SQLITE_BUSY`; on PostgreSQL both are the same pool.
#[derive(Clone)]
pub struct Store {
    reader: AnyPool,
    writer: AnyPool,
    backend: Backend,
    /// Who writes through this handle: named in every audit entry (see [`audit`]).
    who: Option<std::sync::Arc<audit::Who>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Store {
    /// Connect to `url` (`sqlite://PATH` or `postgres://…`), creating an SQLite file if it
    /// does not exist. Does not migrate: call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        match backend {
            Backend::Sqlite => {
                let url = backend::sqlite::connect_url(url);
                let writer = AnyPoolOptions::new()
                    .max_connections(1)
                    .after_connect(|c, _| Box::pin(backend::sqlite::on_connect(c)))
                    .connect(&url)
                    .await?;
                backend::sqlite::on_open(&writer).await?;
                let reader = AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|c, _| Box::pin(backend::sqlite::on_connect(c)))
                    .connect(&url)
                    .await?;
                Ok(Store {
                    reader,
                    writer,
                    backend,
                    who: None,
                })
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .connect(url)
                    .await?;
                Ok(Store {
                    reader: pool.clone(),
                    writer: pool,
                    backend,
                    who: None,
                })
            }
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Apply the migrations this database has not seen, then seed sectors and areas.
    pub async fn migrate(&self) -> Result<usize, StoreError> {
        let n = migrate::run(&self.writer, self.backend).await?;
        seed::seed_reference_data(self).await?;
        Ok(n)
    }

    /// Is the database reachable?
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.reader).await.is_ok()
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }

    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }
}
