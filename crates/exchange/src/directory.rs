//! The directory as HXL: organisations in and out.

use crate::{ExchangeError, ImportReport, RowIssue};
use minbar_core::*;
use minbar_hxl::table::{Column, Row, Table};
use minbar_hxl::{Hashtag, TagPattern};
use minbar_store::directory::OrgFilter;
use minbar_store::Store;

/// The columns of an organisations table: (field, English header, hashtag). Callers may
/// replace the headers with translations keyed by field. Export writes them; import
/// reads them (and a few looser spellings, see [`import_organisations`]).
pub const ORG_COLUMNS: &[(&str, &str, &str)] = &[
    ("acronym", "Acronym", "#org+acronym"),
    ("name_ar", "Name (Arabic)", "#org+name+i_ar"),
    ("name_en", "Name (English)", "#org+name+i_en"),
    ("name_tr", "Name (Turkish)", "#org+name+i_tr"),
    ("kind", "Kind", "#org+type"),
    ("membership_status", "Membership", "#status+membership"),
    ("sectors", "Sectors", "#sector+code+list"),
    ("areas", "Areas of work", "#adm1+code+list"),
    ("hq_area", "Headquarters", "#adm1+code+hq"),
    ("founding_year", "Founded", "#date+year+founded"),
    (
        "registration_country",
        "Registration country",
        "#country+code+registration",
    ),
    (
        "registration_number",
        "Registration number",
        "#org+code+registration",
    ),
    (
        "registration_date",
        "Registration date",
        "#date+registration",
    ),
    ("website", "Website", "#contact+url"),
    ("email", "E-mail", "#contact+email"),
    ("phone", "Phone", "#contact+phone"),
    (
        "description_ar",
        "Description (Arabic)",
        "#description+i_ar",
    ),
    (
        "description_en",
        "Description (English)",
        "#description+i_en",
    ),
    (
        "description_tr",
        "Description (Turkish)",
        "#description+i_tr",
    ),
];

/// The organisations matching `filter`, as an HXL table with [`ORG_COLUMNS`].
pub async fn organisations_table(
    store: &Store,
    mut filter: OrgFilter,
) -> Result<Table, ExchangeError> {
    let mut table = Table {
        columns: ORG_COLUMNS
            .iter()
            .map(|(_, h, t)| Column {
                header: Some(h.to_string()),
                tag: Hashtag::parse(t),
            })
            .collect(),
        ..Default::default()
    };
    filter.page = 1;
    filter.per_page = OrgFilter::MAX_PER_PAGE;
    loop {
        let page = store.list_orgs(&filter).await?;
        for o in &page.items {
            let i = OrgInput::from_org(o);
            let values = vec![
                i.acronym,
                i.name_ar,
                i.name_en,
                i.name_tr,
                i.kind,
                i.membership_status,
                i.sectors.join(","),
                i.areas.join(","),
                i.hq_area,
                i.founding_year,
                i.registration_country,
                i.registration_number,
                i.registration_date,
                i.website,
                i.email,
                i.phone,
                i.description_ar,
                i.description_en,
                i.description_tr,
            ];
            table.rows.push(Row {
                source_row: table.rows.len() + 3,
                values,
            });
        }
        if page.page * page.per_page >= page.total {
            break;
        }
        filter.page += 1;
    }
    Ok(table)
}

/// Which field of [`OrgInput`] a column feeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Acronym,
    NameAr,
    NameEn,
    NameTr,
    NameAny,
    Kind,
    Status,
    Sectors,
    Areas,
    Hq,
    Founded,
    RegCountry,
    RegNumber,
    RegDate,
    Website,
    Email,
    Phone,
    DescAr,
    DescEn,
    DescTr,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::Acronym => "acronym",
            Field::NameAr | Field::NameAny => "name_ar",
            Field::NameEn => "name_en",
            Field::NameTr => "name_tr",
            Field::Kind => "kind",
            Field::Status => "membership_status",
            Field::Sectors => "sectors",
            Field::Areas => "areas",
            Field::Hq => "hq_area",
            Field::Founded => "founding_year",
            Field::RegCountry => "registration_country",
            Field::RegNumber => "registration_number",
            Field::RegDate => "registration_date",
            Field::Website => "website",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::DescAr => "description_ar",
            Field::DescEn => "description_en",
            Field::DescTr => "description_tr",
        }
    }
}

/// Patterns tried for each column, most specific first.
const MAPPING: &[(&str, Field)] = &[
    ("org+acronym", Field::Acronym),
    ("org+name+i_ar", Field::NameAr),
    ("org+name+i_en", Field::NameEn),
    ("org+name+i_tr", Field::NameTr),
    ("org+type", Field::Kind),
    ("org+code+registration", Field::RegNumber),
    ("org-acronym-code-type", Field::NameAny),
    ("status+membership", Field::Status),
    ("status", Field::Status),
    ("sector", Field::Sectors),
    ("adm1+hq", Field::Hq),
    ("adm1", Field::Areas),
    ("adm2", Field::Areas),
    ("adm3", Field::Areas),
    ("date+founded", Field::Founded),
    ("date+registration", Field::RegDate),
    ("country+registration", Field::RegCountry),
    ("contact+url", Field::Website),
    ("contact+email", Field::Email),
    ("contact+phone", Field::Phone),
    ("description+i_ar", Field::DescAr),
    ("description+i_en", Field::DescEn),
    ("description+i_tr", Field::DescTr),
];

fn field_of(tag: &Hashtag) -> Option<Field> {
    MAPPING
        .iter()
        .find(|(p, _)| TagPattern::parse(p).is_some_and(|p| p.matches(tag)))
        .map(|(_, f)| *f)
}

fn split_list(s: &str) -> Vec<String> {
    s.split([',', ';', '|', '،'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// Resolves sector and area values written as codes or as names in any language.
pub(crate) struct Resolver {
    pub(crate) sectors: Vec<(String, Vec<String>)>,
    areas: Vec<(String, Vec<String>)>,
    aliases: Vec<(String, String)>,
    /// Answers already found, by (0 area | 1 sector, value): a file repeats its places.
    memo: std::cell::RefCell<std::collections::HashMap<(u8, String), Resolved>>,
}

#[derive(Clone)]
pub(crate) enum Resolved {
    One(String),
    Unknown,
    Ambiguous(Vec<String>),
}

impl Resolver {
    pub(crate) async fn load(store: &Store) -> Result<Resolver, ExchangeError> {
        let keys = |n: &I18nText| -> Vec<String> {
            Lang::ALL
                .iter()
                .filter_map(|l| n.get_exact(*l))
                .map(minbar_text::name_key)
                .collect()
        };
        let sectors = store
            .list_sectors()
            .await?
            .into_iter()
            .map(|s| {
                let k = keys(&s.name);
                (s.code, k)
            })
            .collect();
        let mut areas: Vec<(String, Vec<String>)> = store
            .list_areas(None, None, None)
            .await?
            .into_iter()
            .map(|a| {
                let mut k = keys(&a.name);
                // "محافظة إدلب" is also "إدلب"; "Idlib Governorate" also "Idlib"
                let bare: Vec<String> = k.iter().filter_map(|n| strip_admin_word(n)).collect();
                k.extend(bare);
                (a.code, k)
            })
            .collect();
        let aliases = store.area_aliases().await?;
        Ok(Resolver {
            sectors,
            areas: {
                areas.sort();
                areas
            },
            aliases,
            memo: Default::default(),
        })
    }

    /// A sector by code or name, remembered.
    pub(crate) fn sector(&self, value: &str) -> Resolved {
        let k = (1, value.to_string());
        if let Some(r) = self.memo.borrow().get(&k) {
            return r.clone();
        }
        let r = Self::find(&self.sectors, value);
        self.memo.borrow_mut().insert(k, r.clone());
        r
    }

    pub(crate) fn area(&self, value: &str) -> Resolved {
        let k = (0, value.to_string());
        if let Some(r) = self.memo.borrow().get(&k) {
            return r.clone();
        }
        let r = self.area_uncached(value);
        self.memo.borrow_mut().insert(k, r.clone());
        r
    }

    fn area_uncached(&self, value: &str) -> Resolved {
        let v = value.trim().to_ascii_uppercase();
        if let Some((_, code)) = self.aliases.iter().find(|(a, _)| *a == v) {
            return Resolved::One(code.clone());
        }
        Self::find(&self.areas, value)
    }

    pub(crate) fn find(list: &[(String, Vec<String>)], value: &str) -> Resolved {
        let v = value.trim();
        if let Some((code, _)) = list.iter().find(|(c, _)| c.eq_ignore_ascii_case(v)) {
            return Resolved::One(code.clone());
        }
        let key = minbar_text::name_key(v);
        let hits: Vec<String> = list
            .iter()
            .filter(|(_, names)| names.contains(&key))
            .map(|(c, _)| c.clone())
            .collect();
        match hits.len() {
            0 => Resolved::Unknown,
            1 => Resolved::One(hits[0].clone()),
            _ => Resolved::Ambiguous(hits),
        }
    }
}

/// A place name without the word for its kind of area, when it has one (on a name key).
fn strip_admin_word(key: &str) -> Option<String> {
    const WORDS: &[&str] = &[
        "محافظه",
        "ولايه",
        "منطقه",
        "ناحيه",
        "governorate",
        "province",
        "district",
        "il",
        "ili",
    ];
    let (first, rest) = key.split_once(' ')?;
    if WORDS.contains(&first) {
        return Some(rest.to_string());
    }
    let (rest, last) = key.rsplit_once(' ')?;
    WORDS.contains(&last).then(|| rest.to_string())
}

fn kind_code(v: &str) -> String {
    let k = minbar_text::name_key(v);
    let aliases: &[(&str, &[&str])] = &[
        (
            "member",
            &[
                "member",
                "member organisation",
                "member organization",
                "منظمه عضو",
                "عضو",
                "uye kurulus",
            ],
        ),
        (
            "partner_body",
            &["partner", "partner body", "جهه شريكه", "ortak kurum"],
        ),
        (
            "ingo",
            &[
                "international ngo",
                "inngo",
                "منظمه دوليه",
                "uluslararasi stk",
            ],
        ),
        (
            "un_agency",
            &["un", "un agency", "وكاله امميه", "bm ajansi"],
        ),
        ("donor", &["donor", "جهه مانحه", "bagisci"]),
        ("authority", &["authority", "جهه رسميه", "resmi makam"]),
    ];
    aliases
        .iter()
        .find(|(code, names)| k == *code || names.iter().any(|n| minbar_text::name_key(n) == k))
        .map(|(c, _)| c.to_string())
        .unwrap_or_else(|| v.trim().to_string())
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write the valid rows even if others have errors (a coordinator's explicit choice).
    pub valid_rows_only: bool,
    /// 4W: every row must be for this period (`period_wrong` otherwise).
    pub period: Option<Period>,
    /// 4W: every row must be for this organisation (a focal point's upload).
    pub only_org: Option<OrgId>,
    /// 4W, a sheet without a hashtag row: the field each column of its header row is read
    /// as (a field of [`crate::activities::column_choices`]; empty: not read), chosen by
    /// the person importing in place of the suggestions.
    pub columns: Option<Vec<String>>,
}

pub(crate) fn column_label(c: &Column) -> String {
    match (&c.header, &c.tag) {
        (Some(h), Some(t)) if !h.trim().is_empty() => format!("{} {}", h.trim(), t),
        (_, Some(t)) => t.to_string(),
        (Some(h), None) => h.clone(),
        (None, None) => String::new(),
    }
}

/// Import organisations from an HXL-tagged CSV file. Existing organisations are matched by
/// acronym and updated; the others are created. One transaction: all rows or none (unless
/// `valid_rows_only`); every bad row reported with its column, value and reason.
pub async fn import_organisations(
    store: &Store,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, ExchangeError> {
    let table = minbar_hxl::read_any(bytes, &minbar_hxl::xlsx::Sheet::default())?;
    let fields: Vec<Option<Field>> = table
        .columns
        .iter()
        .map(|c| c.tag.as_ref().and_then(field_of))
        .collect();
    if !fields.contains(&Some(Field::Acronym)) {
        return Err(ExchangeError::MissingColumns(
            "#org+acronym (the acronym identifies each organisation)".into(),
        ));
    }
    let resolver = Resolver::load(store).await?;
    let mut report = ImportReport {
        rows: table.rows.len(),
        warnings: table.warnings.clone(),
        ..Default::default()
    };
    let mut drafts = Vec::new();
    // where each row's fields came from, to point errors at the right cell
    let mut sources: Vec<(usize, Vec<(Field, usize)>)> = Vec::new();
    for row in &table.rows {
        let mut input = OrgInput::default();
        let mut issues = Vec::new();
        let mut used = Vec::new();
        for (ci, f) in fields.iter().enumerate() {
            let Some(f) = *f else { continue };
            let v = row.get(ci).trim().to_string();
            if v.is_empty() {
                continue;
            }
            used.push((f, ci));
            let mut issue = |code: &str, value: &str, candidates: Vec<String>| {
                issues.push(RowIssue {
                    row: row.source_row,
                    column: column_label(&table.columns[ci]),
                    value: value.to_string(),
                    code: code.to_string(),
                    candidates,
                })
            };
            match f {
                Field::Acronym => input.acronym = v,
                Field::NameAr => input.name_ar = v,
                Field::NameEn => input.name_en = v,
                Field::NameTr => input.name_tr = v,
                Field::NameAny => {
                    if v.chars().any(minbar_text::arabic::is_arabic) {
                        if input.name_ar.is_empty() {
                            input.name_ar = v
                        }
                    } else if input.name_en.is_empty() {
                        input.name_en = v
                    }
                }
                Field::Kind => input.kind = kind_code(&v),
                Field::Status => input.membership_status = v.to_ascii_lowercase(),
                Field::Sectors => {
                    for s in split_list(&v) {
                        match Resolver::find(&resolver.sectors, &s) {
                            Resolved::One(c) => input.sectors.push(c),
                            Resolved::Unknown => issue("sector_unknown", &s, vec![]),
                            Resolved::Ambiguous(c) => issue("sector_ambiguous", &s, c),
                        }
                    }
                }
                Field::Areas | Field::Hq | Field::RegCountry => {
                    for a in split_list(&v) {
                        match resolver.area(&a) {
                            Resolved::One(c) => match f {
                                Field::Areas => input.areas.push(c),
                                Field::Hq => input.hq_area = c,
                                _ => input.registration_country = c,
                            },
                            Resolved::Unknown => issue("area_unknown", &a, vec![]),
                            Resolved::Ambiguous(c) => issue("area_ambiguous", &a, c),
                        }
                    }
                }
                Field::Founded => input.founding_year = v,
                Field::RegNumber => input.registration_number = v,
                Field::RegDate => input.registration_date = v,
                Field::Website => input.website = v,
                Field::Email => input.email = v,
                Field::Phone => input.phone = v,
                Field::DescAr => input.description_ar = v,
                Field::DescEn => input.description_en = v,
                Field::DescTr => input.description_tr = v,
            }
        }
        if input.kind.is_empty() {
            input.kind = "member".into();
        }
        if input.membership_status.is_empty() && input.kind == "member" {
            input.membership_status = "member".into();
        }
        match OrgDraft::parse(&input) {
            Ok(d) if issues.is_empty() => {
                drafts.push((row.source_row, d));
                sources.push((row.source_row, used));
            }
            Ok(_) => report.issues.extend(issues),
            Err(errors) => {
                report.issues.extend(issues);
                for (field, code) in errors.0 {
                    let col = used
                        .iter()
                        .find(|(f, _)| f.name() == field)
                        .map(|(_, c)| *c)
                        .or_else(|| {
                            fields
                                .iter()
                                .position(|f| f.is_some_and(|f| f.name() == field))
                        });
                    report.issues.push(RowIssue {
                        row: row.source_row,
                        column: col
                            .map(|c| column_label(&table.columns[c]))
                            .unwrap_or_else(|| field.clone()),
                        value: col.map(|c| row.get(c).to_string()).unwrap_or_default(),
                        code,
                        candidates: vec![],
                    });
                }
            }
        }
    }
    let parse_failed = !report.issues.is_empty();
    // nothing is written when any row failed to parse, unless asked to import valid rows
    let dry = opts.dry_run || (parse_failed && !opts.valid_rows_only);
    let outcome = store
        .import_orgs(&drafts, dry, opts.valid_rows_only)
        .await?;
    report.absorb(outcome, |row, field| {
        let used = sources
            .iter()
            .find(|(r, _)| *r == row)
            .map(|(_, u)| u.clone())
            .unwrap_or_default();
        let col = used
            .iter()
            .find(|(f, _)| f.name() == field)
            .map(|(_, c)| *c)
            .or_else(|| {
                fields
                    .iter()
                    .position(|f| f.is_some_and(|f| f.name() == field))
            });
        let value = match (col, table.rows.iter().find(|r| r.source_row == row)) {
            (Some(c), Some(r)) => r.get(c).to_string(),
            _ => String::new(),
        };
        (
            col.map(|c| column_label(&table.columns[c]))
                .unwrap_or_else(|| field.to_string()),
            value,
        )
    });
    Ok(report)
}
