//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types they
//! take and return (utoipa). Served at `/api/v1/openapi.json`.

use super::{directory, fourw};
use axum::Json;
use minbar_core::*;
use minbar_store::directory::Page;
use serde::Serialize;
use utoipa::OpenApi;

/// Every error: a stable code, a message in the caller's language, and for invalid input
/// each field at fault.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable, e.g. `not_found`, `acronym_taken`, `conflict`.
    pub code: String,
    /// For people: in the language asked for (`?lang=`, `Accept-Language`), Arabic by default.
    pub message: String,
    pub fields: Option<Vec<FieldError>>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Minbar API",
        description = "The JSON API of Minbar, an Arabic-first coordination platform for networks of civil-society organisations. Reads are open where the directory is public; writes need a signed-in session and its CSRF token in `X-CSRF-Token`.",
        license(name = "AGPL-3.0-or-later")
    ),
    servers((url = "/api/v1")),
    paths(
        directory::list_orgs,
        directory::get_org,
        directory::create_org,
        directory::update_org,
        directory::delete_org,
        directory::list_people,
        directory::get_person,
        directory::create_person,
        directory::update_person,
        directory::delete_person,
        directory::list_sectors,
        directory::create_sector,
        directory::list_areas,
        directory::get_area,
        directory::search,
        fourw::list_activities,
        fourw::get_activity,
        fourw::create_activity,
        fourw::update_activity,
        fourw::list_needs,
        fourw::create_need,
        fourw::coverage,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldError, Organisation, OrgInput, PersonInput, Sector, Area, Affiliation, I18nText, OrgKind, MembershipStatus, Page<Organisation>,
        Activity, Need, People, ActivityStatus, Modality, fourw::ActivityBody, fourw::PeopleBody, fourw::NeedBody,
        fourw::CoverageItem, Page<Activity>, fourw::Items<Need>, fourw::Items<fourw::CoverageItem>)),
    tags(
        (name = "directory", description = "Organisations, people, sectors and areas"),
        (name = "search", description = "One search over everything the caller may see"),
        (name = "4w", description = "Who does what where: activities, needs, coverage")
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// One operation, for the API page.
pub struct Op {
    pub method: String,
    pub path: String,
    pub summary: String,
    /// (name, where, description)
    pub params: Vec<(String, String, String)>,
    pub responses: String,
}

/// The operations of the document, in path order, for the human-readable API page.
pub fn operations() -> Vec<Op> {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in ["get", "post", "put", "delete"] {
            let op = &item[method];
            if !op.is_object() {
                continue;
            }
            let params = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_string(),
                        p["in"].as_str().unwrap_or_default().to_string(),
                        p["description"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect();
            let responses = op["responses"]
                .as_object()
                .map(|r| r.keys().cloned().collect::<Vec<_>>().join(" · "))
                .unwrap_or_default();
            let summary = [op["summary"].as_str(), op["description"].as_str()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            ops.push(Op {
                method: method.to_uppercase(),
                path: path.clone(),
                summary,
                params,
                responses,
            });
        }
    }
    ops
}
