//! 4W as HXL: activities and needs in and out, and the mapping step that tags an untagged
//! spreadsheet from its Arabic, Turkish or English headers.

use crate::directory::{column_label, ImportOptions, Resolved, Resolver};
use crate::{ExchangeError, ImportReport, RowIssue};
use minbar_core::*;
use minbar_hxl::table::{Column, Row, Table};
use minbar_hxl::{Hashtag, TagPattern};
use minbar_store::fourw::ActivityFilter;
use minbar_store::Store;
use std::collections::HashMap;

/// The columns of an activities table: (field, English header, Arabic header, hashtag).
/// Export writes them; import reads them and the looser spellings of [`ACTIVITY_MAPPING`].
pub const ACTIVITY_COLUMNS: &[(&str, &str, &str, &str)] = &[
    ("org", "Organisation", "المنظمة", "#org+acronym"),
    (
        "partners",
        "Implementing partners",
        "الشركاء المنفذون",
        "#org+impl",
    ),
    ("donor", "Donor", "الجهة المانحة", "#org+funder"),
    ("period", "Period", "الفترة", "#date+period"),
    ("sector", "Sector", "القطاع", "#sector+code"),
    ("activity_type", "Activity", "النشاط", "#activity+type"),
    ("adm1", "Province", "المحافظة", "#adm1+code"),
    ("area", "Area code", "رمز المنطقة", "#loc+code"),
    ("status", "Status", "الحالة", "#status"),
    ("modality", "Modality", "طريقة التقديم", "#modality"),
    ("start", "Start", "البداية", "#date+start"),
    ("end", "End", "النهاية", "#date+end"),
    (
        "targeted.women",
        "Targeted women",
        "المستهدفون: نساء",
        "#targeted+f+adults",
    ),
    (
        "targeted.men",
        "Targeted men",
        "المستهدفون: رجال",
        "#targeted+m+adults",
    ),
    (
        "targeted.girls",
        "Targeted girls",
        "المستهدفون: فتيات",
        "#targeted+f+children",
    ),
    (
        "targeted.boys",
        "Targeted boys",
        "المستهدفون: فتيان",
        "#targeted+m+children",
    ),
    (
        "targeted.total",
        "Targeted total",
        "المستهدفون: المجموع",
        "#targeted+total",
    ),
    (
        "reached.women",
        "Reached women",
        "الواصلون: نساء",
        "#reached+f+adults",
    ),
    (
        "reached.men",
        "Reached men",
        "الواصلون: رجال",
        "#reached+m+adults",
    ),
    (
        "reached.girls",
        "Reached girls",
        "الواصلون: فتيات",
        "#reached+f+children",
    ),
    (
        "reached.boys",
        "Reached boys",
        "الواصلون: فتيان",
        "#reached+m+children",
    ),
    (
        "reached.total",
        "Reached total",
        "الواصلون: المجموع",
        "#reached+total",
    ),
    ("households", "Households", "الأسر", "#reached+households"),
    ("notes", "Notes", "ملاحظات", "#meta+notes"),
];

/// Patterns tried for each column of an imported activities file, most specific first.
pub const ACTIVITY_MAPPING: &[(&str, &str)] = &[
    ("org+impl", "partners"),
    ("org+partner", "partners"),
    ("org+funder", "donor"),
    ("org+donor", "donor"),
    ("org", "org"),
    ("date+period", "period"),
    ("date+reported", "period"),
    ("date+month", "period"),
    ("date+start", "start"),
    ("date+end", "end"),
    ("sector", "sector"),
    ("activity+modality", "modality"),
    ("activity", "activity_type"),
    ("loc+code", "area"),
    ("adm3", "adm3"),
    ("adm2", "adm2"),
    ("adm1", "adm1"),
    ("status", "status"),
    ("modality", "modality"),
    ("targeted+f+children", "targeted.girls"),
    ("targeted+m+children", "targeted.boys"),
    ("targeted+f", "targeted.women"),
    ("targeted+m", "targeted.men"),
    ("targeted+households", "households_targeted"),
    ("targeted", "targeted.total"),
    ("reached+households", "households"),
    ("reached+hh", "households"),
    ("reached+f+children", "reached.girls"),
    ("reached+m+children", "reached.boys"),
    ("reached+f", "reached.women"),
    ("reached+m", "reached.men"),
    ("reached", "reached.total"),
    ("meta+notes", "notes"),
    ("description", "notes"),
];

/// The columns of a needs table.
pub const NEED_COLUMNS: &[(&str, &str, &str, &str)] = &[
    ("adm1", "Province", "المحافظة", "#adm1+code"),
    ("area", "Area code", "رمز المنطقة", "#loc+code"),
    ("sector", "Sector", "القطاع", "#sector+code"),
    ("period", "Period", "الفترة", "#date+period"),
    (
        "in_need.women",
        "In need: women",
        "المحتاجون: نساء",
        "#inneed+f+adults",
    ),
    (
        "in_need.men",
        "In need: men",
        "المحتاجون: رجال",
        "#inneed+m+adults",
    ),
    (
        "in_need.girls",
        "In need: girls",
        "المحتاجون: فتيات",
        "#inneed+f+children",
    ),
    (
        "in_need.boys",
        "In need: boys",
        "المحتاجون: فتيان",
        "#inneed+m+children",
    ),
    (
        "in_need.total",
        "In need: total",
        "المحتاجون: المجموع",
        "#inneed+total",
    ),
    ("severity", "Severity", "الشدة", "#severity"),
    ("source", "Source", "المصدر", "#meta+source"),
];

const NEED_MAPPING: &[(&str, &str)] = &[
    ("loc+code", "area"),
    ("adm3", "adm3"),
    ("adm2", "adm2"),
    ("adm1", "adm1"),
    ("sector", "sector"),
    ("date+period", "period"),
    ("date+reported", "period"),
    ("date", "period"),
    ("inneed+f+children", "in_need.girls"),
    ("inneed+m+children", "in_need.boys"),
    ("inneed+f", "in_need.women"),
    ("inneed+m", "in_need.men"),
    ("inneed", "in_need.total"),
    ("severity", "severity"),
    ("meta+source", "source"),
];

/// Header words (Arabic, Turkish, English) and the hashtag a column headed so is read as,
/// for files without a hashtag row. Compared as name keys (Arabic-normalised, Turkish and
/// accents folded), the longest match first.
const HEADER_WORDS: &[(&str, &str)] = &[
    // organisation
    ("المنظمة", "#org"),
    ("المنظمة المبلغة", "#org"),
    ("اسم المنظمة", "#org"),
    ("الجهة المنفذة", "#org"),
    ("organisation", "#org"),
    ("organization", "#org"),
    ("reporting organisation", "#org"),
    ("reporting organization", "#org"),
    ("kurulus", "#org"),
    ("kurum", "#org"),
    ("الشركاء المنفذون", "#org+impl"),
    ("الشريك المنفذ", "#org+impl"),
    ("implementing partner", "#org+impl"),
    ("implementing partners", "#org+impl"),
    ("uygulayici ortak", "#org+impl"),
    ("الجهة المانحة", "#org+funder"),
    ("المانح", "#org+funder"),
    ("donor", "#org+funder"),
    ("bagisci", "#org+funder"),
    // when
    ("الفترة", "#date+period"),
    ("الشهر", "#date+period"),
    ("period", "#date+period"),
    ("month", "#date+period"),
    ("reporting period", "#date+period"),
    ("donem", "#date+period"),
    ("ay", "#date+period"),
    ("تاريخ البدء", "#date+start"),
    ("البداية", "#date+start"),
    ("start", "#date+start"),
    ("start date", "#date+start"),
    ("baslangic", "#date+start"),
    ("تاريخ الانتهاء", "#date+end"),
    ("النهاية", "#date+end"),
    ("end", "#date+end"),
    ("end date", "#date+end"),
    ("bitis", "#date+end"),
    // what
    ("القطاع", "#sector"),
    ("sector", "#sector"),
    ("cluster", "#sector"),
    ("sektor", "#sector"),
    ("النشاط", "#activity"),
    ("نوع النشاط", "#activity"),
    ("activity", "#activity"),
    ("activity type", "#activity"),
    ("faaliyet", "#activity"),
    ("الحالة", "#status"),
    ("status", "#status"),
    ("durum", "#status"),
    ("طريقة التقديم", "#modality"),
    ("modality", "#modality"),
    ("yontem", "#modality"),
    // where
    ("المحافظة", "#adm1"),
    ("رمز المحافظة", "#adm1+code"),
    ("governorate", "#adm1"),
    ("province", "#adm1"),
    ("il", "#adm1"),
    ("المنطقة", "#adm2"),
    ("district", "#adm2"),
    ("ilce", "#adm2"),
    ("الناحية", "#adm3"),
    ("sub-district", "#adm3"),
    ("subdistrict", "#adm3"),
    ("رمز المنطقة", "#loc+code"),
    ("area code", "#loc+code"),
    ("p-code", "#loc+code"),
    ("pcode", "#loc+code"),
    // how many
    ("المستهدفون", "#targeted"),
    ("عدد المستهدفين", "#targeted"),
    ("targeted", "#targeted"),
    ("target", "#targeted"),
    ("hedeflenen", "#targeted"),
    ("الواصلون", "#reached"),
    ("المستفيدون", "#reached"),
    ("عدد المستفيدين", "#reached"),
    ("reached", "#reached"),
    ("beneficiaries", "#reached"),
    ("ulasilan", "#reached"),
    ("الأسر", "#reached+households"),
    ("عدد الأسر", "#reached+households"),
    ("households", "#reached+households"),
    ("hane", "#reached+households"),
    ("المحتاجون", "#inneed"),
    ("عدد المحتاجين", "#inneed"),
    ("people in need", "#inneed"),
    ("pin", "#inneed"),
    ("ihtiyac sahibi", "#inneed"),
    ("الشدة", "#severity"),
    ("severity", "#severity"),
    ("siddet", "#severity"),
    ("المصدر", "#meta+source"),
    ("source", "#meta+source"),
    ("kaynak", "#meta+source"),
    ("ملاحظات", "#meta+notes"),
    ("notes", "#meta+notes"),
    ("notlar", "#meta+notes"),
];

/// Disaggregation words that refine a counted column: (word, attribute).
const PEOPLE_WORDS: &[(&str, &str)] = &[
    ("نساء", "+f+adults"),
    ("women", "+f+adults"),
    ("kadin", "+f+adults"),
    ("رجال", "+m+adults"),
    ("men", "+m+adults"),
    ("erkek", "+m+adults"),
    ("فتيات", "+f+children"),
    ("girls", "+f+children"),
    ("kiz", "+f+children"),
    ("فتيان", "+m+children"),
    ("boys", "+m+children"),
    ("erkek cocuk", "+m+children"),
    ("المجموع", "+total"),
    ("total", "+total"),
    ("toplam", "+total"),
];

/// The hashtag a column headed `header` would be read as, if Minbar can tell.
pub fn suggest_tag(header: &str) -> Option<String> {
    let key = minbar_text::name_key(header.replace([':', '-', '(', ')', '/', '_'], " ").as_str());
    if key.is_empty() {
        return None;
    }
    let k = |s: &str| minbar_text::name_key(s);
    // the whole header is a known word
    if let Some((_, t)) = HEADER_WORDS.iter().find(|(w, _)| k(w) == key) {
        return Some(t.to_string());
    }
    // a counted column with a disaggregation: "المستهدفون نساء", "Reached girls"
    let words: Vec<&str> = key.split(' ').collect();
    let mut best: Option<(usize, String)> = None;
    for (w, t) in HEADER_WORDS {
        let wk = k(w);
        let n = wk.split(' ').count();
        let found = words.windows(n).any(|win| win.join(" ") == wk);
        if found && best.as_ref().is_none_or(|(bn, _)| n > *bn) {
            best = Some((n, t.to_string()));
        }
    }
    let (_, mut tag) = best?;
    if ["#targeted", "#reached", "#inneed"].contains(&tag.as_str()) {
        let mut attr: Option<&str> = None;
        let mut attr_len = 0;
        for (w, a) in PEOPLE_WORDS {
            let wk = k(w);
            let n = wk.split(' ').count();
            if n >= attr_len && words.windows(n).any(|win| win.join(" ") == wk) {
                attr = Some(a);
                attr_len = n;
            }
        }
        if let Some(a) = attr {
            tag.push_str(a);
        }
    }
    Some(tag)
}

/// District and sub-district: fields an import reads that an export does not write.
const EXTRA_CHOICES: &[(&str, &str, &str, &str)] = &[
    ("adm2", "District", "المنطقة", "#adm2"),
    ("adm3", "Sub-district", "الناحية", "#adm3"),
];

/// What a column of an untagged activities (or needs) sheet can be read as: (field,
/// English name, Arabic name), in the order of an export's columns.
pub fn column_choices(needs: bool) -> Vec<(&'static str, &'static str, &'static str)> {
    let cols = if needs {
        NEED_COLUMNS
    } else {
        ACTIVITY_COLUMNS
    };
    let mut out: Vec<_> = cols.iter().map(|(f, en, ar, _)| (*f, *en, *ar)).collect();
    let at = out.iter().position(|c| c.0 == "adm1").map_or(0, |i| i + 1);
    for (i, (f, en, ar, _)) in EXTRA_CHOICES.iter().enumerate() {
        out.insert(at + i, (*f, *en, *ar));
    }
    out
}

/// The field a hashtag is read as in an activities (or needs) import.
pub fn field_of_tag(tag: &str, needs: bool) -> Option<&'static str> {
    let tag = Hashtag::parse(tag)?;
    let mapping = if needs {
        NEED_MAPPING
    } else {
        ACTIVITY_MAPPING
    };
    mapping
        .iter()
        .find(|(p, _)| TagPattern::parse(p).is_some_and(|p| p.matches(&tag)))
        .map(|(_, f)| *f)
}

/// The hashtag written for a field of [`column_choices`].
fn tag_of_field(field: &str) -> Option<&'static str> {
    ACTIVITY_COLUMNS
        .iter()
        .chain(NEED_COLUMNS)
        .chain(EXTRA_CHOICES)
        .find(|c| c.0 == field)
        .map(|c| c.3)
}

const NO_HEADER_ROW: &str = "no hashtag row, and no header row Minbar recognises (such as المنظمة، القطاع، المحافظة، المستفيدون or Organisation, Sector, Province, Reached)";

/// Tag an untagged file: find its header row in the first rows (the first where at least
/// two cells are recognised), put a hashtag row under it, and say what each header cell is
/// read as (an empty tag: not read). With `columns` (a field per header cell, chosen by a
/// person), those are used instead of the suggestions, and a file whose header row is not
/// recognised is read with its first non-empty row as the header.
pub fn tag_untagged(
    rows: Vec<(usize, Vec<String>)>,
    columns: Option<&[String]>,
) -> Result<(Table, Vec<(String, String)>), ExchangeError> {
    let header_at = header_row(&rows, columns.is_some())
        .ok_or_else(|| ExchangeError::MissingColumns(NO_HEADER_ROW.into()))?;
    let headers = rows[header_at].1.clone();
    let tags: Vec<String> = match columns {
        None => headers
            .iter()
            .map(|h| suggest_tag(h).unwrap_or_default())
            .collect(),
        Some(fields) => (0..headers.len())
            .map(|i| {
                fields
                    .get(i)
                    .and_then(|f| tag_of_field(f))
                    .unwrap_or_default()
                    .to_string()
            })
            .collect(),
    };
    let mapping = headers.iter().cloned().zip(tags.iter().cloned()).collect();
    let mut out = rows;
    let line = out[header_at].0;
    out.insert(header_at + 1, (line, tags));
    Ok((minbar_hxl::Table::from_rows(out)?, mapping))
}

/// Where an untagged file's header row is: the first of the first rows with two cells
/// Minbar recognises, or (`any`) else the first row with something in it.
fn header_row(rows: &[(usize, Vec<String>)], any: bool) -> Option<usize> {
    let first = rows.iter().take(minbar_hxl::csv_io::HASHTAG_ROW_LIMIT);
    first
        .clone()
        .position(|(_, cells)| cells.iter().filter(|c| suggest_tag(c).is_some()).count() >= 2)
        .or_else(|| {
            any.then(|| {
                first
                    .clone()
                    .position(|(_, c)| c.iter().any(|c| !c.trim().is_empty()))
            })
            .flatten()
        })
}

/// Read a file as a table: tagged as it is, or through [`tag_untagged`] (with the fields
/// a person chose for its columns, if any).
pub fn read_table(
    bytes: &[u8],
    columns: Option<&[String]>,
) -> Result<(Table, Vec<(String, String)>), ExchangeError> {
    let sheet = minbar_hxl::xlsx::Sheet::default();
    match minbar_hxl::read_any(bytes, &sheet) {
        Ok(t) => Ok((t, vec![])),
        Err(minbar_hxl::HxlError::NoHashtagRow { .. }) => {
            tag_untagged(minbar_hxl::read_rows(bytes, &sheet)?, columns)
        }
        Err(e) => Err(e.into()),
    }
}

/// The header cells of an untagged file and the hashtag each would be read as (empty: not
/// read), for a person to confirm or change; `None` for a file with a hashtag row. A file
/// whose header row Minbar does not recognise gets its first non-empty row, nothing read.
pub fn untagged_columns(bytes: &[u8]) -> Result<Option<Vec<(String, String)>>, ExchangeError> {
    let sheet = minbar_hxl::xlsx::Sheet::default();
    match minbar_hxl::read_any(bytes, &sheet) {
        Ok(_) => Ok(None),
        Err(minbar_hxl::HxlError::NoHashtagRow { .. }) => {
            let rows = minbar_hxl::read_rows(bytes, &sheet)?;
            let Some(at) = header_row(&rows, true) else {
                return Ok(Some(vec![]));
            };
            Ok(Some(
                rows[at]
                    .1
                    .iter()
                    .map(|h| (h.clone(), suggest_tag(h).unwrap_or_default()))
                    .collect(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

fn fields_of(table: &Table, mapping: &[(&str, &'static str)]) -> Vec<Option<&'static str>> {
    let patterns: Vec<(TagPattern, &'static str)> = mapping
        .iter()
        .map(|(p, f)| (TagPattern::parse(p).expect("valid built-in pattern"), *f))
        .collect();
    table
        .columns
        .iter()
        .map(|c| {
            c.tag
                .as_ref()
                .and_then(|t| patterns.iter().find(|(p, _)| p.matches(t)).map(|(_, f)| *f))
        })
        .collect()
}

/// Tagged columns an import does not read: each is a warning (row 0: the whole file),
/// with the hashtag it was probably meant to be when one is a letter or two away
/// (`#sectr` → `#sector`).
fn unused_columns(
    table: &Table,
    fields: &[Option<&'static str>],
    mapping: &[(&str, &str)],
) -> Vec<RowIssue> {
    let known: Vec<String> = mapping
        .iter()
        .map(|(p, _)| format!("#{}", p.split('+').next().unwrap_or(p)))
        .collect();
    let distance = |a: &str, b: &str| -> usize {
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
    };
    table
        .columns
        .iter()
        .zip(fields)
        .filter(|(c, f)| c.tag.is_some() && f.is_none())
        .map(|(c, _)| {
            let tag = c
                .tag
                .as_ref()
                .map(|t| format!("#{}", t.tag))
                .unwrap_or_default();
            let near: Vec<String> = known
                .iter()
                .filter(|k| **k != tag && distance(&tag, k) <= 2)
                .cloned()
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect();
            RowIssue {
                row: 0,
                column: column_label(c),
                value: String::new(),
                code: if near.is_empty() {
                    "column_unused"
                } else {
                    "column_misspelled"
                }
                .into(),
                candidates: near,
            }
        })
        .collect()
}

/// Where the store's complaint about `field` on `row` points: the column and the value
/// written there. Rows are read again only for the (few) rows refused.
fn locate(
    table: &Table,
    fields: &[Option<&'static str>],
    index: &std::cell::OnceCell<HashMap<usize, usize>>,
    row: usize,
    field: &str,
) -> (String, String) {
    let index = index.get_or_init(|| {
        table
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.source_row, i))
            .collect()
    });
    let read = index.get(&row).map(|i| read_row(fields, &table.rows[*i]));
    match read.as_ref().and_then(|r| r.values.get(field)) {
        Some((c, v)) => (column_label(&table.columns[*c]), v.clone()),
        None => (field.to_string(), String::new()),
    }
}

/// An organisation found, or why not (a reason code and the candidates).
type OrgFound = Result<OrgId, (&'static str, Vec<String>)>;

/// Organisations by acronym or by name in any language.
struct Orgs {
    by_key: HashMap<String, Vec<(OrgId, String)>>,
    /// Values already looked up, as written: a file names the same organisations often.
    memo: std::cell::RefCell<HashMap<String, OrgFound>>,
}

impl Orgs {
    async fn load(store: &Store) -> Result<Orgs, ExchangeError> {
        let mut by_key: HashMap<String, Vec<(OrgId, String)>> = HashMap::new();
        let mut f = minbar_store::directory::OrgFilter {
            page: 1,
            per_page: minbar_store::directory::OrgFilter::MAX_PER_PAGE,
            ..Default::default()
        };
        loop {
            let page = store.list_orgs(&f).await?;
            for o in &page.items {
                let mut keys = vec![minbar_text::name_key(&o.acronym)];
                for l in Lang::ALL {
                    if let Some(n) = o.name.get_exact(l) {
                        keys.push(minbar_text::name_key(n));
                    }
                }
                keys.sort();
                keys.dedup();
                for k in keys {
                    by_key.entry(k).or_default().push((o.id, o.acronym.clone()));
                }
            }
            if page.page * page.per_page >= page.total {
                break;
            }
            f.page += 1;
        }
        Ok(Orgs {
            by_key,
            memo: Default::default(),
        })
    }

    fn find(&self, v: &str) -> OrgFound {
        if let Some(r) = self.memo.borrow().get(v) {
            return r.clone();
        }
        let r = self.find_uncached(v);
        self.memo.borrow_mut().insert(v.to_string(), r.clone());
        r
    }

    fn find_uncached(&self, v: &str) -> OrgFound {
        match self
            .by_key
            .get(&minbar_text::name_key(v))
            .map(Vec::as_slice)
        {
            Some([(id, _)]) => Ok(*id),
            Some(many) if !many.is_empty() => Err((
                "org_ambiguous",
                many.iter().map(|(_, a)| a.clone()).collect(),
            )),
            _ => Err(("org_unknown", vec![])),
        }
    }
}

/// What one row of a 4W file gave, before the store sees it.
struct RowRead {
    values: HashMap<&'static str, (usize, String)>,
    issues: Vec<RowIssue>,
}

fn read_row(fields: &[Option<&'static str>], row: &Row) -> RowRead {
    let mut values = HashMap::new();
    for (ci, f) in fields.iter().enumerate() {
        let Some(f) = f else { continue };
        let v = row.get(ci).trim();
        if v.is_empty() || values.contains_key(f) {
            continue;
        }
        values.insert(*f, (ci, v.to_string()));
    }
    RowRead {
        values,
        issues: vec![],
    }
}

impl RowRead {
    fn get(&self, f: &str) -> String {
        self.values
            .get(f)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn issue(
        &mut self,
        table: &Table,
        row: usize,
        field: &str,
        code: &str,
        candidates: Vec<String>,
    ) {
        let (column, value) = match self.values.get(field) {
            Some((c, v)) => (column_label(&table.columns[*c]), v.clone()),
            None => (field.to_string(), String::new()),
        };
        self.issues.push(RowIssue {
            row,
            column,
            value,
            code: code.to_string(),
            candidates,
        });
    }

    /// The deepest area given (exact code, then adm3, adm2, adm1), resolved by code or name.
    fn area(&mut self, table: &Table, row: usize, r: &Resolver) -> Option<String> {
        for f in ["area", "adm3", "adm2", "adm1"] {
            let v = self.get(f);
            if v.is_empty() {
                continue;
            }
            return match r.area(&v) {
                Resolved::One(c) => Some(c),
                Resolved::Unknown => {
                    self.issue(table, row, f, "area_unknown", vec![]);
                    None
                }
                Resolved::Ambiguous(c) => {
                    self.issue(table, row, f, "area_ambiguous", c);
                    None
                }
            };
        }
        self.issue(table, row, "adm1", "area_unknown", vec![]);
        None
    }

    fn sector(&mut self, table: &Table, row: usize, r: &Resolver) -> Option<String> {
        let v = self.get("sector");
        match r.sector(&v) {
            Resolved::One(c) => Some(c),
            Resolved::Unknown => {
                self.issue(table, row, "sector", "sector_unknown", vec![]);
                None
            }
            Resolved::Ambiguous(c) => {
                self.issue(table, row, "sector", "sector_ambiguous", c);
                None
            }
        }
    }

    /// Sector and area problems are reported with the value as written, not again as
    /// the domain sees the (empty) resolved code.
    fn already_reported(&self, field: &str) -> bool {
        matches!(field, "sector" | "area")
            && self
                .issues
                .iter()
                .any(|i| i.code.starts_with(&format!("{field}_")))
    }

    fn people(&self, prefix: &str) -> [String; 5] {
        people_fields(prefix).map(|f| self.get(f))
    }

    /// Field errors of the domain, placed on their columns.
    fn absorb(&mut self, table: &Table, row: usize, e: FieldErrors) {
        for (field, code) in e.0 {
            self.issue(table, row, &field, &code, vec![]);
        }
    }
}

/// A row's period (its cell, or the one chosen for the import) in the network's calendar,
/// as the text the domain reads (`YYYY-MM`, a quarter as its first month), with what is
/// wrong with it: `period_wrong` (not the period being imported) or `period_not_in_cycle`
/// (a quarter where the network reports monthly). Text that is no period at all is left
/// for the domain's `period_invalid`.
fn row_period(
    cal: &Calendar,
    opts: &ImportOptions,
    cell: String,
) -> (String, Option<&'static str>) {
    let text = match (cell.is_empty(), opts.period) {
        (true, Some(p)) => p.to_string(),
        _ => cell,
    };
    match cal.parse(&text) {
        Ok(p) => {
            let wrong = opts.period.is_some_and(|want| cal.period_of(want) != p);
            (p.to_string(), wrong.then_some("period_wrong"))
        }
        Err(DomainError::PeriodNotInCycle) => (text, Some("period_not_in_cycle")),
        Err(_) => (text, None),
    }
}

/// The fields an import cannot do without that `fields` (what each column is read as)
/// lack: (field, what the English message says to add).
pub fn missing_fields(
    fields: &[Option<&str>],
    needs: bool,
    opts: &ImportOptions,
) -> Vec<(&'static str, &'static str)> {
    let has = |f: &str| fields.contains(&Some(f));
    let mut missing = Vec::new();
    if !needs && !has("org") && opts.only_org.is_none() {
        missing.push(("org", "#org (acronym or name)"));
    }
    if !has("sector") {
        missing.push(("sector", "#sector"));
    }
    if !(has("area") || has("adm1") || has("adm2") || has("adm3")) {
        missing.push(("adm1", "#adm1 (or #adm2, #adm3, #loc+code)"));
    }
    if needs && !has("in_need.total") && !has("in_need.women") {
        missing.push(("in_need.total", "#inneed"));
    }
    if needs && !has("severity") {
        missing.push(("severity", "#severity"));
    }
    if !has("period") && opts.period.is_none() {
        missing.push((
            "period",
            "#date+period (or choose the period when importing)",
        ));
    }
    missing
}

fn missing_check(
    fields: &[Option<&str>],
    needs: bool,
    opts: &ImportOptions,
) -> Result<(), ExchangeError> {
    let missing = missing_fields(fields, needs, opts);
    if missing.is_empty() {
        return Ok(());
    }
    let say: Vec<&str> = missing.iter().map(|(_, s)| *s).collect();
    Err(ExchangeError::MissingColumns(say.join(", ")))
}

/// Import activities from an HXL-tagged (or recognisably headed) CSV, Excel or JSON file.
/// Organisations are found by acronym or name, areas by code or name, sectors by code or
/// name, Arabic-normalised; ambiguities are reported with their candidates. One
/// transaction: all rows or none (unless `valid_rows_only`); importing the same file
/// again updates what it added and adds nothing.
pub async fn import_activities(
    store: &Store,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, ExchangeError> {
    let started = std::time::Instant::now();
    let (table, mapping) = read_table(bytes, opts.columns.as_deref())?;
    let read = started.elapsed();
    let fields = fields_of(&table, ACTIVITY_MAPPING);
    missing_check(&fields, false, &opts)?;
    let resolver = Resolver::load(store).await?;
    let types = store.activity_types().await?;
    let orgs = Orgs::load(store).await?;
    let cal = store.calendar().await?;
    let mut report = ImportReport {
        rows: table.rows.len(),
        warnings: table.warnings.clone(),
        row_warnings: unused_columns(&table, &fields, ACTIVITY_MAPPING),
        mapping,
        ..Default::default()
    };
    // Rows are checked as the store asks for them, so the check of one batch runs while
    // the database inserts the one before (see `Store::import_activities_from`).
    let failed = std::sync::atomic::AtomicBool::new(false);
    let (table_ref, fields_ref, opts_ref, failed_ref, report_ref) =
        (&table, &fields, &opts, &failed, &mut report);
    let drafts = table.rows.iter().filter_map(move |row| {
        let (table, fields, opts, report) = (table_ref, fields_ref, opts_ref, &mut *report_ref);
        let n = row.source_row;
        let mut r = read_row(fields, row);
        // a template's pre-filled rows that nobody filled in
        if r.values.keys().all(|k| matches!(*k, "org" | "period")) {
            report.rows -= 1;
            return None;
        }
        let org = if r.get("org").is_empty() {
            match opts.only_org {
                Some(o) => Some(o),
                None => {
                    r.issue(table, n, "org", "org_unknown", vec![]);
                    None
                }
            }
        } else {
            match orgs.find(&r.get("org")) {
                Ok(o) => Some(o),
                Err((code, c)) => {
                    r.issue(table, n, "org", code, c);
                    None
                }
            }
        };
        if let (Some(o), Some(only)) = (org, opts.only_org) {
            if o != only {
                r.issue(table, n, "org", "org_not_yours", vec![]);
            }
        }
        let area = r.area(table, n, &resolver);
        let sector = r.sector(table, n, &resolver);
        let (period, wrong) = row_period(&cal, opts, r.get("period"));
        if let Some(code) = wrong {
            r.issue(table, n, "period", code, vec![]);
        }
        let input = ActivityInput {
            period,
            sector: sector.unwrap_or_default(),
            activity_type: r.get("activity_type"),
            area: area.unwrap_or_default(),
            partners: r.get("partners"),
            donor: r.get("donor"),
            start: r.get("start"),
            end: r.get("end"),
            status: r.get("status"),
            modality: r.get("modality"),
            targeted: r.people("targeted"),
            reached: r.people("reached"),
            households: r.get("households"),
            notes: r.get("notes"),
        };
        let parsed = input.parse(org.unwrap_or(OrgId(0)), &types);
        match parsed {
            Ok((d, warnings)) if r.issues.is_empty() && org.is_some() => {
                for w in warnings {
                    let col = if r.values.contains_key("reached.total") {
                        "reached.total"
                    } else {
                        "reached.women"
                    };
                    let (column, value) = match r.values.get(col) {
                        Some((c, v)) => (column_label(&table.columns[*c]), v.clone()),
                        None => ("reached".into(), String::new()),
                    };
                    report.row_warnings.push(RowIssue {
                        row: n,
                        column,
                        value,
                        code: w,
                        candidates: vec![],
                    });
                }
                Some((n, d))
            }
            Ok(_) => {
                failed_ref.store(true, std::sync::atomic::Ordering::Relaxed);
                report.issues.append(&mut r.issues);
                None
            }
            Err(e) => {
                // sector and area errors were reported already, with the value as written
                let (unknown_type, rest): (Vec<_>, Vec<_>) =
                    e.0.into_iter()
                        .filter(|(f, _)| !r.already_reported(f))
                        .partition(|(f, c)| f == "activity_type" && c == "activity_type_unknown");
                if !unknown_type.is_empty() {
                    // the sector's list, as the row's reader may write it
                    let listed = types
                        .of(&input.sector)
                        .map(|t| {
                            let n = &t.name;
                            n.ar.clone()
                                .or(n.en.clone())
                                .unwrap_or_else(|| t.code.clone())
                        })
                        .collect();
                    r.issue(table, n, "activity_type", "activity_type_unknown", listed);
                }
                r.absorb(table, n, FieldErrors(rest));
                failed_ref.store(true, std::sync::atomic::Ordering::Relaxed);
                report.issues.append(&mut r.issues);
                None
            }
        }
    });
    let dry = || {
        let parse_failed = failed.load(std::sync::atomic::Ordering::Relaxed);
        opts.dry_run || (parse_failed && !opts.valid_rows_only)
    };
    let outcome = store
        .import_activities_from(drafts, table.rows.len(), dry, opts.valid_rows_only)
        .await?;
    tracing::debug!(
        rows = table.rows.len(),
        read_ms = read.as_millis() as u64,
        check_and_store_ms = (started.elapsed() - read).as_millis() as u64,
        "activities import"
    );
    let index = std::cell::OnceCell::new();
    report.absorb(outcome, |row, field| {
        locate(&table, &fields, &index, row, field)
    });
    report.issues.sort_by_key(|i| i.row);
    Ok(report)
}

/// Import needs: area, sector, period, people in need, severity, source. As atomic as
/// activities; the same area, sector and period again replaces the figure.
pub async fn import_needs(
    store: &Store,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, ExchangeError> {
    let (table, mapping) = read_table(bytes, opts.columns.as_deref())?;
    let fields = fields_of(&table, NEED_MAPPING);
    missing_check(&fields, true, &opts)?;
    let resolver = Resolver::load(store).await?;
    let cal = store.calendar().await?;
    let mut report = ImportReport {
        rows: table.rows.len(),
        warnings: table.warnings.clone(),
        row_warnings: unused_columns(&table, &fields, NEED_MAPPING),
        mapping,
        ..Default::default()
    };
    let mut drafts = Vec::new();
    for row in &table.rows {
        let n = row.source_row;
        let mut r = read_row(&fields, row);
        let area = r.area(&table, n, &resolver);
        let sector = r.sector(&table, n, &resolver);
        let (period, wrong) = row_period(&cal, &opts, r.get("period"));
        if let Some(code) = wrong {
            r.issue(&table, n, "period", code, vec![]);
        }
        let input = NeedInput {
            area: area.unwrap_or_default(),
            sector: sector.unwrap_or_default(),
            period,
            in_need: r.people("in_need"),
            severity: r.get("severity"),
            source: r.get("source"),
        };
        match input.parse() {
            Ok(d) if r.issues.is_empty() => drafts.push((n, d)),
            Ok(_) => report.issues.append(&mut r.issues),
            Err(e) => {
                let e = FieldErrors(
                    e.0.into_iter()
                        .filter(|(f, _)| !r.already_reported(f))
                        .collect(),
                );
                r.absorb(&table, n, e);
                report.issues.append(&mut r.issues);
            }
        }
    }
    let parse_failed = !report.issues.is_empty();
    let dry = opts.dry_run || (parse_failed && !opts.valid_rows_only);
    let outcome = store
        .import_needs(&drafts, dry, opts.valid_rows_only)
        .await?;
    let index = std::cell::OnceCell::new();
    report.absorb(outcome, |row, field| {
        locate(&table, &fields, &index, row, field)
    });
    report.issues.sort_by_key(|i| i.row);
    Ok(report)
}

/// Header language of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Headers {
    #[default]
    Arabic,
    English,
}

impl Headers {
    /// Arabic headers for Arabic readers, English for the others.
    pub fn for_lang(lang: Lang) -> Headers {
        if lang == Lang::Ar {
            Headers::Arabic
        } else {
            Headers::English
        }
    }

    /// `ar` or `en`, as the command line takes it.
    pub fn parse(s: &str) -> Option<Headers> {
        match s {
            "ar" => Some(Headers::Arabic),
            "en" => Some(Headers::English),
            _ => None,
        }
    }
}

fn header_columns(cols: &[(&str, &str, &str, &str)], h: Headers) -> Vec<Column> {
    cols.iter()
        .map(|(_, en, ar, t)| Column {
            header: Some(match h {
                Headers::Arabic => ar.to_string(),
                Headers::English => en.to_string(),
            }),
            tag: Hashtag::parse(t),
        })
        .collect()
}

/// An activity's cells; the period as the network reads it (`2026-03`, `2026-Q2`).
fn activity_values(a: &Activity, cal: &Calendar) -> Vec<String> {
    let mut i = a.to_input();
    if !cal.changes().is_empty() {
        i.period = cal.label(a.period);
    }
    let mut v = vec![
        a.org_acronym.clone(),
        i.partners,
        i.donor,
        i.period,
        i.sector,
        i.activity_type,
        a.adm1.clone(),
        i.area,
        i.status,
        i.modality,
        i.start,
        i.end,
    ];
    v.extend(i.targeted);
    v.extend(i.reached);
    v.push(i.households);
    v.push(i.notes);
    v
}

/// Activities matching `filter` as an HXL table (for Excel and JSON; CSV streams with
/// [`write_activities_csv`]).
pub async fn activities_table(
    store: &Store,
    filter: &ActivityFilter,
    headers: Headers,
) -> Result<Table, ExchangeError> {
    let cal = store.calendar().await?;
    let mut table = Table {
        columns: header_columns(ACTIVITY_COLUMNS, headers),
        ..Default::default()
    };
    store
        .each_activity(filter, |a| {
            table.rows.push(Row {
                source_row: table.rows.len() + 3,
                values: activity_values(&a, &cal),
            });
            Ok(())
        })
        .await?;
    Ok(table)
}

/// Write activities matching `filter` as HXL-tagged CSV to `out`, a batch at a time: memory
/// stays flat however many there are. Returns how many rows were written.
pub async fn write_activities_csv(
    store: &Store,
    filter: &ActivityFilter,
    headers: Headers,
    out: impl std::io::Write,
) -> Result<usize, ExchangeError> {
    let cal = store.calendar().await?;
    let columns = header_columns(ACTIVITY_COLUMNS, headers);
    let mut w = minbar_hxl::csv_io::RowWriter::new(out, &columns)?;
    let n = store
        .each_activity(filter, |a| {
            w.write(&activity_values(&a, &cal))
                .map_err(|e| minbar_store::StoreError::Other(e.to_string()))
        })
        .await?;
    w.finish()?;
    Ok(n)
}

/// Needs as an HXL table.
pub async fn needs_table(
    store: &Store,
    period: Option<Period>,
    headers: Headers,
) -> Result<Table, ExchangeError> {
    let cal = store.calendar().await?;
    let mut table = Table {
        columns: header_columns(NEED_COLUMNS, headers),
        ..Default::default()
    };
    let n = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_default();
    for need in store.list_needs(period, None, None).await? {
        let p = &need.in_need;
        table.rows.push(Row {
            source_row: table.rows.len() + 3,
            values: vec![
                need.adm1.clone(),
                need.area.clone(),
                need.sector.clone(),
                cal.label(need.period),
                n(p.women),
                n(p.men),
                n(p.girls),
                n(p.boys),
                n(p.total),
                need.severity.get().to_string(),
                need.source.clone().unwrap_or_default(),
            ],
        });
    }
    Ok(table)
}

/// Status and modality as a template offers them, in the header language.
fn choice_labels(headers: Headers) -> (Vec<String>, Vec<String>) {
    match headers {
        Headers::Arabic => (
            ["مخطط له", "قيد التنفيذ", "منجز", "متوقف"]
                .map(String::from)
                .to_vec(),
            ["عيني", "نقدي", "خدمة"].map(String::from).to_vec(),
        ),
        Headers::English => (
            ActivityStatus::ALL
                .iter()
                .map(|s| s.code().to_string())
                .collect(),
            Modality::ALL.iter().map(|m| m.code().to_string()).collect(),
        ),
    }
}

/// A blank 4W workbook for an organisation and a month: the activity columns with their
/// hashtags (frozen), `rows` rows with the organisation and month filled in, and drop-down
/// lists of sectors, activity types, areas, statuses and modalities (names in the header
/// language, which the import reads back). Unfilled rows are skipped on import, so the
/// template imports back as it is.
pub async fn activity_template(
    store: &Store,
    org: Option<OrgId>,
    period: Option<Period>,
    headers: Headers,
    rows: u32,
) -> Result<Vec<u8>, ExchangeError> {
    let lang = match headers {
        Headers::Arabic => Lang::Ar,
        Headers::English => Lang::En,
    };
    let acronym = match org {
        Some(id) => Some(store.get_org(id).await?.acronym),
        None => None,
    };
    let cal = store.calendar().await?;
    let columns = header_columns(ACTIVITY_COLUMNS, headers);
    let col = |f: &str| {
        ACTIVITY_COLUMNS
            .iter()
            .position(|c| c.0 == f)
            .expect("a known column")
    };
    let width = columns.len();
    let prefilled: Vec<Row> = (0..rows)
        .map(|i| {
            let mut values = vec![String::new(); width];
            values[col("org")] = acronym.clone().unwrap_or_default();
            values[col("period")] = period.map(|p| cal.label(p)).unwrap_or_default();
            Row {
                source_row: i as usize + 3,
                values,
            }
        })
        .filter(|r| r.values.iter().any(|v| !v.is_empty()))
        .collect();
    let table = Table {
        columns,
        rows: prefilled,
        ..Default::default()
    };
    let sectors: Vec<String> = store
        .list_sectors()
        .await?
        .into_iter()
        .map(|s| s.name.get(lang).to_string())
        .collect();
    let mut areas: Vec<String> = store
        .list_areas(None, None, None)
        .await?
        .into_iter()
        .filter(|a| a.level >= 1)
        .map(|a| a.name.get(lang).to_string())
        .collect();
    areas.sort_by_cached_key(|a| minbar_text::name_key(a));
    areas.dedup();
    // the sectors' lists, named in the template's language, then free-text types in use
    // in sectors without a list
    let listed = store.activity_types().await?;
    let mut types: Vec<String> = listed
        .all()
        .iter()
        .map(|t| t.name.get(lang).to_string())
        .collect();
    types.extend(
        store
            .activity_types_in_use(200)
            .await?
            .into_iter()
            .filter(|used| listed.all().iter().all(|t| &t.code != used)),
    );
    types.dedup();
    let (statuses, modalities) = choice_labels(headers);
    let title = |f: &str| {
        let c = &ACTIVITY_COLUMNS[col(f)];
        match headers {
            Headers::Arabic => c.2.to_string(),
            Headers::English => c.1.to_string(),
        }
    };
    let drop_downs = vec![
        minbar_hxl::xlsx::DropDown {
            column: col("sector"),
            title: title("sector"),
            values: sectors,
        },
        minbar_hxl::xlsx::DropDown {
            column: col("activity_type"),
            title: title("activity_type"),
            values: types,
        },
        minbar_hxl::xlsx::DropDown {
            column: col("area"),
            title: title("area"),
            values: areas,
        },
        minbar_hxl::xlsx::DropDown {
            column: col("status"),
            title: title("status"),
            values: statuses,
        },
        minbar_hxl::xlsx::DropDown {
            column: col("modality"),
            title: title("modality"),
            values: modalities,
        },
    ];
    let (sheet, lists) = match headers {
        Headers::Arabic => ("4W", "القوائم"),
        Headers::English => ("4W", "Lists"),
    };
    Ok(minbar_hxl::xlsx::write_xlsx_template(
        &table,
        sheet,
        lists,
        headers == Headers::Arabic,
        &drop_downs,
        rows.max(1),
    )?)
}
