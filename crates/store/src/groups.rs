//! Named groups of accounts (a working group, a committee): a record can be made visible
//! to one group (`Visibility::Group`), besides the secretariat.

use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::{GroupId, UserId};
use sqlx::Row;

/// A group as listed: its members' e-mail addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub members: Vec<(UserId, String)>,
}

fn name_key(name: &str) -> String {
    minbar_text::name_key(name)
}

impl Store {
    /// Create a group. Names are unique, compared as names are (Arabic-normalised).
    pub async fn create_group(&self, name: &str) -> Result<GroupId, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid("name", "group_name_invalid"));
        }
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query(
            "INSERT INTO account_groups (name, name_key, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name.to_string())
        .bind(name_key(name))
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                StoreError::invalid("name", "group_name_taken")
            }
            _ => StoreError::Db(e),
        })?;
        let id = GroupId(r.try_get("id")?);
        let after = serde_json::json!({ "name": name });
        self.audit(
            &mut tx,
            "create",
            "group",
            &id.to_string(),
            None,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every group with its members, by name.
    pub async fn list_groups(&self) -> Result<Vec<Group>, StoreError> {
        let rows = sqlx::query("SELECT id, name FROM account_groups ORDER BY name_key")
            .fetch_all(self.reader())
            .await?;
        let members = sqlx::query(
            "SELECT m.group_id, u.id, u.email FROM group_members m JOIN users u ON u.id = m.user_id ORDER BY u.email_key",
        )
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let m = members
                    .iter()
                    .filter(|m| m.try_get::<i64, _>("group_id").ok() == Some(id))
                    .map(|m| Ok((UserId(m.try_get("id")?), m.try_get("email")?)))
                    .collect::<Result<_, StoreError>>()?;
                Ok(Group {
                    id: GroupId(id),
                    name: r.try_get("name")?,
                    members: m,
                })
            })
            .collect()
    }

    /// The groups an account belongs to.
    pub async fn groups_of(&self, user: UserId) -> Result<Vec<GroupId>, StoreError> {
        sqlx::query("SELECT group_id FROM group_members WHERE user_id = $1 ORDER BY group_id")
            .bind(user.0)
            .fetch_all(self.reader())
            .await?
            .iter()
            .map(|r| Ok(GroupId(r.try_get("group_id")?)))
            .collect()
    }

    /// Put an account in a group (nothing happens if it is there already).
    pub async fn add_to_group(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let there =
            sqlx::query("SELECT 1 AS x FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(group.0)
                .bind(user.0)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        if !there {
            sqlx::query("INSERT INTO group_members (group_id, user_id) VALUES ($1, $2)")
                .bind(group.0)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
            let after = serde_json::json!({ "user_id": user.0 });
            self.audit(
                &mut tx,
                "add_member",
                "group",
                &group.to_string(),
                None,
                Some(after),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Take an account out of a group.
    pub async fn remove_from_group(&self, group: GroupId, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
            .bind(group.0)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let before = serde_json::json!({ "user_id": user.0 });
        self.audit(
            &mut tx,
            "remove_member",
            "group",
            &group.to_string(),
            Some(before),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
