//! Meetings: the list, a meeting with its attendance, agenda, decisions, action items
//! and minutes, the action-item board, the home page of open items, the published
//! summary and the calendar (one event, and a personal feed).

use super::form::{all_values, fields, value};
use super::{render, visibility_label, visibility_options, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::meetings::{visible_codes, ActionFilter, ActionItem, Meeting, OrgRef};
use minbar_store::StoreError;
use std::collections::HashMap;

fn opt_id(f: &HashMap<String, String>, k: &str) -> Option<i64> {
    value(f, k).trim().parse().ok().filter(|n: &i64| *n > 0)
}

/// The first error of a store refusal, translated.
fn first_error(ctx: &Ctx, e: &FieldErrors) -> String {
    e.0.iter()
        .map(|(_, c)| ctx.t().err(c))
        .next()
        .unwrap_or_default()
}

/// `when` of a meeting as its reader sees it: `2026-12-03 10:00–12:00 (Europe/Istanbul)`.
pub fn when(starts_at: i64, ends_at: i64, zone: &str) -> String {
    let s = utc_to_local(starts_at, zone);
    let e = utc_to_local(ends_at, zone);
    let end = match (s.split_once(' '), e.split_once(' ')) {
        (Some((d1, _)), Some((d2, t2))) if d1 == d2 => t2.to_string(),
        _ => e.clone(),
    };
    format!("{s}–{end} ({zone})")
}

/// An option of a picker: value, label.
pub type Opt = (i64, String);

/// An organisation as pickers and lists name it: `ACRONYM — name`.
pub fn org_label(o: &OrgRef, lang: Lang) -> String {
    let name = o.label(lang);
    if name == o.acronym || o.acronym.is_empty() {
        name
    } else {
        format!("{} — {}", o.acronym, name)
    }
}

/// An action item as the board and the meeting page show it.
pub struct ActionView {
    pub id: i64,
    pub title: String,
    pub who: String,
    pub due: String,
    pub status: &'static str,
    pub status_label: String,
    pub overdue: bool,
    pub meeting: i64,
    pub meeting_title: String,
    pub version: i64,
    /// (by, body, when)
    pub comments: Vec<(String, String, String)>,
    pub may_update: bool,
}

impl ActionView {
    /// Is the item in status `s`?
    pub fn is(&self, s: &str) -> bool {
        self.status == s
    }
}

fn action_view(ctx: &Ctx, a: &ActionItem, today: &str) -> ActionView {
    let lang = ctx.lang;
    let mut who = Vec::new();
    if let Some(o) = &a.org {
        who.push(org_label(o, lang));
    }
    if a.person.is_some() {
        who.push(a.person_name.get(lang).to_string());
    }
    ActionView {
        id: a.id.0,
        title: a.title.clone(),
        who: who.join(" · "),
        due: a.due.clone().unwrap_or_default(),
        status: a.status.code(),
        status_label: ctx.t().get(&format!("action-status-{}", a.status.code())),
        overdue: a.overdue(today),
        meeting: a.meeting.0,
        meeting_title: a.meeting_title.clone(),
        version: a.version,
        comments: a
            .comments
            .iter()
            .map(|c| {
                (
                    c.by.clone(),
                    c.body.clone(),
                    minbar_store::util::date_of(c.at),
                )
            })
            .collect(),
        may_update: ctx.may(Action::ActionUpdate, a.org.as_ref().map(|o| o.id)),
    }
}

// ------------------------------------------------------------------ the list

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    c: Chrome,
    /// (id, title, kind label, when, minutes state label)
    meetings: Vec<(i64, String, String, String, String)>,
    can_create: bool,
    feed: String,
}

async fn list_page(ctx: &Ctx, st: &AppState, feed: String) -> Result<Response, PageError> {
    let t = ctx.t();
    let rows = st
        .store
        .list_meetings(&visible_codes(&ctx.actor()), 500)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let meetings = rows
        .into_iter()
        .map(|m| {
            (
                m.id.0,
                m.title,
                t.get(&format!("meeting-kind-{}", m.kind.code())),
                utc_to_local(m.starts_at, &m.time_zone),
                t.get(&format!("minutes-state-{}", m.minutes_state.code())),
            )
        })
        .collect();
    let p = MeetingsPage {
        c: Chrome::new(ctx, &t.get("meetings-title")),
        meetings,
        can_create: ctx.may(Action::MeetingManage, None),
        feed,
    };
    Ok(render(ctx, StatusCode::OK, &p))
}

pub async fn list(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    list_page(&ctx, &st, String::new()).await
}

/// A new secret calendar feed address for the signed-in account, shown once.
pub async fn new_feed(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let user = ctx
        .session
        .as_ref()
        .map(|s| s.user.id)
        .ok_or_else(|| PageError::unauthorized(ctx.lang))?;
    let token = ctx
        .store(&st)
        .new_calendar_token(user)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let feed = format!("{}/calendar/{token}.ics", st.base_url.trim_end_matches('/'));
    list_page(&ctx, &st, feed).await
}

// ------------------------------------------------------------------ creating

#[derive(Template)]
#[template(path = "meeting_form.html")]
struct MeetingFormPage {
    c: Chrome,
    /// Where the form goes: `/meetings` (new) or `/meetings/{id}` (edit).
    action: String,
    /// The version read, for an edit (0 for a new meeting).
    version: i64,
    i: MeetingInput,
    errors: FieldErrors,
    kinds: Vec<(String, String)>,
    orgs: Vec<Opt>,
    visibilities: Vec<(String, String)>,
}

impl MeetingFormPage {
    fn err(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|c| self.c.t.err(c))
            .unwrap_or_default()
    }
    fn organiser(&self, id: &i64) -> bool {
        self.i.organisers.contains(id)
    }
    fn invited(&self, id: &i64) -> bool {
        self.i.invited.contains(id)
    }
}

/// Which form: a new meeting, or an edit of meeting `id` read at `version`.
#[derive(Clone, Copy)]
enum FormOf {
    New,
    Edit(MeetingId, i64),
}

async fn meeting_form(
    ctx: &Ctx,
    st: &AppState,
    of: FormOf,
    i: MeetingInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(_, _, status)| status != "former")
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (title, action, version) = match of {
        FormOf::New => (t.get("meeting-new"), "/meetings".to_string(), 0),
        FormOf::Edit(id, v) => (t.get("meeting-edit"), format!("/meetings/{id}"), v),
    };
    let p = MeetingFormPage {
        c: Chrome::new(ctx, &title),
        action,
        version,
        kinds: MeetingKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    t.get(&format!("meeting-kind-{}", k.code())),
                )
            })
            .collect(),
        visibilities: visibility_options(st, t)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?,
        orgs,
        i,
        errors,
    };
    Ok(render(ctx, status, &p))
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let i = MeetingInput {
        time_zone: DEFAULT_TIME_ZONE.into(),
        visibility: "members".into(),
        kind: "working_group".into(),
        ..Default::default()
    };
    meeting_form(&ctx, &st, FormOf::New, i, FieldErrors::default()).await
}

/// The form's fields as typed.
fn meeting_input(body: &[u8], f: &HashMap<String, String>) -> MeetingInput {
    let ids = |name| {
        all_values(body, name)
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect()
    };
    MeetingInput {
        title: value(f, "title").into(),
        kind: value(f, "kind").into(),
        starts: value(f, "starts").into(),
        ends: value(f, "ends").into(),
        time_zone: value(f, "time_zone").into(),
        place: value(f, "place").into(),
        online_url: value(f, "online_url").into(),
        visibility: value(f, "visibility").into(),
        organisers: ids("organisers"),
        invited: ids("invited"),
    }
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = meeting_input(&body, &f);
    let d = match MeetingDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => return meeting_form(&ctx, &st, FormOf::New, i, e).await,
    };
    match ctx.store(&st).create_meeting(&d).await {
        Ok(id) => Ok(Redirect::to(&format!("/meetings/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => meeting_form(&ctx, &st, FormOf::New, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

/// A meeting's details as the form shows them.
fn input_of(m: &Meeting) -> MeetingInput {
    MeetingInput {
        title: m.title.clone(),
        kind: m.kind.code().into(),
        starts: utc_to_input(m.starts_at, &m.time_zone),
        ends: utc_to_input(m.ends_at, &m.time_zone),
        time_zone: m.time_zone.clone(),
        place: m.place.clone().unwrap_or_default(),
        online_url: m.online_url.clone().unwrap_or_default(),
        visibility: m.visibility.code(),
        organisers: m.organisers.iter().map(|o| o.id.0).collect(),
        invited: m.invited.iter().map(|o| o.id.0).collect(),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let m = load_visible(&ctx, &st, id).await?;
    let of = FormOf::Edit(m.id, m.version);
    meeting_form(&ctx, &st, of, input_of(&m), FieldErrors::default()).await
}

/// Save an edit of a meeting's details. Someone else's edit since the form was read is a
/// conflict: both versions are shown side by side, so that nothing typed is lost.
pub async fn update(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let m = load_visible(&ctx, &st, id).await?;
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = meeting_input(&body, &f);
    let d = match MeetingDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => return meeting_form(&ctx, &st, FormOf::Edit(m.id, version), i, e).await,
    };
    match ctx.store(&st).update_meeting(m.id, version, &d).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{id}")).into_response()),
        Err(StoreError::Conflict { current }) => {
            // both versions side by side, as for organisations: nothing typed is lost
            let now = input_of(&load_visible(&ctx, &st, id).await?);
            let t = ctx.t();
            let row = |key: &str, a: &str, b: &str| {
                (
                    t.get(key),
                    a.to_string(),
                    b.to_string(),
                    a.trim() != b.trim(),
                )
            };
            let rows = vec![
                row("meeting-title", &i.title, &now.title),
                row("meeting-kind", &i.kind, &now.kind),
                row("meeting-starts", &i.starts, &now.starts),
                row("meeting-ends", &i.ends, &now.ends),
                row("meeting-time-zone", &i.time_zone, &now.time_zone),
                row("meeting-place", &i.place, &now.place),
                row("meeting-online", &i.online_url, &now.online_url),
                row("meeting-visibility", &i.visibility, &now.visibility),
            ];
            let view = super::org::ConflictPage {
                c: Chrome::new(&ctx, &t.get("conflict-title")),
                explain: t.arg("conflict-explain", "current", &current.to_string()),
                rows,
                edit_link: format!("/meetings/{id}/edit"),
            };
            Ok(render(&ctx, StatusCode::CONFLICT, &view))
        }
        Err(StoreError::Invalid(e)) => {
            meeting_form(&ctx, &st, FormOf::Edit(m.id, version), i, e).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

// ------------------------------------------------------------------ one meeting

/// A name of the directory found in the minutes: kind, id, as written, link, and
/// whether it is a person not yet on the attendance list.
pub struct Suggestion {
    pub kind: String,
    pub id: String,
    pub surface: String,
    pub href: String,
    pub add_attendee: bool,
}

#[derive(Template)]
#[template(path = "meeting.html")]
struct MeetingPage {
    c: Chrome,
    m: Meeting,
    when: String,
    kind: String,
    visibility: String,
    summary_visibility: String,
    state: &'static str,
    state_label: String,
    minutes_html: String,
    /// (id, position, title, notes html, notes as written)
    /// (id, position, title, notes as HTML, notes as typed, papers)
    agenda: Vec<(i64, i64, String, String, String, Vec<Paper>)>,
    /// (id, text, vote, agenda item title, agenda item id)
    decisions: Vec<(i64, String, String, String, i64)>,
    actions: Vec<ActionView>,
    /// (id, name, organisation, role, present)
    attendees: Vec<(i64, String, String, String, bool)>,
    /// (id, title, state)
    proposals: Vec<(i64, String, String)>,
    /// (before html, after html, reason, by, date)
    amendments: Vec<(String, String, String, String, String)>,
    suggestions: Vec<Suggestion>,
    organisers: Vec<Opt>,
    invited: Vec<Opt>,
    actions_back: String,
    orgs: Vec<Opt>,
    active_orgs: Vec<Opt>,
    people: Vec<Opt>,
    visibilities: Vec<(String, String)>,
    can_manage: bool,
    can_edit_minutes: bool,
    can_propose: bool,
    /// A form's refusal, and which section it belongs to.
    error: String,
    error_at: &'static str,
    /// Minutes that could not be saved (a conflict): shown again, nothing lost.
    unsaved: Option<String>,
    /// How many invitations were just queued (none: 0).
    invitations_sent: i64,
}

impl MeetingPage {
    fn summary(&self, lang: &str) -> String {
        match lang {
            "ar" => self.m.summary.ar.clone(),
            "en" => self.m.summary.en.clone(),
            _ => self.m.summary.tr.clone(),
        }
        .unwrap_or_default()
    }
}

async fn load_visible(ctx: &Ctx, st: &AppState, id: i64) -> Result<Meeting, PageError> {
    let m = st
        .store
        .get_meeting(MeetingId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(m.visibility) {
        return Err(PageError::not_found(ctx.lang));
    }
    Ok(m)
}

fn may_edit_minutes(ctx: &Ctx, m: &Meeting) -> bool {
    ctx.may(Action::MinutesEdit, None)
        || m.organisers
            .iter()
            .any(|o| ctx.may(Action::MinutesEdit, Some(o.id)))
}

/// A paper attached to an agenda item: file id, name, size.
type Paper = (i64, String, String);

async fn meeting_page(
    ctx: &Ctx,
    st: &AppState,
    m: Meeting,
    status: StatusCode,
    error: String,
    error_at: &'static str,
    unsaved: Option<String>,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let lang = ctx.lang;
    let err = |e| PageError::store(lang, e);
    let today = minbar_store::util::today();
    let all_orgs = st.store.org_refs().await.map_err(err)?;
    let mut agenda = Vec::new();
    for a in &m.agenda {
        // the latest version of each paper
        let papers: Vec<Paper> = st
            .store
            .latest_attachments(minbar_store::documents::Owner::AgendaItem(a.id))
            .await
            .map_err(err)?
            .iter()
            .map(|f| (f.id.0, f.name.clone(), super::library::human_size(f.size)))
            .collect();
        agenda.push((
            a.id.0,
            a.position,
            a.title.clone(),
            crate::markdown::to_html(&a.notes),
            a.notes.clone(),
            papers,
        ));
    }
    let orgs: Vec<Opt> = all_orgs
        .iter()
        .map(|(o, _, _)| (o.id.0, org_label(o, lang)))
        .collect();
    let active_orgs: Vec<Opt> = all_orgs
        .iter()
        .filter(|(_, _, s)| s != "former" && s != "suspended")
        .map(|(o, _, _)| (o.id.0, org_label(o, lang)))
        .collect();
    let people: Vec<Opt> = st
        .store
        .person_refs()
        .await
        .map_err(err)?
        .into_iter()
        .map(|(id, n)| (id.0, n.get(lang).to_string()))
        .collect();
    let options = visibility_options(st, t).await.map_err(err)?;
    let proposals = st
        .store
        .list_proposals(&visible_codes(&ctx.actor()), Some(m.id))
        .await
        .map_err(err)?
        .into_iter()
        .map(|p| {
            let state = match p.outcome {
                Some(o) => t.get(&format!("outcome-{}", super::proposals::outcome_code(o))),
                None => t.get("proposal-open"),
            };
            (p.id.0, p.title, state)
        })
        .collect();
    // names of the directory in the minutes: links, and people to add to the list
    let mut suggestions = Vec::new();
    if !m.minutes.is_empty() {
        let found = crate::api::text::find(&st.store, &m.minutes)
            .await
            .map_err(err)?;
        let mut seen = std::collections::HashSet::new();
        for x in found {
            let kind = x.kind.code().to_string();
            if !seen.insert((kind.clone(), x.id.clone())) {
                continue;
            }
            let listed = m
                .attendees
                .iter()
                .any(|a| a.person.map(|p| p.0.to_string()) == Some(x.id.clone()));
            let href = match kind.as_str() {
                "organisation" => format!("/organisations/{}", x.id),
                "person" => format!("/people/{}", x.id),
                _ => format!("/areas/{}", x.id),
            };
            suggestions.push(Suggestion {
                add_attendee: kind == "person" && !listed,
                kind,
                id: x.id,
                surface: x.surface,
                href,
            });
        }
    }
    let agenda_title = |a: Option<AgendaItemId>| {
        a.and_then(|a| m.agenda.iter().find(|x| x.id == a))
            .map(|x| x.title.clone())
            .unwrap_or_default()
    };
    let p = MeetingPage {
        c: Chrome::new(ctx, &m.title),
        when: when(m.starts_at, m.ends_at, &m.time_zone),
        kind: t.get(&format!("meeting-kind-{}", m.kind.code())),
        visibility: visibility_label(&options, m.visibility),
        summary_visibility: m.summary_visibility.code(),
        state: m.minutes_state.code(),
        state_label: t.get(&format!("minutes-state-{}", m.minutes_state.code())),
        minutes_html: crate::markdown::to_html(&m.minutes),
        agenda,
        decisions: m
            .decisions
            .iter()
            .map(|d| {
                (
                    d.id.0,
                    d.text.clone(),
                    d.vote.clone().unwrap_or_default(),
                    agenda_title(d.agenda_item),
                    d.agenda_item.map(|a| a.0).unwrap_or(0),
                )
            })
            .collect(),
        actions: m
            .actions
            .iter()
            .map(|a| action_view(ctx, a, &today))
            .collect(),
        attendees: m
            .attendees
            .iter()
            .map(|a| {
                let org = match (&a.org, &a.org_name) {
                    (Some(o), _) => org_label(o, lang),
                    (None, Some(n)) => n.clone(),
                    _ => String::new(),
                };
                (
                    a.id.0,
                    a.name.get(lang).to_string(),
                    org,
                    a.role.clone().unwrap_or_default(),
                    a.attended,
                )
            })
            .collect(),
        proposals,
        amendments: m
            .amendments
            .iter()
            .map(|a| {
                (
                    crate::markdown::to_html(&a.before),
                    crate::markdown::to_html(&a.after),
                    a.reason.clone(),
                    a.by.clone(),
                    minbar_store::util::date_of(a.at),
                )
            })
            .collect(),
        suggestions,
        organisers: m
            .organisers
            .iter()
            .map(|o| (o.id.0, org_label(o, lang)))
            .collect(),
        invited: m
            .invited
            .iter()
            .map(|o| (o.id.0, org_label(o, lang)))
            .collect(),
        actions_back: format!("/meetings/{}#actions", m.id),
        orgs,
        active_orgs,
        people,
        visibilities: options,
        can_manage: ctx.may(Action::MeetingManage, None),
        can_edit_minutes: may_edit_minutes(ctx, &m),
        can_propose: ctx.actor().may_some(Action::ProposalCreate),
        error,
        error_at,
        unsaved,
        invitations_sent: form_urlencoded::parse(ctx.query.as_bytes())
            .find(|(k, _)| k == "invited")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0),
        m,
    };
    Ok(render(ctx, status, &p))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let m = load_visible(&ctx, &st, id).await?;
    meeting_page(&ctx, &st, m, StatusCode::OK, String::new(), "", None).await
}

/// After a form on the meeting page: back to its section, or the page again with the
/// refusal beside the form.
async fn after(
    ctx: &Ctx,
    st: &AppState,
    id: i64,
    section: &'static str,
    r: Result<(), StoreError>,
) -> Result<Response, PageError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{id}#{section}")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let m = load_visible(ctx, st, id).await?;
            let msg = first_error(ctx, &e);
            meeting_page(
                ctx,
                st,
                m,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                section,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

fn invalid(e: FieldErrors) -> StoreError {
    StoreError::Invalid(e)
}

pub async fn add_attendee(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = AttendeeInput {
        person_id: opt_id(&f, "person_id"),
        name: value(&f, "name").into(),
        org_id: opt_id(&f, "org_id"),
        org_name: value(&f, "org_name").into(),
        role: value(&f, "role").into(),
        attended: value(&f, "attended") == "1",
    };
    let r = match AttendeeDraft::parse(&i) {
        Ok(d) => ctx
            .store(&st)
            .add_attendee(MeetingId(id), &d)
            .await
            .map(|_| ()),
        Err(e) => Err(invalid(e)),
    };
    after(&ctx, &st, id, "attendance", r).await
}

/// Send the meeting's invitations by e-mail (through the mail queue).
pub async fn invite(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let m = load_visible(&ctx, &st, id).await?;
    let err = |e| PageError::store(ctx.lang, e);
    let to = st.store.meeting_invitees(m.id).await.map_err(err)?;
    if to.is_empty() {
        let msg = ctx.t().get("meeting-invite-none");
        return meeting_page(
            &ctx,
            &st,
            m,
            StatusCode::UNPROCESSABLE_ENTITY,
            msg,
            "attendance",
            None,
        )
        .await;
    }
    let messages: Vec<(String, String, String)> = to
        .iter()
        .map(|(e, lang)| {
            let lang = lang.as_deref().and_then(Lang::parse);
            let (subject, text) = crate::mail::meeting_invitation(&st.base_url, &m, lang);
            (e.clone(), subject, text)
        })
        .collect();
    ctx.store(&st)
        .send_meeting_invitations(m.id, &messages)
        .await
        .map_err(err)?;
    Ok(Redirect::to(&format!("/meetings/{id}?invited={}#attendance", to.len())).into_response())
}

pub async fn remove_attendee(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, attendee)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = ctx
        .store(&st)
        .remove_attendee(MeetingId(id), AttendeeId(attendee))
        .await;
    after(&ctx, &st, id, "attendance", r).await
}

pub async fn add_agenda_item(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = match Name::parse(value(&f, "title")) {
        Ok(title) => ctx
            .store(&st)
            .add_agenda_item(MeetingId(id), &title, value(&f, "notes"))
            .await
            .map(|_| ()),
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("title", e.code()))),
    };
    after(&ctx, &st, id, "agenda", r).await
}

pub async fn add_decision(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = DecisionInput {
        text: value(&f, "text").into(),
        vote: value(&f, "vote").into(),
        agenda_item: opt_id(&f, "agenda_item"),
    };
    let r = match DecisionDraft::parse(&i) {
        Ok(d) => ctx
            .store(&st)
            .add_decision(MeetingId(id), &d)
            .await
            .map(|_| ()),
        Err(e) => Err(invalid(e)),
    };
    after(&ctx, &st, id, "decisions", r).await
}

pub async fn add_action(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = ActionInput {
        title: value(&f, "title").into(),
        org_id: opt_id(&f, "org_id"),
        person_id: opt_id(&f, "person_id"),
        due: value(&f, "due").into(),
        agenda_item: opt_id(&f, "agenda_item"),
    };
    let r = match ActionDraft::parse(&i) {
        Ok(d) => ctx
            .store(&st)
            .add_action(MeetingId(id), &d)
            .await
            .map(|_| ()),
        Err(e) => Err(invalid(e)),
    };
    after(&ctx, &st, id, "actions", r).await
}

pub async fn update_agenda_item(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = match Name::parse(value(&f, "title")) {
        Ok(title) => {
            ctx.store(&st)
                .update_agenda_item(
                    MeetingId(id),
                    AgendaItemId(item),
                    &title,
                    value(&f, "notes"),
                )
                .await
        }
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("title", e.code()))),
    };
    after(&ctx, &st, id, "agenda", r).await
}

/// Move an agenda item up or down (`direction` = `up` or `down`).
pub async fn move_agenda_item(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = ctx
        .store(&st)
        .move_agenda_item(
            MeetingId(id),
            AgendaItemId(item),
            value(&f, "direction") == "up",
        )
        .await;
    after(&ctx, &st, id, "agenda", r).await
}

/// Attach a paper to an agenda item (until the minutes are approved).
pub async fn upload_agenda_file(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let m = load_visible(&ctx, &st, id).await?;
    if !m.agenda.iter().any(|a| a.id.0 == item) {
        return Err(PageError::not_found(ctx.lang));
    }
    if m.minutes_state == MinutesState::Approved {
        let msg = ctx.t().err("minutes_locked");
        return meeting_page(&ctx, &st, m, StatusCode::CONFLICT, msg, "agenda", None).await;
    }
    let f = match super::library::read_upload(&ctx, &st, req).await? {
        Ok(f) => f,
        Err(msg) => {
            return meeting_page(
                &ctx,
                &st,
                m,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                "agenda",
                None,
            )
            .await
        }
    };
    ctx.store(&st)
        .add_attachment(
            minbar_store::documents::Owner::AgendaItem(AgendaItemId(item)),
            &f,
        )
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/meetings/{id}#item-{item}")).into_response())
}

pub async fn remove_agenda_item(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, item)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = ctx
        .store(&st)
        .delete_agenda_item(MeetingId(id), AgendaItemId(item))
        .await;
    after(&ctx, &st, id, "agenda", r).await
}

pub async fn update_decision(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, decision)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = DecisionInput {
        text: value(&f, "text").into(),
        vote: value(&f, "vote").into(),
        agenda_item: opt_id(&f, "agenda_item"),
    };
    let r = match DecisionDraft::parse(&i) {
        Ok(d) => {
            ctx.store(&st)
                .update_decision(MeetingId(id), DecisionId(decision), &d)
                .await
        }
        Err(e) => Err(invalid(e)),
    };
    after(&ctx, &st, id, "decisions", r).await
}

pub async fn remove_decision(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, decision)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = ctx
        .store(&st)
        .delete_decision(MeetingId(id), DecisionId(decision))
        .await;
    after(&ctx, &st, id, "decisions", r).await
}

/// Save the minutes. A stale version is a conflict: the page comes back with the
/// current minutes and the text that was sent, side by side, so nothing is lost.
pub async fn save_minutes(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let m = load_visible(&ctx, &st, id).await?;
    if !may_edit_minutes(&ctx, &m) {
        return Err(ctx.refusal());
    }
    let sent = value(&f, "minutes").to_string();
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let r = match MinutesText::parse(&sent) {
        Ok(text) => ctx
            .store(&st)
            .save_minutes(m.id, version, &text)
            .await
            .map(|_| ()),
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("minutes", e.code()))),
    };
    match r {
        Ok(()) => {
            let link = format!("/meetings/{id}#minutes");
            crate::api::text::notify_mentions(&st, &sent, m.visibility, &link, &m.title).await;
            Ok(Redirect::to(&link).into_response())
        }
        Err(StoreError::Conflict { .. }) => {
            let m = load_visible(&ctx, &st, id).await?;
            let msg = ctx.t().get("minutes-conflict");
            meeting_page(
                &ctx,
                &st,
                m,
                StatusCode::CONFLICT,
                msg,
                "minutes",
                Some(sent),
            )
            .await
        }
        Err(StoreError::Invalid(e)) => {
            let msg = first_error(&ctx, &e);
            meeting_page(
                &ctx,
                &st,
                m,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
                "minutes",
                Some(sent),
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn move_minutes(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let r = match MinutesState::parse(value(&f, "to")) {
        Ok(to) => ctx.store(&st).move_minutes(MeetingId(id), to).await,
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("to", e.code()))),
    };
    after(&ctx, &st, id, "minutes", r).await
}

pub async fn amend_minutes(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let r = match MinutesText::parse(value(&f, "minutes")) {
        Ok(text) => ctx
            .store(&st)
            .amend_minutes(MeetingId(id), version, &text, value(&f, "reason"))
            .await
            .map(|_| ()),
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("minutes", e.code()))),
    };
    if let Err(StoreError::Conflict { .. }) = r {
        let m = load_visible(&ctx, &st, id).await?;
        let msg = ctx.t().get("minutes-conflict");
        let sent = value(&f, "minutes").to_string();
        return meeting_page(
            &ctx,
            &st,
            m,
            StatusCode::CONFLICT,
            msg,
            "minutes",
            Some(sent),
        )
        .await;
    }
    after(&ctx, &st, id, "minutes", r).await
}

pub async fn set_summary(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let s = I18nText {
        ar: Some(value(&f, "summary_ar").to_string()),
        en: Some(value(&f, "summary_en").to_string()),
        tr: Some(value(&f, "summary_tr").to_string()),
    };
    let r = match Visibility::parse(value(&f, "visibility")) {
        Ok(v) => ctx.store(&st).set_summary(MeetingId(id), &s, v).await,
        Err(e) => Err(StoreError::Invalid(FieldErrors::one(
            "visibility",
            e.code(),
        ))),
    };
    after(&ctx, &st, id, "summary", r).await
}

// ------------------------------------------------------------------ the summary

#[derive(Template)]
#[template(path = "meeting_summary.html")]
struct SummaryPage {
    c: Chrome,
    id: i64,
    when: String,
    /// (lang code, dir, html)
    texts: Vec<(String, String, String)>,
    /// (text, vote)
    decisions: Vec<(String, String)>,
    organisers: Vec<String>,
}

/// The published summary of a meeting (its press release): for whoever its visibility
/// allows, signed in or not.
pub async fn summary(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let m = st
        .store
        .get_meeting(MeetingId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if m.summary.is_empty() || m.minutes_state != MinutesState::Approved {
        return Err(PageError::not_found(ctx.lang));
    }
    if !ctx.actor().may_see(m.summary_visibility) {
        return Err(ctx.not_shown());
    }
    // the reader's language first, then the others
    let mut texts = Vec::new();
    for l in ctx.lang.fallbacks() {
        if let Some(s) = m.summary.get_exact(l) {
            let dir = if l.is_rtl() { "rtl" } else { "ltr" };
            texts.push((
                l.code().to_string(),
                dir.to_string(),
                crate::markdown::to_html(s),
            ));
        }
    }
    let p = SummaryPage {
        c: Chrome::new(&ctx, &m.title),
        id,
        when: when(m.starts_at, m.ends_at, &m.time_zone),
        texts,
        decisions: m
            .decisions
            .iter()
            .map(|d| (d.text.clone(), d.vote.clone().unwrap_or_default()))
            .collect(),
        organisers: m
            .organisers
            .iter()
            .chain(m.invited.iter())
            .map(|o| org_label(o, ctx.lang))
            .collect(),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ action items

#[derive(Template)]
#[template(path = "actions.html")]
struct ActionsPage {
    c: Chrome,
    overdue: Vec<ActionView>,
    soon: Vec<ActionView>,
    later: Vec<ActionView>,
    orgs: Vec<Opt>,
    org: i64,
    back: String,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct BoardQuery {
    pub org: Option<String>,
}

/// Split open items into overdue, due within two weeks, and later or undated.
fn board(ctx: &Ctx, items: &[ActionItem]) -> (Vec<ActionView>, Vec<ActionView>, Vec<ActionView>) {
    let today = minbar_store::util::today();
    let soon = minbar_store::util::date_of(minbar_store::util::now() + 14 * 86_400);
    let (mut o, mut s, mut l) = (Vec::new(), Vec::new(), Vec::new());
    for a in items.iter().filter(|a| a.status.is_open()) {
        let v = action_view(ctx, a, &today);
        if v.overdue {
            o.push(v);
        } else if a.due.as_deref().is_some_and(|d| d <= soon.as_str()) {
            s.push(v);
        } else {
            l.push(v);
        }
    }
    (o, s, l)
}

pub async fn actions(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let org = q
        .org
        .as_deref()
        .and_then(|o| o.parse::<i64>().ok())
        .filter(|o| *o > 0);
    let items = st
        .store
        .action_items(&ActionFilter {
            org: org.map(OrgId),
            open_only: true,
            visible: visible_codes(&ctx.actor()),
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let (overdue, soon, later) = board(&ctx, &items);
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let p = ActionsPage {
        c: Chrome::new(&ctx, &ctx.t().get("actions-title")),
        overdue,
        soon,
        later,
        orgs,
        org: org.unwrap_or(0),
        back: "/actions".into(),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

/// Move an action item along, with a follow-up comment. Back to where the form was.
pub async fn update_action(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let a = st
        .store
        .get_action(ActionItemId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    ctx.require(Action::ActionUpdate, a.org.as_ref().map(|o| o.id))?;
    let vis = st
        .store
        .meeting_visibility(a.meeting)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(vis) {
        return Err(PageError::not_found(ctx.lang));
    }
    let status = match value(&f, "status") {
        "" => None,
        s => Some(ActionStatus::parse(s).map_err(|_| PageError::bad_request(ctx.lang))?),
    };
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    ctx.store(&st)
        .update_action(a.id, version, status, value(&f, "comment"))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let back = value(&f, "back");
    let back = if back.starts_with('/') && !back.starts_with("//") {
        back.to_string()
    } else {
        "/actions".to_string()
    };
    Ok(Redirect::to(&back).into_response())
}

#[derive(Template)]
#[template(path = "action_form.html")]
struct ActionFormPage {
    c: Chrome,
    id: i64,
    version: i64,
    meeting: i64,
    meeting_title: String,
    i: ActionInput,
    org: i64,
    person: i64,
    orgs: Vec<Opt>,
    people: Vec<Opt>,
    error: String,
}

async fn action_form(
    ctx: &Ctx,
    st: &AppState,
    a: &ActionItem,
    version: i64,
    i: ActionInput,
    status: StatusCode,
    error: String,
) -> Result<Response, PageError> {
    let lang = ctx.lang;
    let err = |e| PageError::store(lang, e);
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(err)?
        .into_iter()
        .filter(|(_, _, s)| s != "former" && s != "suspended")
        .map(|(o, _, _)| (o.id.0, org_label(&o, lang)))
        .collect();
    let people = st
        .store
        .person_refs()
        .await
        .map_err(err)?
        .into_iter()
        .map(|(id, n)| (id.0, n.get(lang).to_string()))
        .collect();
    let p = ActionFormPage {
        c: Chrome::new(ctx, &ctx.t().get("action-edit")),
        id: a.id.0,
        version,
        meeting: a.meeting.0,
        meeting_title: a.meeting_title.clone(),
        org: i.org_id.unwrap_or(0),
        person: i.person_id.unwrap_or(0),
        i,
        orgs,
        people,
        error,
    };
    Ok(render(ctx, status, &p))
}

async fn visible_action(ctx: &Ctx, st: &AppState, id: i64) -> Result<ActionItem, PageError> {
    let a = st
        .store
        .get_action(ActionItemId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let vis = st
        .store
        .meeting_visibility(a.meeting)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(vis) {
        return Err(PageError::not_found(ctx.lang));
    }
    Ok(a)
}

/// Change what an action item asks, of whom and by when (the secretariat).
pub async fn edit_action_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let a = visible_action(&ctx, &st, id).await?;
    let i = ActionInput {
        title: a.title.clone(),
        org_id: a.org.as_ref().map(|o| o.id.0),
        person_id: a.person.map(|p| p.0),
        due: a.due.clone().unwrap_or_default(),
        agenda_item: a.agenda_item.map(|x| x.0),
    };
    action_form(&ctx, &st, &a, a.version, i, StatusCode::OK, String::new()).await
}

pub async fn edit_action(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let a = visible_action(&ctx, &st, id).await?;
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = ActionInput {
        title: value(&f, "title").into(),
        org_id: opt_id(&f, "org_id"),
        person_id: opt_id(&f, "person_id"),
        due: value(&f, "due").into(),
        agenda_item: a.agenda_item.map(|x| x.0),
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let d = match ActionDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => {
            let msg = first_error(&ctx, &e);
            return action_form(&ctx, &st, &a, version, i, unprocessable, msg).await;
        }
    };
    match ctx.store(&st).edit_action(a.id, version, &d).await {
        Ok(_) => Ok(Redirect::to(&format!("/meetings/{}#action-{id}", a.meeting)).into_response()),
        Err(StoreError::Conflict { current }) => {
            // what was typed stays in the form, with the version now saved
            let msg = ctx.t().err("conflict");
            action_form(&ctx, &st, &a, current, i, StatusCode::CONFLICT, msg).await
        }
        Err(StoreError::Invalid(e)) => {
            let msg = first_error(&ctx, &e);
            action_form(&ctx, &st, &a, version, i, unprocessable, msg).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

// ------------------------------------------------------------------ home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    /// Pinned bulletins the reader may see: (id, title).
    pinned: Vec<(i64, String)>,
    actions_title: String,
    org: String,
    overdue: Vec<ActionView>,
    soon: Vec<ActionView>,
    later: Vec<ActionView>,
    /// (id, title, closes)
    awaiting: Vec<(i64, String, String)>,
    /// (id, title, when)
    upcoming: Vec<(i64, String, String)>,
    back: String,
}

/// What needs the signed-in person's attention: their organisation's open action items,
/// proposals it has not answered, the next meetings.
pub async fn home(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let err = |e| PageError::store(ctx.lang, e);
    let (mut overdue, mut soon, mut later, mut awaiting) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut org_name = String::new();
    if let Some(org) = actor.org {
        if let Ok(o) = st.store.get_org(org).await {
            org_name = o.name.get(ctx.lang).to_string();
        }
        let items = st
            .store
            .action_items(&ActionFilter {
                org: Some(org),
                open_only: true,
                visible: visible_codes(&actor),
                ..Default::default()
            })
            .await
            .map_err(err)?;
        (overdue, soon, later) = board(&ctx, &items);
        if actor.may(Action::Endorse, Some(org)) {
            awaiting = st
                .store
                .awaiting_answer(org, minbar_store::util::now())
                .await
                .map_err(err)?
                .into_iter()
                .filter(|p| actor.may_see(p.visibility))
                .map(|p| {
                    let closes = utc_to_local(p.closes_at, &p.time_zone);
                    (p.id.0, p.title, format!("{closes} ({})", p.time_zone))
                })
                .collect();
        }
    } else if actor.may(Action::MeetingManage, None) {
        // the secretariat: what is overdue or due soon across the network
        let items = st
            .store
            .action_items(&ActionFilter {
                open_only: true,
                ..Default::default()
            })
            .await
            .map_err(err)?;
        (overdue, soon, _) = board(&ctx, &items);
    }
    let now = minbar_store::util::now();
    let mut upcoming: Vec<(i64, String, String)> = Vec::new();
    if actor.may(Action::MeetingRead, None) {
        let mut rows = st
            .store
            .list_meetings(&visible_codes(&actor), 200)
            .await
            .map_err(err)?;
        rows.retain(|m| m.starts_at >= now - 86_400);
        rows.reverse();
        upcoming = rows
            .into_iter()
            .take(5)
            .map(|m| (m.id.0, m.title, utc_to_local(m.starts_at, &m.time_zone)))
            .collect();
    }
    let actions_title = if actor.org.is_some() {
        ctx.t().get("home-actions")
    } else {
        ctx.t().get("home-actions-network")
    };
    let pinned = st
        .store
        .list_bulletins(&minbar_store::bulletins::BulletinFilter {
            visible: visible_codes(&actor),
            limit: 20,
            ..Default::default()
        })
        .await
        .map_err(err)?
        .into_iter()
        .filter(|b| b.pinned)
        .map(|b| (b.id.0, b.title))
        .collect();
    let p = HomePage {
        c: Chrome::new(&ctx, &ctx.t().get("home-title")),
        pinned,
        actions_title,
        org: org_name,
        overdue,
        soon,
        later,
        awaiting,
        upcoming,
        back: "/home".into(),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ calendar

/// A meeting as an event: (id, title, kind, starts, ends, place, online link).
struct EventOf<'a> {
    id: MeetingId,
    title: &'a str,
    kind: MeetingKind,
    starts_at: i64,
    ends_at: i64,
    place: Option<&'a str>,
    online_url: Option<&'a str>,
}

fn event<'a>(st: &AppState, m: EventOf<'a>, t: crate::i18n::Tr) -> crate::ical::Event<'a> {
    let base = st.base_url.trim_end_matches('/');
    let mut description = t.get(&format!("meeting-kind-{}", m.kind.code()));
    if let Some(u) = m.online_url {
        description.push('\n');
        description.push_str(u);
    }
    crate::ical::Event {
        uid: format!("meeting-{}@minbar", m.id),
        starts_at: m.starts_at,
        ends_at: m.ends_at,
        summary: m.title,
        location: m.place.or(m.online_url),
        description,
        url: format!("{base}/meetings/{}", m.id),
    }
}

fn ics_response(body: String, file: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// One meeting as an iCalendar event.
pub async fn ics(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let m = load_visible(&ctx, &st, id).await?;
    let body = crate::ical::calendar(
        &ctx.t().get("site-name"),
        &[event(
            &st,
            EventOf {
                id: m.id,
                title: &m.title,
                kind: m.kind,
                starts_at: m.starts_at,
                ends_at: m.ends_at,
                place: m.place.as_deref(),
                online_url: m.online_url.as_deref(),
            },
            ctx.t(),
        )],
        minbar_store::util::now(),
    );
    Ok(ics_response(body, &format!("meeting-{id}.ics")))
}

/// A personal feed of the meetings its owner may see, reached with a secret instead of
/// a session (calendar programs have none). A wrong secret is a 404.
pub async fn feed(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let err = |e| PageError::store(ctx.lang, e);
    let Some(user) = st.store.calendar_user(token).await.map_err(err)? else {
        return Err(PageError::not_found(ctx.lang));
    };
    let actor = user.actor();
    if !actor.may(Action::MeetingRead, None) {
        return Err(PageError::not_found(ctx.lang));
    }
    let rows = st
        .store
        .list_meetings(&visible_codes(&actor), 1000)
        .await
        .map_err(err)?;
    let events: Vec<_> = rows
        .iter()
        .map(|m| {
            event(
                &st,
                EventOf {
                    id: m.id,
                    title: &m.title,
                    kind: m.kind,
                    starts_at: m.starts_at,
                    ends_at: m.ends_at,
                    place: m.place.as_deref(),
                    online_url: m.online_url.as_deref(),
                },
                ctx.t(),
            )
        })
        .collect();
    let body = crate::ical::calendar(
        &ctx.t().get("site-name"),
        &events,
        minbar_store::util::now(),
    );
    Ok(ics_response(body, "minbar.ics"))
}
