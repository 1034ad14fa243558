//! The expertise exchange over JSON: offers and requests, their ranked matches,
//! accepting an offer and recording the exchange; the same rules as the pages.

use super::fourw::Items;
use super::openapi::ErrorBody;
use super::{parse_json, with_etag, ApiCtx};
use crate::error::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use minbar_core::*;
use minbar_store::expertise::{Exchange, Expertise, ExpertiseFilter};
use minbar_store::meetings::visible_codes;
use serde::{Deserialize, Serialize};

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::NOT_FOUND, "not_found")
}

async fn visible(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<Expertise, ApiError> {
    let id = raw.parse::<i64>().map_err(|_| not_found(ctx.lang))?;
    let e = st
        .store
        .get_expertise(ExpertiseId(id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !ctx.actor.may_see(e.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(e)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExpertiseQuery {
    /// offer or request
    pub kind: Option<String>,
    /// open (the default), matched, closed or all
    pub status: Option<String>,
    pub sector: Option<String>,
    /// A topic, compared Arabic-normalised.
    pub topic: Option<String>,
    /// ar, en or tr
    pub language: Option<String>,
    pub org: Option<i64>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Offers and requests the caller may see, the newest first.
#[utoipa::path(get, path = "/expertise", tag = "expertise", params(ExpertiseQuery),
    responses((status = 200, body = Items<Expertise>), (status = 400, body = ErrorBody)))]
pub async fn list(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<ExpertiseQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<Expertise>>, ApiError> {
    let bad = || ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter");
    let Query(q) = q.map_err(|_| bad())?;
    let given = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let kind = match given(&q.kind) {
        Some(k) => Some(ExpertiseKind::parse(&k).map_err(|_| bad())?),
        None => None,
    };
    let status = match given(&q.status).as_deref() {
        None => Some(ExpertiseStatus::Open),
        Some("all") => None,
        Some(s) => Some(ExpertiseStatus::parse(s).map_err(|_| bad())?),
    };
    if given(&q.language).is_some_and(|l| Lang::parse(&l).is_none()) {
        return Err(bad());
    }
    let items = st
        .store
        .list_expertise(&ExpertiseFilter {
            visible: visible_codes(&ctx.actor),
            kind,
            status,
            org: q.org.map(OrgId),
            sector: given(&q.sector),
            topic: given(&q.topic),
            language: given(&q.language),
            limit: 500,
            ..Default::default()
        })
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(Items { items }))
}

/// One offer or request, with its exchange once matched.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ExpertiseView {
    #[serde(flatten)]
    pub item: Expertise,
    pub exchange: Option<Exchange>,
}

/// One offer or request; its version in `ETag`.
#[utoipa::path(get, path = "/expertise/{id}", tag = "expertise", params(("id" = i64, Path)),
    responses((status = 200, body = ExpertiseView), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let e = visible(&ctx, &st, &id).await?;
    let exchange = st
        .store
        .exchange_of(e.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let version = e.version;
    Ok(with_etag(
        StatusCode::OK,
        version,
        &ExpertiseView { item: e, exchange },
    ))
}

/// Post an offer or a request for one's own organisation (the secretariat: for any).
#[utoipa::path(post, path = "/expertise", tag = "expertise", request_body = ExpertiseInput,
    responses((status = 201, body = Expertise), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !ctx.actor.may_some(Action::ExpertisePost) {
        return Err(ctx.refusal());
    }
    let i: ExpertiseInput = parse_json(ctx.lang, &headers, &body)?;
    let d = ExpertiseDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    if !ctx.actor.may(Action::ExpertisePost, Some(d.org)) {
        return Err(ApiError::new(ctx.lang, StatusCode::FORBIDDEN, "forbidden"));
    }
    let id = ctx
        .store(&st)
        .create_expertise(&d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let e = st
        .store
        .get_expertise(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(StatusCode::CREATED, e.version, &e);
    if let Ok(v) = format!("/api/v1/expertise/{id}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// A ranked match.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MatchItem {
    pub item: Expertise,
    /// Higher is better: sector 30, shared topics up to 40, a shared language 15, a
    /// shared area or both online 10, similar wording up to 30.
    pub score: u32,
    /// sector, topic, language, area, online, words
    pub reasons: Vec<String>,
}

/// The open offers that answer a request (or requests an offer answers), best first.
#[utoipa::path(get, path = "/expertise/{id}/matches", tag = "expertise", params(("id" = i64, Path)),
    responses((status = 200, body = Items<MatchItem>), (status = 404, body = ErrorBody)))]
pub async fn matches(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Items<MatchItem>>, ApiError> {
    let e = visible(&ctx, &st, &id).await?;
    let items = st
        .store
        .expertise_matches(e.id, &visible_codes(&ctx.actor), 20)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?
        .into_iter()
        .map(|(item, s)| MatchItem {
            item,
            score: s.score,
            reasons: s.reasons.iter().map(|r| r.to_string()).collect(),
        })
        .collect();
    Ok(Json(Items { items }))
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    pub offer_id: i64,
}

/// Accept an offer for a request (the requesting organisation or the secretariat): the
/// request is matched and an exchange opened; a request is matched once (422
/// `already_matched`).
#[utoipa::path(post, path = "/expertise/{id}/accept", tag = "expertise", request_body = AcceptBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = Exchange), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn accept(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let e = visible(&ctx, &st, &id).await?;
    if !ctx.actor.may(Action::ExpertisePost, Some(e.org.id)) {
        return Err(ctx.refusal());
    }
    let b: AcceptBody = parse_json(ctx.lang, &headers, &body)?;
    let o = visible(&ctx, &st, &b.offer_id.to_string()).await?;
    ctx.store(&st)
        .accept_offer(e.id, o.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let x = st
        .store
        .exchange_of(e.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?
        .ok_or_else(|| not_found(ctx.lang))?;
    Ok(with_etag(StatusCode::CREATED, 1, &x))
}

/// Record how the exchange of a matched request went (either organisation).
#[utoipa::path(put, path = "/expertise/{id}/exchange", tag = "expertise", request_body = ExchangeInput,
    params(("id" = i64, Path)),
    responses((status = 200, body = Exchange), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn record(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let e = visible(&ctx, &st, &id).await?;
    let Some(x) = st
        .store
        .exchange_of(e.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?
    else {
        return Err(if ctx.actor.may(Action::ExpertisePost, Some(e.org.id)) {
            not_found(ctx.lang)
        } else {
            ctx.refusal()
        });
    };
    if !ctx.actor.may(Action::ExpertisePost, Some(x.provider.id))
        && !ctx.actor.may(Action::ExpertisePost, Some(x.receiver.id))
    {
        return Err(ctx.refusal());
    }
    let i: ExchangeInput = parse_json(ctx.lang, &headers, &body)?;
    let d = ExchangeDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
        .record_exchange(x.id, &d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let x = st
        .store
        .exchange_of(e.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?
        .ok_or_else(|| not_found(ctx.lang))?;
    Ok(with_etag(StatusCode::OK, 1, &x))
}
