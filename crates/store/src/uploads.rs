//! Uploads kept between a check and the import that follows it, so that a person on a
//! poor connection sends a file once: the upload page checks it, shows what would be
//! imported (and, for a sheet without hashtags, which column is read as what), and
//! imports the kept file when asked. In the database rather than the process, so that
//! any `minbar serve` process on the same PostgreSQL can finish what another began.
//!
//! An account keeps one upload at a time (a new one replaces it); uploads older than
//! [`KEEP_FOR`] seconds are gone.

use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::UserId;
use sqlx::Row;

/// How long a kept upload stays, in seconds.
pub const KEEP_FOR: i64 = 2 * 60 * 60;

/// A kept upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptUpload {
    /// What it holds, as the upload page named it (`activities`, `needs`).
    pub kind: String,
    /// The file's name as uploaded.
    pub name: String,
    pub content: Vec<u8>,
}

impl Store {
    /// Keep `upload` for `user`, replacing what the account kept before; the token names it.
    pub async fn keep_upload(
        &self,
        user: UserId,
        upload: &KeptUpload,
    ) -> Result<String, StoreError> {
        let token = crate::accounts::random_token();
        let at = now();
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM kept_uploads WHERE user_id = $1 OR kept_at < $2")
            .bind(user.0)
            .bind(at - KEEP_FOR)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO kept_uploads (token, user_id, kind, name, content, kept_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token.clone())
        .bind(user.0)
        .bind(upload.kind.clone())
        .bind(upload.name.clone())
        .bind(upload.content.clone())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The upload `user` kept under `token`, if it is theirs and still kept.
    pub async fn kept_upload(
        &self,
        user: UserId,
        token: &str,
    ) -> Result<Option<KeptUpload>, StoreError> {
        let r = sqlx::query(
            "SELECT kind, name, content FROM kept_uploads WHERE token = $1 AND user_id = $2 AND kept_at >= $3",
        )
        .bind(token.to_string())
        .bind(user.0)
        .bind(now() - KEEP_FOR)
        .fetch_optional(self.reader())
        .await?;
        r.map(|r| {
            Ok(KeptUpload {
                kind: r.try_get("kind")?,
                name: r.try_get("name")?,
                content: r.try_get("content")?,
            })
        })
        .transpose()
    }

    /// Forget an upload (once imported).
    pub async fn drop_upload(&self, user: UserId, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM kept_uploads WHERE token = $1 AND user_id = $2")
            .bind(token.to_string())
            .bind(user.0)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
