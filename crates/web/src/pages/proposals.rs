//! Proposals: the list, putting one forward, the discussion, endorsement by
//! organisations, the sealed outcome, and the rules per kind.

use super::form::{all_values, fields, value};
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
use minbar_core::endorsement::Outcome;
use minbar_core::*;
use minbar_store::meetings::visible_codes;
use minbar_store::proposals::Proposal;
use minbar_store::StoreError;

pub fn outcome_code(o: Outcome) -> &'static str {
    match o {
        Outcome::Adopted => "adopted",
        Outcome::Rejected => "rejected",
        Outcome::NoQuorum => "no_quorum",
    }
}

fn share_text(s: minbar_core::endorsement::Share) -> String {
    format!("{}%", s.percent())
}

/// The rules in words: "quorum 50%; adopted with more than 50% support; answers hidden
/// until closing".
pub fn rules_text(t: crate::i18n::Tr, r: &KindRules) -> String {
    use minbar_core::endorsement::Threshold;
    let threshold = match r.rules.threshold {
        Threshold::MoreThan(s) => t.arg("rules-more-than", "share", &share_text(s)),
        Threshold::AtLeast(s) => t.arg("rules-at-least", "share", &share_text(s)),
    };
    let visible = if r.rules.answers_visible_while_open {
        t.get("rules-answers-visible")
    } else {
        t.get("rules-answers-hidden")
    };
    [
        t.arg("rules-quorum", "share", &share_text(r.rules.quorum)),
        threshold,
        visible,
    ]
    .join(&t.get("list-separator"))
}

fn state_label(t: crate::i18n::Tr, p: &Proposal, now: i64) -> String {
    match p.outcome {
        Some(o) => t.get(&format!("outcome-{}", outcome_code(o))),
        None if now < p.opens_at => t.get("proposal-discussion"),
        None => t.get("proposal-open"),
    }
}

// ------------------------------------------------------------------ the list

#[derive(Template)]
#[template(path = "proposals.html")]
struct ProposalsPage {
    c: Chrome,
    /// (id, title, kind, proposers, closes, state)
    rows: Vec<(i64, String, String, String, String, String)>,
    can_create: bool,
    can_rules: bool,
}

pub async fn list(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let t = ctx.t();
    let now = minbar_store::util::now();
    let rows = st
        .store
        .list_proposals(&visible_codes(&ctx.actor()), None)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .map(|p| {
            (
                p.id.0,
                p.title.clone(),
                t.get(&format!("proposal-kind-{}", p.kind.code())),
                p.proposers
                    .iter()
                    .map(|o| o.acronym.clone())
                    .collect::<Vec<_>>()
                    .join("، "),
                utc_to_local(p.closes_at, &p.time_zone),
                state_label(t, &p, now),
            )
        })
        .collect();
    let p = ProposalsPage {
        c: Chrome::new(&ctx, &t.get("proposals-title")),
        rows,
        can_create: ctx.actor().may_some(Action::ProposalCreate),
        can_rules: ctx.may(Action::ProposalManage, None),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

// ------------------------------------------------------------------ putting one forward

#[derive(Template)]
#[template(path = "proposal_form.html")]
struct ProposalFormPage {
    c: Chrome,
    i: ProposalInput,
    errors: FieldErrors,
    kinds: Vec<(String, String)>,
    orgs: Vec<Opt>,
    visibilities: Vec<(String, String)>,
}

impl ProposalFormPage {
    fn err(&self, field: &str) -> String {
        self.errors
            .get(field)
            .map(|c| self.c.t.err(c))
            .unwrap_or_default()
    }
    fn proposer(&self, id: &i64) -> bool {
        self.i.proposers.contains(id)
    }
    fn meeting(&self) -> String {
        self.i.meeting_id.map(|m| m.to_string()).unwrap_or_default()
    }
}

async fn proposal_form(
    ctx: &Ctx,
    st: &AppState,
    i: ProposalInput,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let actor = ctx.actor();
    // a focal point proposes on behalf of their own organisation only
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(o, _, s)| s == "member" && actor.may(Action::ProposalCreate, Some(o.id)))
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = ProposalFormPage {
        c: Chrome::new(ctx, &t.get("proposal-new")),
        kinds: ProposalKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    t.get(&format!("proposal-kind-{}", k.code())),
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

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    pub meeting: Option<String>,
    pub agenda_item: Option<String>,
}

pub async fn new_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<NewQuery>,
) -> Result<Response, PageError> {
    let now = minbar_store::util::now();
    let zone = DEFAULT_TIME_ZONE;
    let i = ProposalInput {
        kind: "joint_position".into(),
        meeting_id: q.meeting.and_then(|m| m.parse().ok()),
        agenda_item: q.agenda_item.and_then(|m| m.parse().ok()),
        opens: utc_to_input(now - now % 3600 + 3600, zone),
        closes: utc_to_input(now - now % 3600 + 3600 + 7 * 86_400, zone),
        time_zone: zone.into(),
        visibility: "members".into(),
        proposers: ctx.actor().org.map(|o| vec![o.0]).unwrap_or_default(),
        ..Default::default()
    };
    proposal_form(&ctx, &st, i, FieldErrors::default()).await
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = ProposalInput {
        title: value(&f, "title").into(),
        body: value(&f, "body").into(),
        kind: value(&f, "kind").into(),
        meeting_id: value(&f, "meeting_id").parse().ok(),
        agenda_item: value(&f, "agenda_item").parse().ok(),
        proposers: all_values(&body, "proposers")
            .iter()
            .filter_map(|v| v.parse().ok())
            .collect(),
        opens: value(&f, "opens").into(),
        closes: value(&f, "closes").into(),
        time_zone: value(&f, "time_zone").into(),
        visibility: value(&f, "visibility").into(),
    };
    let d = match ProposalDraft::parse(&i) {
        Ok(d) => d,
        Err(e) => return proposal_form(&ctx, &st, i, e).await,
    };
    // on whose behalf: a focal point only for their own organisation
    let actor = ctx.actor();
    if !actor.may(Action::ProposalCreate, None)
        && (d.proposers.is_empty()
            || !d
                .proposers
                .iter()
                .all(|o| actor.may(Action::ProposalCreate, Some(*o))))
    {
        return proposal_form(
            &ctx,
            &st,
            i,
            FieldErrors::one("proposers", "proposer_not_yours"),
        )
        .await;
    }
    if let Some(m) = d.meeting {
        let v = st
            .store
            .meeting_visibility(m)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?;
        if !actor.may_see(v) {
            return Err(PageError::not_found(ctx.lang));
        }
    }
    match ctx.store(&st).create_proposal(&d).await {
        Ok(id) => Ok(Redirect::to(&format!("/proposals/{id}")).into_response()),
        Err(StoreError::Invalid(e)) => proposal_form(&ctx, &st, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

// ------------------------------------------------------------------ one proposal

#[derive(Template)]
#[template(path = "proposal.html")]
struct ProposalPage {
    c: Chrome,
    p: Proposal,
    kind: String,
    body_html: String,
    proposers: String,
    opens: String,
    closes: String,
    rules: String,
    visibility: String,
    state: String,
    open: bool,
    outcome: String,
    /// support, object, abstain, members
    tally: Option<(u32, u32, u32, u32)>,
    /// (organisation, answer label, answer code, reason)
    answers: Vec<(String, String, String, String)>,
    answers_visible: bool,
    answered: usize,
    endorsers: Vec<String>,
    /// The reader's organisation may answer: its current answer code.
    my_org: Option<String>,
    my_answer: String,
    my_reason: String,
    /// (id, parent, by, organisation, body, date)
    comments: Vec<(i64, i64, String, String, String, String)>,
    can_comment: bool,
    error: String,
    /// Policy items this proposal is the joint position on (those the reader may see).
    policies: Vec<(i64, String)>,
    /// Papers: (file id, name, size), the latest version of each.
    papers: Vec<(i64, String, String)>,
    /// The reader may attach papers (a proposing organisation or the secretariat, until
    /// the outcome is sealed).
    can_attach: bool,
}

impl ProposalPage {
    fn answered(&self, a: &str) -> bool {
        self.my_answer == a
    }
}

async fn proposal_page(
    ctx: &Ctx,
    st: &AppState,
    id: i64,
    status: StatusCode,
    error: String,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let lang = ctx.lang;
    let err = |e| PageError::store(lang, e);
    let p = st.store.get_proposal(ProposalId(id)).await.map_err(err)?;
    let actor = ctx.actor();
    // a proposal made public is published for everyone, its outcome with it; others
    // need the right to read proposals and to see their visibility
    let readable = p.visibility == Visibility::Public
        || (actor.may(Action::ProposalRead, None) && actor.may_see(p.visibility));
    if !readable {
        return Err(ctx.not_shown());
    }
    let now = minbar_store::util::now();
    let all = st.store.endorsements(p.id).await.map_err(err)?;
    let answers_visible = p.answers_visible(now);
    let answers = if answers_visible {
        all.iter()
            .map(|e| {
                (
                    org_label(&e.org, lang),
                    t.get(&format!("answer-{}", e.answer.code())),
                    e.answer.code().to_string(),
                    e.reason.clone().unwrap_or_default(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let endorsers = if p.outcome.is_some() && p.rules.list_endorsers {
        all.iter()
            .filter(|e| e.answer == AnswerCode::Support)
            .map(|e| e.org.label(lang))
            .collect()
    } else {
        Vec::new()
    };
    let my_org = actor
        .org
        .filter(|o| actor.may(Action::Endorse, Some(*o)))
        .map(|o| o.0.to_string());
    let mine = actor.org.and_then(|o| all.iter().find(|e| e.org.id == o));
    let options = visibility_options(st, t).await.map_err(err)?;
    let comments = st
        .store
        .proposal_comments(p.id)
        .await
        .map_err(err)?
        .into_iter()
        .map(|c| {
            (
                c.id.0,
                c.parent.map(|x| x.0).unwrap_or(0),
                // who wrote it, for readers who may see members' addresses
                if actor.may(Action::MemberContactsRead, None) {
                    c.by
                } else {
                    String::new()
                },
                c.org.map(|o| o.acronym).unwrap_or_default(),
                c.body,
                minbar_store::util::date_of(c.at),
            )
        })
        .collect();
    let actor = ctx.actor();
    let policies = st
        .store
        .policies_of_proposal(p.id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|x| actor.may_see(x.visibility))
        .map(|x| (x.id, x.title.get(ctx.lang).to_string()))
        .collect();
    let papers: Vec<(i64, String, String)> = st
        .store
        .latest_attachments(minbar_store::documents::Owner::Proposal(p.id))
        .await
        .map_err(err)?
        .iter()
        .map(|f| (f.id.0, f.name.clone(), super::library::human_size(f.size)))
        .collect();
    let can_attach = p.outcome.is_none() && may_attach(&actor, &p);
    let page = ProposalPage {
        policies,
        papers,
        can_attach,
        c: Chrome::new(ctx, &p.title),
        kind: t.get(&format!("proposal-kind-{}", p.kind.code())),
        body_html: crate::markdown::to_html(&p.body),
        proposers: p
            .proposers
            .iter()
            .map(|o| o.label(lang))
            .collect::<Vec<_>>()
            .join("، "),
        opens: format!(
            "{} ({})",
            utc_to_local(p.opens_at, &p.time_zone),
            p.time_zone
        ),
        closes: format!(
            "{} ({})",
            utc_to_local(p.closes_at, &p.time_zone),
            p.time_zone
        ),
        rules: rules_text(t, &p.rules),
        visibility: visibility_label(&options, p.visibility),
        state: state_label(t, &p, now),
        open: p.open_at(now),
        outcome: p
            .outcome
            .map(|o| outcome_code(o).to_string())
            .unwrap_or_default(),
        tally: p.tally.map(|x| (x.support, x.object, x.abstain, x.members)),
        answered: all.len(),
        answers,
        answers_visible,
        endorsers,
        my_org,
        my_answer: mine
            .map(|e| e.answer.code().to_string())
            .unwrap_or_default(),
        my_reason: mine.and_then(|e| e.reason.clone()).unwrap_or_default(),
        comments,
        can_comment: actor.may(Action::ProposalComment, None)
            && p.outcome.is_none()
            && now < p.closes_at,
        error,
        p,
    };
    Ok(render(ctx, status, &page))
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    proposal_page(&ctx, &st, id, StatusCode::OK, String::new()).await
}

/// May `actor` attach papers to `p`: the secretariat, or a proposing organisation's
/// focal point.
fn may_attach(actor: &Actor, p: &Proposal) -> bool {
    actor.may(Action::ProposalManage, None)
        || p.proposers
            .iter()
            .any(|o| actor.may(Action::ProposalCreate, Some(o.id)))
}

/// Attach a paper to a proposal (until its outcome is sealed).
pub async fn upload(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    req: axum::extract::Request,
) -> Result<Response, PageError> {
    let p = visible_proposal(&ctx, &st, id).await?;
    if !may_attach(&ctx.actor(), &p) {
        return Err(ctx.refusal());
    }
    if p.outcome.is_some() {
        let msg = ctx.t().err("proposal_sealed");
        return proposal_page(&ctx, &st, id, StatusCode::CONFLICT, msg).await;
    }
    let f = match super::library::read_upload(&ctx, &st, req).await? {
        Ok(f) => f,
        Err(msg) => {
            return proposal_page(&ctx, &st, id, StatusCode::UNPROCESSABLE_ENTITY, msg).await
        }
    };
    ctx.store(&st)
        .add_attachment(minbar_store::documents::Owner::Proposal(p.id), &f)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to(&format!("/proposals/{id}#papers")).into_response())
}

async fn visible_proposal(ctx: &Ctx, st: &AppState, id: i64) -> Result<Proposal, PageError> {
    let p = st
        .store
        .get_proposal(ProposalId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(p.visibility) {
        return Err(PageError::not_found(ctx.lang));
    }
    Ok(p)
}

/// The reader's organisation answers (or changes its answer).
pub async fn answer(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let p = visible_proposal(&ctx, &st, id).await?;
    let org = ctx.actor().org.ok_or_else(|| ctx.refusal())?;
    ctx.require(Action::Endorse, Some(org))?;
    let r = match AnswerCode::parse(value(&f, "answer")) {
        Ok(a) => {
            ctx.store(&st)
                .answer_proposal(p.id, org, a, value(&f, "reason"), minbar_store::util::now())
                .await
        }
        Err(e) => Err(StoreError::Invalid(FieldErrors::one("answer", e.code()))),
    };
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/proposals/{id}#answer")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let msg = e.0.first().map(|(_, c)| ctx.t().err(c)).unwrap_or_default();
            proposal_page(&ctx, &st, id, StatusCode::UNPROCESSABLE_ENTITY, msg).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn comment(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let p = visible_proposal(&ctx, &st, id).await?;
    let parent = value(&f, "parent")
        .parse::<i64>()
        .ok()
        .filter(|x| *x > 0)
        .map(CommentId);
    match ctx
        .store(&st)
        .comment_proposal(
            p.id,
            parent,
            ctx.actor().org,
            value(&f, "body"),
            minbar_store::util::now(),
        )
        .await
    {
        Ok(c) => {
            let link = format!("/proposals/{id}#comment-{c}");
            crate::api::text::notify_mentions(
                &st,
                value(&f, "body"),
                p.visibility,
                &link,
                &p.title,
            )
            .await;
            Ok(Redirect::to(&link).into_response())
        }
        Err(StoreError::Invalid(e)) => {
            let msg = e.0.first().map(|(_, c)| ctx.t().err(c)).unwrap_or_default();
            proposal_page(&ctx, &st, id, StatusCode::UNPROCESSABLE_ENTITY, msg).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

// ------------------------------------------------------------------ rules

#[derive(Template)]
#[template(path = "proposal_rules.html")]
struct RulesPage {
    c: Chrome,
    /// (kind code, kind label, form values, in words)
    kinds: Vec<(String, String, RulesInput, String)>,
    error_kind: String,
    error: String,
}

async fn rules_page(
    ctx: &Ctx,
    st: &AppState,
    status: StatusCode,
    error_kind: String,
    error: String,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let mut kinds = Vec::new();
    for k in ProposalKind::ALL {
        let r = st
            .store
            .kind_rules(*k)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?;
        kinds.push((
            k.code().to_string(),
            t.get(&format!("proposal-kind-{}", k.code())),
            r.input(),
            rules_text(t, &r),
        ));
    }
    let p = RulesPage {
        c: Chrome::new(ctx, &t.get("rules-title")),
        kinds,
        error_kind,
        error,
    };
    Ok(render(ctx, status, &p))
}

pub async fn rules(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    rules_page(&ctx, &st, StatusCode::OK, String::new(), String::new()).await
}

pub async fn set_rules(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let kind =
        ProposalKind::parse(value(&f, "kind")).map_err(|_| PageError::bad_request(ctx.lang))?;
    let i = RulesInput {
        quorum: value(&f, "quorum").into(),
        threshold_kind: value(&f, "threshold_kind").into(),
        threshold: value(&f, "threshold").into(),
        answers_visible_while_open: value(&f, "answers_visible_while_open") == "1",
        list_endorsers: value(&f, "list_endorsers") == "1",
    };
    match KindRules::parse(&i) {
        Ok(r) => {
            ctx.store(&st)
                .set_kind_rules(kind, &r)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
            Ok(Redirect::to("/proposals/rules").into_response())
        }
        Err(e) => {
            let msg = e.0.first().map(|(_, c)| ctx.t().err(c)).unwrap_or_default();
            rules_page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                kind.code().to_string(),
                msg,
            )
            .await
        }
    }
}
