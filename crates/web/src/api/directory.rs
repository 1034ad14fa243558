//! Organisations, people, sectors and areas over JSON.

use super::openapi::ErrorBody;
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

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OrgListQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
    /// Name (any language) or acronym; Arabic-normalised, Turkish letters optional.
    pub q: Option<String>,
    /// member, partner_body, ingo, un_agency, donor or authority.
    pub kind: Option<String>,
    /// applicant, member, suspended, former or not_applicable.
    pub status: Option<String>,
    /// A sector code, e.g. `wash`.
    pub sector: Option<String>,
    /// An area code (ISO 3166-2 or p-code); areas below it count too.
    pub area: Option<String>,
    /// ar, en or tr: the language of error messages (else Accept-Language, else Arabic).
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

/// List organisations, filtered and paged.
#[utoipa::path(get, path = "/organisations", tag = "directory", params(OrgListQuery),
    responses((status = 200, body = Page<Organisation>), (status = 400, description = "invalid_filter", body = ErrorBody)))]
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

/// One organisation. The `ETag` header carries its version, for `If-Match`.
#[utoipa::path(get, path = "/organisations/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = Organisation), (status = 404, description = "not_found", body = ErrorBody)))]
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

/// Create an organisation (coordinators). Every field is text as a form would send it;
/// `founding_year` may also be a number.
#[utoipa::path(post, path = "/organisations", tag = "directory", request_body = OrgInput,
    responses((status = 201, body = Organisation), (status = 400, description = "malformed_json, unknown_field", body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, description = "a field is invalid: its code, and every field at fault", body = ErrorBody)))]
pub async fn create_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<OrgInput>,
) -> Result<Response, ApiError> {
    ctx.require(Action::OrgCreate, None)?;
    let draft = OrgDraft::parse(&input).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = ctx
        .store(&st)
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

/// Replace an organisation's fields. Send the version read in `If-Match`.
#[utoipa::path(put, path = "/organisations/{id}", tag = "directory", request_body = OrgInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"3\"")),
    responses((status = 200, body = Organisation), (status = 409, description = "conflict: changed since read", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 428, description = "version_required", body = ErrorBody)))]
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
    ctx.store(&st)
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

/// Delete an organisation (coordinators). Send the version read in `If-Match`.
#[utoipa::path(delete, path = "/organisations/{id}", tag = "directory",
    params(("id" = i64, Path), ("If-Match" = String, Header)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete_org(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let id = org_id(ctx.lang, &id)?;
    ctx.require(Action::OrgDelete, Some(id))?;
    let version = if_match(ctx.lang, &headers)?;
    ctx.store(&st)
        .delete_org(id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    st.cache.clear();
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeopleQuery {
    /// Page number, from 1.
    pub page: Option<i64>,
    /// Items per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
    /// A name in Arabic or English, Arabic-normalised.
    pub q: Option<String>,
    /// ar, en or tr: the language of error messages (else Accept-Language, else Arabic).
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// A person as the API shows them: contact details only where the caller may see them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
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

fn person_view(actor: &Actor, p: Person) -> PersonView {
    PersonView {
        id: p.id,
        email: p.email.filter(|_| actor.may_see(p.email_visibility)),
        phone: p.phone.filter(|_| actor.may_see(p.phone_visibility)),
        name: p.name,
        committees: p.committees,
        affiliations: p.affiliations,
        version: p.version,
    }
}

/// List people. E-mail and phone appear only where the caller may see them.
#[utoipa::path(get, path = "/people", tag = "directory", params(PeopleQuery),
    responses((status = 200, body = Page<PersonView>)))]
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

/// One person.
#[utoipa::path(get, path = "/people/{id}", tag = "directory", params(("id" = i64, Path)),
    responses((status = 200, body = PersonView), (status = 404, body = ErrorBody)))]
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

/// All sectors: the humanitarian clusters and the network's own.
#[utoipa::path(get, path = "/sectors", tag = "directory", responses((status = 200, body = Page<Sector>)))]
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
    Ok(Json(Page::whole(items)))
}

/// A sector's list of activity types: what an activity of the sector may name as its
/// type (by code or by any of the names). Empty when the sector takes free text.
#[utoipa::path(get, path = "/sectors/{code}/activity-types", tag = "directory",
    params(("code" = String, Path, description = "the sector's code, e.g. wash")),
    responses((status = 200, body = Page<minbar_core::ActivityType>), (status = 404, body = ErrorBody)))]
pub async fn list_activity_types(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<Page<minbar_core::ActivityType>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let code = code.to_ascii_lowercase();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !sectors.iter().any(|s| s.code == code) {
        return Err(ApiError::new(ctx.lang, StatusCode::NOT_FOUND, "not_found"));
    }
    let items: Vec<_> = st
        .store
        .activity_types()
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?
        .of(&code)
        .cloned()
        .collect();
    Ok(Json(Page::whole(items)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AreaQuery {
    /// 0 for countries, 1 to 3 for administrative levels.
    pub level: Option<i64>,
    /// The code of the parent area.
    pub parent: Option<String>,
    /// A name in any language.
    pub q: Option<String>,
    /// ar, en or tr: the language of error messages (else Accept-Language, else Arabic).
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Areas of the gazetteer.
#[utoipa::path(get, path = "/areas", tag = "directory", params(AreaQuery), responses((status = 200, body = Page<Area>)))]
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
    Ok(Json(Page::whole(items)))
}

/// One area by its code (ISO 3166-2 or p-code, any case).
#[utoipa::path(get, path = "/areas/{code}", tag = "directory", params(("code" = String, Path)),
    responses((status = 200, body = Area), (status = 404, body = ErrorBody)))]
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
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectorInput {
    pub code: String,
    pub name: I18nText,
}

/// Add a sector of the network's own (coordinators).
#[utoipa::path(post, path = "/sectors", tag = "directory", request_body = SectorInput,
    responses((status = 201, body = Sector), (status = 422, body = ErrorBody)))]
pub async fn create_sector(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<SectorInput>,
) -> Result<Response, ApiError> {
    ctx.require(Action::SectorEdit, None)?;
    let (code, name) =
        parse_sector(&input.code, &input.name).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
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

fn person_id(lang: Lang, raw: &str) -> Result<PersonId, ApiError> {
    raw.parse::<i64>()
        .map(PersonId)
        .map_err(|_| ApiError::new(lang, StatusCode::NOT_FOUND, "not_found"))
}

/// May the caller do `action` to this person (scope "own": affiliated with their organisation)?
fn require_person(ctx: &ApiCtx, action: Action, p: &Person) -> Result<(), ApiError> {
    if ctx.actor.may(action, None)
        || p.affiliations
            .iter()
            .any(|a| ctx.actor.may(action, Some(a.org_id)))
    {
        Ok(())
    } else {
        ctx.require(action, None)
    }
}

/// Create a person, with an affiliation when `org_id` is given (focal points: their own
/// organisation only).
#[utoipa::path(post, path = "/people", tag = "directory", request_body = PersonInput,
    responses((status = 201, body = PersonView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_person(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Response, ApiError> {
    ctx.require(Action::PersonCreate, input.org_id.map(OrgId))?;
    let draft = PersonDraft::parse(&input).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = ctx
        .store(&st)
        .create_person(&draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(p.version, &person_view(&ctx.actor, p));
    *res.status_mut() = StatusCode::CREATED;
    Ok(res)
}

/// Replace a person's fields (and add or update the affiliation given). `If-Match` required.
#[utoipa::path(put, path = "/people/{id}", tag = "directory", request_body = PersonInput,
    params(("id" = i64, Path), ("If-Match" = String, Header)),
    responses((status = 200, body = PersonView), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_person(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<PersonInput>,
) -> Result<Response, ApiError> {
    let id = person_id(ctx.lang, &id)?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    require_person(&ctx, Action::PersonEdit, &p)?;
    if let Some(o) = input.org_id {
        ctx.require(Action::PersonEdit, Some(OrgId(o)))?;
    }
    let version = if_match(ctx.lang, &headers)?;
    let draft = PersonDraft::parse(&input).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
        .update_person(id, version, &draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(p.version, &person_view(&ctx.actor, p)))
}

/// Delete a person. `If-Match` required.
#[utoipa::path(delete, path = "/people/{id}", tag = "directory",
    params(("id" = i64, Path), ("If-Match" = String, Header)),
    responses((status = 204), (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete_person(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let id = person_id(ctx.lang, &id)?;
    let p = st
        .store
        .get_person(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    require_person(&ctx, Action::PersonDelete, &p)?;
    let version = if_match(ctx.lang, &headers)?;
    ctx.store(&st)
        .delete_person(id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchApiQuery {
    /// Words to find, in any of the three languages and however they are spelled.
    pub q: Option<String>,
    /// organisation, person, sector or area.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
    /// A sector code.
    pub sector: Option<String>,
    /// An area code (results in that area).
    pub area: Option<String>,
    /// Page number, from 1 (20 results a page).
    pub page: Option<usize>,
    /// ar, en or tr: the language of the titles.
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Search everything the caller may see.
#[utoipa::path(get, path = "/search", tag = "search", params(SearchApiQuery),
    responses((status = 200, description = "{\"items\": [{\"type\", \"id\", \"title\", \"snippet\"}], \"total\": N}")))]
pub async fn search(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<SearchApiQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let Query(q) = q.map_err(|_| bad_filter(ctx.lang))?;
    let text = q.q.unwrap_or_default();
    if text.trim().is_empty() {
        return Ok(Json(serde_json::json!({"items": [], "total": 0})).into_response());
    }
    let filters = crate::search_sync::Filters {
        kind: q.kind.clone(),
        sector: q.sector.clone(),
        area: q.area.clone(),
    };
    let r = crate::search_sync::search(
        &st,
        &ctx.actor,
        &text,
        &filters,
        ctx.lang,
        q.page.unwrap_or(1),
    )
    .await
    .map_err(|e| {
        tracing::error!(cause = %e, "search failed");
        ApiError::new(
            ctx.lang,
            StatusCode::SERVICE_UNAVAILABLE,
            "search_unavailable",
        )
    })?;
    Ok(Json(r).into_response())
}
