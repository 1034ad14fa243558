//! The gazetteer as HXL: OCHA p-code tables (`#adm1+code`, `#adm2+code`,
//! `#adm2+name+i_ar` …) imported below the first-level areas Minbar ships with.
//!
//! Each row describes its deepest level that has a code; the level above, in the same
//! row, is its parent. A first-level code Minbar does not know (a p-code such as `SY07`)
//! is matched by its name to one of the shipped areas (`SY-ID`, إدلب) and recorded as an
//! alias of it, so both schemes work from then on.

use crate::{ExchangeError, ImportReport, RowIssue};
use minbar_core::{AreaCode, AreaDraft, I18nText, Lang};
use minbar_hxl::table::Row;
use minbar_hxl::{Table, TagPattern};
use minbar_store::Store;
use std::collections::HashMap;

fn pattern(s: &str) -> TagPattern {
    TagPattern::parse(s).expect("valid built-in pattern")
}

/// The value of the first column matching `p`, trimmed, if non-empty.
fn value(table: &Table, row: &Row, p: &str) -> Option<(usize, String)> {
    let p = pattern(p);
    table
        .find_all(&p)
        .into_iter()
        .map(|i| (i, row.get(i).trim().to_string()))
        .find(|(_, v)| !v.is_empty())
}

fn names(table: &Table, row: &Row, level: u8) -> I18nText {
    let mut n = I18nText::default();
    let get = |suffix: &str| value(table, row, &format!("adm{level}+name{suffix}")).map(|(_, v)| v);
    n.ar = get("+i_ar");
    n.en = get("+i_en");
    n.tr = get("+i_tr");
    if n.is_empty() {
        if let Some(v) = get("-i_ar-i_en-i_tr") {
            if v.chars().any(minbar_text::arabic::is_arabic) {
                n.ar = Some(v);
            } else {
                n.en = Some(v);
            }
        }
    }
    n
}

/// Import a p-code table. All rows or none; dry runs write nothing.
pub async fn import_areas(
    store: &Store,
    bytes: &[u8],
    dry_run: bool,
) -> Result<ImportReport, ExchangeError> {
    let table = minbar_hxl::read_any(bytes, &minbar_hxl::xlsx::Sheet::default())?;
    if table.find(&pattern("adm1+code")).is_none() && table.find(&pattern("adm2+code")).is_none() {
        return Err(ExchangeError::MissingColumns(
            "#adm1+code, #adm2+code (and their +name columns)".into(),
        ));
    }
    let known = store.list_areas(None, None, None).await?;
    let mut aliases: HashMap<String, String> = store.area_aliases().await?.into_iter().collect();
    let level1: Vec<(String, Vec<String>)> = known
        .iter()
        .filter(|a| a.level == 1)
        .map(|a| {
            let keys = Lang::ALL
                .iter()
                .filter_map(|l| a.name.get_exact(*l))
                .map(minbar_text::name_key)
                .collect();
            (a.code.clone(), keys)
        })
        .collect();
    let exists = |code: &str| known.iter().any(|a| a.code == code);
    let mut report = ImportReport {
        rows: table.rows.len(),
        warnings: table.warnings.clone(),
        ..Default::default()
    };
    let mut drafts = Vec::new();
    let mut new_aliases: Vec<(String, String)> = Vec::new();
    for row in &table.rows {
        let issue = |col: usize, value: &str, code: &str| RowIssue {
            row: row.source_row,
            column: table.columns[col]
                .tag
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default(),
            value: value.to_string(),
            code: code.to_string(),
            candidates: vec![],
        };
        // first-level code: known, already aliased, or matched by name
        let mut adm1: Option<String> = None;
        let issues_before = report.issues.len();
        if let Some((col, raw)) = value(&table, row, "adm1+code") {
            let code = raw.to_ascii_uppercase();
            if exists(&code) {
                adm1 = Some(code);
            } else if let Some(iso) = aliases.get(&code) {
                adm1 = Some(iso.clone());
            } else {
                let name = names(&table, row, 1);
                let keys: Vec<String> = Lang::ALL
                    .iter()
                    .filter_map(|l| name.get_exact(*l))
                    .map(minbar_text::name_key)
                    .collect();
                let hits: Vec<&String> = level1
                    .iter()
                    .filter(|(_, ks)| keys.iter().any(|k| ks.contains(k)))
                    .map(|(c, _)| c)
                    .collect();
                match hits.as_slice() {
                    [one] => {
                        aliases.insert(code.clone(), (*one).clone());
                        new_aliases.push((code, (*one).clone()));
                        adm1 = Some((*one).clone());
                    }
                    [] => report.issues.push(issue(col, &raw, "area_unknown")),
                    many => {
                        let mut i = issue(col, &raw, "area_ambiguous");
                        i.candidates = many.iter().map(|c| c.to_string()).collect();
                        report.issues.push(i);
                    }
                }
            }
        }
        if report.issues.len() > issues_before {
            // the row's first level is not known: one problem is enough
            continue;
        }
        // the deepest level with a code is this row's area
        for level in [3u8, 2] {
            let Some((col, raw)) = value(&table, row, &format!("adm{level}+code")) else {
                continue;
            };
            let code = match AreaCode::parse(&raw) {
                Ok(c) => c,
                Err(e) => {
                    report.issues.push(issue(col, &raw, e.code()));
                    break;
                }
            };
            let parent_raw = if level == 3 {
                value(&table, row, "adm2+code").map(|(_, v)| v.to_ascii_uppercase())
            } else {
                adm1.clone()
            };
            let parent = match parent_raw.map(|p| AreaCode::parse(&p)) {
                Some(Ok(p)) => Some(p),
                Some(Err(_)) | None => {
                    report.issues.push(issue(col, &raw, "area_parent_unknown"));
                    break;
                }
            };
            let name = names(&table, row, level);
            if name.is_empty() {
                report.issues.push(issue(col, &raw, "name_required"));
                break;
            }
            drafts.push((
                row.source_row,
                AreaDraft {
                    code,
                    level: i64::from(level),
                    parent,
                    name,
                },
            ));
            break;
        }
    }
    let dry = dry_run || !report.issues.is_empty();
    let outcome = store.import_areas(&drafts, &new_aliases, dry).await?;
    report.absorb(outcome, |_, field| (field.to_string(), String::new()));
    Ok(report)
}
