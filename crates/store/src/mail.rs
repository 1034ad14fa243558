//! The outgoing mail queue: a message is queued in the database (in the transaction of
//! whatever caused it, when there is one) and delivered later by whoever sends mail
//! (`minbar-web`'s mailer, from `minbar serve`). It survives restarts; a failed delivery
//! is tried again after 1, 2, 4 … minutes, up to [`MAX_ATTEMPTS`].

use crate::util::now;
use crate::{Store, StoreError};
use sqlx::{Any, Row, Transaction};

/// Delivery attempts before a message is given up (its error is kept).
pub const MAX_ATTEMPTS: i64 = 10;

/// A message waiting to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// The wait before attempt `attempts + 1`, in seconds: a minute, doubling, at most six
/// hours.
pub fn retry_after(attempts: i64) -> i64 {
    (60i64 << attempts.clamp(0, 20)).min(6 * 3600)
}

pub(crate) async fn queue_in(
    tx: &mut Transaction<'static, Any>,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<(), StoreError> {
    let t = now();
    sqlx::query(
        "INSERT INTO mail_queue (to_addr, subject, body, created_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, 0, $4)",
    )
    .bind(to.to_string())
    .bind(subject.to_string())
    .bind(body.to_string())
    .bind(t)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Queue a message on its own.
    pub async fn queue_mail(&self, to: &str, subject: &str, body: &str) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        queue_in(&mut tx, to, subject, body).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Messages due now, oldest first.
    pub async fn due_mail(&self, limit: i64) -> Result<Vec<QueuedMail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, to_addr, subject, body, attempts FROM mail_queue
             WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
        )
        .bind(now())
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(QueuedMail {
                    id: r.try_get("id")?,
                    to: r.try_get("to_addr")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    /// The message went.
    pub async fn mail_sent(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query("UPDATE mail_queue SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
            .bind(now())
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// The message did not go: try again later, or give up after [`MAX_ATTEMPTS`].
    pub async fn mail_failed(&self, m: &QueuedMail, error: &str) -> Result<(), StoreError> {
        let attempts = m.attempts + 1;
        let t = now();
        let failed_at = (attempts >= MAX_ATTEMPTS).then_some(t);
        sqlx::query(
            "UPDATE mail_queue SET attempts = $1, next_attempt_at = $2, failed_at = $3, last_error = $4 WHERE id = $5",
        )
        .bind(attempts)
        .bind(t + retry_after(m.attempts))
        .bind(failed_at)
        .bind(error.chars().take(500).collect::<String>())
        .bind(m.id)
        .execute(self.writer())
        .await?;
        Ok(())
    }

    /// How many messages wait (not sent, not given up).
    pub async fn mail_waiting(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query(
            "SELECT COUNT(*) AS n FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL",
        )
        .fetch_one(self.reader())
        .await?
        .try_get("n")?)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn retries_wait_longer_each_time_up_to_six_hours() {
        assert_eq!(super::retry_after(0), 60);
        assert_eq!(super::retry_after(3), 480);
        assert_eq!(super::retry_after(12), 6 * 3600);
    }
}
