//! Signing in and out.

use super::{render, Chrome};
use crate::ctx::{Ctx, SESSION_COOKIE};
use crate::error::PageError;
use crate::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minbar_store::accounts::{SignIn, SESSION_SECONDS};

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    email: String,
    next: String,
    failed: bool,
    /// Too many failures lately: wait this many seconds (0: not throttled).
    wait: i64,
    /// The password was right: now the code from the authenticator app.
    code_step: bool,
}

/// The cookie that carries a sign-in's two-factor challenge between its two steps.
pub const MFA_COOKIE: &str = "minbar_mfa";

/// A redirect to `to` that sets the session cookie for `token`.
pub fn signed_in(st: &AppState, token: &str, to: &str) -> Response {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={SESSION_SECONDS}{secure}"
    );
    let mut res = Redirect::to(to).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

/// Only local paths are followed after signing in.
fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        // where the signed-in land: their open items and what waits for their answer
        "/home".to_string()
    }
}

pub async fn sign_in_form(ctx: Ctx) -> Response {
    let next = form_urlencoded::parse(ctx.query.as_bytes())
        .find(|(k, _)| k == "next")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let page = SignInPage {
        c: Chrome::new(&ctx, &ctx.t().get("signin-title")),
        email: String::new(),
        next: safe_next(&next),
        failed: false,
        wait: 0,
        code_step: false,
    };
    render(&ctx, StatusCode::OK, &page)
}

pub async fn sign_in(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let mut email = String::new();
    let mut password = String::new();
    let mut next = String::new();
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "email" => email = v.into_owned(),
            "password" => password = v.into_owned(),
            "next" => next = v.into_owned(),
            _ => {}
        }
    }
    let outcome = st
        .store
        .sign_in(&email, &password, &ctx.origin)
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    answer(&ctx, &st, outcome, email, next, false).await
}

/// The second step: the code from the authenticator app, with the challenge cookie the
/// first step set.
pub async fn sign_in_code(
    ctx: Ctx,
    State(st): State<AppState>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, PageError> {
    let f = super::form::fields(&body);
    let challenge = crate::ctx::cookie(&headers, MFA_COOKIE).unwrap_or("");
    let next = f.get("next").cloned().unwrap_or_default();
    let outcome = st
        .store
        .finish_sign_in(
            challenge,
            f.get("code").map(String::as_str).unwrap_or(""),
            &ctx.origin,
        )
        .await
        .map_err(|e| PageError::store(ctx.lang, e))?;
    // a wrong code keeps the challenge (up to five tries); a dead one starts over
    let still = matches!(outcome, SignIn::Refused)
        && !challenge.is_empty()
        && st
            .store
            .challenge_is_live(challenge)
            .await
            .map_err(|e| PageError::store(ctx.lang, e))?;
    answer(&ctx, &st, outcome, String::new(), next, still).await
}

async fn answer(
    ctx: &Ctx,
    st: &AppState,
    outcome: SignIn,
    email: String,
    next: String,
    code_step: bool,
) -> Result<Response, PageError> {
    let secure = if st.secure_cookies { "; Secure" } else { "" };
    match outcome {
        SignIn::Opened(token, session) => {
            // a new session each time: whatever token the browser had before ends here
            if let Some(old) = &ctx.token {
                st.store
                    .acting(session.who())
                    .sign_out(old)
                    .await
                    .map_err(|e| PageError::store(ctx.lang, e))?;
            }
            let mut res = signed_in(st, &token, &safe_next(&next));
            let clear =
                format!("{MFA_COOKIE}=; Path=/sign-in; HttpOnly; SameSite=Lax; Max-Age=0{secure}");
            if let Ok(v) = HeaderValue::from_str(&clear) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        SignIn::NeedsCode(challenge) => {
            let page = SignInPage {
                c: Chrome::new(ctx, &ctx.t().get("signin-title")),
                email,
                next: safe_next(&next),
                failed: false,
                wait: 0,
                code_step: true,
            };
            let mut res = render(ctx, StatusCode::OK, &page);
            let cookie = format!(
                "{MFA_COOKIE}={challenge}; Path=/sign-in; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
                minbar_store::accounts::CHALLENGE_SECONDS
            );
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            Ok(res)
        }
        SignIn::Refused | SignIn::Throttled { .. } => {
            let wait = match outcome {
                SignIn::Throttled { retry_after } => retry_after,
                _ => 0,
            };
            let page = SignInPage {
                c: Chrome::new(ctx, &ctx.t().get("signin-title")),
                email,
                next: safe_next(&next),
                failed: wait == 0,
                wait,
                code_step,
            };
            if wait > 0 {
                let mut res = render(ctx, StatusCode::TOO_MANY_REQUESTS, &page);
                res.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                Ok(res)
            } else {
                Ok(render(ctx, StatusCode::UNAUTHORIZED, &page))
            }
        }
    }
}

pub async fn sign_out(
    ctx: Ctx,
    State(st): State<AppState>,
    body: Bytes,
) -> Result<Response, PageError> {
    let csrf = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    if let Some(token) = &ctx.token {
        if ctx.csrf_ok(&csrf) {
            ctx.store(&st)
                .sign_out(token)
                .await
                .map_err(|e| PageError::store(ctx.lang, e))?;
        }
    }
    let mut res = Redirect::to("/directory").into_response();
    res.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("minbar_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(res)
}
