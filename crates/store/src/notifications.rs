//! In-app notifications: a line for each account that something concerns (an action
//! item for its organisation, a proposal waiting for its organisation's answer, an alert),
//! written in the transaction of what caused it, read or not.
//!
//! Who is told follows visibility: only records shown to the public, partners or members
//! notify (those reach every member and focal point); records for the secretariat or a
//! group stay silent here.

use crate::util::now;
use crate::{Store, StoreError};
use minbar_core::{FieldErrors, UserId, Visibility};
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

/// The kinds of notification an account may mute.
pub const KINDS: &[&str] = &[
    "action_item",
    "proposal",
    "alert",
    "expertise",
    "follow",
    "mention",
];

/// Kinds mailed at once (assignments, an accepted offer); the others wait for the digest.
pub const IMMEDIATE: &[&str] = &["action_item", "expertise"];

/// What one may follow: a sector, an area, a policy topic or an organisation.
pub const FOLLOW_KINDS: &[&str] = &["sector", "area", "topic", "org"];

fn not_muted(kind: &str) -> String {
    format!("%,{kind},%")
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
         SELECT id, $1, $2, $3, $4 FROM users WHERE org_id = $5 AND disabled = 0 AND role IN ('focal_point', 'member')
         AND muted NOT LIKE $6",
    )
    .bind(kind)
    .bind(link)
    .bind(title)
    .bind(now())
    .bind(org)
    .bind(not_muted(kind))
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
         WHERE u.disabled = 0 AND u.role IN {roles} AND o.membership_status = 'member' AND u.muted NOT LIKE $5"
    ))
    .bind(kind)
    .bind(link)
    .bind(title)
    .bind(now())
    .bind(not_muted(kind))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Tell the accounts that follow any of `targets` ((kind, value): a sector, an area, a
/// topic, an organisation) of a new record, if they may see it (`visibility` checked
/// per role, and group membership for a group's records). Once per account.
pub(crate) async fn to_followers(
    tx: &mut Transaction<'static, Any>,
    visibility: Visibility,
    targets: &[(&str, String)],
    link: &str,
    title: &str,
) -> Result<(), StoreError> {
    if targets.is_empty() {
        return Ok(());
    }
    let mut q = audience("follow", visibility, link, title);
    q.push(" AND u.id IN (SELECT user_id FROM follows WHERE 1 = 0");
    for (kind, value) in targets {
        q.push(" OR (kind = ")
            .bind(kind.to_string())
            .push(" AND value = ")
            .bind(value.clone())
            .push(")");
    }
    q.push(")");
    q.query().execute(&mut **tx).await?;
    Ok(())
}

/// The start of an insert of `kind` notifications for the accounts that may see a record
/// with `visibility` (by role, and group membership for a group's records) and have not
/// muted `kind`; callers add which of them it concerns.
fn audience(kind: &str, visibility: Visibility, link: &str, title: &str) -> crate::sql::Sql {
    let roles: Vec<&str> = minbar_core::Role::ALL
        .into_iter()
        .filter(|r| {
            minbar_core::Actor {
                user: None,
                role: *r,
                org: None,
                groups: vec![],
            }
            .may_see(visibility)
        })
        .map(|r| r.code())
        .collect();
    let mut q = crate::sql::Sql::new(
        "INSERT INTO notifications (user_id, kind, link, title, created_at) SELECT u.id, ",
    );
    q.bind(kind.to_string())
        .push(", ")
        .bind(link.to_string())
        .push(", ")
        .bind(title.to_string())
        .push(", ")
        .bind(now())
        .push(" FROM users u WHERE u.disabled = 0 AND u.muted NOT LIKE ")
        .bind(not_muted(kind))
        .push(" AND (u.role IN ('-'");
    for r in &roles {
        q.push(", ").bind(r.to_string());
    }
    q.push(")");
    if let Visibility::Group(g) = visibility {
        q.push(" OR u.id IN (SELECT user_id FROM group_members WHERE group_id = ")
            .bind(g.0)
            .push(")");
    }
    q.push(")");
    q
}

/// An account's preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Preferences {
    /// ar, en or tr: the language of its e-mail.
    pub lang: String,
    /// daily, weekly or none.
    pub digest: String,
    /// Kinds it does not want ([`KINDS`]).
    pub muted: Vec<String>,
    /// (kind, value) pairs it follows ([`FOLLOW_KINDS`]).
    pub follows: Vec<(String, String)>,
}

/// One e-mail to write: to whom, in which language, about which notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailDue {
    pub user: UserId,
    pub email: String,
    pub lang: String,
    /// Mailed at once (assignments) rather than in a digest.
    pub immediate: bool,
    pub items: Vec<Notification>,
}

fn notification(r: &sqlx::any::AnyRow) -> Result<Notification, StoreError> {
    Ok(Notification {
        id: r.try_get("id")?,
        kind: r.try_get("kind")?,
        link: r.try_get("link")?,
        title: r.try_get("title")?,
        created_at: r.try_get("created_at")?,
        read: r.try_get::<Option<i64>, _>("read_at")?.is_some(),
    })
}

impl Store {
    /// Tell the accounts a text mentions, once per account and place: the focal points and
    /// members of each mentioned organisation, and the account whose address is a
    /// mentioned person's; only those who may see the record (`visibility`).
    pub async fn notify_mentions(
        &self,
        visibility: Visibility,
        orgs: &[i64],
        people: &[i64],
        link: &str,
        title: &str,
    ) -> Result<u64, StoreError> {
        if orgs.is_empty() && people.is_empty() {
            return Ok(0);
        }
        let mut q = audience("mention", visibility, link, title);
        q.push(" AND ((u.role IN ('focal_point', 'member') AND u.org_id IN (0");
        for o in orgs {
            q.push(", ").bind(*o);
        }
        q.push(")) OR u.email_key IN (SELECT LOWER(email) FROM people WHERE email IS NOT NULL AND id IN (0");
        for p in people {
            q.push(", ").bind(*p);
        }
        q.push(")))");
        q.push(" AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = u.id AND n.kind = 'mention' AND n.link = ")
            .bind(link.to_string())
            .push(")");
        Ok(q.query().execute(self.writer()).await?.rows_affected())
    }

    pub async fn preferences(&self, user: UserId) -> Result<Preferences, StoreError> {
        let r = sqlx::query("SELECT lang, digest, muted FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(self.reader())
            .await?
            .ok_or(StoreError::NotFound)?;
        let muted: String = r.try_get("muted")?;
        let follows =
            sqlx::query("SELECT kind, value FROM follows WHERE user_id = $1 ORDER BY kind, value")
                .bind(user.0)
                .fetch_all(self.reader())
                .await?
                .iter()
                .map(|r| Ok((r.try_get("kind")?, r.try_get("value")?)))
                .collect::<Result<_, StoreError>>()?;
        Ok(Preferences {
            lang: r.try_get("lang")?,
            digest: r.try_get("digest")?,
            muted: muted
                .split(',')
                .filter(|m| !m.is_empty())
                .map(String::from)
                .collect(),
            follows,
        })
    }

    /// Replace an account's preferences (checked: known languages, digests, kinds).
    pub async fn set_preferences(&self, user: UserId, p: &Preferences) -> Result<(), StoreError> {
        let bad = |f: &str, c: &str| Err(StoreError::Invalid(FieldErrors::one(f, c)));
        if minbar_core::Lang::parse(&p.lang).is_none() {
            return bad("lang", "lang_invalid");
        }
        if !matches!(p.digest.as_str(), "daily" | "weekly" | "none") {
            return bad("digest", "digest_invalid");
        }
        if p.muted.iter().any(|m| !KINDS.contains(&m.as_str())) {
            return bad("muted", "kind_invalid");
        }
        if p.follows.len() > 200
            || p.follows
                .iter()
                .any(|(k, v)| !FOLLOW_KINDS.contains(&k.as_str()) || v.is_empty() || v.len() > 100)
        {
            return bad("follows", "kind_invalid");
        }
        let mut tx = self.writer().begin().await?;
        let before = self.preferences(user).await?;
        sqlx::query("UPDATE users SET lang = $1, digest = $2, muted = $3 WHERE id = $4")
            .bind(p.lang.clone())
            .bind(p.digest.clone())
            .bind(format!(",{},", p.muted.join(",")))
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM follows WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        for (k, v) in &p.follows {
            if seen.insert((k.clone(), v.clone())) {
                sqlx::query("INSERT INTO follows (user_id, kind, value) VALUES ($1, $2, $3)")
                    .bind(user.0)
                    .bind(k.clone())
                    .bind(v.clone())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        self.audit(
            &mut tx,
            "preferences",
            "user",
            &user.to_string(),
            serde_json::to_value(&before).ok(),
            serde_json::to_value(p).ok(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The e-mail due at `now`: each account's unmailed, unread notifications of the
    /// immediate kinds, and, for accounts whose daily or weekly digest is due, the others.
    /// Nothing new, no e-mail.
    pub async fn mail_due(&self, now: i64) -> Result<Vec<MailDue>, StoreError> {
        let rows = sqlx::query(
            "SELECT n.id, n.kind, n.link, n.title, n.created_at, n.read_at, n.user_id, u.email, u.lang, u.digest, u.digest_sent_at
             FROM notifications n JOIN users u ON u.id = n.user_id
             WHERE n.mailed_at IS NULL AND n.read_at IS NULL AND u.disabled = 0
             ORDER BY n.user_id, n.id",
        )
        .fetch_all(self.reader())
        .await?;
        let mut out: Vec<MailDue> = Vec::new();
        for r in &rows {
            let n = notification(r)?;
            let immediate = IMMEDIATE.contains(&n.kind.as_str());
            if !immediate {
                let digest: String = r.try_get("digest")?;
                let last: Option<i64> = r.try_get("digest_sent_at")?;
                let period = match digest.as_str() {
                    "daily" => 86_400,
                    "weekly" => 7 * 86_400,
                    _ => continue,
                };
                if last.is_some_and(|l| now - l < period) {
                    continue;
                }
            }
            let user = UserId(r.try_get("user_id")?);
            match out
                .iter_mut()
                .find(|m| m.user == user && m.immediate == immediate)
            {
                Some(m) => m.items.push(n),
                None => out.push(MailDue {
                    user,
                    email: r.try_get("email")?,
                    lang: r.try_get("lang")?,
                    immediate,
                    items: vec![n],
                }),
            }
        }
        Ok(out)
    }

    /// Queue the e-mail for `due` and mark its notifications mailed, in one transaction
    /// (so nothing is mailed twice, and nothing lost if the server stops); a digest also
    /// moves the account's digest time on.
    pub async fn queue_notification_mail(
        &self,
        due: &MailDue,
        subject: &str,
        body: &str,
        now: i64,
    ) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        crate::mail::queue_in(&mut tx, &due.email, subject, body).await?;
        for n in &due.items {
            sqlx::query("UPDATE notifications SET mailed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(n.id)
                .execute(&mut *tx)
                .await?;
        }
        if !due.immediate {
            sqlx::query("UPDATE users SET digest_sent_at = $1 WHERE id = $2")
                .bind(now)
                .bind(due.user.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

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
