//! Named groups of accounts, kept by the secretariat: a contact detail (and, later,
//! documents and minutes) can be shown to one group only.

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
use minbar_core::{GroupId, UserId};
use minbar_store::StoreError;

/// A group as shown: id, name, members (user id, e-mail).
type GroupRow = (i64, String, Vec<(i64, String)>);

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    c: Chrome,
    groups: Vec<GroupRow>,
    error: String,
}

async fn page(
    ctx: &Ctx,
    st: &AppState,
    status: StatusCode,
    error: String,
) -> Result<Response, PageError> {
    let groups = st
        .store
        .list_groups()
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
        .into_iter()
        .map(|g| {
            (
                g.id.0,
                g.name,
                g.members.into_iter().map(|(u, e)| (u.0, e)).collect(),
            )
        })
        .collect();
    let p = GroupsPage {
        c: Chrome::new(ctx, &ctx.t().get("groups-title")),
        groups,
        error,
    };
    Ok(render(ctx, status, &p))
}

fn invalid_code(e: &minbar_core::FieldErrors) -> String {
    e.0.first().map(|(_, c)| c.to_string()).unwrap_or_default()
}

pub async fn show(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    page(&ctx, &st, StatusCode::OK, String::new()).await
}

pub async fn create(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    match ctx
        .store(&st)
        .create_group(f.get("name").map(String::as_str).unwrap_or(""))
        .await
    {
        Ok(_) => Ok(Redirect::to("/groups").into_response()),
        Err(StoreError::Invalid(e)) => {
            let msg = ctx.t().err(&invalid_code(&e));
            page(&ctx, &st, StatusCode::UNPROCESSABLE_ENTITY, msg).await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn add_member(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let email = f.get("email").map(String::as_str).unwrap_or("");
    let Some(user) = st
        .store
        .find_user(email)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    else {
        let msg = ctx.t().err("account_unknown");
        return page(&ctx, &st, StatusCode::UNPROCESSABLE_ENTITY, msg).await;
    };
    match ctx.store(&st).add_to_group(GroupId(id), user.id).await {
        Ok(()) => Ok(Redirect::to("/groups").into_response()),
        Err(StoreError::Invalid(_)) => Err(PageError::not_found(ctx.lang)),
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn remove_member(
    ctx: Ctx,
    State(st): State<AppState>,
    Path((id, user)): Path<(i64, i64)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    ctx.store(&st)
        .remove_from_group(GroupId(id), UserId(user))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/groups").into_response())
}
