//! The JSON API under `/api/v1`. Lists answer `{"items", "total", "page", "per_page"}`;
//! errors answer `{"error": {"code", "message"}}`. Writes with a session cookie must send
//! the session's CSRF token in `X-CSRF-Token`; edits and deletes send the version they read
//! in `If-Match`.

mod bulletins;
mod directory;
mod documents;
mod expertise;
mod fourw;
mod meetings;
pub mod openapi;
mod policy;
pub mod text;

use crate::ctx::{cookie, negotiate, SESSION_COOKIE};
use crate::error::ApiError;
use crate::routes::{Guard, RouteEntry, Routes};
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::Router;
use minbar_core::{Action, Actor, Lang, OrgId};
use minbar_store::accounts::TokenScope;
use minbar_store::audit::Who;
use minbar_store::Store;
use serde::de::DeserializeOwned;

/// The API's routes, each with its guard, and the table of them.
pub fn routes(state: &AppState) -> (Router<AppState>, Vec<RouteEntry>) {
    use directory as d;
    use Action::*;
    let read: Guard = Guard::May(&[DirectoryRead]);
    let (router, table) = Routes::new(state, "/api/v1")
        .get("/organisations", read, d::list_orgs)
        .post("/organisations", Guard::May(&[OrgCreate]), d::create_org)
        .get("/organisations/{id}", read, d::get_org)
        .put("/organisations/{id}", Guard::May(&[OrgEdit]), d::update_org)
        .delete(
            "/organisations/{id}",
            Guard::May(&[OrgDelete]),
            d::delete_org,
        )
        .get("/people", read, d::list_people)
        .post("/people", Guard::May(&[PersonCreate]), d::create_person)
        .get("/people/{id}", read, d::get_person)
        .put("/people/{id}", Guard::May(&[PersonEdit]), d::update_person)
        .delete(
            "/people/{id}",
            Guard::May(&[PersonDelete]),
            d::delete_person,
        )
        .get("/sectors", read, d::list_sectors)
        .get(
            "/sectors/{code}/activity-types",
            read,
            d::list_activity_types,
        )
        .post("/sectors", Guard::May(&[SectorEdit]), d::create_sector)
        .get("/areas", read, d::list_areas)
        .get("/areas/{code}", read, d::get_area)
        .get("/search", read, d::search)
        .get(
            "/activities",
            Guard::May(&[ActivityRead]),
            fourw::list_activities,
        )
        .post(
            "/activities",
            Guard::May(&[ActivityReport]),
            fourw::create_activity,
        )
        .get(
            "/activities/{id}",
            Guard::May(&[ActivityRead]),
            fourw::get_activity,
        )
        .put(
            "/activities/{id}",
            Guard::May(&[ActivityReport]),
            fourw::update_activity,
        )
        .get("/needs", Guard::May(&[ActivityRead]), fourw::list_needs)
        .post("/needs", Guard::May(&[NeedEdit]), fourw::create_need)
        .get(
            "/reports/coverage",
            Guard::May(&[CoverageRead]),
            fourw::coverage,
        )
        .post("/text/mentions", read, text::mentions)
        .get("/bulletins", Guard::Open, bulletins::list)
        .post("/bulletins", Guard::May(&[BulletinPost]), bulletins::create)
        .get("/bulletins/{id}", Guard::Open, bulletins::get)
        .put(
            "/bulletins/{id}",
            Guard::May(&[BulletinPost]),
            bulletins::update,
        )
        .delete(
            "/bulletins/{id}",
            Guard::May(&[BulletinPost]),
            bulletins::delete,
        )
        .get("/documents", Guard::Open, documents::list)
        .post("/documents", Guard::May(&[DocumentPost]), documents::create)
        .get("/documents/{id}", Guard::Open, documents::get)
        .put(
            "/documents/{id}",
            Guard::May(&[DocumentPost]),
            documents::update,
        )
        .delete(
            "/documents/{id}",
            Guard::May(&[DocumentPost]),
            documents::delete,
        )
        .get("/documents/{id}/files", Guard::Open, documents::files)
        .post_upload(
            "/documents/{id}/files",
            Guard::May(&[DocumentPost]),
            crate::pages::UPLOAD_LIMIT,
            documents::upload,
        )
        .get("/files/{id}", Guard::Open, documents::download)
        .get("/expertise", Guard::Open, expertise::list)
        .post(
            "/expertise",
            Guard::May(&[ExpertisePost]),
            expertise::create,
        )
        .get("/expertise/{id}", Guard::Open, expertise::get)
        .get("/expertise/{id}/matches", Guard::Open, expertise::matches)
        .post(
            "/expertise/{id}/accept",
            Guard::May(&[ExpertisePost]),
            expertise::accept,
        )
        .put(
            "/expertise/{id}/exchange",
            Guard::May(&[ExpertisePost]),
            expertise::record,
        )
        .get("/policy", Guard::Open, policy::list)
        .post("/policy", Guard::May(&[PolicyEdit]), policy::create)
        .get("/policy/{id}", Guard::Open, policy::get)
        .put("/policy/{id}", Guard::May(&[PolicyEdit]), policy::update)
        .delete("/policy/{id}", Guard::May(&[PolicyEdit]), policy::delete)
        .post(
            "/policy/{id}/advocacy",
            Guard::May(&[PolicyEdit]),
            policy::advocacy,
        )
        .get(
            "/meetings",
            Guard::May(&[MeetingRead]),
            meetings::list_meetings,
        )
        .post(
            "/meetings",
            Guard::May(&[MeetingManage]),
            meetings::create_meeting,
        )
        .get(
            "/meetings/{id}",
            Guard::May(&[MeetingRead]),
            meetings::get_meeting,
        )
        .put(
            "/meetings/{id}",
            Guard::May(&[MeetingManage]),
            meetings::update_meeting,
        )
        .get(
            "/meetings/{id}/minutes",
            Guard::May(&[MeetingRead]),
            meetings::get_minutes,
        )
        .put(
            "/meetings/{id}/minutes",
            Guard::May(&[MinutesEdit]),
            meetings::put_minutes,
        )
        .post(
            "/meetings/{id}/minutes/state",
            Guard::May(&[MeetingManage]),
            meetings::move_minutes,
        )
        .post(
            "/meetings/{id}/attendees",
            Guard::May(&[MeetingManage]),
            meetings::add_attendee,
        )
        .post(
            "/meetings/{id}/decisions",
            Guard::May(&[MeetingManage]),
            meetings::add_decision,
        )
        .post(
            "/meetings/{id}/action-items",
            Guard::May(&[MeetingManage]),
            meetings::add_action,
        )
        .get(
            "/action-items",
            Guard::May(&[MeetingRead]),
            meetings::list_actions,
        )
        .put(
            "/action-items/{id}",
            Guard::May(&[ActionUpdate]),
            meetings::update_action,
        )
        .get(
            "/proposals",
            Guard::May(&[ProposalRead]),
            meetings::list_proposals,
        )
        .post(
            "/proposals",
            Guard::May(&[ProposalCreate]),
            meetings::create_proposal,
        )
        .get(
            "/proposals/{id}",
            Guard::May(&[ProposalRead]),
            meetings::get_proposal,
        )
        .put(
            "/proposals/{id}/answer",
            Guard::May(&[Endorse]),
            meetings::answer,
        )
        .post(
            "/proposals/{id}/comments",
            Guard::May(&[ProposalComment]),
            meetings::comment,
        )
        .get("/openapi.json", Guard::Open, openapi::document)
        .finish();
    let router = router.fallback(|h: HeaderMap| async move {
        ApiError::new(negotiate("", &h).0, StatusCode::NOT_FOUND, "not_found")
    });
    (router, table)
}

/// Who is calling the API, in which language.
#[derive(Debug, Clone)]
pub struct ApiCtx {
    pub lang: Lang,
    pub actor: Actor,
    /// Who writes, for the audit trail: the session or the personal token.
    pub who: Who,
    /// Signed in with a cookie whose account must set up two-factor sign-in first.
    pub must_enroll: bool,
}

impl ApiCtx {
    /// The store, writing in the caller's name.
    pub fn store(&self, st: &AppState) -> Store {
        st.store.acting(self.who.clone())
    }

    /// The refusal for something this caller may not do: 401 for visitors, 403 otherwise.
    pub fn refusal(&self) -> ApiError {
        if self.actor.user.is_none() {
            ApiError::new(self.lang, StatusCode::UNAUTHORIZED, "unauthorized")
        } else {
            ApiError::new(self.lang, StatusCode::FORBIDDEN, "forbidden")
        }
    }

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
        if let Some(ctx) = parts.extensions.get::<ApiCtx>() {
            return Ok(ctx.clone());
        }
        let (lang, _) = negotiate(parts.uri.query().unwrap_or(""), &parts.headers);
        let mut actor = Actor::VISITOR;
        let mut who = Who::default();
        let mut must_enroll = false;
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if let Some(auth) = parts.headers.get(axum::http::header::AUTHORIZATION) {
            // a personal token: no cookie, so no CSRF to fear; the token's scope decides
            let secret = auth
                .to_str()
                .ok()
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim)
                .unwrap_or("");
            let t = st
                .store
                .token_user(secret)
                .await
                .map_err(|e| ApiError::store(lang, e))?
                .ok_or_else(|| ApiError::new(lang, StatusCode::UNAUTHORIZED, "token_invalid"))?;
            if unsafe_method && t.scope == TokenScope::Read {
                return Err(ApiError::new(
                    lang,
                    StatusCode::FORBIDDEN,
                    "token_read_only",
                ));
            }
            return Ok(ApiCtx {
                lang,
                actor: t.user.actor(),
                who: t.who(),
                must_enroll: false,
            });
        }
        if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let session = st
                .store
                .session(token)
                .await
                .map_err(|e| ApiError::store(lang, e))?;
            if let Some(s) = session {
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
                who = s.who();
                must_enroll = s.must_enroll;
            }
        }
        Ok(ApiCtx {
            lang,
            actor,
            who,
            must_enroll,
        })
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
                    r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        (StatusCode::PAYLOAD_TOO_LARGE, "body_too_large")
                    }
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

/// Parse a JSON body read as bytes: for handlers that check who may act on a record
/// before they look at what is sent (so that a refusal is a refusal, whatever the body).
pub fn parse_json<T: DeserializeOwned>(
    lang: Lang,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<T, ApiError> {
    let json = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
    if !json {
        return Err(ApiError::new(
            lang,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let code = if e.to_string().contains("unknown field") {
            "unknown_field"
        } else {
            "malformed_json"
        };
        ApiError::new(lang, StatusCode::BAD_REQUEST, code)
    })
}

/// A JSON answer with the record's `version` in the `ETag` header.
pub(crate) fn with_etag<T: serde::Serialize>(
    status: StatusCode,
    version: i64,
    body: &T,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut res = (status, axum::Json(body)).into_response();
    if let Ok(v) = format!("\"{version}\"").parse() {
        res.headers_mut().insert(axum::http::header::ETAG, v);
    }
    res
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
