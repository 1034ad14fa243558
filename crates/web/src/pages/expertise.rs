//! The expertise exchange: offers and requests with filters, one item with its ranked
//! matches (accepting an offer for a request), the exchange record, each organisation's
//! record of expertise given and received, and the forms.

use super::form::{all_values, fields, value};
use super::fourw::area_choices;
use super::meetings::{org_label, Opt};
use super::{render, visibility_label, visibility_options, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::expertise::{Exchange, Expertise, ExpertiseFilter};
use minbar_store::meetings::visible_codes;
use minbar_store::StoreError;

/// May `actor` post (or edit, or accept offers) for `org`?
pub fn may_post(actor: &Actor, org: OrgId) -> bool {
    actor.may(Action::ExpertisePost, Some(org))
}

fn label(ctx: &Ctx, prefix: &str, code: &str) -> String {
    ctx.t().get(&format!("{prefix}-{code}"))
}

/// An offer or request as lists show it.
pub struct Row {
    pub id: i64,
    pub kind: &'static str,
    pub kind_label: String,
    pub title: String,
    pub org: String,
    pub org_id: i64,
    pub sector: String,
    pub topics: String,
    pub languages: String,
    pub format: String,
    pub period: String,
    pub status: &'static str,
    pub status_label: String,
    pub description: String,
}

fn row(ctx: &Ctx, e: &Expertise, sectors: &[Sector]) -> Row {
    let lang_name = |l: &str| match l {
        "ar" => "العربية",
        "en" => "English",
        "tr" => "Türkçe",
        _ => "",
    };
    Row {
        id: e.id.0,
        kind: e.kind.code(),
        kind_label: label(ctx, "expertise-kind", e.kind.code()),
        title: e.title.clone(),
        org: e.org.label(ctx.lang),
        org_id: e.org.id.0,
        sector: e
            .sector
            .as_deref()
            .and_then(|s| sectors.iter().find(|x| x.code == s))
            .map(|s| s.name.get(ctx.lang).to_string())
            .unwrap_or_default(),
        topics: e.topics.join("، "),
        languages: e
            .languages
            .iter()
            .map(|l| lang_name(l))
            .collect::<Vec<_>>()
            .join(" · "),
        format: label(ctx, "expertise-format", e.format.code()),
        period: match (&e.from, &e.to) {
            (Some(f), Some(t)) => format!("{f} – {t}"),
            (Some(f), None) => format!("{f} –"),
            (None, Some(t)) => format!("– {t}"),
            (None, None) => String::new(),
        },
        status: e.status.code(),
        status_label: label(ctx, "expertise-status", e.status.code()),
        description: e.description.clone(),
    }
}

#[derive(serde::Deserialize, Default, Clone)]
#[serde(default)]
pub struct ListQuery {
    /// offer or request
    pub kind: String,
    pub sector: String,
    pub topic: String,
    /// ar, en or tr
    pub language: String,
    /// open (the default), matched, closed or all
    pub status: String,
}

#[derive(Template)]
#[template(path = "expertise_list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    q: ListQuery,
    sectors: Vec<(String, String)>,
    can_post: bool,
    my_org: i64,
}

pub async fn list(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let items = st
        .store
        .list_expertise(&ExpertiseFilter {
            visible: visible_codes(&actor),
            kind: ExpertiseKind::parse(&q.kind).ok(),
            status: match q.status.as_str() {
                "all" => None,
                s => Some(ExpertiseStatus::parse(s).unwrap_or(ExpertiseStatus::Open)),
            },
            sector: some(&q.sector),
            topic: some(&q.topic),
            language: some(&q.language),
            limit: 500,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let p = ListPage {
        c: Chrome::new(&ctx, &ctx.t().get("expertise-title")),
        rows: items.iter().map(|e| row(&ctx, e, &sectors)).collect(),
        sectors: sectors
            .iter()
            .map(|s| (s.code.clone(), s.name.get(ctx.lang).to_string()))
            .collect(),
        can_post: actor.may_some(Action::ExpertisePost),
        my_org: actor.org.map(|o| o.0).unwrap_or(0),
        q,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

pub async fn visible(ctx: &Ctx, st: &AppState, id: i64) -> Result<Expertise, PageError> {
    let e = st
        .store
        .get_expertise(ExpertiseId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(e.visibility) {
        return Err(ctx.not_shown());
    }
    Ok(e)
}

/// A ranked match: the item, its score and why.
pub struct MatchRow {
    pub r: Row,
    pub score: u32,
    pub reasons: String,
}

#[derive(Template)]
#[template(path = "expertise.html")]
struct ShowPage {
    c: Chrome,
    e: Row,
    areas: Vec<String>,
    visibility: String,
    matches: Vec<MatchRow>,
    exchange: Option<Exchange>,
    /// The reader may accept an offer for this (open) request.
    can_accept: bool,
    /// The reader may record how the exchange went.
    can_record: bool,
    can_edit: bool,
    version: i64,
    error: String,
    x: ExchangeInput,
}

async fn show_page(
    ctx: &Ctx,
    st: &AppState,
    e: Expertise,
    error: String,
    x: Option<ExchangeInput>,
) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let t = ctx.t();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let options = visibility_options(st, t)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    // matches are for those who could act on them: signed-in members of the network
    let matches = if ctx.session.is_some() && e.status == ExpertiseStatus::Open {
        st.store
            .expertise_matches(e.id, &visible_codes(&actor), 10)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?
            .iter()
            .map(|(m, s)| MatchRow {
                r: row(ctx, m, &sectors),
                score: s.score,
                reasons: s
                    .reasons
                    .iter()
                    .map(|r| t.get(&format!("match-{r}")))
                    .collect::<Vec<_>>()
                    .join("، "),
            })
            .collect()
    } else {
        vec![]
    };
    let exchange = if e.kind == ExpertiseKind::Request {
        st.store
            .exchange_of(e.id)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?
    } else {
        None
    };
    let can_record = exchange
        .as_ref()
        .is_some_and(|x| may_post(&actor, x.provider.id) || may_post(&actor, x.receiver.id));
    let x = x.unwrap_or_else(|| match &exchange {
        Some(x) => ExchangeInput {
            held_on: x.held_on.clone().unwrap_or_default(),
            people: x.people.map(|p| p.to_string()).unwrap_or_default(),
            feedback: x.feedback.clone().unwrap_or_default(),
        },
        None => ExchangeInput::default(),
    });
    let mut areas = Vec::new();
    for code in &e.areas {
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
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ShowPage {
        c: Chrome::new(ctx, &e.title),
        areas,
        visibility: visibility_label(&options, e.visibility),
        matches,
        can_accept: e.kind == ExpertiseKind::Request
            && e.status == ExpertiseStatus::Open
            && may_post(&actor, e.org.id),
        can_record,
        can_edit: may_post(&actor, e.org.id),
        version: e.version,
        exchange,
        error,
        x,
        e: row(ctx, &e, &sectors),
    };
    Ok(render(ctx, status, &p))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let e = visible(&ctx, &st, id).await?;
    show_page(&ctx, &st, e, String::new(), None).await
}

/// Accept an offer for a request (the requesting organisation or the secretariat).
pub async fn accept(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let e = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), e.org.id) {
        return Err(ctx.refusal());
    }
    let offer = value(&f, "offer_id").parse::<i64>().unwrap_or(0);
    // the offer must be one the reader may see
    let o = visible(&ctx, &st, offer).await?;
    match ctx.store(&st).accept_offer(e.id, o.id).await {
        Ok(_) => Ok(Redirect::to(&format!("/expertise/{id}#exchange")).into_response()),
        Err(StoreError::Invalid(errs)) => {
            let msg = errs
                .0
                .iter()
                .map(|(_, c)| ctx.t().err(c))
                .collect::<Vec<_>>()
                .join(" ");
            let e = visible(&ctx, &st, id).await?;
            show_page(&ctx, &st, e, msg, None).await
        }
        Err(err) => Err(PageError::store(ctx.lang, err)),
    }
}

/// Record how the exchange went (either organisation, or the secretariat).
pub async fn record(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let e = visible(&ctx, &st, id).await?;
    let actor = ctx.actor();
    let Some(x) = st
        .store
        .exchange_of(e.id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    else {
        return Err(if may_post(&actor, e.org.id) {
            PageError::not_found(ctx.lang)
        } else {
            ctx.refusal()
        });
    };
    if !may_post(&actor, x.provider.id) && !may_post(&actor, x.receiver.id) {
        return Err(ctx.refusal());
    }
    let i = ExchangeInput {
        held_on: value(&f, "held_on").into(),
        people: value(&f, "people").into(),
        feedback: value(&f, "feedback").into(),
    };
    match ExchangeDraft::parse(&i) {
        Ok(d) => {
            ctx.store(&st)
                .record_exchange(x.id, &d)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            Ok(Redirect::to(&format!("/expertise/{id}#exchange")).into_response())
        }
        Err(errs) => {
            let t = ctx.t();
            let msg = errs
                .0
                .iter()
                .map(|(field, c)| format!("{}: {}", t.get(&format!("exchange-{field}")), t.err(c)))
                .collect::<Vec<_>>()
                .join(" · ");
            show_page(&ctx, &st, e, msg, Some(i)).await
        }
    }
}

/// Close an offer or request, or open it again.
pub async fn set_status(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let e = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), e.org.id) {
        return Err(ctx.refusal());
    }
    let status = match value(&f, "status") {
        "closed" => ExpertiseStatus::Closed,
        _ if e.status == ExpertiseStatus::Matched => ExpertiseStatus::Matched,
        _ => ExpertiseStatus::Open,
    };
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    ctx.store(&st)
        .set_expertise_status(e.id, version, status)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/expertise/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "expertise_record.html")]
struct RecordPage {
    c: Chrome,
    given: Vec<Exchange>,
    received: Vec<Exchange>,
    people_given: i64,
    lang: Lang,
}

impl RecordPage {
    fn name(&self, o: &minbar_store::meetings::OrgRef) -> String {
        o.label(self.lang)
    }
}

/// An organisation's record of expertise given and received.
pub async fn org_record(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(org): Path<i64>,
) -> Result<Response, PageError> {
    let o = st
        .store
        .get_org(OrgId(org))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let (mut given, mut received) = st
        .store
        .expertise_record(o.id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    // only the exchanges whose requests the reader may see
    let actor = ctx.actor();
    given.retain(|x| actor.may_see(x.visibility));
    received.retain(|x| actor.may_see(x.visibility));
    let name = o.name.get(ctx.lang).to_string();
    let p = RecordPage {
        c: Chrome::new(&ctx, &ctx.t().arg("expertise-record-title", "org", &name)),
        people_given: given.iter().filter_map(|x| x.people).sum(),
        given,
        received,
        lang: ctx.lang,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ forms

#[derive(Template)]
#[template(path = "expertise_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    version: i64,
    i: ExpertiseInput,
    topics: String,
    errors: FieldErrors,
    orgs: Vec<Opt>,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
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
    fn org(&self) -> i64 {
        self.i.org_id.unwrap_or(0)
    }
    fn has_lang(&self, l: &str) -> bool {
        self.i.languages.iter().any(|x| x == l)
    }
    fn has_area(&self, a: &str) -> bool {
        self.i.areas.iter().any(|x| x == a)
    }
}

async fn form(
    ctx: &Ctx,
    st: &AppState,
    action: String,
    version: i64,
    i: ExpertiseInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let actor = ctx.actor();
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(o, kind, s)| s != "former" && kind != "authority" && may_post(&actor, o.id))
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .iter()
        .map(|s| (s.code.clone(), s.name.get(ctx.lang).to_string()))
        .collect();
    let mut areas = vec![
        ("TR".to_string(), label(ctx, "country", "TR"), String::new()),
        ("SY".to_string(), label(ctx, "country", "SY"), String::new()),
    ];
    areas.extend(area_choices(st, ctx.lang).await?);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = match (version, i.kind.as_str()) {
        (0, "request") => t.get("expertise-new-request"),
        (0, _) => t.get("expertise-new-offer"),
        _ => t.get("expertise-edit"),
    };
    let cancel = if version == 0 {
        "/expertise".to_string()
    } else {
        action.clone()
    };
    let p = FormPage {
        c: Chrome::new(ctx, &title),
        action,
        version,
        topics: i.topics.join("، "),
        orgs,
        sectors,
        areas,
        visibilities: visibility_options(st, t)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?,
        i,
        errors,
        cancel,
    };
    Ok(render(ctx, status, &p))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub kind: String,
}

pub async fn new_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let i = ExpertiseInput {
        kind: if q.kind == "request" {
            "request".into()
        } else {
            "offer".into()
        },
        org_id: ctx.actor().org.map(|o| o.0),
        languages: vec![ctx.lang.code().into()],
        format: "either".into(),
        visibility: "members".into(),
        ..Default::default()
    };
    form(&ctx, &st, "/expertise".into(), 0, i, FieldErrors::default()).await
}

fn input(body: &[u8]) -> ExpertiseInput {
    let f = fields(body);
    ExpertiseInput {
        kind: value(&f, "kind").into(),
        org_id: value(&f, "org_id").parse().ok().filter(|o: &i64| *o > 0),
        title: value(&f, "title").into(),
        description: value(&f, "description").into(),
        sector: value(&f, "sector").into(),
        topics: Tag::split(value(&f, "topics")),
        languages: all_values(body, "languages"),
        areas: all_values(body, "areas"),
        format: value(&f, "format").into(),
        from: value(&f, "from").into(),
        to: value(&f, "to").into(),
        visibility: value(&f, "visibility").into(),
    }
}

fn allowed(ctx: &Ctx, d: ExpertiseDraft) -> Result<ExpertiseDraft, FieldErrors> {
    if !may_post(&ctx.actor(), d.org) {
        return Err(FieldErrors::one("org_id", "proposer_not_yours"));
    }
    Ok(d)
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    ctx.check_csrf(&fields(&body))?;
    let i = input(&body);
    let d = match ExpertiseDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, "/expertise".into(), 0, i, e).await,
    };
    match ctx.store(&st).create_expertise(&d).await {
        Ok(id) => Ok(Redirect::to(&format!("/expertise/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => form(&ctx, &st, "/expertise".into(), 0, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub fn input_of(e: &Expertise) -> ExpertiseInput {
    ExpertiseInput {
        kind: e.kind.code().into(),
        org_id: Some(e.org.id.0),
        title: e.title.clone(),
        description: e.description.clone(),
        sector: e.sector.clone().unwrap_or_default(),
        topics: e.topics.clone(),
        languages: e.languages.clone(),
        areas: e.areas.clone(),
        format: e.format.code().into(),
        from: e.from.clone().unwrap_or_default(),
        to: e.to.clone().unwrap_or_default(),
        visibility: e.visibility.code(),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let e = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), e.org.id) {
        return Err(ctx.refusal());
    }
    let i = input_of(&e);
    form(
        &ctx,
        &st,
        format!("/expertise/{id}"),
        e.version,
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
    let e = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), e.org.id) {
        return Err(ctx.refusal());
    }
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = input(&body);
    let action = format!("/expertise/{id}");
    let d = match ExpertiseDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(err) => return form(&ctx, &st, action, version, i, err).await,
    };
    match ctx.store(&st).update_expertise(e.id, version, &d).await {
        Ok(_) => Ok(Redirect::to(&action).into_response()),
        Err(StoreError::Conflict { current }) => {
            let err = FieldErrors::one("title", "conflict");
            form(&ctx, &st, action, current, i, err).await
        }
        Err(StoreError::Invalid(err)) => form(&ctx, &st, action, version, i, err).await,
        Err(err) => Err(PageError::store(ctx.lang, err)),
    }
}
