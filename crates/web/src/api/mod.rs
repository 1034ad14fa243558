//! The JSON API under `/api/v1`. Lists answer `{"items", "total", "page", "per_page"}`;
//! errors answer `{"error": {"code", "message"}}`. Writes with a session cookie must send
//! the session's CSRF token in `X-CSRF-Token`; edits and deletes send the version they read
//! in `If-Match`.

mod directory;
mod fourw;
pub mod openapi;

use crate::ctx::{cookie, negotiate, SESSION_COOKIE};
use crate::error::ApiError;
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use minbar_core::{Action, Actor, Lang, OrgId};
use serde::de::DeserializeOwned;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/organisations",
            get(directory::list_orgs).post(directory::create_org),
        )
        .route(
            "/organisations/{id}",
            get(directory::get_org)
                .put(directory::update_org)
                .delete(directory::delete_org),
        )
        .route(
            "/people",
            get(directory::list_people).post(directory::create_person),
        )
        .route(
            "/people/{id}",
            get(directory::get_person)
                .put(directory::update_person)
                .delete(directory::delete_person),
        )
        .route(
            "/sectors",
            get(directory::list_sectors).post(directory::create_sector),
        )
        .route("/areas", get(directory::list_areas))
        .route("/areas/{code}", get(directory::get_area))
        .route("/search", get(directory::search))
        .route(
            "/activities",
            get(fourw::list_activities).post(fourw::create_activity),
        )
        .route(
            "/activities/{id}",
            get(fourw::get_activity).put(fourw::update_activity),
        )
        .route("/needs", get(fourw::list_needs).post(fourw::create_need))
        .route("/reports/coverage", get(fourw::coverage))
        .route("/openapi.json", get(openapi::document))
        .fallback(|h: HeaderMap| async move {
            ApiError::new(negotiate("", &h).0, StatusCode::NOT_FOUND, "not_found")
        })
}

/// Who is calling the API, in which language.
#[derive(Debug, Clone)]
pub struct ApiCtx {
    pub lang: Lang,
    pub actor: Actor,
}

impl ApiCtx {
    pub fn require(&self, action: Action, target: Option<OrgId>) -> Result<(), ApiError> {
        if self.actor.may(action, target) {
            Ok(())
        } else if self.actor.user.is_none() {
            Err(ApiError::new(
                self.lang,
                StatusCode::UNAUTHORIZED,
                "unauthorized",
            ))
        } else {
            Err(ApiError::new(self.lang, StatusCode::FORBIDDEN, "forbidden"))
        }
    }
}

impl FromRequestParts<AppState> for ApiCtx {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, st: &AppState) -> Result<Self, Self::Rejection> {
        let (lang, _) = negotiate(parts.uri.query().unwrap_or(""), &parts.headers);
        let mut actor = Actor::VISITOR;
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let session = st
                .store
                .session(token)
                .await
                .map_err(|e| ApiError::store(lang, e))?;
            if let Some(s) = session {
                let unsafe_method =
                    !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
                if unsafe_method {
                    let sent = parts
                        .headers
                        .get("x-csrf-token")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    if sent != s.csrf {
                        return Err(ApiError::new(lang, StatusCode::FORBIDDEN, "csrf"));
                    }
                }
                actor = s.user.actor();
            }
        }
        Ok(ApiCtx { lang, actor })
    }
}

/// `Json<T>` whose rejections are answered in our error format.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (lang, _) = negotiate("", req.headers());
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => {
                let (status, code) = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => {
                        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
                    }
                    JsonRejection::JsonDataError(e) if e.body_text().contains("unknown field") => {
                        (StatusCode::BAD_REQUEST, "unknown_field")
                    }
                    _ => (StatusCode::BAD_REQUEST, "malformed_json"),
                };
                Err(ApiError::new(lang, status, code))
            }
        }
    }
}

/// The version a client read, from `If-Match: "N"` (or `N`).
pub fn if_match(lang: Lang, headers: &HeaderMap) -> Result<i64, ApiError> {
    headers
        .get(axum::http::header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .parse()
                .ok()
        })
        .ok_or_else(|| ApiError::new(lang, StatusCode::PRECONDITION_REQUIRED, "version_required"))
}
