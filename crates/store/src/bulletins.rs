//! Bulletins: news, calls and alerts, pinned or not, listed until they expire. Every
//! write is audited and goes through the outbox into search.

use crate::audit::{Key, Table};
use crate::meetings::{org_cols, org_ref, push_visible, OrgRef};
use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A bulletin as shown.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bulletin {
    pub id: BulletinId,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub kind: BulletinKind,
    /// The posting organisation; none for the secretariat.
    pub org: Option<OrgRef>,
    /// ar, en or tr.
    pub lang: String,
    /// `YYYY-MM-DD`, the last day it is listed.
    pub expires: Option<String>,
    pub pinned: bool,
    pub visibility: Visibility,
    pub author: String,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Bulletin {
    /// Still listed on `today` (`YYYY-MM-DD`)?
    pub fn current(&self, today: &str) -> bool {
        self.expires.as_deref().is_none_or(|e| e >= today)
    }
}

/// Which bulletins to list.
#[derive(Debug, Clone, Default)]
pub struct BulletinFilter {
    /// The reader's visibility codes ([`crate::meetings::visible_codes`]).
    pub visible: Option<Vec<String>>,
    /// List expired ones too.
    pub expired: bool,
    pub org: Option<OrgId>,
    pub limit: i64,
}

fn from_row(r: &AnyRow) -> Result<Bulletin, StoreError> {
    let kind: String = r.try_get("kind")?;
    let vis: String = r.try_get("visibility")?;
    Ok(Bulletin {
        id: BulletinId(r.try_get("id")?),
        title: r.try_get("title")?,
        body: r.try_get("body")?,
        kind: BulletinKind::parse(&kind).unwrap_or(BulletinKind::News),
        org: org_ref(r, "o_")?,
        lang: r.try_get("lang")?,
        expires: r.try_get("expires_on")?,
        pinned: r.try_get::<i64, _>("pinned")? != 0,
        visibility: Visibility::parse(&vis).unwrap_or(Visibility::Coordinators),
        author: r.try_get("author_email")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn select() -> String {
    format!(
        "SELECT b.*, {} FROM bulletins b LEFT JOIN organisations o ON o.id = b.org_id",
        org_cols("o", "o_")
    )
}

impl Store {
    /// Post a bulletin.
    pub async fn create_bulletin(&self, d: &BulletinDraft) -> Result<BulletinId, StoreError> {
        let mut tx = self.writer().begin().await?;
        let t = now();
        let r = sqlx::query(
            "INSERT INTO bulletins (title, body, kind, org_id, lang, expires_on, pinned, visibility, author_email, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.body.clone())
        .bind(d.kind.code())
        .bind(d.org.map(|o| o.0))
        .bind(d.lang.code())
        .bind(d.expires.as_ref().map(|e| e.as_str().to_string()))
        .bind(i64::from(d.pinned))
        .bind(d.visibility.code())
        .bind(self.who().email)
        .bind(t)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        // an alert reaches every member and focal point, if they may see it
        if d.kind == BulletinKind::Alert && crate::notifications::reaches_members(d.visibility) {
            let link = format!("/bulletins/{id}");
            crate::notifications::to_members(&mut tx, true, "alert", &link, d.title.as_str())
                .await?;
        }
        if let Some(o) = d.org {
            crate::notifications::to_followers(
                &mut tx,
                d.visibility,
                &[("org", o.0.to_string())],
                &format!("/bulletins/{id}"),
                d.title.as_str(),
            )
            .await?;
        }
        self.audit_row(&mut tx, "create", Table::Bulletins, Key::Int(id), None)
            .await?;
        crate::outbox::record(&mut tx, "bulletin", &id.to_string()).await?;
        tx.commit().await?;
        Ok(BulletinId(id))
    }

    /// Replace a bulletin's fields, if nobody changed it since `version` was read.
    pub async fn update_bulletin(
        &self,
        id: BulletinId,
        version: i64,
        d: &BulletinDraft,
    ) -> Result<i64, StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Bulletins, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let done = sqlx::query(
            "UPDATE bulletins SET title = $1, body = $2, kind = $3, org_id = $4, lang = $5, expires_on = $6, pinned = $7, visibility = $8,
             version = version + 1, updated_at = $9 WHERE id = $10 AND version = $11",
        )
        .bind(d.title.as_str().to_string())
        .bind(d.body.clone())
        .bind(d.kind.code())
        .bind(d.org.map(|o| o.0))
        .bind(d.lang.code())
        .bind(d.expires.as_ref().map(|e| e.as_str().to_string()))
        .bind(i64::from(d.pinned))
        .bind(d.visibility.code())
        .bind(now())
        .bind(id.0)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            let current = before["version"].as_i64().unwrap_or(0);
            return Err(StoreError::Conflict { current });
        }
        self.audit_row(
            &mut tx,
            "update",
            Table::Bulletins,
            Key::Int(id.0),
            Some(before),
        )
        .await?;
        crate::outbox::record(&mut tx, "bulletin", &id.to_string()).await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// Remove a bulletin, if nobody changed it since `version` was read.
    pub async fn delete_bulletin(&self, id: BulletinId, version: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Bulletins, Key::Int(id.0))
            .await?
            .ok_or(StoreError::NotFound)?;
        let current = before["version"].as_i64().unwrap_or(0);
        if current != version {
            return Err(StoreError::Conflict { current });
        }
        sqlx::query("DELETE FROM bulletins WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "delete",
            "bulletin",
            &id.to_string(),
            Some(before),
            None,
        )
        .await?;
        crate::outbox::record(&mut tx, "bulletin", &id.to_string()).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn get_bulletin(&self, id: BulletinId) -> Result<Bulletin, StoreError> {
        let r = sqlx::query(&format!("{} WHERE b.id = $1", select()))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&r)
    }

    /// Bulletins matching `f`: pinned first, then the newest.
    pub async fn list_bulletins(&self, f: &BulletinFilter) -> Result<Vec<Bulletin>, StoreError> {
        let mut q = crate::sql::Sql::new(&format!("{} WHERE 1 = 1", select()));
        if !f.expired {
            q.push(" AND (b.expires_on IS NULL OR b.expires_on >= ")
                .bind(crate::util::today())
                .push(")");
        }
        if let Some(o) = f.org {
            q.push(" AND b.org_id = ").bind(o.0);
        }
        push_visible(&mut q, "b.visibility", &f.visible);
        let limit = if f.limit <= 0 { 200 } else { f.limit.min(5000) };
        q.push(" ORDER BY b.pinned DESC, b.created_at DESC, b.id DESC LIMIT ")
            .bind(limit);
        q.query()
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(from_row)
            .collect()
    }
}
