//! `minbar-web`: the HTTP layer. Pages are rendered on the server (askama templates,
//! Fluent strings); the JSON API lives under `/api/v1`. Handlers parse input into domain
//! values, ask the store, and render; they never write SQL.

pub mod api;
mod assets;
pub mod atom;
pub mod cache;
pub mod charts;
pub mod ctx;
pub mod error;
pub mod figures;
pub mod i18n;
pub mod ical;
pub mod mail;
pub mod map;
pub mod markdown;
pub mod pages;
pub mod routes;
pub mod search_sync;
mod security;

use axum::Router;
use minbar_store::Store;
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Served over HTTPS (directly or through a TLS-terminating proxy): cookies are
    /// marked `Secure` and responses carry `Strict-Transport-Security`.
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    pub trust_proxy: bool,
    /// Where mail goes out (none: invitations show their link to the inviter instead).
    pub mailer: Option<Arc<mail::Mailer>>,
    /// The address people reach Minbar at, for links in e-mails. Never taken from the
    /// request's Host header, which an attacker chooses.
    pub base_url: String,
    pub cache: Arc<cache::Cache>,
    pub search: Arc<search_sync::SearchState>,
}

impl AppState {
    /// State with the given search index.
    pub fn with_search(store: Store, search: Arc<search_sync::SearchState>) -> AppState {
        AppState {
            store,
            secure_cookies: false,
            trust_proxy: false,
            mailer: None,
            base_url: "http://127.0.0.1:8080".into(),
            cache: Arc::default(),
            search,
        }
    }

    /// State with an in-memory search index (built on first use): for tests and tools.
    pub fn new(store: Store) -> AppState {
        let index = minbar_search::SearchIndex::in_memory().expect("an in-memory index opens");
        AppState {
            store,
            secure_cookies: false,
            trust_proxy: false,
            mailer: None,
            base_url: "http://127.0.0.1:8080".into(),
            cache: Arc::default(),
            search: Arc::new(search_sync::SearchState::new(index, true)),
        }
    }
}

/// The whole application as a router: a function of its state, testable with `oneshot`.
pub fn router(state: AppState) -> Router {
    router_and_table(state).0
}

/// The router, and the table of its routes with their guards (for the permission test).
pub fn router_and_table(state: AppState) -> (Router, Vec<routes::RouteEntry>) {
    let (pages, mut table) = pages::routes(&state);
    let (api, api_table) = api::routes(&state);
    table.extend(api_table);
    let (rest, rest_table) = routes::Routes::new(&state, "")
        .get("/healthz", routes::Guard::Open, || async { "ok" })
        .get("/readyz", routes::Guard::Open, readyz)
        .get("/static/{*path}", routes::Guard::Open, assets::serve)
        .finish();
    table.extend(rest_table);
    let router = Router::new()
        .merge(pages)
        .nest("/api/v1", api)
        .merge(rest)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.secure_cookies,
            security::headers,
        ))
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state);
    (router, table)
}

async fn readyz(
    axum::extract::State(s): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    if s.store.ping().await {
        (axum::http::StatusCode::OK, "ready")
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unreachable",
        )
    }
}
