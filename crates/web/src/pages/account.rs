//! A user's own account: the sessions they have open (with revoke), their personal API
//! tokens (created, shown once, revoked), and a new password.

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
use minbar_core::{Password, Role};
use minbar_store::accounts::{SignIn, TokenScope};
use minbar_store::audit::iso_time;

/// A session as listed: id, signed in, last seen, address, browser, this one.
type SessionRow = (String, String, String, String, String, bool);
/// A token as listed: id, name, scope, created, last used, revoked.
type TokenRow = (i64, String, &'static str, String, String, bool);

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    email: String,
    role: String,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    /// A token just created: its secret, shown this once.
    new_secret: Option<String>,
    notice: String,
    error: String,
    two_factor: bool,
    /// Two-factor sign-in being set up: the secret in base32, the QR code (SVG) of its
    /// `otpauth://` URI, and the URI.
    setup: Option<(String, String, String)>,
    /// This account's role must use two-factor sign-in and it has not yet.
    must_enroll: bool,
    /// For admins: every role, its name, and whether it must use two-factor sign-in.
    roles: Vec<(&'static str, String, bool)>,
}

/// The QR code of `text` as SVG markup (our own output: no user text becomes markup).
fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
        .replace("<?xml version=\"1.0\" standalone=\"yes\"?>", "")
}

/// Minutes are enough on this page; the audit trail has the seconds.
fn minute(t: i64) -> String {
    let s = iso_time(t);
    format!("{} {}", &s[..10], &s[11..16])
}

async fn page(
    ctx: &Ctx,
    st: &AppState,
    status: StatusCode,
    new_secret: Option<String>,
    notice: String,
    error: String,
) -> Result<Response, PageError> {
    let Some(session) = &ctx.session else {
        return Err(ctx.refusal());
    };
    let lang = ctx.lang;
    let t = ctx.t();
    let user = &session.user;
    let sessions = st
        .store
        .sessions_of(user.id)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .map(|s| {
            let current = s.id == session.id;
            (
                s.id,
                minute(s.created_at),
                minute(s.last_seen_at),
                s.address,
                s.user_agent.chars().take(80).collect(),
                current,
            )
        })
        .collect();
    let tokens = st
        .store
        .tokens_of(user.id)
        .await
        .map_err(|e| PageError::store(lang, e))?
        .into_iter()
        .map(|k| {
            (
                k.id,
                k.name,
                k.scope.code(),
                minute(k.created_at),
                k.last_used_at
                    .map(minute)
                    .unwrap_or_else(|| t.get("account-never")),
                k.revoked,
            )
        })
        .collect();
    let setup = if user.two_factor {
        None
    } else {
        st.store
            .pending_two_factor(user.id)
            .await
            .map_err(|e| PageError::store(lang, e))?
            .map(|secret| {
                let uri = minbar_core::totp::otpauth_uri(&secret, &user.email, "Minbar");
                (minbar_core::totp::base32(&secret), qr_svg(&uri), uri)
            })
    };
    let roles = if ctx.may(minbar_core::Action::UserManage, None) {
        let required = st
            .store
            .two_factor_roles()
            .await
            .map_err(|e| PageError::store(lang, e))?;
        [
            Role::Admin,
            Role::Coordinator,
            Role::FocalPoint,
            Role::Member,
            Role::Partner,
        ]
        .into_iter()
        .map(|r| {
            (
                r.code(),
                t.get(&format!("role-{}", r.code())),
                required.contains(&r),
            )
        })
        .collect()
    } else {
        vec![]
    };
    let p = AccountPage {
        c: Chrome::new(ctx, &t.get("account-title")),
        email: user.email.clone(),
        role: t.get(&format!("role-{}", user.role.code())),
        sessions,
        tokens,
        new_secret,
        notice,
        error,
        two_factor: user.two_factor,
        setup,
        must_enroll: session.must_enroll,
        roles,
    };
    Ok(render(ctx, status, &p))
}

pub async fn show(ctx: Ctx, State(st): State<AppState>) -> Result<Response, PageError> {
    let notice = match form_urlencoded::parse(ctx.query.as_bytes())
        .find(|(k, _)| k == "done")
        .map(|(_, v)| v.into_owned())
        .as_deref()
    {
        Some("session") => ctx.t().get("account-session-revoked"),
        Some("token") => ctx.t().get("account-token-revoked"),
        Some("two-factor") => ctx.t().get("account-2fa-on"),
        Some("roles") => ctx.t().get("account-2fa-roles-saved"),
        _ => String::new(),
    };
    page(&ctx, &st, StatusCode::OK, None, notice, String::new()).await
}

pub async fn revoke_session(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    ctx.store(&st)
        .revoke_session(s.user.id, &id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/account?done=session").into_response())
}

pub async fn create_token(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let t = ctx.t();
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    let scope = f
        .get("scope")
        .and_then(|s| TokenScope::parse(s))
        .unwrap_or(TokenScope::Read);
    let name = f.get("name").cloned().unwrap_or_default();
    match ctx.store(&st).create_token(s.user.id, &name, scope).await {
        Ok((_, secret)) => {
            page(
                &ctx,
                &st,
                StatusCode::OK,
                Some(secret),
                t.get("account-token-created"),
                String::new(),
            )
            .await
        }
        Err(minbar_store::StoreError::Invalid(_)) => {
            let e = t.err("token_name_invalid");
            page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                String::new(),
                e,
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

pub async fn revoke_token(
    ctx: Ctx,
    State(st): State<AppState>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    ctx.store(&st)
        .revoke_token(s.user.id, id)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/account?done=token").into_response())
}

/// A new password: the current one must be right (a session left open on a shared
/// computer is not enough); every session ends, so the user signs in again.
pub async fn change_password(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    let t = ctx.t();
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let bad = |code: &str| t.err(code);
    let new = match Password::strong(&get("new"), &[&s.user.email]) {
        Ok(p) => p,
        Err(code) => {
            let e = bad(code.code());
            return page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                String::new(),
                e,
            )
            .await;
        }
    };
    if get("new") != get("again") {
        let e = bad("password_mismatch");
        return page(
            &ctx,
            &st,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            String::new(),
            e,
        )
        .await;
    }
    // the current password, checked as a sign-in would (and throttled like one)
    let check = st
        .store
        .sign_in(&s.user.email, &get("current"), &ctx.origin)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    match check {
        SignIn::Opened(token, _) => {
            let _ = st.store.sign_out(&token).await;
        }
        _ => {
            let e = bad("password_current_wrong");
            return page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                String::new(),
                e,
            )
            .await;
        }
    }
    ctx.store(&st)
        .set_password(s.user.id, &new)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/sign-in?next=/account").into_response())
}

/// Start setting up two-factor sign-in: a new secret, shown with its QR code.
pub async fn two_factor_start(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    match ctx.store(&st).begin_two_factor(s.user.id).await {
        Ok(_) | Err(minbar_store::StoreError::Invalid(_)) => {}
        Err(e) => return Err(PageError::store(ctx.lang, e)),
    }
    page(
        &ctx,
        &st,
        StatusCode::OK,
        None,
        String::new(),
        String::new(),
    )
    .await
}

/// Put it in force with a code from the app.
pub async fn two_factor_confirm(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    let code = f.get("code").map(String::as_str).unwrap_or("");
    match ctx.store(&st).confirm_two_factor(s.user.id, code).await {
        Ok(()) => Ok(Redirect::to("/account?done=two-factor").into_response()),
        Err(minbar_store::StoreError::Invalid(e)) => {
            let code = e.0.first().map(|(_, c)| c.to_string()).unwrap_or_default();
            let e = ctx.t().err(&code);
            page(
                &ctx,
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                String::new(),
                e,
            )
            .await
        }
        Err(e) => Err(PageError::store(ctx.lang, e)),
    }
}

/// Turn it off, with a code (not when the role requires it). Every session ends.
pub async fn two_factor_disable(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = fields(&body);
    ctx.check_csrf(&f)?;
    let Some(s) = &ctx.session else {
        return Err(ctx.refusal());
    };
    let lang = ctx.lang;
    let required = st
        .store
        .two_factor_roles()
        .await
        .map_err(|e| PageError::store(lang, e))?;
    if required.contains(&s.user.role) {
        let e = ctx.t().err("two_factor_required");
        return page(
            &ctx,
            &st,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            String::new(),
            e,
        )
        .await;
    }
    let code = f.get("code").map(String::as_str).unwrap_or("");
    if !st
        .store
        .check_code(s.user.id, code)
        .await
        .map_err(|e| PageError::store(lang, e))?
    {
        let e = ctx.t().err("code_wrong");
        return page(
            &ctx,
            &st,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            String::new(),
            e,
        )
        .await;
    }
    ctx.store(&st)
        .disable_two_factor(s.user.id)
        .await
        .map_err(|e| PageError::store(lang, e))?;
    Ok(Redirect::to("/sign-in?next=/account").into_response())
}

/// An admin chooses the roles that must use two-factor sign-in.
pub async fn two_factor_roles(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let f: std::collections::HashMap<String, String> = pairs.iter().cloned().collect();
    ctx.check_csrf(&f)?;
    ctx.require(minbar_core::Action::UserManage, None)?;
    let roles: Vec<Role> = pairs
        .iter()
        .filter(|(k, _)| k == "role")
        .filter_map(|(_, v)| Role::parse(v).ok())
        .collect();
    ctx.store(&st)
        .set_two_factor_roles(&roles)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    Ok(Redirect::to("/account?done=roles").into_response())
}
