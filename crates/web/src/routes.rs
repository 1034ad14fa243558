//! Every route with the permission that guards it. Routes are added only through
//! [`Routes`], whose methods take a [`Guard`]: a route without a permission entry does
//! not compile. The guard runs before the handler, through one function
//! ([`Actor::may_some`], the permission table), and refuses with 401 (visitors, so that
//! they may sign in) or 403 before any handler code runs. Handlers then check the
//! organisation concerned for `Own`-scoped permissions with [`Actor::may`].
//!
//! The table is public ([`RouteEntry`]) so that a test can try every route with every
//! role (`crates/web/tests/web.rs`, `every_route_refuses_every_role_it_should`).

use crate::api::ApiCtx;
use crate::ctx::Ctx;
use crate::AppState;
use axum::extract::{FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter, MethodRouter};
use axum::Router;
use minbar_core::{Action, Actor};
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// The largest request body a route reads, uploads aside.
pub const BODY_LIMIT: usize = 1024 * 1024;
/// How long a request may take before it is answered 408 (exports of a million rows
/// take about 35 s on the reference machine).
pub const TIMEOUT: Duration = Duration::from_secs(120);
/// How long an upload may take: a 50 MB sheet over a poor connection, then its import.
pub const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    /// Anyone, signed in or not: the sign-in form, assets, health checks, API docs.
    Open,
    /// Anyone signed in: their own account, sessions and tokens.
    SignedIn,
    /// Whoever the permission table gives one of these actions, at some scope.
    May(&'static [Action]),
}

impl Guard {
    /// Does the guard let `actor` through?
    pub fn admits(self, actor: &Actor) -> bool {
        match self {
            Guard::Open => true,
            Guard::SignedIn => actor.is_signed_in(),
            Guard::May(actions) => actions.iter().any(|a| actor.may_some(*a)),
        }
    }
}

/// One (method, path) and its guard.
#[derive(Debug, Clone)]
pub struct RouteEntry {
    pub method: Method,
    /// The path pattern, with `{param}` placeholders, as mounted (API routes with their
    /// `/api/v1` prefix).
    pub path: String,
    pub guard: Guard,
}

/// A router under construction, with its table.
pub struct Routes {
    router: Router<AppState>,
    table: Vec<RouteEntry>,
    state: AppState,
    /// Where these routes are mounted (`/api/v1` for the API): API routes answer
    /// refusals in JSON.
    prefix: &'static str,
}

impl Routes {
    pub fn new(state: &AppState, prefix: &'static str) -> Routes {
        Routes {
            router: Router::new(),
            table: Vec::new(),
            state: state.clone(),
            prefix,
        }
    }

    fn add(
        self,
        method: Method,
        path: &str,
        guard: Guard,
        route: MethodRouter<AppState>,
    ) -> Routes {
        self.add_with(method, path, guard, route, TIMEOUT)
    }

    /// Every route gets a body limit ([`BODY_LIMIT`] unless an upload route set a larger
    /// one closer to its handler) and a time limit, after which it answers 408.
    fn add_with(
        mut self,
        method: Method,
        path: &str,
        guard: Guard,
        route: MethodRouter<AppState>,
        timeout: Duration,
    ) -> Routes {
        let route = route
            .layer::<_, std::convert::Infallible>(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
            .layer::<_, std::convert::Infallible>(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                timeout,
            ));
        let api = !self.prefix.is_empty();
        let route = route.layer::<_, std::convert::Infallible>(axum::middleware::from_fn(
            move |req: Request, next: Next| plain_errors(api, req, next),
        ));
        let route = if guard == Guard::Open {
            route
        } else {
            route.route_layer(axum::middleware::from_fn_with_state(
                self.state.clone(),
                move |st: State<AppState>, req: Request, next: Next| {
                    check(st.0, guard, api, req, next)
                },
            ))
        };
        self.router = self.router.route(path, route);
        self.table.push(RouteEntry {
            method,
            path: format!("{}{path}", self.prefix),
            guard,
        });
        self
    }

    pub fn get<H, T>(self, path: &str, guard: Guard, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::GET, path, guard, on(MethodFilter::GET, h))
    }
    pub fn post<H, T>(self, path: &str, guard: Guard, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::POST, path, guard, on(MethodFilter::POST, h))
    }
    /// A POST whose body may be up to `limit` bytes (uploads).
    pub fn post_upload<H, T>(self, path: &str, guard: Guard, limit: usize, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let route = on(MethodFilter::POST, h).layer(axum::extract::DefaultBodyLimit::max(limit));
        self.add_with(Method::POST, path, guard, route, UPLOAD_TIMEOUT)
    }
    pub fn put<H, T>(self, path: &str, guard: Guard, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::PUT, path, guard, on(MethodFilter::PUT, h))
    }
    pub fn delete<H, T>(self, path: &str, guard: Guard, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.add(Method::DELETE, path, guard, on(MethodFilter::DELETE, h))
    }

    pub fn finish(self) -> (Router<AppState>, Vec<RouteEntry>) {
        (self.router, self.table)
    }
}

/// A body over the limit or a request over time is answered by axum and tower in plain
/// text; answer them as every other error instead: JSON with a stable code for the API, a
/// translated page otherwise.
async fn plain_errors(api: bool, req: Request, next: Next) -> Response {
    let (lang, _) = crate::ctx::negotiate(req.uri().query().unwrap_or(""), req.headers());
    let res = next.run(req).await;
    let status = res.status();
    let code = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        _ => return res,
    };
    let plain = res
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_none_or(|v| v.to_str().is_ok_and(|v| v.starts_with("text/plain")));
    if !plain {
        return res;
    }
    if api {
        crate::error::ApiError::new(lang, status, code).into_response()
    } else {
        crate::error::PageError::new(lang, status, code).into_response()
    }
}

/// The guard: read who is asking (once: the handler gets the same context), refuse or
/// go on.
async fn check(st: AppState, guard: Guard, api: bool, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    if api {
        let ctx = match ApiCtx::from_request_parts(&mut parts, &st).await {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        };
        if !guard.admits(&ctx.actor) {
            return ctx.refusal().into_response();
        }
        if ctx.must_enroll {
            return crate::error::ApiError::new(
                ctx.lang,
                StatusCode::FORBIDDEN,
                "two_factor_required",
            )
            .into_response();
        }
        parts.extensions.insert(ctx);
    } else {
        let ctx = match Ctx::from_request_parts(&mut parts, &st).await {
            Ok(c) => c,
            Err(e) => return e.into_response(),
        };
        if !guard.admits(&ctx.actor()) {
            return ctx.refusal().into_response();
        }
        // an account whose role must use two-factor sign-in sets it up before anything else
        let enrolling = matches!(
            parts.uri.path(),
            "/account" | "/account/two-factor/start" | "/account/two-factor/confirm"
        );
        if ctx.session.as_ref().is_some_and(|s| s.must_enroll) && !enrolling {
            return axum::response::Redirect::to("/account").into_response();
        }
        parts.extensions.insert(ctx);
    }
    next.run(Request::from_parts(parts, body)).await
}
