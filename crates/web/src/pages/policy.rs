//! The policy tracker: the list with filters, the timeline per topic and area, "what
//! changed this month", one item with its analysis, position, advocacy and archived
//! sources; the forms; exports as HXL CSV and Excel; the Atom feeds.

use super::form::{all_values, fields, value};
use super::fourw::area_choices;
use super::library::{file_rows, history_row, read_upload, FileRow, HistoryRow};
use super::meetings::{org_label, Opt};
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
use minbar_store::documents::{DocumentFilter, Owner};
use minbar_store::meetings::visible_codes;
use minbar_store::policy::{PolicyFilter, PolicyItem};
use minbar_store::StoreError;

fn label(ctx: &Ctx, prefix: &str, code: &str) -> String {
    ctx.t().get(&format!("{prefix}-{code}"))
}

/// A policy item as lists show it.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub title_lang: String,
    pub summary: String,
    pub authority: String,
    pub instrument: String,
    pub reference: String,
    pub status: &'static str,
    pub status_label: String,
    pub impact: &'static str,
    pub impact_label: String,
    pub issued: String,
    pub effective: String,
    pub expires: String,
    pub topics: Vec<String>,
    pub groups: Vec<String>,
}

fn row(ctx: &Ctx, p: &PolicyItem) -> Row {
    let (title, title_lang) = p
        .title
        .get_with_lang(ctx.lang)
        .map(|(t, l)| (t.to_string(), l.code().to_string()))
        .unwrap_or_default();
    Row {
        id: p.id.0,
        title,
        title_lang,
        summary: p.summary.get(ctx.lang).to_string(),
        authority: p
            .authority
            .as_ref()
            .map(|a| a.label(ctx.lang))
            .unwrap_or_default(),
        instrument: label(ctx, "instrument", p.instrument.code()),
        reference: p.reference.clone().unwrap_or_default(),
        status: p.status.code(),
        status_label: label(ctx, "policy-status", p.status.code()),
        impact: p.impact.code(),
        impact_label: label(ctx, "impact", p.impact.code()),
        issued: p.issued.clone().unwrap_or_default(),
        effective: p.effective.clone().unwrap_or_default(),
        expires: p.expires.clone().unwrap_or_default(),
        topics: p
            .topics
            .iter()
            .map(|t| label(ctx, "topic", t.code()))
            .collect(),
        groups: p
            .groups
            .iter()
            .map(|g| label(ctx, "group", g.code()))
            .collect(),
    }
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    /// Words, matched with the Arabic-aware search.
    pub q: String,
    pub topic: String,
    pub group: String,
    pub area: String,
    pub status: String,
    /// `YYYY-MM` for "what changed this month".
    pub month: String,
}

impl ListQuery {
    fn query_string(&self) -> String {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [
            ("q", &self.q),
            ("topic", &self.topic),
            ("group", &self.group),
            ("area", &self.area),
            ("status", &self.status),
        ] {
            if !v.trim().is_empty() {
                s.append_pair(k, v.trim());
            }
        }
        s.finish()
    }
}

/// The items a reader may see that match the filters (and the words, through search).
pub async fn find(
    st: &AppState,
    actor: &Actor,
    q: &ListQuery,
    lang: Lang,
) -> Result<Vec<PolicyItem>, PageError> {
    let words = q.q.trim();
    let ids = if words.is_empty() {
        None
    } else {
        Some(
            crate::search_sync::search_ids(st, actor, words, "policy", lang)
                .await
                .map_err(|e| PageError::internal(lang, e))?
                .iter()
                .filter_map(|i| i.parse().ok())
                .collect::<Vec<i64>>(),
        )
    };
    let areas = if q.area.trim().is_empty() {
        None
    } else {
        Some(
            st.store
                .area_with_ancestors(&q.area)
                .await
                .map_err(|e| PageError::store(lang, e))?,
        )
    };
    let mut items = st
        .store
        .list_policies(&PolicyFilter {
            visible: visible_codes(actor),
            topic: Topic::parse(&q.topic).ok(),
            group: AffectedGroup::parse(&q.group).ok(),
            status: PolicyStatus::parse(&q.status).ok(),
            areas,
            ids: ids.clone(),
            limit: 1000,
        })
        .await
        .map_err(|e| PageError::store(lang, e))?;
    if let Some(ids) = ids {
        items.sort_by_key(|p| ids.iter().position(|i| *i == p.id.0).unwrap_or(usize::MAX));
    }
    Ok(items)
}

/// The choices of the filters: (code, label).
pub struct Choices {
    pub topics: Vec<(String, String)>,
    pub groups: Vec<(String, String)>,
    pub statuses: Vec<(String, String)>,
    pub instruments: Vec<(String, String)>,
    pub impacts: Vec<(String, String)>,
    pub areas: Vec<(String, String, String)>,
}

async fn choices(ctx: &Ctx, st: &AppState) -> Result<Choices, PageError> {
    let pairs = |prefix: &str, codes: Vec<&'static str>| {
        codes
            .into_iter()
            .map(|c| (c.to_string(), label(ctx, prefix, c)))
            .collect()
    };
    // countries too: a national rule applies to all of Türkiye
    let mut areas = vec![
        ("TR".to_string(), label(ctx, "country", "TR"), String::new()),
        ("SY".to_string(), label(ctx, "country", "SY"), String::new()),
    ];
    areas.extend(area_choices(st, ctx.lang).await?);
    Ok(Choices {
        topics: pairs("topic", Topic::ALL.iter().map(|t| t.code()).collect()),
        groups: pairs(
            "group",
            AffectedGroup::ALL.iter().map(|t| t.code()).collect(),
        ),
        statuses: pairs(
            "policy-status",
            PolicyStatus::ALL.iter().map(|t| t.code()).collect(),
        ),
        instruments: pairs(
            "instrument",
            Instrument::ALL.iter().map(|t| t.code()).collect(),
        ),
        impacts: pairs("impact", Impact::ALL.iter().map(|t| t.code()).collect()),
        areas,
    })
}

#[derive(Template)]
#[template(path = "policy_list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    q: ListQuery,
    ch: Choices,
    can_edit: bool,
    query: String,
    month: String,
}

pub async fn list(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let items = find(&st, &ctx.actor(), &q, ctx.lang).await?;
    let p = ListPage {
        c: Chrome::new(&ctx, &ctx.t().get("policy-title")),
        rows: items.iter().map(|p| row(&ctx, p)).collect(),
        ch: choices(&ctx, &st).await?,
        can_edit: ctx.may(Action::PolicyEdit, None),
        query: q.query_string(),
        month: minbar_store::util::today()[..7].to_string(),
        q,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ timeline

/// One event on a timeline.
pub struct Event {
    pub date: String,
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub detail: String,
}

fn events(ctx: &Ctx, items: &[PolicyItem]) -> Vec<Event> {
    let t = ctx.t();
    let mut v = Vec::new();
    for p in items {
        let title = p.title.get(ctx.lang).to_string();
        let mut push = |date: &Option<String>, kind: &str, detail: String| {
            if let Some(d) = date {
                v.push(Event {
                    date: d.clone(),
                    kind: t.get(&format!("policy-event-{kind}")),
                    id: p.id.0,
                    title: title.clone(),
                    detail,
                });
            }
        };
        push(
            &p.issued,
            "issued",
            label(ctx, "instrument", p.instrument.code()),
        );
        push(&p.effective, "effective", String::new());
        push(&p.expires, "expires", String::new());
        for a in &p.advocacy {
            push(&Some(a.raised_on.clone()), "raised", a.raised_with.clone());
            push(
                &a.answered_on,
                "answered",
                a.answer.clone().unwrap_or_default(),
            );
        }
    }
    v.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
    v
}

#[derive(Template)]
#[template(path = "policy_timeline.html")]
struct TimelinePage {
    c: Chrome,
    /// By month (`YYYY-MM`), the latest first.
    events: Vec<(String, Vec<Event>)>,
    q: ListQuery,
    ch: Choices,
}

pub async fn timeline(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let items = find(&st, &ctx.actor(), &q, ctx.lang).await?;
    let mut months: Vec<(String, Vec<Event>)> = Vec::new();
    for e in events(&ctx, &items) {
        let m = e.date.chars().take(7).collect::<String>();
        match months.last_mut() {
            Some((last, v)) if *last == m => v.push(e),
            _ => months.push((m, vec![e])),
        }
    }
    let p = TimelinePage {
        c: Chrome::new(&ctx, &ctx.t().get("policy-timeline")),
        events: months,
        ch: choices(&ctx, &st).await?,
        q,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "policy_changes.html")]
struct ChangesPage {
    c: Chrome,
    prev: String,
    next: String,
    rows: Vec<(Row, Vec<String>)>,
}

/// What changed in a month: items recorded or edited then, and items issued, taking
/// effect, expiring or argued over (advocacy) in it.
pub async fn changes(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let this_month = minbar_store::util::today()[..7].to_string();
    let Ok(month) = Period::parse(&q.month).or_else(|_| Period::parse(&this_month)) else {
        return Err(PageError::not_found(ctx.lang));
    };
    let m = month.to_string();
    let items = find(&st, &ctx.actor(), &ListQuery::default(), ctx.lang).await?;
    let in_month = |d: &Option<String>| d.as_deref().is_some_and(|d| d.starts_with(&m));
    let t = ctx.t();
    let mut rows = Vec::new();
    for p in &items {
        let mut why = Vec::new();
        if minbar_store::util::date_of(p.created_at).starts_with(&m) {
            why.push(t.get("policy-why-new"));
        } else if minbar_store::util::date_of(p.updated_at).starts_with(&m) {
            why.push(t.get("policy-why-updated"));
        }
        for (d, k) in [
            (&p.issued, "issued"),
            (&p.effective, "effective"),
            (&p.expires, "expires"),
        ] {
            if in_month(d) {
                why.push(t.get(&format!("policy-event-{k}")));
            }
        }
        if p.advocacy
            .iter()
            .any(|a| a.raised_on.starts_with(&m) || in_month(&a.answered_on))
        {
            why.push(t.get("policy-why-advocacy"));
        }
        if !why.is_empty() {
            rows.push((row(&ctx, p), why));
        }
    }
    let p = ChangesPage {
        c: Chrome::new(&ctx, &t.arg("policy-changes-title", "month", &m)),
        prev: month.previous().to_string(),
        next: month.next().to_string(),
        rows,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ one item

pub async fn visible(ctx: &Ctx, st: &AppState, id: i64) -> Result<PolicyItem, PageError> {
    let p = st
        .store
        .get_policy(PolicyId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(p.visibility) {
        return Err(ctx.not_shown());
    }
    Ok(p)
}

#[derive(Template)]
#[template(path = "policy.html")]
struct ShowPage {
    c: Chrome,
    p: Row,
    areas: Vec<String>,
    sources: Vec<String>,
    analysis_html: String,
    documents: Vec<(i64, String)>,
    proposal: Option<(i64, String)>,
    advocacy: Vec<minbar_store::policy::Advocacy>,
    files: Vec<FileRow>,
    history: Vec<HistoryRow>,
    visibility: String,
    can_edit: bool,
    version: i64,
    form_error: String,
    upload_error: String,
    a: AdvocacyInput,
}

/// The page, with the advocacy form's error (and what was typed) or the upload's.
async fn show_page(
    ctx: &Ctx,
    st: &AppState,
    p: PolicyItem,
    (form_error, upload_error): (String, String),
    a: AdvocacyInput,
) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let options = visibility_options(st, ctx.t())
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let mut areas = Vec::new();
    for code in &p.areas {
        areas.push(match code.as_str() {
            "TR" | "SY" => label(ctx, "country", code),
            _ => st
                .store
                .get_area(code)
                .await
                .map(|a| a.name.get(ctx.lang).to_string())
                .unwrap_or_else(|_| code.clone()),
        });
    }
    let signed_in = ctx.session.is_some();
    let files = file_rows(ctx, st, Owner::Policy(p.id)).await?;
    let history = if signed_in {
        st.store
            .audit_entries(&minbar_store::audit::AuditFilter {
                entity: Some("policy".into()),
                entity_id: Some(p.id.to_string()),
                per_page: 200,
                ..Default::default()
            })
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?
            .items
            .iter()
            .map(|e| history_row(ctx, e, "policy-history-create"))
            .collect()
    } else {
        vec![]
    };
    let status = if form_error.is_empty() && upload_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let r = row(ctx, &p);
    let page = ShowPage {
        c: Chrome::new(ctx, &r.title),
        areas,
        sources: p.sources.clone(),
        analysis_html: crate::markdown::to_html(&p.analysis),
        documents: p
            .documents
            .iter()
            .filter(|d| actor.may_see(d.visibility))
            .map(|d| (d.id, d.title.get(ctx.lang).to_string()))
            .collect(),
        proposal: p
            .proposal
            .as_ref()
            .filter(|x| {
                x.visibility == Visibility::Public
                    || (actor.may_see(x.visibility) && actor.may(Action::ProposalRead, None))
            })
            .map(|x| (x.id, x.title.get(ctx.lang).to_string())),
        advocacy: p.advocacy.clone(),
        files,
        history,
        visibility: visibility_label(&options, p.visibility),
        can_edit: actor.may(Action::PolicyEdit, None),
        version: p.version,
        form_error,
        upload_error,
        a,
        p: r,
    };
    Ok(render(ctx, status, &page))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let p = visible(&ctx, &st, id).await?;
    show_page(&ctx, &st, p, Default::default(), AdvocacyInput::default()).await
}

pub async fn add_advocacy(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let p = visible(&ctx, &st, id).await?;
    let a = AdvocacyInput {
        raised_with: value(&f, "raised_with").into(),
        raised_on: value(&f, "raised_on").into(),
        ask: value(&f, "ask").into(),
        answer: value(&f, "answer").into(),
        answered_on: value(&f, "answered_on").into(),
    };
    match AdvocacyDraft::parse(&a) {
        Ok(d) => {
            ctx.store(&st)
                .add_advocacy(p.id, &d)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            Ok(Redirect::to(&format!("/policy/{id}#advocacy")).into_response())
        }
        Err(e) => {
            let t = ctx.t();
            let msg =
                e.0.iter()
                    .map(|(field, code)| {
                        format!("{}: {}", t.get(&format!("advocacy-{field}")), t.err(code))
                    })
                    .collect::<Vec<_>>()
                    .join(" · ");
            show_page(&ctx, &st, p, (msg, String::new()), a).await
        }
    }
}

pub async fn upload(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let p = visible(&ctx, &st, id).await?;
    let f = match read_upload(&ctx, &st, req).await? {
        Ok(f) => f,
        Err(message) => {
            return show_page(
                &ctx,
                &st,
                p,
                (String::new(), message),
                AdvocacyInput::default(),
            )
            .await
        }
    };
    ctx.store(&st)
        .add_attachment(Owner::Policy(p.id), &f)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/policy/{id}#files")).into_response())
}

// ------------------------------------------------------------------ forms

#[derive(Template)]
#[template(path = "policy_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    version: i64,
    i: PolicyInput,
    sources: String,
    errors: FieldErrors,
    ch: Choices,
    authorities: Vec<Opt>,
    documents: Vec<Opt>,
    proposals: Vec<Opt>,
    visibilities: Vec<(String, String)>,
    cancel: String,
}

impl FormPage {
    fn err(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|c| self.c.t.err(c))
            .unwrap_or_default()
    }
    fn has(&self, list: &str, code: &str) -> bool {
        let v = match list {
            "areas" => &self.i.areas,
            "groups" => &self.i.groups,
            _ => &self.i.topics,
        };
        v.iter().any(|x| x == code)
    }
    fn has_doc(&self, id: i64) -> bool {
        self.i.documents.contains(&id)
    }
    fn authority(&self) -> i64 {
        self.i.authority_id.unwrap_or(0)
    }
    fn proposal(&self) -> i64 {
        self.i.proposal_id.unwrap_or(0)
    }
}

async fn form(
    ctx: &Ctx,
    st: &AppState,
    action: String,
    version: i64,
    i: PolicyInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let actor = ctx.actor();
    let authorities = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(_, kind, _)| kind == "authority")
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let documents = st
        .store
        .list_documents(&DocumentFilter {
            visible: visible_codes(&actor),
            limit: 500,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .iter()
        .map(|d| (d.id.0, d.title.get(ctx.lang).to_string()))
        .collect();
    let proposals = st
        .store
        .list_proposals(&visible_codes(&actor), None)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .iter()
        .map(|p| (p.id.0, p.title.clone()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if version == 0 {
        t.get("policy-new")
    } else {
        t.get("policy-edit")
    };
    let cancel = if version == 0 {
        "/policy".to_string()
    } else {
        action.clone()
    };
    let p = FormPage {
        c: Chrome::new(ctx, &title),
        action,
        version,
        sources: i.sources.join("\n"),
        ch: choices(ctx, st).await?,
        authorities,
        documents,
        proposals,
        visibilities: visibility_options(st, t)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?,
        i,
        errors,
        cancel,
    };
    Ok(render(ctx, status, &p))
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let i = PolicyInput {
        instrument: "circular".into(),
        status: "in_force".into(),
        impact: "medium".into(),
        visibility: "members".into(),
        ..Default::default()
    };
    form(&ctx, &st, "/policy".into(), 0, i, FieldErrors::default()).await
}

fn input(body: &[u8]) -> PolicyInput {
    let f = fields(body);
    PolicyInput {
        title_ar: value(&f, "title_ar").into(),
        title_en: value(&f, "title_en").into(),
        title_tr: value(&f, "title_tr").into(),
        summary_ar: value(&f, "summary_ar").into(),
        summary_en: value(&f, "summary_en").into(),
        summary_tr: value(&f, "summary_tr").into(),
        authority_id: value(&f, "authority_id")
            .parse()
            .ok()
            .filter(|o: &i64| *o > 0),
        instrument: value(&f, "instrument").into(),
        reference: value(&f, "reference").into(),
        issued: value(&f, "issued").into(),
        effective: value(&f, "effective").into(),
        expires: value(&f, "expires").into(),
        status: value(&f, "status").into(),
        areas: all_values(body, "areas"),
        groups: all_values(body, "groups"),
        topics: all_values(body, "topics"),
        impact: value(&f, "impact").into(),
        sources: value(&f, "sources")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        analysis: value(&f, "analysis").into(),
        documents: all_values(body, "documents")
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect(),
        proposal_id: value(&f, "proposal_id")
            .parse()
            .ok()
            .filter(|o: &i64| *o > 0),
        visibility: value(&f, "visibility").into(),
    }
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    ctx.check_csrf(&fields(&body))?;
    let i = input(&body);
    let d = match PolicyDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, "/policy".into(), 0, i, e).await,
    };
    match ctx.store(&st).create_policy(&d).await {
        Ok(id) => Ok(Redirect::to(&format!("/policy/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => form(&ctx, &st, "/policy".into(), 0, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub fn input_of(p: &PolicyItem) -> PolicyInput {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    PolicyInput {
        title_ar: s(&p.title.ar),
        title_en: s(&p.title.en),
        title_tr: s(&p.title.tr),
        summary_ar: s(&p.summary.ar),
        summary_en: s(&p.summary.en),
        summary_tr: s(&p.summary.tr),
        authority_id: p.authority.as_ref().map(|a| a.id.0),
        instrument: p.instrument.code().into(),
        reference: s(&p.reference),
        issued: s(&p.issued),
        effective: s(&p.effective),
        expires: s(&p.expires),
        status: p.status.code().into(),
        areas: p.areas.clone(),
        groups: p.groups.iter().map(|g| g.code().to_string()).collect(),
        topics: p.topics.iter().map(|g| g.code().to_string()).collect(),
        impact: p.impact.code().into(),
        sources: p.sources.clone(),
        analysis: p.analysis.clone(),
        documents: p.documents.iter().map(|d| d.id).collect(),
        proposal_id: p.proposal.as_ref().map(|x| x.id),
        visibility: p.visibility.code(),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let p = visible(&ctx, &st, id).await?;
    let i = input_of(&p);
    form(
        &ctx,
        &st,
        format!("/policy/{id}"),
        p.version,
        i,
        FieldErrors::default(),
    )
    .await
}

pub async fn update(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let p = visible(&ctx, &st, id).await?;
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = input(&body);
    let action = format!("/policy/{id}");
    let d = match PolicyDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, action, version, i, e).await,
    };
    match ctx.store(&st).update_policy(p.id, version, &d).await {
        Ok(_) => Ok(Redirect::to(&action).into_response()),
        Err(StoreError::Conflict { current }) => {
            let e = FieldErrors::one("title_ar", "conflict");
            form(&ctx, &st, action, current, i, e).await
        }
        Err(StoreError::Invalid(e)) => form(&ctx, &st, action, version, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn delete(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let p = visible(&ctx, &st, id).await?;
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    ctx.store(&st)
        .delete_policy(p.id, version)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/policy").into_response())
}

// ------------------------------------------------------------------ exports and feeds

/// `/policy/data/export.csv` (HXL-tagged) and `/policy/data/export.xlsx` (translated
/// headers over the hashtag row, frozen), with the list's filters.
pub async fn export(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(format): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let items = find(&st, &ctx.actor(), &q, ctx.lang).await?;
    let mut table = minbar_exchange::policy::policy_table(&items);
    let (mime, name, body) = match format.as_str() {
        "export.csv" => {
            let mut out = Vec::new();
            minbar_hxl::csv_io::write_csv(&table, &mut out)
                .map_err(|e| PageError::internal(ctx.lang, e))?;
            ("text/csv; charset=utf-8", "minbar-policy.csv", out)
        }
        "export.xlsx" => {
            let t = ctx.t();
            for (col, (field, _, _)) in table
                .columns
                .iter_mut()
                .zip(minbar_exchange::policy::POLICY_COLUMNS)
            {
                col.header = Some(t.get(&format!("policy-field-{field}")));
            }
            let out =
                minbar_hxl::xlsx::write_xlsx(&table, &t.get("policy-title"), ctx.lang.is_rtl())
                    .map_err(|e| PageError::internal(ctx.lang, e))?;
            (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "minbar-policy.xlsx",
                out,
            )
        }
        _ => return Err(PageError::not_found(ctx.lang)),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

async fn atom(
    ctx: &Ctx,
    st: &AppState,
    actor: &Actor,
    self_url: String,
) -> Result<Response, PageError> {
    let base = st.base_url.trim_end_matches('/');
    let items = st
        .store
        .list_policies(&PolicyFilter {
            visible: visible_codes(actor),
            limit: 100,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let t = ctx.t();
    let entries: Vec<crate::atom::Entry> = items
        .iter()
        .map(|p| {
            let r = row(ctx, p);
            crate::atom::Entry {
                id: format!("{base}/policy/{}", p.id),
                title: r.title.clone(),
                author: if r.authority.is_empty() {
                    t.get("bulletin-secretariat")
                } else {
                    r.authority.clone()
                },
                published: p.created_at,
                updated: p.updated_at,
                content: crate::markdown::to_html(&format!(
                    "{} · {} · {}\n\n{}",
                    r.instrument, r.status_label, r.impact_label, r.summary
                )),
                category: p.status.code().into(),
            }
        })
        .collect();
    let body = crate::atom::feed(
        &self_url,
        &format!("{base}/policy"),
        &format!("{} — {}", t.get("site-name"), t.get("policy-title")),
        ctx.lang.code(),
        &entries,
        minbar_store::util::now(),
    );
    Ok(crate::atom::response(body))
}

/// The public feed: policy items anyone may see.
pub async fn feed(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let url = format!("{}/policy/feed.atom", st.base_url.trim_end_matches('/'));
    atom(&ctx, &st, &Actor::VISITOR, url).await
}

/// A personal feed behind the feed secret. A wrong secret is a 404.
pub async fn personal_feed(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let owner = crate::atom::owner(&ctx, &st, &token).await?;
    let url = format!(
        "{}/feeds/{token}/policy.atom",
        st.base_url.trim_end_matches('/')
    );
    atom(&ctx, &st, &owner, url).await
}
