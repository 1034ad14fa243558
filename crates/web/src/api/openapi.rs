//! The OpenAPI 3.1 document, generated from the handlers' annotations and the types they
//! take and return (utoipa). Served at `/api/v1/openapi.json`.

use super::{bulletins, directory, documents, expertise, fourw, meetings, policy, text};
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
        description = "The JSON API of Minbar, an Arabic-first coordination platform for networks of civil-society organisations. Reads are open where the directory is public; writes need a personal token (`Authorization: Bearer mbr_…`), or a signed-in session and its CSRF token in `X-CSRF-Token`.",
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
        directory::list_activity_types,
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
        text::mentions,
        bulletins::list,
        bulletins::get,
        bulletins::create,
        bulletins::update,
        bulletins::delete,
        documents::list,
        documents::get,
        documents::create,
        documents::update,
        documents::delete,
        documents::upload,
        documents::files,
        documents::download,
        policy::list,
        policy::get,
        policy::create,
        policy::update,
        policy::delete,
        policy::advocacy,
        expertise::list,
        expertise::get,
        expertise::create,
        expertise::matches,
        expertise::accept,
        expertise::record,
        meetings::list_meetings,
        meetings::get_meeting,
        meetings::create_meeting,
        meetings::update_meeting,
        meetings::get_minutes,
        meetings::put_minutes,
        meetings::move_minutes,
        meetings::add_attendee,
        meetings::add_decision,
        meetings::add_action,
        meetings::list_actions,
        meetings::update_action,
        meetings::list_proposals,
        meetings::get_proposal,
        meetings::create_proposal,
        meetings::answer,
        meetings::comment,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldError, Organisation, OrgInput, PersonInput, Sector, minbar_core::ActivityType, Page<minbar_core::ActivityType>, Area, Affiliation, I18nText, OrgKind, MembershipStatus, Page<Organisation>,
        Activity, Need, People, ActivityStatus, Modality, fourw::ActivityBody, fourw::PeopleBody, fourw::NeedBody,
        fourw::CoverageItem, Page<Activity>, fourw::Items<Need>, fourw::Items<fourw::CoverageItem>,
        text::MentionsInput, text::MentionItem, fourw::Items<text::MentionItem>,
        MeetingInput, AttendeeInput, DecisionInput, ActionInput, ProposalInput, MeetingKind, MinutesState, ActionStatus, ProposalKind, AnswerCode,
        minbar_store::meetings::Meeting, minbar_store::meetings::MeetingRow, minbar_store::meetings::ActionItem,
        minbar_store::proposals::Proposal, minbar_store::proposals::Endorsement, minbar_store::proposals::ProposalComment,
        fourw::Items<minbar_store::meetings::MeetingRow>, fourw::Items<minbar_store::meetings::ActionItem>, fourw::Items<minbar_store::proposals::Proposal>,
        meetings::MinutesBody, meetings::MinutesVersion, meetings::MinutesView, meetings::MinutesStateBody, meetings::Created, meetings::ActionUpdateBody,
        meetings::ProposalView, meetings::AnswerBody, meetings::CommentBody,
        BulletinInput, BulletinKind, minbar_store::bulletins::Bulletin, fourw::Items<minbar_store::bulletins::Bulletin>,
        DocumentInput, minbar_store::documents::Document, minbar_store::documents::Attachment,
        fourw::Items<minbar_store::documents::Document>, fourw::Items<minbar_store::documents::Attachment>,
        PolicyInput, AdvocacyInput, Instrument, PolicyStatus, Impact, Topic, AffectedGroup,
        minbar_store::policy::PolicyItem, minbar_store::policy::Linked, minbar_store::policy::Advocacy,
        fourw::Items<minbar_store::policy::PolicyItem>,
        ExpertiseInput, ExchangeInput, ExpertiseKind, ExpertiseStatus, DeliveryFormat,
        minbar_store::expertise::Expertise, minbar_store::expertise::Exchange, expertise::ExpertiseView,
        expertise::MatchItem, expertise::AcceptBody, fourw::Items<minbar_store::expertise::Expertise>,
        fourw::Items<expertise::MatchItem>)),
    tags(
        (name = "directory", description = "Organisations, people, sectors and areas"),
        (name = "search", description = "One search over everything the caller may see"),
        (name = "4w", description = "Who does what where: activities, needs, coverage"),
        (name = "meetings", description = "Meetings, minutes, decisions and action items"),
        (name = "proposals", description = "Proposals and their endorsement by member organisations"),
        (name = "bulletins", description = "News, calls and alerts"),
        (name = "library", description = "Documents and their files, with every version kept"),
        (name = "policy", description = "Host-country decisions, the network's position and advocacy"),
        (name = "expertise", description = "Offers and requests of expertise, matches and exchanges")
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<serde_json::Value> {
    Json(complete())
}

/// The generated document, completed with what every operation can answer because of
/// the layers in front of every handler (guards, body checks, version checks), and the
/// two ways to authenticate. Schemathesis checks every response against it in CI.
pub fn complete() -> serde_json::Value {
    use serde_json::json;
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let error = |description: &str| {
        json!({
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        })
    };
    if let Some(paths) = doc["paths"].as_object_mut() {
        for (path, item) in paths.iter_mut() {
            let has_params = path.contains('{');
            for method in ["get", "post", "put", "delete"] {
                let Some(op) = item.get_mut(method).and_then(|o| o.as_object_mut()) else {
                    continue;
                };
                let mut add = vec![
                    ("400", "Malformed request: a parameter or body that cannot be read (`bad_request`, `malformed_json`, `invalid_filter`)."),
                    ("401", "Not signed in, or an unknown or revoked token (`unauthorized`, `token_invalid`)."),
                    ("403", "Signed in, but not allowed; or a missing CSRF token with a cookie; or a read-only token writing (`forbidden`, `csrf`, `token_read_only`)."),
                ];
                if has_params {
                    add.push(("404", "No such record (`not_found`)."));
                }
                if method != "get" {
                    add.push(("413", "The body is larger than 1 MiB."));
                    add.push(("415", "The body is not JSON (`unsupported_media_type`)."));
                    add.push((
                        "422",
                        "Well-formed but invalid: each field at fault with its code.",
                    ));
                }
                if method == "put" || method == "delete" {
                    add.push(("409", "Changed since it was read (`conflict`)."));
                    add.push((
                        "428",
                        "Send the version read in `If-Match` (`version_required`).",
                    ));
                }
                let responses = op
                    .entry("responses")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .expect("responses is an object");
                for (code, text) in add {
                    responses.entry(code).or_insert_with(|| error(text));
                }
                op.insert(
                    "security".into(),
                    json!([{}, {"bearerAuth": []}, {"sessionCookie": []}]),
                );
            }
        }
    }
    doc["components"]["securitySchemes"] = json!({
        "bearerAuth": {
            "type": "http", "scheme": "bearer",
            "description": "A personal API token (`mbr_…`) from the account page or `minbar user create-token`. Read tokens may only GET."
        },
        "sessionCookie": {
            "type": "apiKey", "in": "cookie", "name": "minbar_session",
            "description": "The browser's session. Writes must also send the session's CSRF token in `X-CSRF-Token`."
        }
    });
    doc
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
    let doc = complete();
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
