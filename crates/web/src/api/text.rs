//! Text tools: the directory's names found in pasted text (minutes, a press release).

use super::{ApiCtx, ApiJson};
use crate::api::fourw::Items;
use crate::api::openapi::ErrorBody;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::Json;
use minbar_core::Action;
use minbar_store::directory::NameKind;
use minbar_store::{Store, StoreError};
use minbar_text::mentions::Gazetteer;
use serde::{Deserialize, Serialize};

/// Text to scan.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentionsInput {
    /// Any text, up to the request limit (1 MiB).
    pub text: String,
}

/// A name of the directory found in the text.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MentionItem {
    /// `organisation`, `person` or `area`.
    #[serde(rename = "type")]
    #[schema(value_type = String)]
    pub kind: NameKind,
    /// The organisation's or person's id, or the area's code.
    pub id: String,
    /// Character offset (Unicode scalar values) where the name begins.
    pub start: usize,
    /// Character offset just past the name.
    pub end: usize,
    /// The text as written there.
    pub surface: String,
}

/// Every name of the directory in `text`: organisations, people and places, matched
/// with or without the article, any hamza or teh marbuta spelling, after و/ب/ل written
/// onto the word or a title such as السيدة.
pub async fn find(store: &Store, text: &str) -> Result<Vec<MentionItem>, StoreError> {
    let mut g = Gazetteer::new();
    for (kind, id, name) in store.directory_names().await? {
        g.add(kind, &id, &name);
    }
    Ok(g.find(text)
        .into_iter()
        .map(|m| MentionItem {
            kind: m.kind,
            id: m.id,
            start: m.start,
            end: m.end,
            surface: m.surface,
        })
        .collect())
}

/// Find the directory's names in a text.
/// Tell the organisations and people a saved text names (minutes, a comment, a
/// bulletin) that they were mentioned, as far as they may see `link`. A failure here is
/// logged, never the save's failure.
pub async fn notify_mentions(
    st: &AppState,
    text: &str,
    visibility: minbar_core::Visibility,
    link: &str,
    title: &str,
) {
    let found = match find(&st.store, text).await {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(cause = %e, "mentions not read");
            return;
        }
    };
    let ids = |k: NameKind| -> Vec<i64> {
        found
            .iter()
            .filter(|m| m.kind == k)
            .filter_map(|m| m.id.parse().ok())
            .collect()
    };
    let (orgs, people) = (ids(NameKind::Organisation), ids(NameKind::Person));
    if let Err(e) = st
        .store
        .notify_mentions(visibility, &orgs, &people, link, title)
        .await
    {
        tracing::warn!(cause = %e, "mention notifications not written");
    }
}

#[utoipa::path(post, path = "/text/mentions", tag = "directory", request_body = MentionsInput,
    responses((status = 200, body = Items<MentionItem>), (status = 400, body = ErrorBody)))]
pub async fn mentions(
    ctx: ApiCtx,
    State(st): State<AppState>,
    ApiJson(input): ApiJson<MentionsInput>,
) -> Result<Json<Items<MentionItem>>, ApiError> {
    ctx.require(Action::DirectoryRead, None)?;
    let items = find(&st.store, &input.text)
        .await
        .map_err(|e| ApiError::store(ctx.lang, e))?;
    Ok(Json(Items { items }))
}
