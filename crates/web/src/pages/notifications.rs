//! In-app notifications: the list (unread first in weight), opening one (marks it read and
//! follows its link), marking all read.

use super::form::fields;
use super::{render, Chrome};
use crate::ctx::Ctx;
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

#[derive(Template)]
#[template(path = "notifications.html")]
struct ListPage {
    c: Chrome,
    /// (id, kind label, title, date, read)
    items: Vec<(i64, String, String, String, bool)>,
}

fn user(ctx: &Ctx) -> Result<minbar_core::UserId, PageError> {
    ctx.session
        .as_ref()
        .map(|s| s.user.id)
        .ok_or_else(|| PageError::unauthorized(ctx.lang))
}

pub async fn list(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let t = ctx.t();
    let items = st
        .store
        .notifications(user(&ctx)?, 200)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .map(|n| {
            (
                n.id,
                t.get(&format!("notification-{}", n.kind)),
                n.title,
                minbar_store::util::date_of(n.created_at),
                n.read,
            )
        })
        .collect();
    let p = ListPage {
        c: Chrome::new(&ctx, &t.get("notifications-title")),
        items,
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

/// Open a notification: it is read, and the reader goes where it leads.
pub async fn open(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let link = st
        .store
        .open_notification(user(&ctx)?, id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .filter(|l| l.starts_with('/') && !l.starts_with("//"))
        .ok_or_else(|| PageError::not_found(ctx.lang))?;
    Ok(Redirect::to(&link).into_response())
}

pub async fn read_all(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    st.store
        .read_all_notifications(user(&ctx)?)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/notifications").into_response())
}
