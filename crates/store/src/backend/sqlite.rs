//! SQLite specifics: file creation, WAL, foreign keys, busy timeout.

use sqlx::{AnyConnection, AnyPool, Executor};

/// Make sure the URL creates the file when missing.
pub fn connect_url(url: &str) -> String {
    if url.contains("mode=") || url.contains(":memory:") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

/// The URL of a database file at `path`.
pub fn url_for_path(path: &std::path::Path) -> String {
    format!("sqlite://{}", path.display())
}

pub async fn on_connect(c: &mut AnyConnection) -> Result<(), sqlx::Error> {
    // a 64 MiB page cache (grown only as used): a large import spills far fewer pages
    c.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;")
        .await?;
    Ok(())
}

/// Once per database: write-ahead logging, so readers never wait for the writer.
pub async fn on_open(pool: &AnyPool) -> Result<(), sqlx::Error> {
    pool.execute("PRAGMA journal_mode = WAL;").await?;
    Ok(())
}

pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "directory",
        include_str!("../../migrations/sqlite/0001_directory.sql"),
    ),
    (
        2,
        "area_aliases",
        include_str!("../../migrations/sqlite/0002_area_aliases.sql"),
    ),
    (
        3,
        "outbox",
        include_str!("../../migrations/sqlite/0003_outbox.sql"),
    ),
    (
        4,
        "fourw",
        include_str!("../../migrations/sqlite/0004_fourw.sql"),
    ),
    (
        5,
        "coverage_cells",
        include_str!("../../migrations/sqlite/0005_coverage_cells.sql"),
    ),
    (
        6,
        "trust",
        include_str!("../../migrations/sqlite/0006_trust.sql"),
    ),
    (
        7,
        "invitations_mail",
        include_str!("../../migrations/sqlite/0007_invitations_mail.sql"),
    ),
    (
        8,
        "two_factor",
        include_str!("../../migrations/sqlite/0008_two_factor.sql"),
    ),
    (
        9,
        "groups",
        include_str!("../../migrations/sqlite/0009_groups.sql"),
    ),
    (
        10,
        "meetings",
        include_str!("../../migrations/sqlite/0010_meetings.sql"),
    ),
    (
        11,
        "bulletins",
        include_str!("../../migrations/sqlite/0011_bulletins.sql"),
    ),
    (
        12,
        "notifications",
        include_str!("../../migrations/sqlite/0012_notifications.sql"),
    ),
    (
        13,
        "library",
        include_str!("../../migrations/sqlite/0013_library.sql"),
    ),
    (
        14,
        "policy",
        include_str!("../../migrations/sqlite/0014_policy.sql"),
    ),
    (
        15,
        "expertise",
        include_str!("../../migrations/sqlite/0015_expertise.sql"),
    ),
    (
        16,
        "preferences",
        include_str!("../../migrations/sqlite/0016_preferences.sql"),
    ),
    (
        17,
        "kept_uploads",
        include_str!("../../migrations/sqlite/0017_kept_uploads.sql"),
    ),
    (
        18,
        "reporting_cycles",
        include_str!("../../migrations/sqlite/0018_reporting_cycles.sql"),
    ),
];
