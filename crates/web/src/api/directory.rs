//! Organisations, people, sectors and areas over JSON.

use super::{if_match, ApiCtx, ApiJson};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use minbar_core::*;
use minbar_store::directory::{OrgFilter, Page};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgListQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub sector: Option<String>,
    pub area: Option<String>,
    /// Read by the language negotiation from the raw query; accepted here so it is not "unknown".
    #[allow(dead_code)]
    pub lang: Option<String>,
}

fn bad_filter(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::BAD_REQUEST, "invalid_filter")
}

fn list_query(
    lang: Lang,
    q: Result<Query<OrgListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<OrgListQuery, ApiError> {
    q.map(|Query(q)| q).map_err(|_| bad_filter(lang))
}

pub async fn list_orgs(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<OrgListQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<Organisation>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let q = list_query(ctx.lang, q)?;
    let lang = ctx.lang;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let f = OrgFilter {
        q: nonempty(q.q),
        kind: nonempty(q.kind)
            .map(|k| OrgKind::parse(&k))
            .transpose()
            .map_err(|_| bad_filter(lang))?,
        status: nonempty(q.status)
            .map(|k| MembershipStatus::parse(&k))
            .transpose()
            .map_err(|_| bad_filter(lang))?,
        sector: nonempty(q.sector),
        area: nonempty(q.area).map(|a| a.to_ascii_uppercase()),
        page: q.page.unwrap_or(1),
        per_page: q.per_page.unwrap_or(50),
        sort: Some(lang),
    };
    let page = st
        .store
        .list_orgs(&f)
        .await
        .map_err(|e| ApiError::store(lang, e))?;
    Ok(Json(page))
}

fn with_etag<T: Serialize>(version: i64, body: &T) -> Response {
    let mut res = Json(body).into_response();
    if let Ok(v) = format!("\"{version}\"").parse() {
        res.headers_mut().insert(header::ETAG, v);
    }
    res
}

fn org_id(lang: Lang, raw: &str) -> Result<OrgId, ApiError> {
    raw.parse::<i64>()
        .map(OrgId)
        .map_err(|_| ApiError::new(lang, StatusCode::NOT_FOUND, "not_found"))
}

pub async fn get_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let id = org_id(ctx.lang, &id)?;
    let o = st
        .store
        .get_org(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(o.version, &o))
}

pub async fn create_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Response, ApiError> {
    ctx.require(Action::OrgCreate, None)?;
    let draft = OrgDraft::parse(&input).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = st
        .store
        .create_org(&draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let o = st
        .store
        .get_org(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(o.version, &o);
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = format!("/api/v1/organisations/{id}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

pub async fn update_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Response, ApiError> {
    let id = org_id(ctx.lang, &id)?;
    ctx.require(Action::OrgEdit, Some(id))?;
    let version = if_match(ctx.lang, &headers)?;
    let draft = OrgDraft::parse(&input).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    st.store
        .update_org(id, version, &draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    let o = st
        .store
        .get_org(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(o.version, &o))
}

pub async fn delete_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let id = org_id(ctx.lang, &id)?;
    ctx.require(Action::OrgDelete, Some(id))?;
    let version = if_match(ctx.lang, &headers)?;
    st.store
        .delete_org(id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
    pub q: Option<String>,
    /// Read by the language negotiation from the raw query; accepted here so it is not "unknown".
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// A person as the API shows them: contact details only where the caller may see them.
#[derive(Debug, Serialize)]
pub struct PersonView {
    pub id: PersonId,
    pub name: I18nText,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    pub committees: Vec<String>,
    pub affiliations: Vec<Affiliation>,
    pub version: i64,
}

fn visible(actor: &Actor, v: Visibility) -> bool {
    match v {
        Visibility::Public => true,
        Visibility::Members => actor.may(Action::MemberContactsRead, None),
        Visibility::Coordinators => actor.may(Action::CoordinatorContactsRead, None),
    }
}

fn person_view(actor: &Actor, p: Person) -> PersonView {
    PersonView {
        id: p.id,
        email: p.email.filter(|_| visible(actor, p.email_visibility)),
        phone: p.phone.filter(|_| visible(actor, p.phone_visibility)),
        name: p.name,
        committees: p.committees,
        affiliations: p.affiliations,
        version: p.version,
    }
}

pub async fn list_people(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<PeopleQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<PersonView>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let Query(q) = q.map_err(|_| bad_filter(ctx.lang))?;
    let page = st
        .store
        .list_people(
            q.q.as_deref(),
            q.page.unwrap_or(1),
            q.per_page.unwrap_or(50),
        )
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(Page {
        items: page
            .items
            .into_iter()
            .map(|p| person_view(&ctx.actor, p))
            .collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

pub async fn get_person(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let id = id
        .parse::<i64>()
        .map(PersonId)
        .map_err(|_| ApiError::new(ctx.lang, StatusCode::NOT_FOUND, "not_found"))?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(p.version, &person_view(&ctx.actor, p)))
}

pub async fn list_sectors(
    ctx: ApiCtx,
    State(st): State<AppState>,
) -> Result<Json<Page<Sector>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let items = st
        .store
        .list_sectors()
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let n = items.len() as i64;
    Ok(Json(Page {
        items,
        total: n,
        page: 1,
        per_page: n.max(1),
    }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaQuery {
    pub level: Option<i64>,
    pub parent: Option<String>,
    pub q: Option<String>,
    /// Read by the language negotiation from the raw query; accepted here so it is not "unknown".
    #[allow(dead_code)]
    pub lang: Option<String>,
}

pub async fn list_areas(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<AreaQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Page<Area>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let Query(q) = q.map_err(|_| bad_filter(ctx.lang))?;
    let parent = q.parent.map(|p| p.to_ascii_uppercase());
    let items = st
        .store
        .list_areas(q.level, parent.as_deref(), q.q.as_deref())
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let n = items.len() as i64;
    Ok(Json(Page {
        items,
        total: n,
        page: 1,
        per_page: n.max(1),
    }))
}

pub async fn get_area(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Area>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let a = st
        .store
        .get_area(&code)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(a))
}

/// A custom sector, as the API takes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectorInput {
    pub code: String,
    pub name: I18nText,
}

pub async fn create_sector(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<SectorInput>,
) -> Result<Response, ApiError> {
    ctx.require(Action::SectorEdit, None)?;
    let mut e = FieldErrors::default();
    let code = e.take("code", SectorCode::parse(&input.code));
    let mut name = I18nText::default();
    for l in Lang::ALL {
        let raw = input.name.get_exact(l).unwrap_or("");
        let v = e
            .take(&format!("name_{}", l.code()), Name::parse_optional(raw))
            .flatten()
            .map(Name::into_inner);
        match l {
            Lang::Ar => name.ar = v,
            Lang::En => name.en = v,
            Lang::Tr => name.tr = v,
        }
    }
    if name.is_empty() && e.get("name_ar").is_none() {
        e.push("name_ar", DomainError::NameRequired.code());
    }
    let code = match code {
        Some(c) if e.is_empty() => c,
        _ => return Err(ApiError::invalid(ctx.lang, e)),
    };
    st.store
        .create_sector(&code, &name)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    let sector = Sector {
        code: code.as_str().to_string(),
        name,
        custom: true,
    };
    Ok((StatusCode::CREATED, Json(sector)).into_response())
}
