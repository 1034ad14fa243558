//! The member directory: filters, the list, the map, and the HXL export.

use super::{name_in, render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::map::{self, Outlines};
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use minbar_core::{Action, Lang, MembershipStatus, OrgKind, Organisation};
use minbar_store::directory::OrgFilter;
use minbar_store::Store;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default, Deserialize)]
pub struct DirQuery {
    q: Option<String>,
    kind: Option<String>,
    sector: Option<String>,
    area: Option<String>,
    status: Option<String>,
    page: Option<String>,
}

pub struct Row {
    id: i64,
    name: String,
    name_lang: &'static str,
    acronym: String,
    kind: String,
    kind_code: &'static str,
    status: String,
    status_code: &'static str,
    sectors: String,
    areas: String,
}

#[derive(Template)]
#[template(path = "directory.html")]
struct DirectoryPage {
    c: Chrome,
    q: String,
    kinds: Vec<(String, String, bool)>,
    statuses: Vec<(String, String, bool)>,
    sectors: Vec<(String, String, bool)>,
    areas: Vec<(String, String, bool)>,
    rows: Vec<Row>,
    count_label: String,
    page_label: String,
    prev_link: Option<String>,
    next_link: Option<String>,
    map_svg: String,
    can_export: bool,
    can_import: bool,
    export_query: String,
}

/// Names of sectors and areas in the reader's language, by code.
pub struct Labels {
    pub sectors: Vec<(String, String)>,
    pub areas: Vec<(String, String, Option<String>)>,
}

impl Labels {
    /// The labels for `lang`, from the state's short-lived cache when fresh.
    pub async fn load(st: &AppState, lang: Lang) -> Result<Arc<Labels>, PageError> {
        if let Some(l) = st.cache.labels(lang) {
            return Ok(l);
        }
        let fresh = Arc::new(Self::read(&st.store, lang).await?);
        st.cache.put_labels(lang, fresh.clone());
        Ok(fresh)
    }

    async fn read(store: &Store, lang: Lang) -> Result<Labels, PageError> {
        let sectors = store
            .list_sectors()
            .await
            .map_err(|e| PageError::store(lang, e))?
            .into_iter()
            .map(|s| (s.code, s.name.get(lang).to_string()))
            .collect();
        let mut areas: Vec<(String, String, Option<String>)> = store
            .list_areas(None, None, None)
            .await
            .map_err(|e| PageError::store(lang, e))?
            .into_iter()
            .filter(|a| a.level <= 1)
            .map(|a| (a.code, a.name.get(lang).to_string(), a.parent))
            .collect();
        let collator = |s: &str| minbar_text::name_key(s);
        areas.sort_by_cached_key(|a| (a.2.clone(), collator(&a.1)));
        Ok(Labels { sectors, areas })
    }
    pub fn sector(&self, code: &str) -> String {
        self.sectors
            .iter()
            .find(|s| s.0 == code)
            .map(|s| s.1.clone())
            .unwrap_or_else(|| code.to_string())
    }
    pub fn area(&self, code: &str) -> String {
        self.areas
            .iter()
            .find(|s| s.0 == code)
            .map(|s| s.1.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

pub fn status_label(t: crate::i18n::Tr, s: MembershipStatus) -> String {
    if s == MembershipStatus::NotApplicable {
        String::new()
    } else {
        t.get(&format!("status-{}", s.code()))
    }
}

pub fn row(o: &Organisation, lang: Lang, labels: &Labels) -> Row {
    let t = crate::i18n::Tr(lang);
    let (name, name_lang) = name_in(&o.name, lang);
    let sep = if lang == Lang::Ar { "، " } else { ", " };
    Row {
        id: o.id.0,
        name,
        name_lang,
        acronym: o.acronym.clone(),
        kind: t.get(&format!("kind-{}", o.kind.code())),
        kind_code: o.kind.code(),
        status: status_label(t, o.membership_status),
        status_code: o.membership_status.code(),
        sectors: o
            .sectors
            .iter()
            .map(|s| labels.sector(s))
            .collect::<Vec<_>>()
            .join(sep),
        areas: o
            .areas
            .iter()
            .map(|s| labels.area(s))
            .collect::<Vec<_>>()
            .join(sep),
    }
}

/// Projected outlines per country (None: every country), computed once: the shapes of
/// first-level areas do not change while Minbar runs.
static OUTLINES: Mutex<Vec<(Option<String>, Arc<Outlines>)>> = Mutex::new(Vec::new());

pub(crate) async fn outlines_for(
    st: &AppState,
    lang: Lang,
    country: Option<&str>,
) -> Result<Arc<Outlines>, PageError> {
    let key = country.map(str::to_string);
    if let Ok(cache) = OUTLINES.lock() {
        if let Some((_, o)) = cache.iter().find(|(k, _)| *k == key) {
            return Ok(o.clone());
        }
    }
    let shapes = st
        .store
        .area_shapes(country)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let o = Arc::new(map::outlines(&shapes));
    if let Ok(mut cache) = OUTLINES.lock() {
        cache.push((key, o.clone()));
    }
    Ok(o)
}

/// The map of first-level areas (of one country, or all) with member counts.
pub async fn members_map(
    st: &AppState,
    lang: Lang,
    labels: &Labels,
    selected: Option<&str>,
    country: Option<&str>,
) -> Result<String, PageError> {
    let store = &st.store;
    let outlines = outlines_for(st, lang, country).await?;
    let counts = match st.cache.members_per_area() {
        Some(c) => c,
        None => {
            let c: HashMap<String, i64> = store
                .members_per_area()
                .await
                .map_err(|e| PageError::store(lang, e))?
                .into_iter()
                .collect();
            let c = Arc::new(c);
            st.cache.put_members_per_area(c.clone());
            c
        }
    };
    let names: HashMap<String, String> = labels
        .areas
        .iter()
        .map(|a| (a.0.clone(), a.1.clone()))
        .collect();
    Ok(map::render(
        &outlines,
        &counts,
        &names,
        crate::i18n::Tr(lang),
        selected,
    ))
}

fn filter_of(q: &DirQuery, lang: Lang) -> OrgFilter {
    let nonempty = |s: &Option<String>| {
        s.as_ref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    OrgFilter {
        q: nonempty(&q.q),
        kind: q.kind.as_deref().and_then(|k| OrgKind::parse(k).ok()),
        status: q
            .status
            .as_deref()
            .and_then(|k| MembershipStatus::parse(k).ok()),
        sector: nonempty(&q.sector),
        area: nonempty(&q.area).map(|a| a.to_ascii_uppercase()),
        page: q
            .page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1),
        per_page: 50,
        sort: Some(lang),
    }
}

pub async fn directory(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<DirQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let t = ctx.t();
    let lang = ctx.lang;
    let f = filter_of(&q, lang);
    let page = st
        .store
        .list_orgs(&f)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let labels = Labels::load(&st, lang).await?;
    let pages = ((page.total + page.per_page - 1) / page.per_page).max(1);
    let link = |p: i64| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &q.q),
            ("kind", &q.kind),
            ("sector", &q.sector),
            ("area", &q.area),
            ("status", &q.status),
        ] {
            if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &p.to_string());
        format!("/directory?{}", s.finish())
    };
    let sel = |v: &Option<String>, code: &str| v.as_deref() == Some(code);
    let view = DirectoryPage {
        c: Chrome::new(&ctx, &t.get("directory-title")),
        q: q.q.clone().unwrap_or_default(),
        kinds: OrgKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().into(),
                    t.get(&format!("kind-{}", k.code())),
                    sel(&q.kind, k.code()),
                )
            })
            .collect(),
        statuses: MembershipStatus::ALL
            .iter()
            .filter(|s| **s != MembershipStatus::NotApplicable)
            .map(|s| {
                (
                    s.code().into(),
                    t.get(&format!("status-{}", s.code())),
                    sel(&q.status, s.code()),
                )
            })
            .collect(),
        sectors: labels
            .sectors
            .iter()
            .map(|(c, n)| (c.clone(), n.clone(), sel(&q.sector, c)))
            .collect(),
        areas: labels
            .areas
            .iter()
            .map(|(c, n, _)| (c.clone(), n.clone(), f.area.as_deref() == Some(c.as_str())))
            .collect(),
        rows: page.items.iter().map(|o| row(o, lang, &labels)).collect(),
        count_label: t.count("directory-count", page.total),
        page_label: crate::i18n::translate(
            lang,
            "page-of",
            &[("page", page.page.into()), ("pages", pages.into())],
        ),
        prev_link: (page.page > 1).then(|| link(page.page - 1)),
        next_link: (page.page < pages).then(|| link(page.page + 1)),
        map_svg: members_map(&st, lang, &labels, f.area.as_deref(), None).await?,
        can_export: ctx.may(Action::DirectoryExport, None),
        can_import: ctx.may(Action::DirectoryImport, None),
        export_query: link(1).trim_start_matches("/directory?").to_string(),
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

/// The directory (with the page's filters) as HXL-tagged CSV or Excel; Excel has the
/// headers in the reader's language and reads right-to-left for Arabic readers.
pub async fn export(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(format): Path<String>,
    Query(q): Query<DirQuery>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryExport, None)?;
    let f = filter_of(&q, ctx.lang);
    let mut table = minbar_exchange::directory::organisations_table(&st.store, f)
        .await
        .map_err(|e| PageError::internal(ctx.lang, e))?;
    let (mime, name, body) = match format.as_str() {
        "export.csv" => {
            let mut out = Vec::new();
            minbar_hxl::csv_io::write_csv(&table, &mut out)
                .map_err(|e| PageError::internal(ctx.lang, e))?;
            ("text/csv; charset=utf-8", "minbar-directory.csv", out)
        }
        "export.xlsx" => {
            let t = ctx.t();
            for (col, (field, _, _)) in table
                .columns
                .iter_mut()
                .zip(minbar_exchange::directory::ORG_COLUMNS)
            {
                col.header = Some(t.get(&format!("field-{field}")));
            }
            let out =
                minbar_hxl::xlsx::write_xlsx(&table, &t.get("directory-title"), ctx.lang.is_rtl())
                    .map_err(|e| PageError::internal(ctx.lang, e))?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "minbar-directory.xlsx",
                out,
            )
        }
        _ => return Err(PageError::not_found(ctx.lang)),
    };
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    can_areas: bool,
    summary: String,
    refused: bool,
    issues: Vec<(usize, String, String, String)>,
    warnings: Vec<String>,
}

pub async fn import_form(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryImport, None)?;
    let page = ImportPage {
        c: Chrome::new(&ctx, &ctx.t().get("import-title")),
        can_areas: ctx.may(Action::AreaEdit, None),
        summary: String::new(),
        refused: false,
        issues: vec![],
        warnings: vec![],
    };
    Ok(render(&ctx, StatusCode::OK, &page))
}

/// Upload an HXL file of organisations: checked, then imported in one transaction.
pub async fn import_upload(
    ctx: Ctx,
    State(st): State<AppState>,
    mut form: axum::extract::Multipart,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryImport, None)?;
    let t = ctx.t();
    let (mut csrf, mut file, mut what) = (String::new(), Vec::new(), String::new());
    let mut opts = minbar_exchange::directory::ImportOptions::default();
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or_default().to_string();
        let Ok(data) = field.bytes().await else {
            return Err(PageError::bad_request(ctx.lang));
        };
        match name.as_str() {
            "csrf" => csrf = String::from_utf8_lossy(&data).into_owned(),
            "file" => file = data.to_vec(),
            "what" => what = String::from_utf8_lossy(&data).into_owned(),
            "dry_run" => opts.dry_run = true,
            "valid_rows_only" => opts.valid_rows_only = true,
            _ => {}
        }
    }
    let mut page = ImportPage {
        c: Chrome::new(&ctx, &t.get("import-title")),
        can_areas: ctx.may(Action::AreaEdit, None),
        summary: String::new(),
        refused: false,
        issues: vec![],
        warnings: vec![],
    };
    if !ctx.csrf_ok(&csrf) {
        page.refused = true;
        page.summary = t.err("csrf");
        return Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let result = match what.as_str() {
        "people" => {
            minbar_exchange::people::import_people(&ctx.store(&st), &file, opts.clone()).await
        }
        "areas" => {
            ctx.require(Action::AreaEdit, None)?;
            minbar_exchange::areas::import_areas(&ctx.store(&st), &file, opts.dry_run).await
        }
        _ => {
            minbar_exchange::directory::import_organisations(&ctx.store(&st), &file, opts.clone())
                .await
        }
    };
    match result {
        Ok(r) => {
            st.cache.clear();
            let n = |k: &str, created: usize, updated: usize| {
                crate::i18n::translate(
                    ctx.lang,
                    k,
                    &[
                        ("created", (created as i64).into()),
                        ("updated", (updated as i64).into()),
                    ],
                )
            };
            page.refused = !r.written && !opts.dry_run;
            page.summary = if r.written {
                n("import-result-written", r.created, r.updated)
            } else if opts.dry_run && r.issues.is_empty() {
                n("import-result-dry", r.created, r.updated)
            } else {
                t.count("import-result-refused", r.issues.len() as i64)
            };
            page.issues = r
                .issues
                .iter()
                .map(|i| {
                    let mut reason = t.err(&i.code);
                    if !i.candidates.is_empty() {
                        reason.push_str(&format!(" ({})", i.candidates.join(", ")));
                    }
                    (
                        i.row,
                        super::column_for_display(&i.column),
                        i.value.clone(),
                        reason,
                    )
                })
                .collect();
            page.warnings = r.warnings;
            let status = if page.refused {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                StatusCode::OK
            };
            Ok(render(&ctx, status, &page))
        }
        Err(minbar_exchange::ExchangeError::Store(e)) => Err(PageError::store(ctx.lang, e)),
        Err(e) => {
            page.refused = true;
            page.summary = e.to_string();
            Ok(render(&ctx, StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
    }
}

/// Everyone in the directory as HXL CSV or Excel, with only the contact details the reader
/// may see.
pub async fn export_people(
    ctx: Ctx,
    State(st): State<AppState>,
    format: &'static str,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryExport, None)?;
    let mut table = minbar_exchange::people::people_table(&st.store, &ctx.actor())
        .await
        .map_err(|e| PageError::internal(ctx.lang, e))?;
    let (mime, name, body) = match format {
        "export.csv" => {
            let mut out = Vec::new();
            minbar_hxl::csv_io::write_csv(&table, &mut out)
                .map_err(|e| PageError::internal(ctx.lang, e))?;
            ("text/csv; charset=utf-8", "minbar-people.csv", out)
        }
        "export.xlsx" => {
            let t = ctx.t();
            for (col, (field, _, _)) in table
                .columns
                .iter_mut()
                .zip(minbar_exchange::people::PEOPLE_COLUMNS)
            {
                col.header = Some(t.get(&format!("field-{field}")));
            }
            let out = minbar_hxl::xlsx::write_xlsx(&table, &t.get("nav-people"), ctx.lang.is_rtl())
                .map_err(|e| PageError::internal(ctx.lang, e))?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "minbar-people.xlsx",
                out,
            )
        }
        _ => return Err(PageError::not_found(ctx.lang)),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}
