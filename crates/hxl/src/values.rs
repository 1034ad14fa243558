//! Value normalisation as the reference implementation does it, for comparing, sorting
//! and aggregating: strings folded (case, accents, whitespace), numbers parsed, dates
//! normalised to ISO 8601.

/// Fold a Latin letter with diacritics to ASCII; other characters are kept.
pub(crate) fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ı' | 'ī' => 'i',
        'ñ' | 'ń' => 'n',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ş' | 'ś' | 'š' => 's',
        'ğ' => 'g',
        'ý' | 'ÿ' => 'y',
        'ž' | 'ź' | 'ż' => 'z',
        _ => c,
    }
}

/// Trim, collapse internal whitespace (line breaks included) to one space.
pub fn normalise_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whitespace normalised, lower-cased, Latin accents folded: the form values are compared in.
pub fn normalise_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalise_into(&mut out, s);
    out
}

/// Append [`normalise_string`]`(s)` to `out` without allocating: the per-row form for
/// grouping and sorting keys. ASCII cells (most of them) take a byte-wise path.
pub fn normalise_into(out: &mut String, s: &str) {
    if s.is_ascii() {
        // the ASCII characters `char::is_whitespace` knows: \t \n \x0B \x0C \r and space
        let ws = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
        let mut first = true;
        for word in s.as_bytes().split(ws).filter(|w| !w.is_empty()) {
            if !first {
                out.push(' ');
            }
            first = false;
            out.extend(word.iter().map(|b| b.to_ascii_lowercase() as char));
        }
        return;
    }
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase).map(fold));
    }
}

/// The value as a number, if it is one (as Python's `float()` would read it).
pub fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim();
    if t.is_empty() {
        return None;
    }
    t.parse::<f64>().ok()
}

/// A number as the reference prints it: whole numbers without a decimal point.
pub fn format_number(n: f64) -> String {
    if n.is_finite() && n == n.trunc() && n.abs() < 1e17 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_of(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            m.starts_with(&w) || (w.len() > 3 && w.starts_with(&m[..3]) && m.starts_with(&w))
        })
        .map(|i| i as u32 + 1)
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn full_year(y: i64, digits: usize) -> i64 {
    if digits <= 2 {
        // as dateutil: two-digit years fall within 50 years of now (2000s here)
        if y < 70 {
            2000 + y
        } else {
            1900 + y
        }
    } else {
        y
    }
}

/// Normalise a date to ISO 8601 (`2015-03-01`, `2015-03`, `2015`, `2015Q1`, `2015W09`).
///
/// Accepted: ISO dates and their year-month, year, quarter and week forms; SQL date-times;
/// numeric dates with `-`, `/` or `.` (day first when ambiguous, as the reference does;
/// month first when the day-first reading is impossible: `03-18-14`); and dates with the
/// month's name in English (`1 March 2015`, `March 31, 2015`, `March 2015`).
pub fn normalise_date(s: &str) -> Option<String> {
    let v = normalise_space(s);
    if v.is_empty() {
        return None;
    }
    let b = v.as_bytes();
    // ISO: YYYY, YYYY-MM, YYYY-MM-DD, YYYYQn, YYYYWnn, and SQL "YYYY-MM-DD hh:mm:ss"
    if b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit) && (b[0] == b'1' || b[0] == b'2') {
        let year: i64 = v[..4].parse().ok()?;
        let rest = &v[4..];
        if rest.is_empty() {
            return Some(format!("{year:04}"));
        }
        let up = rest.to_ascii_uppercase();
        if let Some(q) = up.strip_prefix('Q') {
            let q: u32 = q.parse().ok()?;
            return (1..=4).contains(&q).then(|| format!("{year:04}Q{q}"));
        }
        if let Some(w) = up.strip_prefix('W') {
            let w: u32 = w.parse().ok()?;
            return (1..=53).contains(&w).then(|| format!("{year:04}W{w:02}"));
        }
        if let Some(r) = rest.strip_prefix('-') {
            let date_part = r.split(' ').next().unwrap_or("");
            let time_ok = r.split(' ').nth(1).is_none_or(|t| {
                t.split(':').count() == 3 && t.split(':').all(|x| x.parse::<u32>().is_ok())
            });
            let mut it = date_part.split('-');
            let m: u32 = it.next()?.parse().ok()?;
            match it.next() {
                None if time_ok && !r.contains(' ') => {
                    return (1..=12).contains(&m).then(|| format!("{year:04}-{m:02}"))
                }
                Some(d) if time_ok && it.next().is_none() => {
                    let d: u32 = d.parse().ok()?;
                    return valid(year, m, d).then(|| format!("{year:04}-{m:02}-{d:02}"));
                }
                _ => return None,
            }
        }
    }
    // numeric with separators
    let parts: Vec<&str> = v.split(['-', '/', '.']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
    {
        let n: Vec<i64> = parts.iter().map(|p| p.parse().unwrap_or(0)).collect();
        if parts[0].len() == 4 {
            let (y, m, d) = (n[0], n[1] as u32, n[2] as u32);
            return valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"));
        }
        let y = full_year(n[2], parts[2].len());
        let (a, c) = (n[0] as u32, n[1] as u32);
        // day first, else month first
        for (d, m) in [(a, c), (c, a)] {
            if valid(y, m, d) {
                return Some(format!("{y:04}-{m:02}-{d:02}"));
            }
        }
        return None;
    }
    let words: Vec<&str> = v.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    // day first: "1 March 2015", "01 Mar 2015"
    if let [d, m, y] = words.as_slice() {
        if let (Ok(d), Some(m), Ok(y)) = (d.parse::<u32>(), month_of(m), y.parse::<i64>()) {
            let y = full_year(y, words[2].len());
            return valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"));
        }
    }
    // month name first: "March 31, 2015", "Mar 31 2015", "March 2015"
    if let Some(m) = words.first().and_then(|w| month_of(w)) {
        match words.as_slice() {
            [_, d, y] if d.len() <= 2 && y.len() == 4 => {
                let (d, y): (u32, i64) = (d.parse().ok()?, y.parse().ok()?);
                return valid(y, m, d).then(|| format!("{y:04}-{m:02}-{d:02}"));
            }
            [_, y] if y.len() == 4 => {
                let y: i64 = y.parse().ok()?;
                return Some(format!("{y:04}-{m:02}"));
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(normalise_date("2015-03-01").as_deref(), Some("2015-03-01"));
        assert_eq!(normalise_date("2015-3").as_deref(), Some("2015-03"));
        assert_eq!(normalise_date("2015Q2").as_deref(), Some("2015Q2"));
        assert_eq!(normalise_date("03-18-14").as_deref(), Some("2014-03-18"));
        assert_eq!(normalise_date("19/3/15").as_deref(), Some("2015-03-19"));
        assert_eq!(
            normalise_date("March 31, 2015").as_deref(),
            Some("2015-03-31")
        );
        assert_eq!(
            normalise_date("1 March 2015").as_deref(),
            Some("2015-03-01")
        );
        assert_eq!(normalise_date("2015-02-30"), None);
        assert_eq!(normalise_date("WASH"), None);
        assert_eq!(normalise_date(""), None);
    }

    #[test]
    fn the_byte_wise_path_normalises_as_the_general_one() {
        for s in [
            "  WASH ",
            "Food\tSecurity\r\n",
            "a\x0Bb\x0Cc",
            "",
            "   ",
            "Éducation  Básica",
            "ıİ Şş",
            "إدلب  ",
            "A\u{a0}B",
            "x\u{85}y",
            "MiXeD 12,5",
        ] {
            let general: String = s
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .chars()
                .flat_map(char::to_lowercase)
                .map(fold)
                .collect();
            assert_eq!(normalise_string(s), general, "{s:?}");
        }
    }

    #[test]
    fn strings_and_numbers() {
        assert_eq!(
            normalise_string("  Educación \n Básica "),
            "educacion basica"
        );
        assert_eq!(format_number(200.0), "200");
        assert_eq!(format_number(87.5), "87.5");
        assert_eq!(parse_number(" 12 "), Some(12.0));
        assert_eq!(parse_number(""), None);
    }
}
