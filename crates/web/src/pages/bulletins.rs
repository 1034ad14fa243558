//! Bulletins: the list (pinned first, current ones unless asked), one bulletin, posting
//! and editing, and the Atom feeds (public, and personal behind the feed secret).

use super::form::{fields, value};
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
use minbar_store::bulletins::{Bulletin, BulletinFilter};
use minbar_store::meetings::visible_codes;
use minbar_store::StoreError;
use std::collections::HashMap;

/// May `actor` post (or edit) a bulletin on behalf of `org` (none: the secretariat)?
pub fn may_post(actor: &Actor, org: Option<OrgId>) -> bool {
    actor.may(Action::BulletinManage, None)
        || (org.is_some() && actor.may(Action::BulletinPost, org))
}

/// A bulletin as the list shows it.
pub struct Row {
    pub id: i64,
    pub title: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub by: String,
    pub date: String,
    pub expires: String,
    pub expired: bool,
    pub pinned: bool,
    pub lang: String,
    pub body_html: String,
}

fn row(ctx: &Ctx, b: &Bulletin, today: &str) -> Row {
    let t = ctx.t();
    Row {
        id: b.id.0,
        title: b.title.clone(),
        kind: b.kind.code(),
        kind_label: t.get(&format!("bulletin-kind-{}", b.kind.code())),
        by: b
            .org
            .as_ref()
            .map(|o| o.label(ctx.lang))
            .unwrap_or_else(|| t.get("bulletin-secretariat")),
        date: minbar_store::util::date_of(b.created_at),
        expires: b.expires.clone().unwrap_or_default(),
        expired: !b.current(today),
        pinned: b.pinned,
        lang: b.lang.clone(),
        body_html: crate::markdown::to_html(&b.body),
    }
}

#[derive(Template)]
#[template(path = "bulletins.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    can_post: bool,
    expired: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    pub expired: Option<String>,
}

pub async fn list(
    ctx: Ctx,
    State(st): State<AppState>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let expired = q.expired.as_deref() == Some("1");
    let today = minbar_store::util::today();
    let items = st
        .store
        .list_bulletins(&BulletinFilter {
            visible: visible_codes(&ctx.actor()),
            expired,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let p = ListPage {
        c: Chrome::new(&ctx, &ctx.t().get("bulletins-title")),
        rows: items.iter().map(|b| row(&ctx, b, &today)).collect(),
        can_post: ctx.actor().may_some(Action::BulletinPost),
        expired,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

async fn visible(ctx: &Ctx, st: &AppState, id: i64) -> Result<Bulletin, PageError> {
    let b = st
        .store
        .get_bulletin(BulletinId(id))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    if !ctx.actor().may_see(b.visibility) {
        return Err(ctx.not_shown());
    }
    Ok(b)
}

#[derive(Template)]
#[template(path = "bulletin.html")]
struct ShowPage {
    c: Chrome,
    b: Row,
    visibility: String,
    can_edit: bool,
    version: i64,
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let b = visible(&ctx, &st, id).await?;
    let options = visibility_options(&st, ctx.t())
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let p = ShowPage {
        c: Chrome::new(&ctx, &b.title),
        visibility: visibility_label(&options, b.visibility),
        can_edit: may_post(&ctx.actor(), b.org.as_ref().map(|o| o.id)),
        version: b.version,
        b: row(&ctx, &b, &minbar_store::util::today()),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "bulletin_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    version: i64,
    i: BulletinInput,
    errors: FieldErrors,
    kinds: Vec<(String, String)>,
    orgs: Vec<Opt>,
    /// The secretariat may post in its own name and pin.
    secretariat: bool,
    visibilities: Vec<(String, String)>,
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
}

async fn form(
    ctx: &Ctx,
    st: &AppState,
    action: String,
    version: i64,
    i: BulletinInput,
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
        .filter(|(o, _, s)| s != "former" && may_post(&actor, Some(o.id)))
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if version == 0 {
        t.get("bulletin-new")
    } else {
        t.get("bulletin-edit")
    };
    let p = FormPage {
        c: Chrome::new(ctx, &title),
        action,
        version,
        kinds: BulletinKind::ALL
            .iter()
            .map(|k| {
                (
                    k.code().to_string(),
                    t.get(&format!("bulletin-kind-{}", k.code())),
                )
            })
            .collect(),
        orgs,
        secretariat: actor.may(Action::BulletinManage, None),
        visibilities: visibility_options(st, t)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?,
        i,
        errors,
    };
    Ok(render(ctx, status, &p))
}

pub async fn new_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let actor = ctx.actor();
    let i = BulletinInput {
        kind: "news".into(),
        lang: ctx.lang.code().into(),
        visibility: "members".into(),
        org_id: if actor.may(Action::BulletinManage, None) {
            None
        } else {
            actor.org.map(|o| o.0)
        },
        ..Default::default()
    };
    form(&ctx, &st, "/bulletins".into(), 0, i, FieldErrors::default()).await
}

fn input(f: &HashMap<String, String>) -> BulletinInput {
    BulletinInput {
        title: value(f, "title").into(),
        body: value(f, "body").into(),
        kind: value(f, "kind").into(),
        org_id: value(f, "org_id").parse().ok().filter(|o: &i64| *o > 0),
        lang: value(f, "lang").into(),
        expires: value(f, "expires").into(),
        pinned: value(f, "pinned") == "1",
        visibility: value(f, "visibility").into(),
    }
}

/// The draft, if this actor may post it: only for an organisation they may post for,
/// and pinned only by the secretariat.
fn allowed(ctx: &Ctx, mut d: BulletinDraft) -> Result<BulletinDraft, FieldErrors> {
    let actor = ctx.actor();
    if !may_post(&actor, d.org) {
        return Err(FieldErrors::one("org_id", "proposer_not_yours"));
    }
    if !actor.may(Action::BulletinManage, None) {
        d.pinned = false;
    }
    Ok(d)
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let i = input(&f);
    let d = match BulletinDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, "/bulletins".into(), 0, i, e).await,
    };
    match ctx.store(&st).create_bulletin(&d).await {
        Ok(id) => {
            let link = format!("/bulletins/{id}");
            crate::api::text::notify_mentions(&st, &d.body, d.visibility, &link, d.title.as_str())
                .await;
            Ok(Redirect::to(&link).into_response())
        }
        Err(StoreError::Invalid(e)) => form(&ctx, &st, "/bulletins".into(), 0, i, e).await,
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn edit_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let b = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), b.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let i = BulletinInput {
        title: b.title,
        body: b.body,
        kind: b.kind.code().into(),
        org_id: b.org.map(|o| o.id.0),
        lang: b.lang,
        expires: b.expires.unwrap_or_default(),
        pinned: b.pinned,
        visibility: b.visibility.code(),
    };
    form(
        &ctx,
        &st,
        format!("/bulletins/{id}"),
        b.version,
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
    let b = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), b.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    let i = input(&f);
    let action = format!("/bulletins/{id}");
    let d = match BulletinDraft::parse(&i).and_then(|d| allowed(&ctx, d)) {
        Ok(d) => d,
        Err(e) => return form(&ctx, &st, action, version, i, e).await,
    };
    match ctx.store(&st).update_bulletin(b.id, version, &d).await {
        Ok(_) => Ok(Redirect::to(&action).into_response()),
        Err(StoreError::Conflict { current }) => {
            // the form keeps what was typed; saving again is a deliberate overwrite
            let e = FieldErrors::one("title", "conflict");
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
    let b = visible(&ctx, &st, id).await?;
    if !may_post(&ctx.actor(), b.org.as_ref().map(|o| o.id)) {
        return Err(ctx.refusal());
    }
    let version: i64 = value(&f, "version").parse().unwrap_or(0);
    ctx.store(&st)
        .delete_bulletin(b.id, version)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/bulletins").into_response())
}

// ------------------------------------------------------------------ Atom

async fn atom(
    ctx: &Ctx,
    st: &AppState,
    actor: &Actor,
    self_url: String,
) -> Result<Response, PageError> {
    let base = st.base_url.trim_end_matches('/');
    let items = st
        .store
        .list_bulletins(&BulletinFilter {
            visible: visible_codes(actor),
            limit: 100,
            ..Default::default()
        })
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let t = ctx.t();
    let entries: Vec<crate::atom::Entry> = items
        .iter()
        .map(|b| crate::atom::Entry {
            id: format!("{base}/bulletins/{}", b.id),
            title: b.title.clone(),
            author: b
                .org
                .as_ref()
                .map(|o| o.label(ctx.lang))
                .unwrap_or_else(|| t.get("bulletin-secretariat")),
            published: b.created_at,
            updated: b.updated_at,
            content: crate::markdown::to_html(&b.body),
            category: b.kind.code().into(),
        })
        .collect();
    let body = crate::atom::feed(
        &self_url,
        &format!("{base}/bulletins"),
        &format!("{} — {}", t.get("site-name"), t.get("bulletins-title")),
        ctx.lang.code(),
        &entries,
        minbar_store::util::now(),
    );
    Ok(crate::atom::response(body))
}

/// The public feed: bulletins anyone may see.
pub async fn feed(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let url = format!("{}/bulletins/feed.atom", st.base_url.trim_end_matches('/'));
    atom(&ctx, &st, &Actor::VISITOR, url).await
}

/// A personal feed: what the owner of the feed secret may see (the same secret as their
/// calendar feed). A wrong secret is a 404.
pub async fn personal_feed(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let owner = crate::atom::owner(&ctx, &st, &token).await?;
    let url = format!(
        "{}/feeds/{token}/bulletins.atom",
        st.base_url.trim_end_matches('/')
    );
    atom(&ctx, &st, &owner, url).await
}
