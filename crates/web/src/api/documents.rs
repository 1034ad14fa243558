//! The library over JSON: documents with the same filters, visibility and posting rules
//! as the pages, file upload (the body is the file) and download.

use super::fourw::Items;
use super::openapi::ErrorBody;
use super::{if_match, parse_json, with_etag, ApiCtx};
use crate::error::ApiError;
use crate::pages::library::{self, may_post, ListQuery};
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use minbar_core::*;
use minbar_store::documents::{Attachment, Document, Owner};
use serde::Deserialize;

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::NOT_FOUND, "not_found")
}

async fn visible(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<Document, ApiError> {
    let id = raw.parse::<i64>().map_err(|_| not_found(ctx.lang))?;
    let d = st
        .store
        .get_document(DocumentId(id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !ctx.actor.may_see(d.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(d)
}

fn checked(ctx: &ApiCtx, d: DocumentDraft) -> Result<DocumentDraft, ApiError> {
    if !may_post(&ctx.actor, d.org) {
        return Err(ApiError::new(ctx.lang, StatusCode::FORBIDDEN, "forbidden"));
    }
    Ok(d)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// Words, matched with the Arabic-aware search (spelling variants, Turkish İ/ı).
    pub q: Option<String>,
    /// A tag (compared Arabic-normalised).
    pub tag: Option<String>,
    /// A sector code.
    pub sector: Option<String>,
    /// An area code: documents about it or an area below it.
    pub area: Option<String>,
    /// ar, en or tr: the language documents are written in.
    pub doc_lang: Option<String>,
    /// `YYYY-MM-DD`: dated on or after.
    pub from: Option<String>,
    /// `YYYY-MM-DD`: dated on or before.
    pub to: Option<String>,
    /// The language of the answer's messages.
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Documents the caller may see, the newest first (with `q`, the best match first); each
/// with its tags (files: see one document).
#[utoipa::path(get, path = "/documents", tag = "library", params(DocumentQuery),
    responses((status = 200, body = Items<Document>), (status = 400, body = ErrorBody)))]
pub async fn list(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<DocumentQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<Document>>, ApiError> {
    let bad = || ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter");
    let Query(q) = q.map_err(|_| bad())?;
    for d in [&q.from, &q.to].into_iter().flatten() {
        if Date::parse_optional(d).is_err() {
            return Err(bad());
        }
    }
    if let Some(l) = q.doc_lang.as_deref().filter(|l| !l.trim().is_empty()) {
        if Lang::parse(l).is_none() {
            return Err(bad());
        }
    }
    let lq = ListQuery {
        q: q.q.unwrap_or_default(),
        tag: q.tag.unwrap_or_default(),
        sector: q.sector.unwrap_or_default(),
        area: q.area.unwrap_or_default(),
        lang: q.doc_lang.unwrap_or_default(),
        from: q.from.unwrap_or_default(),
        to: q.to.unwrap_or_default(),
    };
    let items = library::find(&st, &ctx.actor, &lq, ctx.lang, 500)
        .await
        .map_err(|e| ApiError::internal(ctx.lang, e))?;
    Ok(Json(Items { items }))
}

/// One document with the latest version of each file; its version in `ETag`.
#[utoipa::path(get, path = "/documents/{id}", tag = "library", params(("id" = i64, Path)),
    responses((status = 200, body = Document), (status = 404, body = ErrorBody)))]
pub async fn get(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let d = visible(&ctx, &st, &id).await?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// Put a document in the library: a focal point for their own organisation (`org_id`),
/// the secretariat for anyone or in its own name (no `org_id`).
#[utoipa::path(post, path = "/documents", tag = "library", request_body = DocumentInput,
    responses((status = 201, body = Document), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !ctx.actor.may_some(Action::DocumentPost) {
        return Err(ctx.refusal());
    }
    let i: DocumentInput = parse_json(ctx.lang, &headers, &body)?;
    let d = DocumentDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let d = checked(&ctx, d)?;
    let id = ctx
        .store(&st)
        .create_document(&d)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let d = st
        .store
        .get_document(id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = with_etag(StatusCode::CREATED, d.version, &d);
    if let Ok(v) = format!("/api/v1/documents/{id}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Replace a document's details; send the version read in `If-Match`.
#[utoipa::path(put, path = "/documents/{id}", tag = "library", request_body = DocumentInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"1\"")),
    responses((status = 200, body = Document), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let d = visible(&ctx, &st, &id).await?;
    if !may_post(&ctx.actor, d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version = if_match(ctx.lang, &headers)?;
    let i: DocumentInput = parse_json(ctx.lang, &headers, &body)?;
    let draft = DocumentDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let draft = checked(&ctx, draft)?;
    ctx.store(&st)
        .update_document(d.id, version, &draft)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let d = st
        .store
        .get_document(d.id)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(with_etag(StatusCode::OK, d.version, &d))
}

/// Remove a document and its files; send the version read in `If-Match`.
#[utoipa::path(delete, path = "/documents/{id}", tag = "library",
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn delete(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let d = visible(&ctx, &st, &id).await?;
    if !may_post(&ctx.actor, d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version = if_match(ctx.lang, &headers)?;
    ctx.store(&st)
        .delete_document(d.id, version)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name; a file already attached under this name gets a new version.
    pub name: String,
    /// What changed, in a few words.
    pub note: Option<String>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Attach a file: the request body is the file (PDF, Office, OpenDocument or an image, up
/// to 25 MB; the type is found from the content). PDF text is read for search; an
/// encrypted or unreadable PDF is kept with `text_state` saying so.
#[utoipa::path(post, path = "/documents/{id}/files", tag = "library", params(("id" = i64, Path), UploadQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = Attachment), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    q: Result<Query<UploadQuery>, axum::extract::rejection::QueryRejection>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let d = visible(&ctx, &st, &id).await?;
    if !may_post(&ctx.actor, d.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let Query(q) =
        q.map_err(|_| ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter"))?;
    let f = library::prepare_file(q.name, body.to_vec(), q.note.unwrap_or_default())
        .await
        .map_err(|e| {
            let status = if e == DomainError::FileTooLarge {
                StatusCode::PAYLOAD_TOO_LARGE
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            ApiError::new(ctx.lang, status, e.code())
        })?;
    let aid = ctx
        .store(&st)
        .add_attachment(Owner::Document(d.id), &f)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let (a, _, _) = st
        .store
        .get_attachment(aid)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let mut res = (StatusCode::CREATED, Json(&a)).into_response();
    if let Ok(v) = format!("/api/v1/files/{aid}").parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

/// Every version of every file of a document: by name, the newest first.
#[utoipa::path(get, path = "/documents/{id}/files", tag = "library", params(("id" = i64, Path)),
    responses((status = 200, body = Items<Attachment>), (status = 404, body = ErrorBody)))]
pub async fn files(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Items<Attachment>>, ApiError> {
    let d = visible(&ctx, &st, &id).await?;
    let items = st
        .store
        .attachments(Owner::Document(d.id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(Items { items }))
}

/// A file's bytes, if the caller may see its document.
#[utoipa::path(get, path = "/files/{id}", tag = "library", params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn download(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let id = id.parse::<i64>().map_err(|_| not_found(ctx.lang))?;
    let (a, owner, bytes) = st
        .store
        .get_attachment(AttachmentId(id))
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    let shown = st
        .store
        .owner_visibility(owner)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    if !ctx.actor.may_see(shown) {
        return Err(not_found(ctx.lang));
    }
    Ok((
        [
            (header::CONTENT_TYPE, a.media_type.clone()),
            (
                header::CONTENT_DISPOSITION,
                library::disposition(false, &a.name),
            ),
            (header::ETAG, format!("\"{}\"", a.sha256)),
        ],
        bytes,
    )
        .into_response())
}
