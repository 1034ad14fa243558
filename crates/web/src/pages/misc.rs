//! People, sectors and areas pages.

use super::directory::{members_map, Labels};
use super::{name_in, other_names, render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use minbar_core::{Action, PersonId};
use minbar_store::directory::OrgFilter;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "list.html")]
struct ListPage {
    c: Chrome,
    /// Links under the title: (href, label).
    actions: Vec<(String, String)>,
    intro: String,
    search_action: String,
    q: String,
    items: Vec<(String, String, String)>,
    map_svg: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    id: i64,
    version: i64,
    can_edit: bool,
    can_delete: bool,
    other_names: Vec<(String, String, String)>,
    /// (org id, acronym, title, dates, may remove)
    affiliations: Vec<(i64, String, String, String, bool)>,
    committees: Vec<String>,
    contacts: Vec<(String, String, String)>,
}

#[derive(Deserialize)]
pub struct Q {
    q: Option<String>,
}

pub async fn people(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<Q>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let page = st
        .store
        .list_people(q.q.as_deref(), 1, 200)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let items = page
        .items
        .iter()
        .map(|p| {
            let aff = p
                .affiliations
                .first()
                .map(|a| a.org_acronym.clone())
                .unwrap_or_default();
            (format!("/people/{}", p.id), name_in(&p.name, lang).0, aff)
        })
        .collect();
    let view = ListPage {
        c: Chrome::new(&ctx, &ctx.t().get("nav-people")),
        actions: people_actions(&ctx),
        intro: String::new(),
        search_action: "/people".into(),
        q: q.q.unwrap_or_default(),
        items,
        map_svg: String::new(),
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

pub async fn person(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let id = id
        .parse::<i64>()
        .map(PersonId)
        .map_err(|_| PageError::not_found(lang))?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let (name, shown) = name_in(&p.name, lang);
    let options = super::visibility_options(&st, t)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let mut contacts = Vec::new();
    if let Some(e) = p
        .email
        .as_ref()
        .filter(|_| ctx.actor().may_see(p.email_visibility))
    {
        contacts.push((
            t.get("field-email"),
            e.clone(),
            super::visibility_label(&options, p.email_visibility),
        ));
    }
    if let Some(ph) = p
        .phone
        .as_ref()
        .filter(|_| ctx.actor().may_see(p.phone_visibility))
    {
        contacts.push((
            t.get("field-phone"),
            ph.clone(),
            super::visibility_label(&options, p.phone_visibility),
        ));
    }
    let view = PersonPage {
        c: Chrome::new(&ctx, &name),
        id: p.id.0,
        version: p.version,
        can_edit: super::person::require_for(&ctx, Action::PersonEdit, &p).is_ok(),
        can_delete: super::person::require_for(&ctx, Action::PersonDelete, &p).is_ok(),
        other_names: other_names(&p.name, shown),
        affiliations: p
            .affiliations
            .iter()
            .map(|a| {
                let dates = match (&a.from, &a.to) {
                    (Some(f), Some(t)) => format!("{f} – {t}"),
                    (Some(f), None) => format!("{f} –"),
                    _ => String::new(),
                };
                (
                    a.org_id.0,
                    a.org_acronym.clone(),
                    name_in(&a.title, lang).0,
                    dates,
                    ctx.may(Action::PersonEdit, Some(a.org_id)),
                )
            })
            .collect(),
        committees: p.committees.clone(),
        contacts,
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

pub async fn sectors(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let items = sectors
        .iter()
        .map(|s| {
            let meta = if s.custom {
                t.get("sector-custom")
            } else {
                String::new()
            };
            (
                format!("/sectors/{}", s.code),
                s.name.get(lang).to_string(),
                meta,
            )
        })
        .collect();
    let mut actions = vec![];
    if ctx.may(Action::SectorEdit, None) {
        actions.push(("/sectors/new".to_string(), t.get("sector-new")));
    }
    let view = ListPage {
        c: Chrome::new(&ctx, &t.get("sectors-title")),
        actions,
        intro: String::new(),
        search_action: String::new(),
        q: String::new(),
        items,
        map_svg: String::new(),
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

pub async fn areas(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<Q>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let areas = st
        .store
        .list_areas(None, None, q.q.as_deref().filter(|s| !s.trim().is_empty()))
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let items = areas
        .iter()
        .map(|a| {
            (
                format!("/areas/{}", a.code),
                a.name.get(lang).to_string(),
                a.code.clone(),
            )
        })
        .collect();
    let labels = Labels::load(&st, lang).await?;
    let view = ListPage {
        c: Chrome::new(&ctx, &t.get("areas-title")),
        actions: vec![],
        intro: String::new(),
        search_action: "/areas".into(),
        q: q.q.unwrap_or_default(),
        items,
        map_svg: members_map(&st, lang, &labels, None, None).await?,
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

pub async fn area(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let a = st
        .store
        .get_area(&code)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let orgs = st
        .store
        .list_orgs(&OrgFilter {
            area: Some(a.code.clone()),
            per_page: 200,
            sort: Some(lang),
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let mut items: Vec<(String, String, String)> = orgs
        .items
        .iter()
        .map(|o| {
            (
                format!("/organisations/{}", o.id),
                name_in(&o.name, lang).0,
                o.acronym.clone(),
            )
        })
        .collect();
    let children = st
        .store
        .list_areas(None, Some(&a.code), None)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    for ch in children {
        items.push((
            format!("/areas/{}", ch.code),
            ch.name.get(lang).to_string(),
            t.get(&format!("area-level-{}", ch.level.clamp(0, 3))),
        ));
    }
    let labels = Labels::load(&st, lang).await?;
    // the country the area is in: the map shows that country
    let mut country = a.code.clone();
    let mut up = a.parent.clone();
    while let Some(p) = up {
        country = p.clone();
        up = st.store.get_area(&p).await.ok().and_then(|x| x.parent);
    }
    let intro = format!(
        "{} · \u{2068}{}\u{2069} · {}",
        t.get(&format!("area-level-{}", a.level.clamp(0, 3))),
        a.code,
        t.count("directory-count", orgs.total)
    );
    let mut actions = vec![];
    if ctx.may(Action::CoverageRead, None) {
        actions.push((format!("/4w?area={}", a.code), t.get("fw-title")));
    }
    let view = ListPage {
        c: Chrome::new(&ctx, a.name.get(lang)),
        actions,
        intro,
        search_action: String::new(),
        q: String::new(),
        items,
        map_svg: members_map(&st, lang, &labels, Some(&a.code), Some(&country)).await?,
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    c: Chrome,
    ops: Vec<crate::api::openapi::Op>,
}

/// The API explorer: the OpenAPI document rendered as a page (no script, works offline).
pub async fn api_docs(ctx: Ctx) -> Response {
    let view = ApiDocsPage {
        c: Chrome::new(&ctx, &ctx.t().get("api-title")),
        ops: crate::api::openapi::operations(),
    };
    render(&ctx, StatusCode::OK, &view)
}

fn people_actions(ctx: &Ctx) -> Vec<(String, String)> {
    let t = ctx.t();
    let mut v = Vec::new();
    if ctx.may(Action::PersonCreate, None)
        || ctx
            .actor()
            .org
            .is_some_and(|o| ctx.may(Action::PersonCreate, Some(o)))
    {
        v.push(("/people/new".to_string(), t.get("person-add")));
    }
    if ctx.may(Action::DirectoryExport, None) {
        v.push(("/people/export.csv".to_string(), t.get("directory-export")));
        v.push((
            "/people/export.xlsx".to_string(),
            t.get("directory-export-xlsx"),
        ));
    }
    if ctx.may(Action::DirectoryImport, None) {
        v.push(("/directory/import".to_string(), t.get("import-link")));
    }
    v
}

/// A sector: its names, and the organisations working in it.
pub async fn sector(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let lang = ctx.lang;
    let t = ctx.t();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let sector = sectors
        .into_iter()
        .find(|s| s.code == code.to_ascii_lowercase())
        .ok_or_else(|| PageError::not_found(lang))?;
    let orgs = st
        .store
        .list_orgs(&OrgFilter {
            sector: Some(sector.code.clone()),
            per_page: 200,
            sort: Some(lang),
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(lang, e))?;
    let others: Vec<String> = minbar_core::Lang::ALL
        .into_iter()
        .filter(|l| *l != lang)
        .filter_map(|l| {
            sector
                .name
                .get_exact(l)
                .map(|n| format!("\u{2068}{n}\u{2069}"))
        })
        .collect();
    let mut intro = format!(
        "{} · {}",
        others.join(" · "),
        t.count("directory-count", orgs.total)
    );
    if sector.custom {
        intro = format!("{} · {intro}", t.get("sector-custom"));
    }
    let view = ListPage {
        c: Chrome::new(&ctx, sector.name.get(lang)),
        actions: {
            let mut v = vec![
                (
                    format!("/directory?sector={}", sector.code),
                    t.get("nav-directory"),
                ),
                (
                    format!("/sectors/{}/activity-types", sector.code),
                    t.get("types-title"),
                ),
            ];
            if ctx.may(Action::CoverageRead, None) {
                v.push((format!("/4w?sector={}", sector.code), t.get("fw-title")));
            }
            v
        },
        intro,
        search_action: String::new(),
        q: String::new(),
        items: orgs
            .items
            .iter()
            .map(|o| {
                (
                    format!("/organisations/{}", o.id),
                    name_in(&o.name, lang).0,
                    o.acronym.clone(),
                )
            })
            .collect(),
        map_svg: String::new(),
    };
    Ok(render(&ctx, StatusCode::OK, &view))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    kinds: Vec<(String, String, bool)>,
    sectors: Vec<(String, String, bool)>,
    areas: Vec<(String, String, bool)>,
    message: String,
    count_label: String,
    /// (link, title, kind label, snippet html)
    hits: Vec<(String, String, String, String)>,
    prev_link: Option<String>,
    next_link: Option<String>,
}

#[derive(Deserialize)]
pub struct SearchParams {
    q: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    sector: Option<String>,
    area: Option<String>,
    page: Option<String>,
}

/// Where a search hit leads.
pub fn hit_link(kind: &str, id: &str) -> String {
    match kind {
        "organisation" => format!("/organisations/{id}"),
        "person" => format!("/people/{id}"),
        "sector" => format!("/sectors/{id}"),
        "meeting" => format!("/meetings/{id}"),
        "proposal" => format!("/proposals/{id}"),
        "bulletin" => format!("/bulletins/{id}"),
        "document" => format!("/library/{id}"),
        "policy" => format!("/policy/{id}"),
        "expertise" => format!("/expertise/{id}"),
        _ => format!("/areas/{id}"),
    }
}

/// One search box for everything, in the reader's language, as the reader may see it.
pub async fn search(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(p): Query<SearchParams>,
) -> Result<Response, PageError> {
    ctx.require(Action::DirectoryRead, None)?;
    let t = ctx.t();
    let q = p.q.unwrap_or_default();
    let kind = p.kind.filter(|k| !k.is_empty());
    let page: usize = p
        .page
        .and_then(|x| x.trim().parse().ok())
        .unwrap_or(1)
        .clamp(1, 500);
    let labels = Labels::load(&st, ctx.lang).await?;
    let filters = crate::search_sync::Filters {
        kind: kind.clone(),
        sector: p.sector.clone().filter(|s| !s.is_empty()),
        area: p.area.clone().filter(|s| !s.is_empty()),
    };
    let mut view = SearchPage {
        c: Chrome::new(&ctx, &t.get("search-title")),
        sectors: labels
            .sectors
            .iter()
            .map(|(c, n)| {
                (
                    c.clone(),
                    n.clone(),
                    filters.sector.as_deref() == Some(c.as_str()),
                )
            })
            .collect(),
        areas: labels
            .areas
            .iter()
            .map(|(c, n, _)| {
                (
                    c.clone(),
                    n.clone(),
                    filters.area.as_deref() == Some(c.as_str()),
                )
            })
            .collect(),
        q: q.clone(),
        kinds: crate::search_sync::KINDS
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    t.get(&format!("search-kind-{k}")),
                    kind.as_deref() == Some(*k),
                )
            })
            .collect(),
        message: String::new(),
        count_label: String::new(),
        hits: vec![],
        prev_link: None,
        next_link: None,
    };
    if q.trim().is_empty() {
        view.message = t.get("search-empty");
        return Ok(render(&ctx, StatusCode::OK, &view));
    }
    match crate::search_sync::search(&st, &ctx.actor(), &q, &filters, ctx.lang, page).await {
        Ok(r) => {
            if r.total == 0 {
                view.message = t.get("search-none");
            }
            view.count_label = t.count("search-count", r.total as i64);
            let link = |n: usize| {
                let mut s = form_urlencoded::Serializer::new(String::new());
                s.append_pair("q", &q);
                for (k, v) in [
                    ("type", &filters.kind),
                    ("sector", &filters.sector),
                    ("area", &filters.area),
                ] {
                    if let Some(v) = v {
                        s.append_pair(k, v);
                    }
                }
                s.append_pair("page", &n.to_string());
                format!("/search?{}", s.finish())
            };
            view.prev_link = (page > 1).then(|| link(page - 1));
            view.next_link = (page * 20 < r.total).then(|| link(page + 1));
            view.hits = r
                .items
                .into_iter()
                .map(|h| {
                    (
                        hit_link(&h.kind, &h.id),
                        h.title,
                        t.get(&format!("search-kind-{}", h.kind)),
                        h.snippet,
                    )
                })
                .collect();
        }
        Err(e) => {
            tracing::error!(cause = %e, "search failed");
            view.message = t.err("search_unavailable");
        }
    }
    Ok(render(&ctx, StatusCode::OK, &view))
}

fn sector_form(
    ctx: &Ctx,
    input: &[(&'static str, String)],
    errors: &minbar_core::FieldErrors,
) -> super::form::FormPage {
    let t = ctx.t();
    let fields = input
        .iter()
        .map(|(name, value)| super::form::TextField {
            name,
            label: t.get(&format!("sector-field-{name}")),
            value: value.clone(),
            kind: "text",
            dir: if *name == "name_ar" { "rtl" } else { "ltr" },
            hint: if *name == "code" {
                t.get("sector-code-hint")
            } else {
                String::new()
            },
            error: errors.get(name).map(|c| t.err(c)).unwrap_or_default(),
            multiline: false,
        })
        .collect();
    super::form::FormPage {
        c: Chrome::new(ctx, &t.get("sector-new")),
        action: "/sectors".into(),
        cancel: "/sectors".into(),
        version: 0,
        has_errors: !errors.is_empty(),
        intro: t.get("hint-names"),
        fields,
        selects: vec![],
    }
}

const SECTOR_FIELDS: [&str; 4] = ["code", "name_ar", "name_en", "name_tr"];

pub async fn new_sector(ctx: Ctx) -> Result<Response, PageError> {
    ctx.require(Action::SectorEdit, None)?;
    let input: Vec<(&str, String)> = SECTOR_FIELDS.iter().map(|f| (*f, String::new())).collect();
    Ok(render(
        &ctx,
        StatusCode::OK,
        &sector_form(&ctx, &input, &Default::default()),
    ))
}

/// Add a sector of the network's own.
pub async fn create_sector(
    ctx: Ctx,
    State(st): State<AppState>,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    ctx.require(Action::SectorEdit, None)?;
    let mut values: std::collections::HashMap<String, String> =
        form_urlencoded::parse(&body).into_owned().collect();
    let input: Vec<(&str, String)> = SECTOR_FIELDS
        .iter()
        .map(|f| (*f, values.remove(*f).unwrap_or_default()))
        .collect();
    let get = |f: &str| {
        input
            .iter()
            .find(|(k, _)| *k == f)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let again = |e: minbar_core::FieldErrors| {
        Ok(render(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            &sector_form(&ctx, &input, &e),
        ))
    };
    if !ctx.csrf_ok(values.get("csrf").map(String::as_str).unwrap_or("")) {
        let mut e = minbar_core::FieldErrors::default();
        e.push("code", "csrf");
        return again(e);
    }
    let name = minbar_core::I18nText {
        ar: Some(get("name_ar")),
        en: Some(get("name_en")),
        tr: Some(get("name_tr")),
    };
    let (code, name) = match minbar_core::parse_sector(&get("code"), &name) {
        Ok(x) => x,
        Err(e) => return again(e),
    };
    match ctx.store(&st).create_sector(&code, &name).await {
        Ok(()) => {
            st.cache.clear();
            Ok(
                axum::response::Redirect::to(&format!("/sectors/{}", code.as_str()))
                    .into_response(),
            )
        }
        Err(minbar_store::StoreError::Invalid(e)) => again(e),
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}
