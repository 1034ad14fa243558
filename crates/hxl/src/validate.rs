//! Validation against an HXL schema, as libhxl-python's `hxlvalidate` does it.
//!
//! A schema is itself an HXL table: each row names the columns it applies to
//! (`#valid_tag`, a list of tag patterns) and the tests to run on them:
//!
//! | schema column | test |
//! | --- | --- |
//! | `#valid_required` (yes/no), `#valid_required+min`, `+max` | how many non-empty matching values a row must have |
//! | `#valid_datatype` | `text`, `number`, `url`, `email`, `phone` or `date` |
//! | `#valid_value+min`, `#valid_value+max` | a range: dates for `#date` columns, else numbers, else text |
//! | `#valid_value+list` | allowed values separated by `\|` (case-insensitive unless `#valid_value+case`), with a suggestion for near misses |
//! | `#valid_value+regex` | an unanchored regular expression the value must match |
//! | `#valid_value+whitespace` | no leading, trailing or doubled whitespace |
//! | `#valid_unique` (yes/no) | no value repeated in the matching columns |
//! | `#valid_unique+key` | no row repeated (on the listed patterns, or whole rows when `yes`) |
//! | `#valid_severity` | `error` (default), `warning` or `info` |
//! | `#description` | kept with each issue |
//!
//! Tests libhxl has and this module does not run (`+spelling`, `+outliers`,
//! `#valid_datatype+consistent`, `#valid_correlation`, `#valid_value+url`) are reported as
//! schema warnings, never silently ignored. Issues come out in the reference's order and
//! [`Report::render`] prints them in `hxlvalidate`'s format.

use crate::filters::FilterError;
use crate::table::Table;
use crate::tag::TagPattern;
use crate::values::{normalise_date, normalise_space, normalise_string, parse_number};
use std::collections::{HashMap, HashSet};

/// How serious a rule's failures are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// for information only
    Info,
    /// worth a look; validation still succeeds
    Warning,
    /// validation fails
    Error,
}

impl Severity {
    fn parse(s: &str) -> Option<Severity> {
        match normalise_string(s).as_str() {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }

    /// `info`, `warning` or `error`, as schemas and reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One failure of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// how serious
    pub severity: Severity,
    /// The rule's tag pattern, as written in the schema.
    pub pattern: String,
    /// The data row (1 = the first row under the hashtags), or `None` for the whole dataset.
    pub row: Option<usize>,
    /// The row's line in the source file (headers counted), for people with a spreadsheet open.
    pub source_row: Option<usize>,
    /// The column (0-based) the issue is about, when there is one.
    pub column: Option<usize>,
    /// The value at fault, when there is one.
    pub value: Option<String>,
    /// What is wrong, for a person.
    pub message: String,
    /// A replacement value, when one is close enough to guess.
    pub suggestion: Option<String>,
    /// The rule's `#description`, if it has one.
    pub description: Option<String>,
}

/// The outcome of a validation.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every failure, in the order found.
    pub issues: Vec<Issue>,
    /// Problems with the schema itself (unsupported tests), not with the data.
    pub schema_warnings: Vec<String>,
}

impl Report {
    /// How many issues have severity `s`.
    pub fn count(&self, s: Severity) -> usize {
        self.issues.iter().filter(|i| i.severity == s).count()
    }

    /// True when no issue has severity `error`.
    pub fn is_valid(&self) -> bool {
        self.count(Severity::Error) == 0
    }

    /// The report in `hxlvalidate`'s format, showing issues of `min` severity and above.
    pub fn render(&self, input: &str, schema: &str, min: Severity) -> String {
        let mut s = format!("Validating {input} with schema {schema} ...\n");
        for w in &self.schema_warnings {
            s.push_str(&format!("[schema] {w}\n"));
        }
        for i in self.issues.iter().filter(|i| i.severity >= min) {
            s.push_str(&format!("[{}] ", i.severity.as_str()));
            match i.row {
                Some(r) => s.push_str(&format!("{r},{}: ", i.pattern)),
                None => s.push_str(&format!("<dataset>,{}: ", i.pattern)),
            }
            if let Some(v) = i.value.as_deref().filter(|v| !v.is_empty()) {
                s.push_str(&format!("\"{v}\" "));
            }
            s.push_str(&i.message);
            s.push('\n');
        }
        let (e, w, n) = (
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Info),
        );
        s.push_str(&match min {
            Severity::Info => format!(
                "{} error(s), {} warnings, {} suggestions\n",
                thousands(e),
                thousands(w),
                thousands(n)
            ),
            Severity::Warning => format!("{} error(s), {} warnings\n", thousands(e), thousands(w)),
            Severity::Error => format!("{} error(s)\n", thousands(e)),
        });
        s.push_str(if e > 0 {
            "Validation failed.\n"
        } else {
            "Validation succeeded.\n"
        });
        s
    }
}

fn thousands(n: usize) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datatype {
    Text,
    Number,
    Url,
    Email,
    Phone,
    Date,
}

#[derive(Debug, Clone)]
enum Test {
    Required {
        min: Option<usize>,
        max: Option<usize>,
    },
    Datatype(Datatype),
    Range {
        min: Option<Bound>,
        max: Option<Bound>,
    },
    Whitespace,
    Regex(regex_lite::Regex, String),
    UniqueValue,
    UniqueRow(Option<Vec<TagPattern>>),
    Enumeration {
        case_sensitive: bool,
        /// cooked value → the value as the schema wrote it
        allowed: HashMap<String, String>,
    },
}

#[derive(Debug, Clone)]
struct Bound {
    text: String,
    number: Option<f64>,
    date: Option<String>,
}

impl Bound {
    fn new(raw: &str) -> Bound {
        Bound {
            text: normalise_string(raw),
            number: parse_number(raw),
            date: normalise_date(raw),
        }
    }
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: TagPattern,
    pattern_text: String,
    severity: Severity,
    description: Option<String>,
    tests: Vec<Test>,
}

/// A parsed HXL schema.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    rules: Vec<Rule>,
    warnings: Vec<String>,
}

fn yes_no(s: &str, what: &str) -> Result<bool, FilterError> {
    match normalise_string(s).as_str() {
        "" | "0" | "n" | "no" | "f" | "false" => Ok(false),
        "1" | "y" | "yes" | "t" | "true" => Ok(true),
        other => Err(FilterError(format!(
            "{what}: {other:?} is not yes or no (y, yes, t, true, 1 / n, no, f, false, 0)"
        ))),
    }
}

fn count(s: &str, what: &str) -> Result<Option<usize>, FilterError> {
    let t = s.trim();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse()
        .map(Some)
        .map_err(|_| FilterError(format!("{what}: {t:?} is not a whole number")))
}

impl Schema {
    /// The number of rules (one per tag pattern per schema row).
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Has the schema no rules?
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Read a schema from its table. A schema row whose tests cannot be understood is an
    /// error naming the row; tests this module does not run become warnings.
    pub fn from_table(t: &Table) -> Result<Schema, FilterError> {
        let pat = |s: &str| TagPattern::parse(s).expect("a valid built-in pattern");
        // the first non-empty value in a column matching the pattern, as libhxl's Row.get
        let get = |row: &crate::table::Row, p: &TagPattern| -> Option<String> {
            t.columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.matches(p))
                .map(|(i, _)| row.get(i))
                .find(|v| !v.is_empty())
                .map(str::to_string)
        };
        let p_tag = pat("#valid_tag");
        let p_sev = pat("#valid_severity");
        let p_desc = pat("#description");
        let p_case = pat("#valid_value+case");
        let p_req = pat("#valid_required-min-max");
        let p_min_occ = pat("#valid_required+min");
        let p_max_occ = pat("#valid_required+max");
        let p_type = pat("#valid_datatype-consistent");
        let p_vmin = pat("#valid_value+min");
        let p_vmax = pat("#valid_value+max");
        let p_ws = pat("#valid_value+whitespace");
        let p_re = pat("#valid_value+regex");
        let p_unique = pat("#valid_unique-key");
        let p_key = pat("#valid_unique+key");
        let p_list = pat("#valid_value+list");
        let unsupported = [
            (pat("#valid_value+spelling"), "#valid_value+spelling"),
            (pat("#valid_value+outliers"), "#valid_value+outliers"),
            (
                pat("#valid_datatype+consistent"),
                "#valid_datatype+consistent",
            ),
            (pat("#valid_correlation"), "#valid_correlation"),
            (pat("#valid_value+url"), "#valid_value+url"),
        ];
        if t.find(&p_tag).is_none() {
            return Err(FilterError(
                "the schema has no #valid_tag column: each schema row names the columns it checks in #valid_tag".into(),
            ));
        }
        let mut schema = Schema::default();
        for row in &t.rows {
            let Some(tags) = get(row, &p_tag) else {
                continue;
            };
            let at = |m: String| FilterError(format!("schema line {}: {m}", row.source_row));
            let patterns = TagPattern::parse_list(&tags)
                .ok_or_else(|| at(format!("{tags:?} is not a list of tag patterns")))?;
            let severity = match get(row, &p_sev) {
                Some(s) => Severity::parse(&s)
                    .ok_or_else(|| at(format!("severity {s:?} is not error, warning or info")))?,
                None => Severity::Error,
            };
            let case_sensitive =
                yes_no(&get(row, &p_case).unwrap_or_default(), "#valid_value+case")
                    .map_err(|e| at(e.0))?;
            let mut tests = Vec::new();
            if yes_no(&get(row, &p_req).unwrap_or_default(), "#valid_required")
                .map_err(|e| at(e.0))?
            {
                tests.push(Test::Required {
                    min: Some(1),
                    max: None,
                });
            }
            let min = count(
                &get(row, &p_min_occ).unwrap_or_default(),
                "#valid_required+min",
            )
            .map_err(|e| at(e.0))?;
            let max = count(
                &get(row, &p_max_occ).unwrap_or_default(),
                "#valid_required+max",
            )
            .map_err(|e| at(e.0))?;
            if min.is_some() || max.is_some() {
                tests.push(Test::Required { min, max });
            }
            if let Some(d) = get(row, &p_type) {
                let cleaned: String = d
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_ascii_lowercase() || *c == '_' || *c == '-')
                    .collect();
                let dt = match cleaned.as_str() {
                    "text" => Datatype::Text,
                    "number" => Datatype::Number,
                    "url" => Datatype::Url,
                    "email" => Datatype::Email,
                    "phone" => Datatype::Phone,
                    "date" => Datatype::Date,
                    _ => {
                        return Err(at(format!(
                            "datatype {d:?} is not text, number, url, email, phone or date"
                        )))
                    }
                };
                tests.push(Test::Datatype(dt));
            }
            let (vmin, vmax) = (get(row, &p_vmin), get(row, &p_vmax));
            if vmin.is_some() || vmax.is_some() {
                tests.push(Test::Range {
                    min: vmin.as_deref().map(Bound::new),
                    max: vmax.as_deref().map(Bound::new),
                });
            }
            if yes_no(
                &get(row, &p_ws).unwrap_or_default(),
                "#valid_value+whitespace",
            )
            .map_err(|e| at(e.0))?
            {
                tests.push(Test::Whitespace);
            }
            if let Some(re) = get(row, &p_re) {
                let compiled = regex_lite::RegexBuilder::new(&re)
                    .case_insensitive(!case_sensitive)
                    .build()
                    .map_err(|e| at(format!("regular expression {re:?}: {e}")))?;
                tests.push(Test::Regex(compiled, re));
            }
            if yes_no(&get(row, &p_unique).unwrap_or_default(), "#valid_unique")
                .map_err(|e| at(e.0))?
            {
                tests.push(Test::UniqueValue);
            }
            if let Some(key) = get(row, &p_key) {
                if matches!(
                    normalise_string(&key).as_str(),
                    "y" | "yes" | "t" | "true" | "1"
                ) {
                    tests.push(Test::UniqueRow(None));
                } else {
                    let ps = TagPattern::parse_list(&key)
                        .ok_or_else(|| at(format!("{key:?} is not a list of tag patterns")))?;
                    tests.push(Test::UniqueRow(Some(ps)));
                }
            }
            if let Some(list) = get(row, &p_list) {
                let mut allowed = HashMap::new();
                for v in list.split('|') {
                    let raw = normalise_space(v);
                    let cooked = if case_sensitive {
                        raw.clone()
                    } else {
                        normalise_string(&raw)
                    };
                    allowed.insert(cooked, raw);
                }
                tests.push(Test::Enumeration {
                    case_sensitive,
                    allowed,
                });
            }
            for (p, name) in &unsupported {
                if get(row, p).is_some() {
                    let w = format!(
                        "schema line {}: {name} is not checked by minbar-hxl; the rest of the row is",
                        row.source_row
                    );
                    if !schema.warnings.contains(&w) {
                        schema.warnings.push(w);
                    }
                }
            }
            let description = get(row, &p_desc);
            for p in patterns {
                schema.rules.push(Rule {
                    pattern_text: p.to_string(),
                    pattern: p,
                    severity,
                    description: description.clone(),
                    tests: tests.clone(),
                });
            }
        }
        Ok(schema)
    }

    /// Check `data` against every rule, in the reference's order: dataset-level checks
    /// first, then row by row, rule by rule, test by test.
    pub fn validate(&self, data: &Table) -> Report {
        let mut report = Report {
            issues: Vec::new(),
            schema_warnings: self.warnings.clone(),
        };
        let indices: Vec<Vec<usize>> = self
            .rules
            .iter()
            .map(|r| data.find_all(&r.pattern))
            .collect();
        let issue = |rule: &Rule, message: String| Issue {
            severity: rule.severity,
            pattern: rule.pattern_text.clone(),
            row: None,
            source_row: None,
            column: None,
            value: None,
            message,
            suggestion: None,
            description: rule.description.clone(),
        };
        // whether Required tests run row by row (not when the columns are missing)
        let mut test_rows: Vec<Vec<bool>> = Vec::new();
        for (rule, idx) in self.rules.iter().zip(&indices) {
            let mut flags = Vec::new();
            for test in &rule.tests {
                let mut ok = true;
                if let Test::Required { min: Some(min), .. } = test {
                    if idx.len() < *min {
                        ok = false;
                        report.issues.push(issue(
                            rule,
                            format!("Expected at least {min} matching column(s)"),
                        ));
                    }
                }
                flags.push(ok);
            }
            test_rows.push(flags);
        }
        let mut seen_values: Vec<Vec<HashSet<String>>> = self
            .rules
            .iter()
            .map(|r| vec![HashSet::new(); r.tests.len()])
            .collect();
        for (n, row) in data.rows.iter().enumerate() {
            for (ri, (rule, idx)) in self.rules.iter().zip(&indices).enumerate() {
                for (ti, test) in rule.tests.iter().enumerate() {
                    let at_row =
                        |message: String, column: Option<usize>, value: Option<&str>| Issue {
                            row: Some(n + 1),
                            source_row: Some(row.source_row),
                            column,
                            value: value.map(str::to_string),
                            ..issue(rule, message)
                        };
                    // row-level
                    match test {
                        Test::Required { min, max } if test_rows[ri][ti] => {
                            let mut non_empty = 0;
                            let (mut first_empty, mut last_full) = (None, None);
                            for &i in idx {
                                if row.get(i).trim().is_empty() {
                                    first_empty.get_or_insert(i);
                                } else {
                                    non_empty += 1;
                                    last_full = Some(i);
                                }
                            }
                            if let Some(m) = min.filter(|m| non_empty < *m) {
                                report.issues.push(at_row(
                                    format!("Expected at least {m} matching non-empty value(s)"),
                                    first_empty,
                                    None,
                                ));
                            }
                            if let Some(m) = max.filter(|m| non_empty > *m) {
                                report.issues.push(at_row(
                                    format!("Expected at most {m} matching non-empty value(s)"),
                                    last_full,
                                    None,
                                ));
                            }
                        }
                        Test::UniqueRow(key) => {
                            let cols: Vec<usize> = match key {
                                None => (0..data.columns.len()).collect(),
                                Some(ps) => {
                                    let mut v = Vec::new();
                                    for p in ps {
                                        v.extend(data.find_all(p));
                                    }
                                    v
                                }
                            };
                            let k = cols
                                .iter()
                                .map(|&i| normalise_string(row.get(i)))
                                .collect::<Vec<_>>()
                                .join("\u{1f}");
                            if !seen_values[ri][ti].insert(k.clone()) {
                                let shown: Vec<String> = cols
                                    .iter()
                                    .map(|&i| format!("'{}'", normalise_string(row.get(i))))
                                    .collect();
                                let tuple = if shown.len() == 1 {
                                    format!("({},)", shown[0])
                                } else {
                                    format!("({})", shown.join(", "))
                                };
                                report.issues.push(at_row(
                                    format!("Duplicate row according to key values {tuple}"),
                                    None,
                                    None,
                                ));
                            }
                        }
                        _ => {}
                    }
                    // cell-level, on non-empty matching cells
                    for &i in idx {
                        let v = row.get(i);
                        if v.trim().is_empty() {
                            continue;
                        }
                        let column_tag = data.columns[i].tag.as_ref();
                        let fail: Option<(String, Option<String>)> = match test {
                            Test::Datatype(dt) => check_type(*dt, v).map(|m| (m.to_string(), None)),
                            Test::Range { min, max } => check_range(
                                v,
                                column_tag.is_some_and(|t| t.tag == "date"),
                                min,
                                max,
                            )
                            .map(|m| (m, None)),
                            Test::Whitespace => {
                                let irregular = v.starts_with(char::is_whitespace)
                                    || v.ends_with(char::is_whitespace)
                                    || v.contains(['\t', '\r', '\n'])
                                    || v.chars()
                                        .zip(v.chars().skip(1))
                                        .any(|(a, b)| a.is_whitespace() && b.is_whitespace());
                                irregular.then(|| {
                                    (
                                        "Found extra whitespace".to_string(),
                                        Some(normalise_space(v)),
                                    )
                                })
                            }
                            Test::Regex(re, text) => (!re.is_match(v)).then(|| {
                                (format!("Should match regular expression /{text}/"), None)
                            }),
                            Test::UniqueValue => (!seen_values[ri][ti].insert(normalise_string(v)))
                                .then(|| ("Duplicate value".to_string(), None)),
                            Test::Enumeration {
                                case_sensitive,
                                allowed,
                            } => {
                                let cooked = if *case_sensitive {
                                    normalise_space(v)
                                } else {
                                    normalise_string(v)
                                };
                                (!allowed.contains_key(&cooked)).then(|| {
                                    let suggestion = closest(&cooked, allowed.keys())
                                        .and_then(|k| allowed.get(k).cloned());
                                    ("Value not allowed".to_string(), suggestion)
                                })
                            }
                            Test::Required { .. } | Test::UniqueRow(_) => None,
                        };
                        if let Some((message, suggestion)) = fail {
                            let mut is = at_row(message, Some(i), Some(v));
                            is.suggestion = suggestion;
                            report.issues.push(is);
                        }
                    }
                }
            }
        }
        report
    }
}

fn check_type(dt: Datatype, v: &str) -> Option<&'static str> {
    match dt {
        Datatype::Text => None,
        Datatype::Number => parse_number(v).is_none().then_some("Expected a number"),
        Datatype::Url => {
            let ok = v.split_once("://").is_some_and(|(scheme, rest)| {
                !scheme.is_empty()
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                    && !rest.split(['/', '?', '#']).next().unwrap_or("").is_empty()
            });
            (!ok).then_some("Expected a URL")
        }
        Datatype::Email => {
            let ok = v
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty() && !b.contains('@'));
            (!ok).then_some("Expected an email address")
        }
        Datatype::Phone => {
            let body = v.strip_prefix('+').unwrap_or(v);
            let ok = body.chars().count() >= 5
                && body
                    .chars()
                    .all(|c| c.is_ascii_digit() || "xX()-".contains(c) || c.is_whitespace());
            (!ok).then_some("Expected a phone number")
        }
        Datatype::Date => normalise_date(v).is_none().then_some("Expected a date"),
    }
}

fn check_range(v: &str, is_date: bool, min: &Option<Bound>, max: &Option<Bound>) -> Option<String> {
    let bmin = min.as_ref();
    let bmax = max.as_ref();
    if is_date
        && (bmin.and_then(|b| b.date.as_ref()).is_some()
            || bmax.and_then(|b| b.date.as_ref()).is_some())
    {
        if let Some(d) = normalise_date(v) {
            if let Some(m) = bmin.and_then(|b| b.date.as_ref()).filter(|m| d < **m) {
                return Some(format!("Date must not be before {m}"));
            }
            if let Some(m) = bmax.and_then(|b| b.date.as_ref()).filter(|m| d > **m) {
                return Some(format!("Date must not be after {m}"));
            }
            return None;
        }
    }
    let (nmin, nmax) = (bmin.and_then(|b| b.number), bmax.and_then(|b| b.number));
    if nmin.is_some() || nmax.is_some() {
        if let Some(n) = parse_number(v) {
            if let Some(m) = nmin.filter(|m| n < *m) {
                return Some(format!(
                    "Value must not be less than {}",
                    crate::values::format_number(m)
                ));
            }
            if let Some(m) = nmax.filter(|m| n > *m) {
                return Some(format!(
                    "Value must not be more than {}",
                    crate::values::format_number(m)
                ));
            }
            return None;
        }
    }
    let t = normalise_string(v);
    if let Some(m) = bmin.filter(|m| t < m.text) {
        return Some(format!("Value must not come before {}", m.text));
    }
    if let Some(m) = bmax.filter(|m| t > m.text) {
        return Some(format!("Value must not come after {}", m.text));
    }
    None
}

/// The allowed value nearest to `s` by edit distance, within a third of its length;
/// ties go to the longer common prefix (the reference's rule).
fn closest<'a>(s: &str, allowed: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    let max = s.chars().count() as f64 / 3.0;
    let mut best: Option<(&String, usize, usize)> = None;
    let mut candidates: Vec<&String> = allowed.collect();
    candidates.sort(); // deterministic whatever the hash order
    for a in candidates {
        let d = edit_distance(s, a);
        if d as f64 > max || best.is_some_and(|(_, bd, _)| d > bd) {
            continue;
        }
        let prefix = s.chars().zip(a.chars()).take_while(|(x, y)| x == y).count();
        if best.is_none_or(|(_, bd, bp)| d < bd || (d == bd && prefix > bp)) {
            best = Some((a, d, prefix));
        }
    }
    best.map(|(a, _, _)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::read_csv_text;

    fn run(schema: &str, data: &str) -> Report {
        let s = Schema::from_table(&read_csv_text(schema).unwrap()).unwrap();
        s.validate(&read_csv_text(data).unwrap())
    }

    #[test]
    fn required_list_number_and_suggestion() {
        let r = run(
            "#valid_tag,#valid_required,#valid_value+list,#valid_datatype\n#org,yes,,\n#sector,,WASH|Health|Education,\n#reached,,,number\n",
            "#org,#sector,#reached\nAMAL,WASH,10\n,Helth,x\n",
        );
        let msgs: Vec<_> = r
            .issues
            .iter()
            .map(|i| (i.row, i.message.as_str(), i.suggestion.as_deref()))
            .collect();
        assert_eq!(
            msgs,
            vec![
                (
                    Some(2),
                    "Expected at least 1 matching non-empty value(s)",
                    None
                ),
                (Some(2), "Value not allowed", Some("Health")),
                (Some(2), "Expected a number", None),
            ]
        );
        assert!(!r.is_valid());
        assert!(r
            .render("d", "s", Severity::Info)
            .ends_with("3 error(s), 0 warnings, 0 suggestions\nValidation failed.\n"));
    }

    #[test]
    fn missing_column_is_one_dataset_error() {
        let r = run("#valid_tag,#valid_required\n#adm1,yes\n", "#org\nA\nB\n");
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].row, None);
        assert!(r
            .render("d", "s", Severity::Info)
            .contains("[error] <dataset>,#adm1: Expected at least 1 matching column(s)"));
    }

    #[test]
    fn bad_schema_rows_name_their_line() {
        let t = read_csv_text("#valid_tag,#valid_datatype\n#org,colour\n").unwrap();
        let e = Schema::from_table(&t).unwrap_err();
        assert!(e.0.contains("schema line 2"), "{e}");
        let t = read_csv_text("#org\nA\n").unwrap();
        assert!(Schema::from_table(&t).unwrap_err().0.contains("#valid_tag"));
    }

    #[test]
    fn severity_warning_does_not_fail() {
        let r = run(
            "#valid_tag,#valid_severity,#valid_value+whitespace,#valid_value+spelling\n#org,warning,yes,yes\n",
            "#org\n AMAL\n",
        );
        assert!(r.is_valid());
        assert_eq!(r.count(Severity::Warning), 1);
        assert_eq!(r.issues[0].suggestion.as_deref(), Some("AMAL"));
        assert_eq!(
            r.schema_warnings.len(),
            1,
            "spelling is reported as not checked"
        );
    }
}
