//! Invitations (a coordinator or focal point invites someone to an account: a
//! single-use link by e-mail, good for a week) and password resets (a single-use link by
//! e-mail, good for an hour). Links are built from the configured base URL, never from
//! the request's Host header.

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
use minbar_core::{Email, Lang, OrgId, Password, Role};
use minbar_store::accounts::SignIn;
use minbar_store::StoreError;
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    c: Chrome,
    roles: Vec<(&'static str, String, bool)>,
    orgs: Vec<(i64, String, bool)>,
    langs: Vec<(&'static str, &'static str, bool)>,
    email: String,
    notice: String,
    error: String,
    /// The link, when no mail server is configured: the inviter passes it on.
    link: Option<String>,
}

/// The roles this actor may invite to (for the form).
fn invitable(ctx: &Ctx) -> Vec<Role> {
    let actor = ctx.actor();
    [
        Role::Member,
        Role::FocalPoint,
        Role::Partner,
        Role::Coordinator,
        Role::Admin,
    ]
    .into_iter()
    .filter(|r| {
        let org = if matches!(r, Role::Member | Role::FocalPoint) {
            actor.org.or(Some(OrgId(0)))
        } else {
            None
        };
        actor.may_invite(*r, org) || actor.may_invite(*r, actor.org)
    })
    .collect()
}

async fn invite_page(
    ctx: &Ctx,
    st: &AppState,
    status: StatusCode,
    f: &HashMap<String, String>,
    notice: String,
    error: String,
    link: Option<String>,
) -> Result<Response, PageError> {
    let t = ctx.t();
    let actor = ctx.actor();
    let chosen_role = f.get("role").map(String::as_str).unwrap_or("member");
    let chosen_org: Option<i64> = f
        .get("org")
        .and_then(|o| o.parse().ok())
        .or(actor.org.map(|o| o.0));
    let orgs = if ctx.may(minbar_core::Action::UserInvite, None) {
        let page = st
            .store
            .list_orgs(&minbar_store::directory::OrgFilter {
                per_page: minbar_store::directory::OrgFilter::MAX_PER_PAGE,
                sort: Some(ctx.lang),
                ..Default::default()
            })
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?;
        page.items
            .iter()
            .map(|o| {
                (
                    o.id.0,
                    format!("{} — {}", o.acronym, o.name.get(ctx.lang)),
                    Some(o.id.0) == chosen_org,
                )
            })
            .collect()
    } else if let Some(o) = actor.org {
        let org = st
            .store
            .get_org(o)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?;
        vec![(
            o.0,
            format!("{} — {}", org.acronym, org.name.get(ctx.lang)),
            true,
        )]
    } else {
        vec![]
    };
    let chosen_lang = f.get("lang").map(String::as_str).unwrap_or(ctx.lang.code());
    let p = InvitePage {
        c: Chrome::new(ctx, &t.get("invite-title")),
        roles: invitable(ctx)
            .into_iter()
            .map(|r| {
                (
                    r.code(),
                    t.get(&format!("role-{}", r.code())),
                    r.code() == chosen_role,
                )
            })
            .collect(),
        orgs,
        langs: [("ar", "العربية"), ("en", "English"), ("tr", "Türkçe")]
            .into_iter()
            .map(|(c, n)| (c, n, c == chosen_lang))
            .collect(),
        email: if link.is_some() || !notice.is_empty() {
            String::new()
        } else {
            f.get("email").cloned().unwrap_or_default()
        },
        notice,
        error,
        link,
    };
    Ok(render(ctx, status, &p))
}

pub async fn invite_form(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    invite_page(
        &ctx,
        &st,
        StatusCode::OK,
        &HashMap::new(),
        String::new(),
        String::new(),
        None,
    )
    .await
}

pub async fn invite(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let t = ctx.t();
    let fail = |code: &str| t.err(code);
    if !ctx.csrf_ok(f.get("csrf").map(String::as_str).unwrap_or("")) {
        let e = fail("csrf");
        return invite_page(&ctx, &st, StatusCode::FORBIDDEN, &f, String::new(), e, None).await;
    }
    let email = match Email::parse(f.get("email").map(String::as_str).unwrap_or("")) {
        Ok(e) => e,
        Err(e) => {
            let e = fail(e.code());
            return invite_page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                String::new(),
                e,
                None,
            )
            .await;
        }
    };
    let role =
        Role::parse(f.get("role").map(String::as_str).unwrap_or("")).unwrap_or(Role::Visitor);
    let org = match role {
        Role::Member | Role::FocalPoint => f.get("org").and_then(|o| o.parse().ok()).map(OrgId),
        _ => None,
    };
    if !ctx.actor().may_invite(role, org) {
        return Err(PageError::forbidden(ctx.lang));
    }
    let lang = f
        .get("lang")
        .and_then(|l| Lang::parse(l))
        .unwrap_or(ctx.lang);
    let inviter = ctx
        .session
        .as_ref()
        .map(|s| s.user.email.clone())
        .unwrap_or_default();
    let base = st.base_url.trim_end_matches('/').to_string();
    let mailing = st.mailer.is_some();
    let compose =
        |token: &str| mailing.then(|| crate::mail::invitation(lang, &base, token, &inviter, role));
    match ctx
        .store(&st)
        .invite(&email, role, org, lang.code(), compose)
        .await
    {
        Ok((_, token)) => {
            let (notice, link) = if st.mailer.is_some() {
                (t.arg("invite-sent", "email", email.as_str()), None)
            } else {
                (
                    t.get("invite-no-mail"),
                    Some(format!("{base}/invitation/{token}")),
                )
            };
            invite_page(&ctx, &st, StatusCode::OK, &f, notice, String::new(), link).await
        }
        Err(StoreError::Invalid(e)) => {
            let code = e.0.first().map(|(_, c)| c.to_string()).unwrap_or_default();
            let e = fail(&code);
            invite_page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &f,
                String::new(),
                e,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

#[derive(Template)]
#[template(path = "set_password.html")]
struct SetPasswordPage {
    c: Chrome,
    action: String,
    /// The invited address (invitations) or empty (resets).
    email: String,
    role: String,
    error: String,
    /// The link is unknown, used or expired.
    dead: bool,
}

fn set_password_page(
    ctx: &Ctx,
    title: &str,
    action: String,
    email: String,
    role: String,
    error: String,
    dead: bool,
) -> Response {
    let status = if dead {
        StatusCode::NOT_FOUND
    } else if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let p = SetPasswordPage {
        c: Chrome::new(ctx, &ctx.t().get(title)),
        action,
        email,
        role,
        error,
        dead,
    };
    render(ctx, status, &p)
}

/// The page for a link that is unknown, used or expired (404).
fn dead_link(ctx: &Ctx, title: &str, action: String) -> Response {
    set_password_page(
        ctx,
        title,
        action,
        String::new(),
        String::new(),
        String::new(),
        true,
    )
}

/// The new password from a form, checked for strength against the account's address.
fn chosen_password(
    ctx: &Ctx,
    f: &HashMap<String, String>,
    email: &str,
) -> Result<Password, String> {
    let t = ctx.t();
    let new = f.get("new").map(String::as_str).unwrap_or("");
    let p = Password::strong(new, &[email]).map_err(|e| t.err(e.code()))?;
    if f.get("again").map(String::as_str) != Some(new) {
        return Err(t.err("password_mismatch"));
    }
    Ok(p)
}

pub async fn invitation_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let inv = st
        .store
        .invitation(&token)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let action = format!("/invitation/{token}");
    Ok(match inv {
        Some(i) => {
            let role = ctx.t().get(&format!("role-{}", i.role.code()));
            set_password_page(
                &ctx,
                "invitation-title",
                action,
                i.email,
                role,
                String::new(),
                false,
            )
        }
        None => dead_link(&ctx, "invitation-title", action),
    })
}

pub async fn accept_invitation(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let action = format!("/invitation/{token}");
    let Some(inv) = st
        .store
        .invitation(&token)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    else {
        return Ok(dead_link(&ctx, "invitation-title", action));
    };
    let role = ctx.t().get(&format!("role-{}", inv.role.code()));
    let password = match chosen_password(&ctx, &f, &inv.email) {
        Ok(p) => p,
        Err(e) => {
            return Ok(set_password_page(
                &ctx,
                "invitation-title",
                action,
                inv.email,
                role,
                e,
                false,
            ))
        }
    };
    match st.store.accept_invitation(&token, &password).await {
        Ok(_) => {}
        Err(StoreError::NotFound) => return Ok(dead_link(&ctx, "invitation-title", action)),
        Err(StoreError::Invalid(_)) => {
            let e = ctx.t().err("email_taken");
            return Ok(set_password_page(
                &ctx,
                "invitation-title",
                action,
                inv.email,
                role,
                e,
                false,
            ));
        }
        Err(e) => return Err(PageError::store(ctx.lang, e)),
    }
    // straight in: the link proved the address, the password was just chosen
    match st
        .store
        .sign_in(&inv.email, password.expose(), &ctx.origin)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    {
        SignIn::Opened(token, _) => Ok(super::auth::signed_in(&st, &token, "/directory")),
        _ => Ok(Redirect::to("/sign-in").into_response()),
    }
}

#[derive(Template)]
#[template(path = "reset_request.html")]
struct ResetRequestPage {
    c: Chrome,
    sent: bool,
    error: String,
}

pub async fn reset_request_form(ctx: Ctx) -> Response {
    let p = ResetRequestPage {
        c: Chrome::new(&ctx, &ctx.t().get("reset-title")),
        sent: false,
        error: String::new(),
    };
    render(&ctx, StatusCode::OK, &p)
}

/// The same answer whether or not the address has an account.
pub async fn reset_request(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let t = ctx.t();
    if st.mailer.is_none() {
        let p = ResetRequestPage {
            c: Chrome::new(&ctx, &t.get("reset-title")),
            sent: false,
            error: t.get("reset-no-mail"),
        };
        return Ok(render(&ctx, StatusCode::OK, &p));
    }
    let email = f.get("email").cloned().unwrap_or_default();
    let base = st.base_url.trim_end_matches('/').to_string();
    let lang = ctx.lang;
    st.store
        .request_reset(&email, |token, _| crate::mail::reset(lang, &base, token))
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    let p = ResetRequestPage {
        c: Chrome::new(&ctx, &t.get("reset-title")),
        sent: true,
        error: String::new(),
    };
    Ok(render(&ctx, StatusCode::OK, &p))
}

pub async fn reset_form(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let live = st
        .store
        .reset_is_live(&token)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(set_password_page(
        &ctx,
        "reset-title",
        format!("/password-reset/{token}"),
        String::new(),
        String::new(),
        String::new(),
        !live,
    ))
}

pub async fn reset(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let action = format!("/password-reset/{token}");
    if !st
        .store
        .reset_is_live(&token)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?
    {
        return Ok(dead_link(&ctx, "reset-title", action));
    }
    let password = match chosen_password(&ctx, &f, "") {
        Ok(p) => p,
        Err(e) => {
            return Ok(set_password_page(
                &ctx,
                "reset-title",
                action,
                String::new(),
                String::new(),
                e,
                false,
            ))
        }
    };
    match st.store.reset_password(&token, &password).await {
        Ok(_) => Ok(Redirect::to("/sign-in?reset=done").into_response()),
        Err(StoreError::NotFound) => Ok(dead_link(&ctx, "reset-title", action)),
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}
