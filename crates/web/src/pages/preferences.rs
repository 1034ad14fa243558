//! An account's notification preferences: the language of its e-mail, the digest
//! (daily, weekly, none), the kinds it does not want, and what it follows (sectors,
//! areas, policy topics, organisations).

use super::form::{all_values, fields, value};
use super::fourw::area_choices;
use super::meetings::{org_label, Opt};
use super::{render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use minbar_core::*;
use minbar_store::notifications::{Preferences, KINDS};
use minbar_store::StoreError;

#[derive(Template)]
#[template(path = "preferences.html")]
struct PrefsPage {
    c: Chrome,
    p: Preferences,
    kinds: Vec<(String, String)>,
    sectors: Vec<(String, String)>,
    areas: Vec<(String, String, String)>,
    topics: Vec<(String, String)>,
    orgs: Vec<Opt>,
    error: String,
    saved: bool,
}

impl PrefsPage {
    fn muted(&self, k: &str) -> bool {
        self.p.muted.iter().any(|m| m == k)
    }
    fn follows(&self, kind: &str, v: &str) -> bool {
        self.p.follows.iter().any(|(k, x)| k == kind && x == v)
    }
    fn follows_org(&self, id: i64) -> bool {
        self.follows("org", &id.to_string())
    }
}

async fn page(
    ctx: &Ctx,
    st: &AppState,
    p: Preferences,
    error: String,
    saved: bool,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let sectors = st
        .store
        .list_sectors()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .iter()
        .map(|s| (s.code.clone(), s.name.get(ctx.lang).to_string()))
        .collect();
    let orgs = st
        .store
        .org_refs()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .filter(|(_, _, s)| s != "former")
        .map(|(o, _, _)| (o.id.0, org_label(&o, ctx.lang)))
        .collect();
    let mut areas = vec![
        ("TR".to_string(), t.get("country-TR"), String::new()),
        ("SY".to_string(), t.get("country-SY"), String::new()),
    ];
    areas.extend(area_choices(st, ctx.lang).await?);
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PrefsPage {
        c: Chrome::new(ctx, &t.get("prefs-title")),
        kinds: KINDS
            .iter()
            .map(|k| (k.to_string(), t.get(&format!("notification-{k}"))))
            .collect(),
        sectors,
        areas,
        topics: Topic::ALL
            .iter()
            .map(|x| (x.code().to_string(), t.get(&format!("topic-{}", x.code()))))
            .collect(),
        orgs,
        p,
        error,
        saved,
    };
    Ok(render(ctx, status, &page))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    saved: Option<String>,
}

pub async fn show(
    ctx: Ctx,
    State(st): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Result<Response, PageError> {
    let Some(user) = ctx.session.as_ref().map(|s| s.user.id) else {
        return Err(PageError::unauthorized(ctx.lang));
    };
    let p = st
        .store
        .preferences(user)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    page(&ctx, &st, p, String::new(), q.saved.is_some()).await
}

pub async fn save(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(user) = ctx.session.as_ref().map(|s| s.user.id) else {
        return Err(PageError::unauthorized(ctx.lang));
    };
    let mut follows = Vec::new();
    for kind in ["sector", "area", "topic", "org"] {
        for v in all_values(&body, &format!("follow_{kind}")) {
            if !v.trim().is_empty() {
                follows.push((kind.to_string(), v.trim().to_string()));
            }
        }
    }
    let p = Preferences {
        lang: value(&f, "lang").to_string(),
        digest: value(&f, "digest").to_string(),
        muted: all_values(&body, "muted"),
        follows,
    };
    match ctx.store(&st).set_preferences(user, &p).await {
        Ok(()) => Ok(Redirect::to("/account/notifications?saved=1").into_response()),
        Err(StoreError::Invalid(e)) => {
            let msg =
                e.0.iter()
                    .map(|(_, c)| ctx.t().err(c))
                    .collect::<Vec<_>>()
                    .join(" ");
            page(&ctx, &st, p, msg, false).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}
