//! The outbox: every change the search index must follow, written in the same transaction
//! as the change itself, so the index never misses one.

use crate::util::now;
use crate::{Store, StoreError};
use sqlx::{Any, Row, Transaction};

/// What changed: an entity kind (`organisation`, `person`, `sector`, `area`) and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub seq: i64,
    pub entity: String,
    pub entity_id: String,
}

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    entity: &str,
    entity_id: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO outbox (entity, entity_id, created_at) VALUES ($1, $2, $3)")
        .bind(entity)
        .bind(entity_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Store {
    /// Changes after `cursor`, oldest first, at most `limit`.
    pub async fn changes_since(&self, cursor: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, entity, entity_id FROM outbox WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(cursor)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Change {
                    seq: r.try_get("id")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                })
            })
            .collect()
    }

    /// Particular changes by number (gaps a reader saw, which may have committed since).
    pub async fn changes_by_seq(&self, seqs: &[i64]) -> Result<Vec<Change>, StoreError> {
        if seqs.is_empty() {
            return Ok(vec![]);
        }
        let mut q = crate::sql::Sql::new("SELECT id, entity, entity_id FROM outbox WHERE id IN (");
        for (i, s) in seqs.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(*s);
        }
        q.push(")");
        let rows = q.query().fetch_all(self.reader()).await?;
        rows.iter()
            .map(|r| {
                Ok(Change {
                    seq: r.try_get("id")?,
                    entity: r.try_get("entity")?,
                    entity_id: r.try_get("entity_id")?,
                })
            })
            .collect()
    }

    /// The newest change's number (0 when none).
    pub async fn last_change(&self) -> Result<i64, StoreError> {
        let r = sqlx::query("SELECT COALESCE(MAX(id), 0) AS n FROM outbox")
            .fetch_one(self.reader())
            .await?;
        Ok(r.try_get("n")?)
    }
}
