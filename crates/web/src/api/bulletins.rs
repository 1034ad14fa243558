//! Bulletins over JSON, with the same visibility and posting rules as the pages.

use super::fourw::Items;
use super::openapi::ErrorBody;
use super::{if_match, parse_json, with_etag, ApiCtx};
use crate::error::ApiError;
use crate::pages::bulletins_may_post as may_post;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use minbar_core::*;
use minbar_store::bulletins::{Bulletin, BulletinFilter};
use minbar_store::meetings::visible_codes;
use serde::Deserialize;

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::NOT_FOUND, "not_found")
}

async fn visible(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<Bulletin, ApiError> {
    let id = raw.parse::<i64>().map_err(|_| not_found(ctx.lang))?;
    let b = st
        .store
        .get_bulletin(BulletinId(id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !ctx.actor.may_see(b.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(b)
}

fn checked(ctx: &ApiCtx, mut d: BulletinDraft) -> Result<BulletinDraft, ApiError> {
    if !may_post(&ctx.actor, d.org) {
        return Err(ApiError::new(ctx.lang, StatusCode::FORBIDDEN, "forbidden"));
    }
    if !ctx.actor.may(Action::BulletinManage, None) {
        d.pinned = false;
    }
    Ok(d)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BulletinQuery {
    /// `current` (the default): not expired; `all`: expired ones too.
    pub status: Option<String>,
    /// Posted by this organisation.
    pub org: Option<i64>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Bulletins the caller may see: pinned first, then the newest.
#[utoipa::path(get, path = "/bulletins", tag = "bulletins", params(BulletinQuery),
    responses((status = 200, body = Items<Bulletin>), (status = 400, body = ErrorBody)))]
pub async fn list(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<BulletinQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<Bulletin>>, ApiError> {
    let bad = || ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter");
    let Query(q) = q.map_err(|_| bad())?;
    let expired = match q.status.as_deref().map(str::trim) {
        None | Some("") | Some("current") => false,
        Some("all") => true,
        Some(_) => return Err(bad()),
    };
    let items = st
        .store
        .list_bulletins(&BulletinFilter {
            visible: visible_codes(&ctx.actor),
            expired,
            org: q.org.map(OrgId),
            limit: 500,
        })
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(Items { items }))
}

/// One bulletin; its version in `ETag`.
#[utoipa::path(get, path = "/bulletins/{id}", tag = "bulletins", params(("id" = i64, Path)),
    responses((status = 200, body = Bulletin), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let b = visible(&ctx, &st, &id).await?;
    Ok(with_etag(StatusCode::OK, b.version, &b))
}

/// Post a bulletin: a focal point for their own organisation (`org_id`), the secretariat
/// for anyone or in its own name (no `org_id`); only the secretariat pins.
#[utoipa::path(post, path = "/bulletins", tag = "bulletins", request_body = BulletinInput,
    responses((status = 201, body = Bulletin), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !ctx.actor.may_some(Action::BulletinPost) {
        return Err(ctx.refusal());
    }
    let i: BulletinInput = parse_json(ctx.lang, &headers, &body)?;
    let d = BulletinDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let d = checked(&ctx, d)?;
    let id = ctx
        .store(&st)
        .create_bulletin(&d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let link = format!("/bulletins/{id}");
    crate::api::text::notify_mentions(&st, &d.body, d.visibility, &link, d.title.as_str()).await;
    let b = st
        .store
        .get_bulletin(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(StatusCode::CREATED, b.version, &b);
    if let Ok(v) = format!("/api/v1/bulletins/{id}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Replace a bulletin; send the version read in `If-Match`.
#[utoipa::path(put, path = "/bulletins/{id}", tag = "bulletins", request_body = BulletinInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"1\"")),
    responses((status = 200, body = Bulletin), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let b = visible(&ctx, &st, &id).await?;
    if !may_post(&ctx.actor, b.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version = if_match(ctx.lang, &headers)?;
    let i: BulletinInput = parse_json(ctx.lang, &headers, &body)?;
    let d = BulletinDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let d = checked(&ctx, d)?;
    ctx.store(&st)
        .update_bulletin(b.id, version, &d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let b = st
        .store
        .get_bulletin(b.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(StatusCode::OK, b.version, &b))
}

/// Remove a bulletin; send the version read in `If-Match`.
#[utoipa::path(delete, path = "/bulletins/{id}", tag = "bulletins",
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let b = visible(&ctx, &st, &id).await?;
    if !may_post(&ctx.actor, b.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version = if_match(ctx.lang, &headers)?;
    ctx.store(&st)
        .delete_bulletin(b.id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}
