//! In-app notifications: a line for each account that something concerns (an action
//! item for its organisation, a proposal waiting for its organisation's answer, an alert),
//! written in the transaction of what caused it, read or not.
//!
//! Who is told follows visibility: only records shown to the public, partners or members
//! notify (those reach every member and focal point); records for the secretariat or a
//! group stay silent here.

use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::{UserId, Visibility};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

/// One notification.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notification {
    pub id: i64,
    /// `action_item`, `proposal`, `alert`.
    pub kind: String,
    /// Where it leads (a local path).
    pub link: String,
    pub title: String,
    pub created_at: i64,
    pub read: bool,
}

/// Does a record with visibility `v` reach every member and focal point?
pub(crate) fn reaches_members(v: Visibility) -> bool {
    matches!(
        v,
        Visibility::Public | Visibility::Partners | Visibility::Members
    )
}

/// Tell the focal points and members of organisation `org`.
pub(crate) async fn to_org(
    tx: &mut Transaction<'static, Any>,
    org: i64,
    kind: &str,
    link: &str,
    title: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, link, title, created_at)
         SELECT id, $1, $2, $3, $4 FROM users WHERE org_id = $5 AND disabled = 0 AND role IN ('focal_point', 'member')",
    )
    .bind(kind)
    .bind(link)
    .bind(title)
    .bind(now())
    .bind(org)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tell the focal points of the member organisations (whose organisations answer
/// proposals), or every member and focal point of them with `everyone`.
pub(crate) async fn to_members(
    tx: &mut Transaction<'static, Any>,
    everyone: bool,
    kind: &str,
    link: &str,
    title: &str,
) -> Result<(), StoreError> {
    let roles = if everyone {
        "('focal_point', 'member')"
    } else {
        "('focal_point')"
    };
    sqlx::query(&format!(
        "INSERT INTO notifications (user_id, kind, link, title, created_at)
         SELECT u.id, $1, $2, $3, $4 FROM users u JOIN organisations o ON o.id = u.org_id
         WHERE u.disabled = 0 AND u.role IN {roles} AND o.membership_status = 'member'"
    ))
    .bind(kind)
    .bind(link)
    .bind(title)
    .bind(now())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// An account's notifications, the newest first.
    pub async fn notifications(
        &self,
        user: UserId,
        limit: i64,
    ) -> Result<Vec<Notification>, StoreError> {
        sqlx::query(
            "SELECT id, kind, link, title, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user.0)
        .bind(limit.clamp(1, 1000))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(|r| {
            Ok(Notification {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                link: r.try_get("link")?,
                title: r.try_get("title")?,
                created_at: r.try_get("created_at")?,
                read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
            })
        })
        .collect()
    }

    /// How many are unread.
    pub async fn unread_count(&self, user: UserId) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user.0)
        .fetch_one(self.reader())
        .await?
        .try_get("n")?)
    }

    /// Mark one read and answer where it leads (None: not this account's).
    pub async fn open_notification(
        &self,
        user: UserId,
        id: i64,
    ) -> Result<Option<String>, StoreError> {
        let Some(r) = sqlx::query("SELECT link FROM notifications WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(user.0)
            .fetch_optional(self.reader())
            .await?
        else {
            return Ok(None);
        };
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(Some(r.try_get("link")?))
    }

    /// Mark all of an account's notifications read.
    pub async fn read_all_notifications(&self, user: UserId) -> Result<(), StoreError> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now())
            .bind(user.0)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}
