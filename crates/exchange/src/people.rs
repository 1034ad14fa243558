//! People as HXL: one row per person and affiliation.

use crate::{ExchangeError, ImportReport, RowIssue};
use minbar_core::*;
use minbar_hxl::table::{Column, Row, Table};
use minbar_hxl::{Hashtag, TagPattern};
use minbar_store::Store;

/// (field, English header, hashtag) of a people table.
pub const PEOPLE_COLUMNS: &[(&str, &str, &str)] = &[
    ("name_ar", "Name (Arabic)", "#contact+name+i_ar"),
    ("name_en", "Name (English)", "#contact+name+i_en"),
    ("org_id", "Organisation", "#org+acronym"),
    ("title_ar", "Title (Arabic)", "#contact+title+i_ar"),
    ("title_en", "Title (English)", "#contact+title+i_en"),
    ("title_tr", "Title (Turkish)", "#contact+title+i_tr"),
    ("from", "From", "#date+start"),
    ("to", "Until", "#date+end"),
    ("email", "E-mail", "#contact+email"),
    (
        "email_visibility",
        "E-mail visible to",
        "#meta+visibility+email",
    ),
    ("phone", "Phone", "#contact+phone"),
    (
        "phone_visibility",
        "Phone visible to",
        "#meta+visibility+phone",
    ),
    ("committees", "Committees", "#group+committee+list"),
];

/// Every person as seen by `actor`: contact details they may not see are left blank.
pub async fn people_table(store: &Store, actor: &Actor) -> Result<Table, ExchangeError> {
    let mut table = Table {
        columns: PEOPLE_COLUMNS
            .iter()
            .map(|(_, h, t)| Column {
                header: Some(h.to_string()),
                tag: Hashtag::parse(t),
            })
            .collect(),
        ..Default::default()
    };
    let mut page = 1;
    loop {
        let p = store.list_people(None, page, 200).await?;
        for person in &p.items {
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            let email = person
                .email
                .clone()
                .filter(|_| actor.may_see(person.email_visibility));
            let phone = person
                .phone
                .clone()
                .filter(|_| actor.may_see(person.phone_visibility));
            let affs: Vec<Option<&Affiliation>> = if person.affiliations.is_empty() {
                vec![None]
            } else {
                person.affiliations.iter().map(Some).collect()
            };
            for a in affs {
                let t = |f: fn(&I18nText) -> &Option<String>| {
                    a.and_then(|a| f(&a.title).clone()).unwrap_or_default()
                };
                table.rows.push(Row {
                    source_row: table.rows.len() + 3,
                    values: vec![
                        s(&person.name.ar),
                        s(&person.name.en),
                        a.map(|a| a.org_acronym.clone()).unwrap_or_default(),
                        t(|n| &n.ar),
                        t(|n| &n.en),
                        t(|n| &n.tr),
                        a.and_then(|a| a.from.clone()).unwrap_or_default(),
                        a.and_then(|a| a.to.clone()).unwrap_or_default(),
                        email.clone().unwrap_or_default(),
                        person.email_visibility.code().to_string(),
                        phone.clone().unwrap_or_default(),
                        person.phone_visibility.code().to_string(),
                        person.committees.join(", "),
                    ],
                });
            }
        }
        if p.page * p.per_page >= p.total {
            break;
        }
        page += 1;
    }
    Ok(table)
}

/// Which input field a column feeds, most specific patterns first.
const MAPPING: &[(&str, &str)] = &[
    ("contact+name+i_ar", "name_ar"),
    ("contact+name+i_en", "name_en"),
    ("contact+name", "name_any"),
    ("org+acronym", "org_id"),
    ("contact+title+i_ar", "title_ar"),
    ("contact+title+i_en", "title_en"),
    ("contact+title+i_tr", "title_tr"),
    ("date+start", "from"),
    ("date+end", "to"),
    ("contact+email", "email"),
    ("meta+visibility+email", "email_visibility"),
    ("contact+phone", "phone"),
    ("meta+visibility+phone", "phone_visibility"),
    ("group+committee", "committees"),
];

fn field_of(tag: &Hashtag) -> Option<&'static str> {
    MAPPING
        .iter()
        .find(|(p, _)| TagPattern::parse(p).is_some_and(|p| p.matches(tag)))
        .map(|(_, f)| *f)
}

/// Import people: every bad row reported, all rows or none unless `valid_rows_only`.
pub async fn import_people(
    store: &Store,
    bytes: &[u8],
    opts: crate::directory::ImportOptions,
) -> Result<ImportReport, ExchangeError> {
    let table = minbar_hxl::read_any(bytes, &minbar_hxl::xlsx::Sheet::default())?;
    let fields: Vec<Option<&str>> = table
        .columns
        .iter()
        .map(|c| c.tag.as_ref().and_then(field_of))
        .collect();
    if !fields
        .iter()
        .any(|f| matches!(f, Some("name_ar" | "name_en" | "name_any")))
    {
        return Err(ExchangeError::MissingColumns(
            "#contact+name (+i_ar or +i_en)".into(),
        ));
    }
    let label = |c: usize| {
        let col = &table.columns[c];
        match (&col.header, &col.tag) {
            (Some(h), Some(t)) if !h.trim().is_empty() => format!("{} {}", h.trim(), t),
            (_, Some(t)) => t.to_string(),
            _ => String::new(),
        }
    };
    let mut report = ImportReport {
        rows: table.rows.len(),
        warnings: table.warnings.clone(),
        ..Default::default()
    };
    let mut drafts = Vec::new();
    for row in &table.rows {
        let mut input = PersonInput::default();
        let before = report.issues.len();
        for (ci, f) in fields.iter().enumerate() {
            let Some(f) = *f else { continue };
            let v = row.get(ci).trim().to_string();
            if v.is_empty() {
                continue;
            }
            match f {
                "name_ar" => input.name_ar = v,
                "name_en" => input.name_en = v,
                "name_any" => {
                    if v.chars().any(minbar_text::arabic::is_arabic) {
                        input.name_ar = v
                    } else {
                        input.name_en = v
                    }
                }
                "org_id" => match store.find_org_by_acronym(&v).await? {
                    Some(o) => input.org_id = Some(o.id.0),
                    None => report.issues.push(RowIssue {
                        row: row.source_row,
                        column: label(ci),
                        value: v,
                        code: "org_unknown".into(),
                        candidates: vec![],
                    }),
                },
                "title_ar" => input.title_ar = v,
                "title_en" => input.title_en = v,
                "title_tr" => input.title_tr = v,
                "from" => input.from = v,
                "to" => input.to = v,
                "email" => input.email = v,
                "email_visibility" => input.email_visibility = v,
                "phone" => input.phone = v,
                "phone_visibility" => input.phone_visibility = v,
                "committees" => {
                    input.committees = v
                        .split([',', ';', '،', '\n'])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                _ => {}
            }
        }
        match PersonDraft::parse(&input) {
            Ok(d) if report.issues.len() == before => drafts.push((row.source_row, d)),
            Ok(_) => {}
            Err(errors) => {
                for (field, code) in errors.0 {
                    let col = fields
                        .iter()
                        .position(|f| *f == Some(field.as_str()))
                        .or_else(|| {
                            field
                                .starts_with("name")
                                .then(|| fields.iter().position(|f| *f == Some("name_any")))
                                .flatten()
                        });
                    report.issues.push(RowIssue {
                        row: row.source_row,
                        column: col.map(label).unwrap_or_else(|| field.clone()),
                        value: col.map(|c| row.get(c).to_string()).unwrap_or_default(),
                        code,
                        candidates: vec![],
                    });
                }
            }
        }
    }
    let dry = opts.dry_run || (!report.issues.is_empty() && !opts.valid_rows_only);
    let outcome = store
        .import_people(&drafts, dry, opts.valid_rows_only)
        .await?;
    report.absorb(outcome, |_, field| (field.to_string(), String::new()));
    Ok(report)
}
