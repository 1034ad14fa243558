//! PostgreSQL specifics: migrations, and creating a database (for tests and first runs).

use sqlx::{AnyConnection, Connection, Executor};

pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "directory",
        include_str!("../../migrations/postgres/0001_directory.sql"),
    ),
    (
        2,
        "area_aliases",
        include_str!("../../migrations/postgres/0002_area_aliases.sql"),
    ),
    (
        3,
        "outbox",
        include_str!("../../migrations/postgres/0003_outbox.sql"),
    ),
    (
        4,
        "fourw",
        include_str!("../../migrations/postgres/0004_fourw.sql"),
    ),
    (
        5,
        "coverage_cells",
        include_str!("../../migrations/postgres/0005_coverage_cells.sql"),
    ),
    (
        6,
        "trust",
        include_str!("../../migrations/postgres/0006_trust.sql"),
    ),
    (
        7,
        "invitations_mail",
        include_str!("../../migrations/postgres/0007_invitations_mail.sql"),
    ),
    (
        8,
        "two_factor",
        include_str!("../../migrations/postgres/0008_two_factor.sql"),
    ),
    (
        9,
        "groups",
        include_str!("../../migrations/postgres/0009_groups.sql"),
    ),
    (
        10,
        "meetings",
        include_str!("../../migrations/postgres/0010_meetings.sql"),
    ),
    (
        11,
        "bulletins",
        include_str!("../../migrations/postgres/0011_bulletins.sql"),
    ),
    (
        12,
        "notifications",
        include_str!("../../migrations/postgres/0012_notifications.sql"),
    ),
    (
        13,
        "library",
        include_str!("../../migrations/postgres/0013_library.sql"),
    ),
    (
        14,
        "policy",
        include_str!("../../migrations/postgres/0014_policy.sql"),
    ),
    (
        15,
        "expertise",
        include_str!("../../migrations/postgres/0015_expertise.sql"),
    ),
    (
        16,
        "preferences",
        include_str!("../../migrations/postgres/0016_preferences.sql"),
    ),
    (
        17,
        "kept_uploads",
        include_str!("../../migrations/postgres/0017_kept_uploads.sql"),
    ),
    (
        18,
        "reporting_cycles",
        include_str!("../../migrations/postgres/0018_reporting_cycles.sql"),
    ),
];

/// Create database `name` on the server at `admin_url` and return the URL to reach it.
/// `name` must be a plain identifier (letters, digits, `_`).
pub async fn create_database(admin_url: &str, name: &str) -> Result<String, sqlx::Error> {
    assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    sqlx::any::install_default_drivers();
    let mut c = AnyConnection::connect(admin_url).await?;
    c.execute(format!("CREATE DATABASE {name}").as_str())
        .await?;
    c.close().await?;
    Ok(replace_db_name(admin_url, name))
}

/// Drop database `name` (best effort: used to clean up after tests).
pub async fn drop_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let mut c = AnyConnection::connect(admin_url).await?;
    c.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    c.close().await?;
    Ok(())
}

/// `postgres://u@h:p/old?x` → `postgres://u@h:p/NAME?x`.
pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..path_start], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn replaces_the_database_name() {
        assert_eq!(
            super::replace_db_name("postgres://postgres@127.0.0.1:5432/postgres", "t1"),
            "postgres://postgres@127.0.0.1:5432/t1"
        );
        assert_eq!(
            super::replace_db_name("postgres://h?sslmode=disable", "t1"),
            "postgres://h/t1?sslmode=disable"
        );
    }
}
