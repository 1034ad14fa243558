//! Meetings, action items and proposals over JSON. What a caller may see follows the
//! same visibility rule as the pages (`Actor::may_see`); a record they may not see
//! answers 404, as if it did not exist.

use super::fourw::Items;
use super::openapi::ErrorBody;
use super::{if_match, parse_json, with_etag, ApiCtx};
use crate::error::ApiError;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use minbar_core::*;
use minbar_store::meetings::{visible_codes, ActionFilter, ActionItem, Meeting, MeetingRow};
use minbar_store::proposals::{Endorsement, Proposal, ProposalComment};
use serde::{Deserialize, Serialize};

fn not_found(lang: Lang) -> ApiError {
    ApiError::new(lang, StatusCode::NOT_FOUND, "not_found")
}

fn id_of(lang: Lang, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>().map_err(|_| not_found(lang))
}

fn store_err(lang: Lang) -> impl Fn(minbar_store::StoreError) -> ApiError {
    move |e| ApiError::store(lang, e)
}

fn created<T: Serialize>(location: String, body: &T) -> Response {
    let mut res = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(v) = location.parse() {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

async fn visible_meeting(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<Meeting, ApiError> {
    let m = st
        .store
        .get_meeting(MeetingId(id_of(ctx.lang, raw)?))
        .await
        .map_err(store_err(ctx.lang))?;
    if !ctx.actor.may_see(m.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(m)
}

/// Meetings the caller may see, the most recent first.
#[utoipa::path(get, path = "/meetings", tag = "meetings",
    responses((status = 200, body = Items<MeetingRow>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_meetings(
    ctx: ApiCtx,
    State(st): State<AppState>,
) -> Result<Json<Items<MeetingRow>>, ApiError> {
    let items = st
        .store
        .list_meetings(&visible_codes(&ctx.actor), 1000)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(Json(Items { items }))
}

/// One meeting with its attendance, agenda, minutes, decisions and action items; its
/// version in the `ETag` header (send it back to change its details). The minutes have a
/// version of their own (`minutes_version`, and `GET …/minutes`).
#[utoipa::path(get, path = "/meetings/{id}", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = Meeting), (status = 404, body = ErrorBody)))]
pub async fn get_meeting(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let m = visible_meeting(&ctx, &st, &id).await?;
    Ok(with_etag(StatusCode::OK, m.version, &m))
}

/// Change a meeting's details (the secretariat); send the version read in `If-Match`.
#[utoipa::path(put, path = "/meetings/{id}", tag = "meetings", request_body = MeetingInput,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"1\"")),
    responses((status = 200, body = Meeting), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_meeting(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let m = visible_meeting(&ctx, &st, &id).await?;
    let version = if_match(ctx.lang, &headers)?;
    let i: MeetingInput = parse_json(ctx.lang, &headers, &body)?;
    let d = MeetingDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    ctx.store(&st)
        .update_meeting(m.id, version, &d)
        .await
        .map_err(store_err(ctx.lang))?;
    let m = st
        .store
        .get_meeting(m.id)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(with_etag(StatusCode::OK, m.version, &m))
}

/// A meeting's minutes.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MinutesView {
    /// Markdown.
    pub minutes: String,
    pub minutes_state: MinutesState,
    pub minutes_version: i64,
}

/// The minutes, their state, and their version in the `ETag` header (send it back in
/// `If-Match` to replace them).
#[utoipa::path(get, path = "/meetings/{id}/minutes", tag = "meetings", params(("id" = i64, Path)),
    responses((status = 200, body = MinutesView), (status = 404, body = ErrorBody)))]
pub async fn get_minutes(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let m = visible_meeting(&ctx, &st, &id).await?;
    Ok(with_etag(
        StatusCode::OK,
        m.minutes_version,
        &MinutesView {
            minutes: m.minutes,
            minutes_state: m.minutes_state,
            minutes_version: m.minutes_version,
        },
    ))
}

/// Create a meeting (the secretariat).
#[utoipa::path(post, path = "/meetings", tag = "meetings", request_body = MeetingInput,
    responses((status = 201, body = Meeting), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "a field is invalid or an organisation unknown", body = ErrorBody)))]
pub async fn create_meeting(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let i: MeetingInput = parse_json(ctx.lang, &headers, &body)?;
    let d = MeetingDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let id = ctx
        .store(&st)
        .create_meeting(&d)
        .await
        .map_err(store_err(ctx.lang))?;
    let m = st
        .store
        .get_meeting(id)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(created(format!("/api/v1/meetings/{id}"), &m))
}

/// New minutes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesBody {
    /// Markdown, up to 200,000 characters.
    pub minutes: String,
}

/// The minutes' version after a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MinutesVersion {
    pub minutes_version: i64,
}

/// Replace the minutes; send the minutes' version read in `If-Match`. A
/// stale version is a `409 conflict` (nothing is overwritten); approved minutes answer
/// `422 minutes_locked`.
#[utoipa::path(put, path = "/meetings/{id}/minutes", tag = "meetings", request_body = MinutesBody,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the minutes' version read, e.g. \"3\"")),
    responses((status = 200, body = MinutesVersion), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, description = "conflict: saved by someone else since read", body = ErrorBody),
        (status = 422, description = "minutes_locked, text_too_long", body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn put_minutes(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let m = visible_meeting(&ctx, &st, &id).await?;
    let may = ctx.actor.may(Action::MinutesEdit, None)
        || m.organisers
            .iter()
            .any(|o| ctx.actor.may(Action::MinutesEdit, Some(o.id)));
    if !may {
        return Err(ctx.refusal());
    }
    let version = if_match(ctx.lang, &headers)?;
    let b: MinutesBody = parse_json(ctx.lang, &headers, &body)?;
    let text = MinutesText::parse(&b.minutes)
        .map_err(|e| ApiError::invalid(ctx.lang, FieldErrors::one("minutes", e.code())))?;
    let v = ctx
        .store(&st)
        .save_minutes(m.id, version, &text)
        .await
        .map_err(store_err(ctx.lang))?;
    let link = format!("/meetings/{}#minutes", m.id);
    crate::api::text::notify_mentions(&st, &b.minutes, m.visibility, &link, &m.title).await;
    Ok(with_etag(
        StatusCode::OK,
        v,
        &MinutesVersion { minutes_version: v },
    ))
}

/// Where to move the minutes.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesStateBody {
    /// draft, circulated or approved.
    pub to: String,
}

/// Circulate the minutes, send them back to draft, or approve (and lock) them.
#[utoipa::path(post, path = "/meetings/{id}/minutes/state", tag = "meetings", request_body = MinutesStateBody,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "minutes_state_invalid, minutes_locked", body = ErrorBody)))]
pub async fn move_minutes(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let m = visible_meeting(&ctx, &st, &id).await?;
    let b: MinutesStateBody = parse_json(ctx.lang, &headers, &body)?;
    let to = MinutesState::parse(&b.to)
        .map_err(|e| ApiError::invalid(ctx.lang, FieldErrors::one("to", e.code())))?;
    ctx.store(&st)
        .move_minutes(m.id, to)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The id of what was added.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Record an attendee (or a person invited).
#[utoipa::path(post, path = "/meetings/{id}/attendees", tag = "meetings", request_body = AttendeeInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_attendee(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let m = visible_meeting(&ctx, &st, &id).await?;
    let i: AttendeeInput = parse_json(ctx.lang, &headers, &body)?;
    let d = AttendeeDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let a = ctx
        .store(&st)
        .add_attendee(m.id, &d)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(created(
        format!("/api/v1/meetings/{}", m.id),
        &Created { id: a.0 },
    ))
}

/// Record a decision.
#[utoipa::path(post, path = "/meetings/{id}/decisions", tag = "meetings", request_body = DecisionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_decision(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let m = visible_meeting(&ctx, &st, &id).await?;
    let i: DecisionInput = parse_json(ctx.lang, &headers, &body)?;
    let d = DecisionDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let x = ctx
        .store(&st)
        .add_decision(m.id, &d)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(created(
        format!("/api/v1/meetings/{}", m.id),
        &Created { id: x.0 },
    ))
}

/// Record an action item. An organisation that is no longer a member answers
/// `422 org_not_active`.
#[utoipa::path(post, path = "/meetings/{id}/action-items", tag = "meetings", request_body = ActionInput,
    params(("id" = i64, Path)),
    responses((status = 201, body = ActionItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_action(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::MeetingManage, None)?;
    let m = visible_meeting(&ctx, &st, &id).await?;
    let i: ActionInput = parse_json(ctx.lang, &headers, &body)?;
    let d = ActionDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    let x = ctx
        .store(&st)
        .add_action(m.id, &d)
        .await
        .map_err(store_err(ctx.lang))?;
    let a = st.store.get_action(x).await.map_err(store_err(ctx.lang))?;
    Ok(created(format!("/api/v1/action-items/{x}"), &a))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionQuery {
    /// Items assigned to this organisation.
    pub org: Option<i64>,
    /// Items of this meeting.
    pub meeting: Option<i64>,
    /// `open` (the default): open and in progress only; `all`: every status.
    pub status: Option<String>,
    #[allow(dead_code)]
    pub lang: Option<String>,
}

/// Action items across the meetings the caller may see: by due date, undated last.
#[utoipa::path(get, path = "/action-items", tag = "meetings", params(ActionQuery),
    responses((status = 200, body = Items<ActionItem>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_actions(
    ctx: ApiCtx,
    State(st): State<AppState>,
    q: Result<Query<ActionQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<Items<ActionItem>>, ApiError> {
    let bad = || ApiError::new(ctx.lang, StatusCode::BAD_REQUEST, "invalid_filter");
    let Query(q) = q.map_err(|_| bad())?;
    let open_only = match q.status.as_deref().map(str::trim) {
        None | Some("") | Some("open") => true,
        Some("all") => false,
        Some(_) => return Err(bad()),
    };
    let items = st
        .store
        .action_items(&ActionFilter {
            org: q.org.map(OrgId),
            meeting: q.meeting.map(MeetingId),
            open_only,
            visible: visible_codes(&ctx.actor),
        })
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(Json(Items { items }))
}

/// A change to an action item.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionUpdateBody {
    /// open, in_progress, done or dropped.
    pub status: Option<String>,
    /// A follow-up comment.
    pub comment: Option<String>,
}

/// Move an action item along, with a follow-up comment; send its version in `If-Match`.
/// Focal points and members: their own organisation's items.
#[utoipa::path(put, path = "/action-items/{id}", tag = "meetings", request_body = ActionUpdateBody,
    params(("id" = i64, Path), ("If-Match" = String, Header, description = "the version read, e.g. \"1\"")),
    responses((status = 200, body = ActionItem), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody), (status = 428, body = ErrorBody)))]
pub async fn update_action(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let a = st
        .store
        .get_action(ActionItemId(id_of(ctx.lang, &id)?))
        .await
        .map_err(store_err(ctx.lang))?;
    let vis = st
        .store
        .meeting_visibility(a.meeting)
        .await
        .map_err(store_err(ctx.lang))?;
    if !ctx.actor.may_see(vis) {
        return Err(not_found(ctx.lang));
    }
    ctx.require(Action::ActionUpdate, a.org.as_ref().map(|o| o.id))?;
    let version = if_match(ctx.lang, &headers)?;
    let b: ActionUpdateBody = parse_json(ctx.lang, &headers, &body)?;
    let status = match b.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            ActionStatus::parse(s)
                .map_err(|e| ApiError::invalid(ctx.lang, FieldErrors::one("status", e.code())))?,
        ),
    };
    ctx.store(&st)
        .update_action(a.id, version, status, b.comment.as_deref().unwrap_or(""))
        .await
        .map_err(store_err(ctx.lang))?;
    let a = st
        .store
        .get_action(a.id)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(with_etag(StatusCode::OK, a.version, &a))
}

// ------------------------------------------------------------------ proposals

/// A proposal with what the caller may see of its answers, and its discussion.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    #[serde(flatten)]
    pub proposal: Proposal,
    /// How many organisations have answered.
    pub answered: usize,
    /// The answers, when the rules show them (after closing, or while open when the
    /// kind's rules say so); otherwise absent.
    pub answers: Option<Vec<Endorsement>>,
    pub comments: Vec<ProposalComment>,
}

async fn visible_proposal(ctx: &ApiCtx, st: &AppState, raw: &str) -> Result<Proposal, ApiError> {
    let p = st
        .store
        .get_proposal(ProposalId(id_of(ctx.lang, raw)?))
        .await
        .map_err(store_err(ctx.lang))?;
    if !ctx.actor.may_see(p.visibility) {
        return Err(not_found(ctx.lang));
    }
    Ok(p)
}

/// Proposals the caller may see, the latest closing first (closed ones sealed).
#[utoipa::path(get, path = "/proposals", tag = "proposals",
    responses((status = 200, body = Items<Proposal>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_proposals(
    ctx: ApiCtx,
    State(st): State<AppState>,
) -> Result<Json<Items<Proposal>>, ApiError> {
    let items = st
        .store
        .list_proposals(&visible_codes(&ctx.actor), None)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(Json(Items { items }))
}

/// One proposal: its rules, its sealed outcome once closed, the answers when they may be
/// shown, and the discussion.
#[utoipa::path(get, path = "/proposals/{id}", tag = "proposals", params(("id" = i64, Path)),
    responses((status = 200, body = ProposalView), (status = 404, body = ErrorBody)))]
pub async fn get_proposal(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProposalView>, ApiError> {
    let p = visible_proposal(&ctx, &st, &id).await?;
    let mut all = st
        .store
        .endorsements(p.id)
        .await
        .map_err(store_err(ctx.lang))?;
    let mut comments = st
        .store
        .proposal_comments(p.id)
        .await
        .map_err(store_err(ctx.lang))?;
    // the accounts behind answers and comments, for readers who may see members' addresses
    if !ctx.actor.may(Action::MemberContactsRead, None) {
        all.iter_mut().for_each(|e| e.by.clear());
        comments.iter_mut().for_each(|c| c.by.clear());
    }
    let visible = p.answers_visible(minbar_store::util::now());
    Ok(Json(ProposalView {
        answered: all.len(),
        answers: visible.then_some(all),
        comments,
        proposal: p,
    }))
}

/// Put a proposal forward: a focal point on behalf of their own organisation (name it in
/// `proposers`), the secretariat on anyone's. The kind's current rules are attached to it.
#[utoipa::path(post, path = "/proposals", tag = "proposals", request_body = ProposalInput,
    responses((status = 201, body = Proposal), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, description = "window_invalid (closing before opening), date_time_invalid, …", body = ErrorBody)))]
pub async fn create_proposal(
    ctx: ApiCtx,
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if !ctx.actor.may_some(Action::ProposalCreate) {
        return Err(ctx.refusal());
    }
    let i: ProposalInput = parse_json(ctx.lang, &headers, &body)?;
    let d = ProposalDraft::parse(&i).map_err(|e| ApiError::invalid(ctx.lang, e))?;
    if !ctx.actor.may(Action::ProposalCreate, None)
        && (d.proposers.is_empty()
            || !d
                .proposers
                .iter()
                .all(|o| ctx.actor.may(Action::ProposalCreate, Some(*o))))
    {
        return Err(ApiError::new(ctx.lang, StatusCode::FORBIDDEN, "forbidden"));
    }
    if let Some(m) = d.meeting {
        let v = st.store.meeting_visibility(m).await.map_err(|e| match e {
            minbar_store::StoreError::NotFound => ApiError::invalid(
                ctx.lang,
                FieldErrors::one("meeting_id", "reference_unknown"),
            ),
            e => ApiError::store(ctx.lang, e),
        })?;
        if !ctx.actor.may_see(v) {
            return Err(ApiError::invalid(
                ctx.lang,
                FieldErrors::one("meeting_id", "reference_unknown"),
            ));
        }
    }
    let id = ctx
        .store(&st)
        .create_proposal(&d)
        .await
        .map_err(store_err(ctx.lang))?;
    let p = st
        .store
        .get_proposal(id)
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(created(format!("/api/v1/proposals/{id}"), &p))
}

/// An organisation's answer.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// support, object or abstain.
    pub answer: String,
    pub reason: Option<String>,
}

/// Answer a proposal on behalf of the caller's organisation (a focal point), or change
/// the answer, until closing. After closing: `422 endorsement_closed`.
#[utoipa::path(put, path = "/proposals/{id}/answer", tag = "proposals", request_body = AnswerBody,
    params(("id" = i64, Path)),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "endorsement_not_open, endorsement_closed, not_a_member, answer_invalid", body = ErrorBody)))]
pub async fn answer(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let org = ctx.actor.org.ok_or_else(|| ctx.refusal())?;
    ctx.require(Action::Endorse, Some(org))?;
    let p = visible_proposal(&ctx, &st, &id).await?;
    let b: AnswerBody = parse_json(ctx.lang, &headers, &body)?;
    let a = AnswerCode::parse(&b.answer)
        .map_err(|e| ApiError::invalid(ctx.lang, FieldErrors::one("answer", e.code())))?;
    ctx.store(&st)
        .answer_proposal(
            p.id,
            org,
            a,
            b.reason.as_deref().unwrap_or(""),
            minbar_store::util::now(),
        )
        .await
        .map_err(store_err(ctx.lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A comment.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentBody {
    pub body: String,
    /// The comment replied to (threads are one level deep).
    pub parent: Option<i64>,
}

/// Comment in a proposal's discussion, until it closes.
#[utoipa::path(post, path = "/proposals/{id}/comments", tag = "proposals", request_body = CommentBody,
    params(("id" = i64, Path)),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment(
    ctx: ApiCtx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ctx.require(Action::ProposalComment, None)?;
    let p = visible_proposal(&ctx, &st, &id).await?;
    let b: CommentBody = parse_json(ctx.lang, &headers, &body)?;
    let c = ctx
        .store(&st)
        .comment_proposal(
            p.id,
            b.parent.filter(|x| *x > 0).map(CommentId),
            ctx.actor.org,
            &b.body,
            minbar_store::util::now(),
        )
        .await
        .map_err(store_err(ctx.lang))?;
    let link = format!("/proposals/{}#comment-{c}", p.id);
    crate::api::text::notify_mentions(&st, &b.body, p.visibility, &link, &p.title).await;
    Ok(created(
        format!("/api/v1/proposals/{}", p.id),
        &Created { id: c.0 },
    ))
}
