//! Accounts and sessions. Sessions live in the database so that several `minbar serve`
//! processes on one PostgreSQL share them; the cookie carries a random token of which only
//! the SHA-256 hash is stored.

use crate::util::now;
use crate::{Store, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use minbar_core::{Actor, Email, OrgId, Password, Role, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// How long a session lasts without signing in again.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub org: Option<OrgId>,
    pub disabled: bool,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.id),
            role: self.role,
            org: self.org,
        }
    }
}

/// A signed-in session: who, and the token forms must echo back (CSRF).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

fn hash_token(t: &str) -> String {
    hex::encode(Sha256::digest(t.as_bytes()))
}

/// Hash a password with argon2id (the crate's default parameters).
pub fn hash_password(p: &Password) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(p.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StoreError::Other(format!("hashing: {e}")))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the account does not exist, so that an unknown e-mail
/// takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| {
        hash_password(&Password::parse("not-a-real-password-at-all").expect("long enough"))
            .unwrap_or_default()
    })
}

fn user_from_row(r: &sqlx::any::AnyRow) -> Result<User, StoreError> {
    let role: String = r.try_get("role")?;
    Ok(User {
        id: UserId(r.try_get("id")?),
        email: r.try_get("email")?,
        role: Role::parse(&role).map_err(|_| StoreError::Other(format!("bad role {role}")))?,
        org: r.try_get::<Option<i64>, _>("org_id")?.map(OrgId),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

impl Store {
    /// Create an account. A focal point or member must belong to an organisation.
    pub async fn create_user(
        &self,
        email: &Email,
        password: &Password,
        role: Role,
        org: Option<OrgId>,
    ) -> Result<UserId, StoreError> {
        if matches!(role, Role::FocalPoint | Role::Member) && org.is_none() {
            return Err(StoreError::invalid("org", "org_required_for_role"));
        }
        let p = password.clone();
        let hash = tokio::task::spawn_blocking(move || hash_password(&p))
            .await
            .map_err(|e| StoreError::Other(e.to_string()))??;
        let r = sqlx::query(
            "INSERT INTO users (email, email_key, password_hash, role, org_id, disabled, version, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, 1, $6) RETURNING id",
        )
        .bind(email.as_str())
        .bind(email.key())
        .bind(hash)
        .bind(role.code())
        .bind(org.map(|o| o.0))
        .bind(now())
        .fetch_one(self.writer())
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::invalid("email", "email_taken"),
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::invalid("org", "org_unknown"),
            _ => StoreError::Db(e),
        })?;
        Ok(UserId(r.try_get("id")?))
    }

    /// Check a password and open a session. Unknown account, wrong password and disabled
    /// account all answer `None`, after the same work.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<(String, Session)>, StoreError> {
        let key = email.trim().to_ascii_lowercase();
        let row = sqlx::query("SELECT id, email, role, org_id, disabled, password_hash FROM users WHERE email_key = $1")
            .bind(key)
            .fetch_optional(self.reader())
            .await?;
        let (user, hash) = match &row {
            Some(r) => (
                Some(user_from_row(r)?),
                r.try_get::<String, _>("password_hash")?,
            ),
            None => (None, dummy_hash().to_string()),
        };
        let pw = password.to_string();
        let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &pw))
            .await
            .map_err(|e| StoreError::Other(e.to_string()))?;
        let Some(user) = user.filter(|u| ok && !u.disabled) else {
            return Ok(None);
        };
        let token = random_token();
        let csrf = random_token();
        let t = now();
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash_token(&token))
            .bind(user.id.0)
            .bind(csrf.clone())
            .bind(t)
            .bind(t + SESSION_SECONDS)
            .execute(self.writer())
            .await?;
        Ok(Some((token, Session { user, csrf })))
    }

    /// The live session for a cookie token, if any.
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.org_id, u.disabled, s.csrf_token FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(self.reader())
        .await?;
        match row {
            Some(r) => {
                let user = user_from_row(&r)?;
                if user.disabled {
                    return Ok(None);
                }
                Ok(Some(Session {
                    user,
                    csrf: r.try_get("csrf_token")?,
                }))
            }
            None => Ok(None),
        }
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash_token(token))
            .execute(self.writer())
            .await?;
        Ok(())
    }

    pub async fn find_user(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row =
            sqlx::query("SELECT id, email, role, org_id, disabled FROM users WHERE email_key = $1")
                .bind(email.trim().to_ascii_lowercase())
                .fetch_optional(self.reader())
                .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.reader())
            .await?
            .try_get("n")?)
    }
}
