//! The policy tracker over JSON: the same filters and visibility as the pages; recording
//! and editing (the secretariat), advocacy steps.

use super::fourw::Items;
use super::openapi::ErrorBody;
use super::{if_match, parse_json, with_etag, ApiCtx};
use crate::error::ApiError;
use crate::pages::policy_find;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use minbar_core::*;
use minbar_store::policy::PolicyItem;
use serde::Deserialize;

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::NOT_FOUND, "not_found")
}

async fn visible(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<PolicyItem, ApiError> {
    let id = raw.parse::<i64>().map_err(|_| not_found(ctx.lang))?;
    let p = st
        .store
        .get_policy(PolicyId(id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !ctx.actor.may_see(p.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(p)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PolicyQuery {
    /// Words, matched with the Arabic-aware search.
    pub q: Option<String>,
    /// residence, work_permits, registration, movement, health, education, return,
    /// assistance
    pub topic: Option<String>,
    /// An affected group's code.
    pub group: Option<String>,
    /// An area code: items that apply there, national ones included.
    pub area: Option<String>,
    /// proposed, in_force, suspended, repealed
    pub status: Option<String>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Policy items the caller may see, the most recently issued first (with `q`, the best
/// match first).
#[utoipa::path(get, path = "/policy", tag = "policy", params(PolicyQuery),
    responses((status = 200, body = Items<PolicyItem>), (status = 400, body = ErrorBody)))]
pub async fn list(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<PolicyQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<PolicyItem>>, ApiError> {
    let bad = || ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter");
    let Query(q) = q.map_err(|_| bad())?;
    let given = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    if given(&q.topic).is_some_and(|t| Topic::parse(&t).is_err())
        || given(&q.group).is_some_and(|t| AffectedGroup::parse(&t).is_err())
        || given(&q.status).is_some_and(|t| PolicyStatus::parse(&t).is_err())
    {
        return Err(bad());
    }
    let lq = crate::pages::PolicyListQuery {
        q: q.q.unwrap_or_default(),
        topic: q.topic.unwrap_or_default(),
        group: q.group.unwrap_or_default(),
        area: q.area.unwrap_or_default(),
        status: q.status.unwrap_or_default(),
        month: String::new(),
    };
    let items = policy_find(&st, &ctx.actor, &lq, ctx.lang)
        .await
        .map_err(|_| ApiError::new(ctx.lang, StatusCode::INTERNAL_SERVER_ERROR, "internal"))?;
    Ok(Json(Items { items }))
}

/// One policy item with its documents, proposal and advocacy; its version in `ETag`.
#[utoipa::path(get, path = "/policy/{id}", tag = "policy", params(("id" = i64, Path)),
    responses((status = 200, body = PolicyItem), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let p = visible(&ctx, &st, &id).await?;
    Ok(with_etag(StatusCode::OK, p.version, &p))
}

/// Record a policy item (the secretariat).
#[utoipa::path(post, path = "/policy", tag = "policy", request_body = PolicyInput,
    responses((status = 201, body = PolicyItem), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let i: PolicyInput = parse_json(ctx.lang, &headers, &body)?;
    let d = PolicyDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = ctx
        .store(&st)
        .create_policy(&d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let p = st
        .store
        .get_policy(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(StatusCode::CREATED, p.version, &p);
    if let Ok(v) = format!("/api/v1/policy/{id}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Replace a policy item; send the version read in `If-Match`.
#[utoipa::path(put, path = "/policy/{id}", tag = "policy", request_body = PolicyInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"1\"")),
    responses((status = 200, body = PolicyItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let p = visible(&ctx, &st, &id).await?;
    let version = if_match(ctx.lang, &headers)?;
    let i: PolicyInput = parse_json(ctx.lang, &headers, &body)?;
    let d = PolicyDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
        .update_policy(p.id, version, &d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let p = st
        .store
        .get_policy(p.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(StatusCode::OK, p.version, &p))
}

/// Remove a policy item; send the version read in `If-Match`.
#[utoipa::path(delete, path = "/policy/{id}", tag = "policy",
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let p = visible(&ctx, &st, &id).await?;
    let version = if_match(ctx.lang, &headers)?;
    ctx.store(&st)
        .delete_policy(p.id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Record an advocacy step: raised with whom, when, what was asked, the answer.
#[utoipa::path(post, path = "/policy/{id}/advocacy", tag = "policy", request_body = AdvocacyInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = PolicyItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn advocacy(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let p = visible(&ctx, &st, &id).await?;
    let i: AdvocacyInput = parse_json(ctx.lang, &headers, &body)?;
    let a = AdvocacyDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
        .add_advocacy(p.id, &a)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let p = st
        .store
        .get_policy(p.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(StatusCode::CREATED, p.version, &p))
}
