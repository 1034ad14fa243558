//! `minbar-web`: the HTTP layer. Pages are rendered on the server (askama templates,
//! Fluent strings); the JSON API lives under `/api/v1`. Handlers parse input into domain
//! values, ask the store, and render; they never write SQL.

pub mod api;
mod assets;
pub mod cache;
pub mod charts;
pub mod ctx;
pub mod error;
pub mod figures;
pub mod i18n;
pub mod map;
pub mod pages;
pub mod search_sync;
mod security;

use axum::routing::get;
use axum::Router;
use minbar_store::Store;
use std::sync::Arc;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub store: Store,
    /// Mark cookies `Secure` (when served over HTTPS).
    pub secure_cookies: bool,
    pub cache: Arc<cache::Cache>,
    pub search: Arc<search_sync::SearchState>,
}

impl AppState {
    /// State with the given search index.
    pub fn with_search(store: Store, search: Arc<search_sync::SearchState>) -> AppState {
        AppState {
            store,
            secure_cookies: false,
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
            cache: Arc::default(),
            search: Arc::new(search_sync::SearchState::new(index, true)),
        }
    }
}

/// The whole application as a router: a function of its state, testable with `oneshot`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .merge(assets::routes())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(security::headers))
        .layer(
            tower_http::compression::CompressionLayer::new()
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
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
