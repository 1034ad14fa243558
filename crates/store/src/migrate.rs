//! Plain-SQL migrations, one folder per backend with the same names and order.

use crate::backend::{postgres, sqlite, Backend};
use crate::StoreError;
use sqlx::{AnyPool, Row};

pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<usize, StoreError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS minbar_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .execute(pool)
    .await?;
    let migrations = match backend {
        Backend::Sqlite => sqlite::MIGRATIONS,
        Backend::Postgres => postgres::MIGRATIONS,
    };
    let mut applied = 0;
    for (version, name, sql) in migrations {
        let mut tx = pool.begin().await?;
        let done: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM minbar_migrations WHERE version = $1")
                .bind(*version)
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
        if done > 0 {
            continue;
        }
        tracing::info!(version, name, "applying migration");
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO minbar_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(*version)
        .bind(name.to_string())
        .bind(crate::util::now())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        applied += 1;
    }
    Ok(applied)
}
