//! Clock helpers: timestamps are UTC seconds in storage.

use std::time::{SystemTime, UNIX_EPOCH};

pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The civil date (UTC) of a Unix timestamp, as `YYYY-MM-DD`.
pub fn date_of(ts: i64) -> String {
    // Howard Hinnant's days-to-civil
    let z = ts.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

pub fn today() -> String {
    date_of(now())
}

/// The highest page number a list answers (beyond it, the last page asked for is this
/// one): keeps `(page - 1) * per_page` far from overflowing whatever a client sends.
pub const MAX_PAGE: i64 = 1_000_000;

#[cfg(test)]
mod tests {
    #[test]
    fn civil_dates() {
        assert_eq!(super::date_of(0), "1970-01-01");
        assert_eq!(super::date_of(1_709_164_800), "2024-02-29");
    }
}
