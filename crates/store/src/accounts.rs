//! Accounts and sessions. Sessions live in the database so that several `minbar serve`
//! processes on one PostgreSQL share them; the cookie carries a random token of which only
//! the SHA-256 hash is stored.

use crate::audit::{Key, Table, Who};
use crate::util::now;
use crate::{Store, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use minbar_core::{Actor, Email, GroupId, OrgId, Password, Role, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

/// How long a session lasts without signing in again.
pub const SESSION_SECONDS: i64 = 14 * 24 * 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub org: Option<OrgId>,
    pub disabled: bool,
    /// Signs in with a code from an authenticator app as well as the password.
    pub two_factor: bool,
    /// The named groups the account belongs to (filled where it matters: sessions and
    /// tokens).
    pub groups: Vec<GroupId>,
}

impl User {
    pub fn actor(&self) -> Actor {
        Actor {
            user: Some(self.id),
            role: self.role,
            org: self.org,
            groups: self.groups.clone(),
        }
    }
}

/// A signed-in session: who, and the token forms must echo back (CSRF).
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    /// A name for the session that is not its secret: the first 12 hex digits of the
    /// token's hash. Audit entries and the sessions page use it.
    pub id: String,
    /// The account's role must use two-factor sign-in and it has not set it up yet:
    /// nothing but setting it up is allowed.
    pub must_enroll: bool,
}

impl Session {
    /// Who writes through this session, for the audit trail.
    pub fn who(&self) -> Who {
        Who {
            user: Some(self.user.id),
            email: self.user.email.clone(),
            org: self.user.org,
            via: format!("session:{}", self.id),
        }
    }
}

/// Where a sign-in comes from: for throttling and for the sessions page.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    pub address: String,
    pub user_agent: String,
}

/// What a sign-in attempt gets.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// The cookie token (shown once) and the new session.
    Opened(String, Session),
    /// Unknown account, wrong password or disabled account: one answer for all three.
    Refused,
    /// Too many failures lately for this account or address: try again after so many
    /// seconds. The password was not even checked.
    Throttled { retry_after: i64 },
    /// The password was right and the account uses two-factor sign-in: the challenge
    /// (shown once, good for five minutes) goes with the code to
    /// [`Store::finish_sign_in`].
    NeedsCode(String),
}

/// How long the code step of a sign-in may take.
pub const CHALLENGE_SECONDS: i64 = 300;

/// A session as its owner sees it on the sessions page.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub id: String,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub expires_at: i64,
    pub address: String,
    pub user_agent: String,
}

/// What a personal API token allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenScope {
    /// GET only.
    Read,
    /// Everything the owner may do.
    Write,
}

impl TokenScope {
    pub fn code(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }
    pub fn parse(s: &str) -> Option<TokenScope> {
        match s.trim() {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// A personal API token as listed (never its secret).
#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked: bool,
}

/// The caller behind an API token.
#[derive(Debug, Clone)]
pub struct TokenUser {
    pub user: User,
    pub token_id: i64,
    pub scope: TokenScope,
}

impl TokenUser {
    pub fn who(&self) -> Who {
        Who {
            user: Some(self.user.id),
            email: self.user.email.clone(),
            org: self.user.org,
            via: format!("token:{}", self.token_id),
        }
    }
}

/// How long an invitation link stays good.
pub const INVITATION_SECONDS: i64 = 7 * 24 * 3600;
/// How long a password-reset link stays good.
pub const RESET_SECONDS: i64 = 3600;

/// An invitation that has not been used yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub email: String,
    pub role: Role,
    pub org: Option<OrgId>,
    /// The language the invitation was written in (`ar`, `en`, `tr`).
    pub lang: String,
    pub expires_at: i64,
}

/// Failures within this many seconds count towards throttling.
pub const THROTTLE_WINDOW: i64 = 15 * 60;
/// Failures an account may have in the window before each attempt waits.
pub const FREE_FAILURES_ACCOUNT: i64 = 5;
/// Failures an address may have in the window (a shared office uplink) before waiting.
pub const FREE_FAILURES_ADDRESS: i64 = 20;
/// The longest wait between attempts.
pub const MAX_WAIT: i64 = 15 * 60;

/// The wait after `failures` failures, the last at `last`, when `free` are allowed: it
/// doubles with each failure past the free ones, from 1 second up to [`MAX_WAIT`].
/// Times are whole seconds, so the last failure may have come up to a second after
/// `last`: the wait counts from the end of that second and is never shorter than said.
/// (Counted from its start, an attempt made milliseconds after the fifth failure but in
/// the next second was let through: a story test failed that way under load.)
pub fn throttle_wait(failures: i64, free: i64, last: i64, now: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let wait = 1i64 << (failures - free).min(20);
    (last + 1 + wait.min(MAX_WAIT) - now).clamp(0, MAX_WAIT)
}

pub(crate) fn random_token() -> String {
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
        two_factor: r.try_get::<i64, _>("totp_enabled")? != 0,
        groups: Vec::new(),
    })
}

/// The time step `code` matches under the row's `totp_secret`, when it is newer than the
/// row's `totp_last_step` (a code is never taken twice).
fn fresh_step(r: &sqlx::any::AnyRow, code: &str, now: i64) -> Result<Option<i64>, StoreError> {
    let secret = r
        .try_get::<Option<String>, _>("totp_secret")?
        .and_then(|s| minbar_core::totp::from_base32(&s))
        .unwrap_or_default();
    let last: i64 = r.try_get("totp_last_step")?;
    Ok(minbar_core::totp::verify(&secret, code, now).filter(|s| *s > last))
}

/// Take a time step for a user, unless a later or the same one was taken already (by a
/// concurrent sign-in with the same code).
const TAKE_STEP: &str =
    "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1";

/// Roles as stored in a setting: codes separated by commas.
fn roles_of(s: &str) -> Vec<Role> {
    s.split(',').filter_map(|r| Role::parse(r).ok()).collect()
}

const USER_COLUMNS: &str = "id, email, role, org_id, disabled, totp_enabled";

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
        let hash = hash_blocking(password).await?;
        let mut tx = self.writer().begin().await?;
        let id = self
            .create_user_in(&mut tx, email.as_str(), &email.key(), &hash, role, org)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn create_user_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        email: &str,
        email_key: &str,
        hash: &str,
        role: Role,
        org: Option<OrgId>,
    ) -> Result<UserId, StoreError> {
        let r = sqlx::query(
            "INSERT INTO users (email, email_key, password_hash, role, org_id, disabled, version, created_at)
             VALUES ($1, $2, $3, $4, $5, 0, 1, $6) RETURNING id",
        )
        .bind(email.to_string())
        .bind(email_key.to_string())
        .bind(hash.to_string())
        .bind(role.code())
        .bind(org.map(|o| o.0))
        .bind(now())
        .fetch_one(&mut **tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::invalid("email", "email_taken"),
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::invalid("org", "org_unknown"),
            _ => StoreError::Db(e),
        })?;
        let id = UserId(r.try_get("id")?);
        self.audit_row(tx, "create", Table::Users, Key::Int(id.0), None)
            .await?;
        Ok(id)
    }

    // ------------------------------------------------ invitations and password resets

    /// Invite `email` to an account with `role` (in `org`). Returns the invitation's id
    /// and its secret token (for the link; stored only as a hash). `compose` turns the
    /// token into the e-mail to send (subject, body), queued in the same transaction;
    /// `None` sends nothing (no mail server configured: the inviter passes the link on).
    pub async fn invite(
        &self,
        email: &Email,
        role: Role,
        org: Option<OrgId>,
        lang: &str,
        compose: impl FnOnce(&str) -> Option<(String, String)>,
    ) -> Result<(i64, String), StoreError> {
        if matches!(role, Role::FocalPoint | Role::Member) && org.is_none() {
            return Err(StoreError::invalid("org", "org_required_for_role"));
        }
        if self.find_user(email.as_str()).await?.is_some() {
            return Err(StoreError::invalid("email", "email_taken"));
        }
        let token = random_token();
        let t = now();
        let who = self.who();
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query(
            "INSERT INTO invitations (token_hash, email, email_key, role, org_id, lang, invited_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(hash_token(&token))
        .bind(email.as_str())
        .bind(email.key())
        .bind(role.code())
        .bind(org.map(|o| o.0))
        .bind(lang.to_string())
        .bind(who.user.map(|u| u.0))
        .bind(t)
        .bind(t + INVITATION_SECONDS)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::invalid("org", "org_unknown")
            }
            _ => StoreError::Db(e),
        })?;
        let id: i64 = r.try_get("id")?;
        let detail = serde_json::json!({
            "email": email.as_str(), "role": role.code(), "org_id": org.map(|o| o.0),
        });
        self.audit(
            &mut tx,
            "invite",
            "invitation",
            &id.to_string(),
            None,
            Some(detail),
        )
        .await?;
        if let Some((subject, body)) = compose(&token) {
            crate::mail::queue_in(&mut tx, email.as_str(), &subject, &body).await?;
        }
        tx.commit().await?;
        Ok((id, token))
    }

    /// The invitation behind a token, if it is still good (not used, not expired).
    pub async fn invitation(&self, token: &str) -> Result<Option<Invitation>, StoreError> {
        let row = sqlx::query(
            "SELECT id, email, role, org_id, lang, expires_at FROM invitations
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(self.reader())
        .await?;
        row.map(|r| {
            let role: String = r.try_get("role")?;
            Ok(Invitation {
                id: r.try_get("id")?,
                email: r.try_get("email")?,
                role: Role::parse(&role)
                    .map_err(|_| StoreError::Other(format!("bad role {role}")))?,
                org: r.try_get::<Option<i64>, _>("org_id")?.map(OrgId),
                lang: r.try_get("lang")?,
                expires_at: r.try_get("expires_at")?,
            })
        })
        .transpose()
    }

    /// Use an invitation: the account is created with the password its owner chose, and
    /// the token can never be used again. NotFound when it is unknown, used or expired.
    pub async fn accept_invitation(
        &self,
        token: &str,
        password: &Password,
    ) -> Result<UserId, StoreError> {
        let hash = hash_blocking(password).await?;
        let mut tx = self.writer().begin().await?;
        let row = sqlx::query(
            "UPDATE invitations SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING id, email, email_key, role, org_id",
        )
        .bind(now())
        .bind(hash_token(token))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let role: String = row.try_get("role")?;
        let role = Role::parse(&role).map_err(|_| StoreError::Other(format!("bad role {role}")))?;
        let id: i64 = row.try_get("id")?;
        let email: String = row.try_get("email")?;
        let acting = self.acting(Who {
            email: email.clone(),
            via: format!("invitation:{id}"),
            ..Who::default()
        });
        let user = acting
            .create_user_in(
                &mut tx,
                &email,
                &row.try_get::<String, _>("email_key")?,
                &hash,
                role,
                row.try_get::<Option<i64>, _>("org_id")?.map(OrgId),
            )
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Start a password reset for `email`. When the address has a live account (and has
    /// not asked three times in the last hour), a single-use link valid for an hour is
    /// made and `compose(token, user)` becomes the e-mail, queued in the same
    /// transaction. The answer says whether a link went, for the operator and tests: a
    /// page must answer the same either way.
    pub async fn request_reset(
        &self,
        email: &str,
        compose: impl FnOnce(&str, &User) -> (String, String),
    ) -> Result<bool, StoreError> {
        let Some(user) = self.find_user(email).await?.filter(|u| !u.disabled) else {
            return Ok(false);
        };
        let t = now();
        let recent: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM password_resets WHERE user_id = $1 AND created_at > $2",
        )
        .bind(user.id.0)
        .bind(t - 3600)
        .fetch_one(self.reader())
        .await?
        .try_get("n")?;
        if recent >= 3 {
            return Ok(false);
        }
        let token = random_token();
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(hash_token(&token))
        .bind(user.id.0)
        .bind(t)
        .bind(t + RESET_SECONDS)
        .execute(&mut *tx)
        .await?;
        let (subject, body) = compose(&token, &user);
        crate::mail::queue_in(&mut tx, &user.email, &subject, &body).await?;
        self.audit(
            &mut tx,
            "request_reset",
            "user",
            &user.id.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Is this reset link still good?
    pub async fn reset_is_live(&self, token: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT user_id FROM password_resets WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now())
        .fetch_optional(self.reader())
        .await?
        .is_some())
    }

    /// Use a reset link: the new password is set, every session of the account ends, and
    /// every other reset link of the account dies. NotFound when the link is unknown,
    /// used or expired.
    pub async fn reset_password(
        &self,
        token: &str,
        password: &Password,
    ) -> Result<UserId, StoreError> {
        let hash = hash_blocking(password).await?;
        let t = now();
        let mut tx = self.writer().begin().await?;
        let row = sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(t)
        .bind(hash_token(token))
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let user: i64 = row.try_get("user_id")?;
        sqlx::query(
            "UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL",
        )
        .bind(t)
        .bind(user)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
            .bind(hash)
            .bind(user)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user)
            .execute(&mut *tx)
            .await?;
        self.acting(Who {
            user: Some(UserId(user)),
            via: "reset_link".into(),
            ..Who::default()
        })
        .audit(
            &mut tx,
            "reset_password",
            "user",
            &user.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(UserId(user))
    }

    /// Seconds to wait before another attempt for this account or address (0: go ahead).
    async fn throttled(&self, account: &str, address: &str) -> Result<i64, StoreError> {
        let t = now();
        let mut wait = 0;
        for (key, free) in [
            (format!("account:{account}"), FREE_FAILURES_ACCOUNT),
            (format!("address:{address}"), FREE_FAILURES_ADDRESS),
        ] {
            let r = sqlx::query(
                "SELECT COUNT(*) AS n, COALESCE(MAX(at), 0) AS last FROM sign_in_failures WHERE key = $1 AND at > $2",
            )
            .bind(key)
            .bind(t - THROTTLE_WINDOW)
            .fetch_one(self.reader())
            .await?;
            let n: i64 = r.try_get("n")?;
            let last: i64 = r.try_get("last")?;
            wait = wait.max(throttle_wait(n, free, last, t));
        }
        Ok(wait)
    }

    /// Check a password and open a session. Unknown account, wrong password and disabled
    /// account all answer [`SignIn::Refused`], after the same work; too many recent
    /// failures for the account or the address answer [`SignIn::Throttled`] without
    /// checking anything.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
        origin: &Origin,
    ) -> Result<SignIn, StoreError> {
        let key = email.trim().to_ascii_lowercase();
        let wait = self.throttled(&key, &origin.address).await?;
        if wait > 0 {
            return Ok(SignIn::Throttled { retry_after: wait });
        }
        let row = sqlx::query(
            "SELECT id, email, role, org_id, disabled, totp_enabled, password_hash FROM users WHERE email_key = $1",
        )
        .bind(key.clone())
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
            self.record_failure(&key, &origin.address).await?;
            return Ok(SignIn::Refused);
        };
        if user.two_factor {
            // the password was right; the code comes next, within five minutes
            let challenge = random_token();
            let t = now();
            sqlx::query(
                "INSERT INTO mfa_challenges (token_hash, user_id, created_at, expires_at, attempts) VALUES ($1, $2, $3, $4, 0)",
            )
            .bind(hash_token(&challenge))
            .bind(user.id.0)
            .bind(t)
            .bind(t + CHALLENGE_SECONDS)
            .execute(self.writer())
            .await?;
            return Ok(SignIn::NeedsCode(challenge));
        }
        self.open_session(user, origin).await
    }

    async fn record_failure(&self, account: &str, address: &str) -> Result<(), StoreError> {
        let t = now();
        let mut tx = self.writer().begin().await?;
        for k in [format!("account:{account}"), format!("address:{address}")] {
            sqlx::query("INSERT INTO sign_in_failures (key, at) VALUES ($1, $2)")
                .bind(k)
                .bind(t)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(t - THROTTLE_WINDOW)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The second step of signing in: the code from the authenticator app, for the
    /// challenge the password step gave. Five wrong codes end the challenge; each counts
    /// towards the account's throttling; a code is never accepted twice.
    pub async fn finish_sign_in(
        &self,
        challenge: &str,
        code: &str,
        origin: &Origin,
    ) -> Result<SignIn, StoreError> {
        let t = now();
        let row = sqlx::query(
            "SELECT c.attempts, u.id, u.email, u.role, u.org_id, u.disabled, u.totp_enabled, u.totp_secret, u.totp_last_step
             FROM mfa_challenges c JOIN users u ON u.id = c.user_id
             WHERE c.token_hash = $1 AND c.expires_at > $2",
        )
        .bind(hash_token(challenge))
        .bind(t)
        .fetch_optional(self.reader())
        .await?;
        let Some(r) = row else {
            return Ok(SignIn::Refused);
        };
        let user = user_from_row(&r)?;
        let key = user.email.to_ascii_lowercase();
        let wait = self.throttled(&key, &origin.address).await?;
        if wait > 0 {
            return Ok(SignIn::Throttled { retry_after: wait });
        }
        let step = fresh_step(&r, code, t)?;
        let Some(step) = step.filter(|_| !user.disabled && user.two_factor) else {
            let attempts: i64 = r.try_get("attempts")?;
            if attempts + 1 >= 5 {
                sqlx::query("DELETE FROM mfa_challenges WHERE token_hash = $1")
                    .bind(hash_token(challenge))
                    .execute(self.writer())
                    .await?;
            } else {
                sqlx::query(
                    "UPDATE mfa_challenges SET attempts = attempts + 1 WHERE token_hash = $1",
                )
                .bind(hash_token(challenge))
                .execute(self.writer())
                .await?;
            }
            self.record_failure(&key, &origin.address).await?;
            return Ok(SignIn::Refused);
        };
        let mut tx = self.writer().begin().await?;
        let taken = sqlx::query(TAKE_STEP)
            .bind(step)
            .bind(user.id.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM mfa_challenges WHERE token_hash = $1 OR expires_at <= $2")
            .bind(hash_token(challenge))
            .bind(t)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        if taken.rows_affected() == 0 {
            return Ok(SignIn::Refused); // the same code, used a moment ago elsewhere
        }
        self.open_session(user, origin).await
    }

    /// Is this sign-in challenge still waiting for its code?
    pub async fn challenge_is_live(&self, challenge: &str) -> Result<bool, StoreError> {
        Ok(sqlx::query(
            "SELECT user_id FROM mfa_challenges WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(hash_token(challenge))
        .bind(now())
        .fetch_optional(self.reader())
        .await?
        .is_some())
    }

    async fn open_session(&self, user: User, origin: &Origin) -> Result<SignIn, StoreError> {
        let key = user.email.to_ascii_lowercase();
        let t = now();
        let token = random_token();
        let csrf = random_token();
        let hashed = hash_token(&token);
        let must_enroll = !user.two_factor && self.two_factor_roles().await?.contains(&user.role);
        let session = Session {
            user,
            csrf: csrf.clone(),
            id: hashed[..12].to_string(),
            must_enroll,
        };
        let mut tx = self.writer().begin().await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, user_agent, address, last_seen_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $4)",
        )
        .bind(hashed)
        .bind(session.user.id.0)
        .bind(csrf)
        .bind(t)
        .bind(t + SESSION_SECONDS)
        .bind(origin.user_agent.chars().take(300).collect::<String>())
        .bind(origin.address.clone())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
            .bind(format!("account:{key}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND expires_at <= $2")
            .bind(session.user.id.0)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "address": origin.address });
        self.acting(session.who())
            .audit(
                &mut tx,
                "sign_in",
                "user",
                &session.user.id.to_string(),
                None,
                Some(detail),
            )
            .await?;
        tx.commit().await?;
        Ok(SignIn::Opened(token, session))
    }

    /// The live session for a cookie token, if any. Marks it seen (at most every five
    /// minutes, so that reading a page is not a write).
    pub async fn session(&self, token: &str) -> Result<Option<Session>, StoreError> {
        if token.len() != 64 {
            return Ok(None);
        }
        let hashed = hash_token(token);
        let t = now();
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.org_id, u.disabled, u.totp_enabled, s.csrf_token, s.last_seen_at,
                    (SELECT value FROM settings WHERE key = 'two_factor_roles') AS two_factor_roles
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(hashed.clone())
        .bind(t)
        .fetch_optional(self.reader())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let user = user_from_row(&r)?;
        if user.disabled {
            return Ok(None);
        }
        if r.try_get::<i64, _>("last_seen_at")? < t - 300 {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(t)
                .bind(hashed.clone())
                .execute(self.writer())
                .await?;
        }
        let required = r
            .try_get::<Option<String>, _>("two_factor_roles")?
            .map(|s| roles_of(&s))
            .unwrap_or_default();
        let mut user = user;
        user.groups = self.groups_of(user.id).await?;
        Ok(Some(Session {
            must_enroll: !user.two_factor && required.contains(&user.role),
            user,
            csrf: r.try_get("csrf_token")?,
            id: hashed[..12].to_string(),
        }))
    }

    // ------------------------------------------------------- two-factor sign-in

    /// The roles that must sign in with a code (an admin's setting).
    pub async fn two_factor_roles(&self) -> Result<Vec<Role>, StoreError> {
        let v: Option<String> =
            sqlx::query("SELECT value FROM settings WHERE key = 'two_factor_roles'")
                .fetch_optional(self.reader())
                .await?
                .map(|r| r.try_get("value"))
                .transpose()?;
        Ok(v.map(|s| roles_of(&s)).unwrap_or_default())
    }

    /// Require two-factor sign-in of these roles. Accounts of them that have not set it up
    /// can do nothing but set it up from their next request on.
    pub async fn set_two_factor_roles(&self, roles: &[Role]) -> Result<(), StoreError> {
        let before = self.two_factor_roles().await?;
        let value = roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",");
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM settings WHERE key = 'two_factor_roles'")
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES ('two_factor_roles', $1)")
            .bind(value.clone())
            .execute(&mut *tx)
            .await?;
        let codes = |rs: &[Role]| rs.iter().map(|r| r.code()).collect::<Vec<_>>();
        self.audit(
            &mut tx,
            "update",
            "setting",
            "two_factor_roles",
            Some(serde_json::json!(codes(&before))),
            Some(serde_json::json!(codes(roles))),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Start setting up two-factor sign-in: a new secret, kept but not in force until a
    /// code made from it is confirmed. Returns the secret (for the app: base32 or QR).
    pub async fn begin_two_factor(&self, user: UserId) -> Result<Vec<u8>, StoreError> {
        let mut secret = vec![0u8; minbar_core::totp::SECRET_BYTES];
        rand::thread_rng().fill_bytes(&mut secret);
        let done =
            sqlx::query("UPDATE users SET totp_secret = $1 WHERE id = $2 AND totp_enabled = 0")
                .bind(minbar_core::totp::base32(&secret))
                .bind(user.0)
                .execute(self.writer())
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::invalid("code", "two_factor_already_on"));
        }
        Ok(secret)
    }

    /// The secret being set up (not yet in force), to show it again.
    pub async fn pending_two_factor(&self, user: UserId) -> Result<Option<Vec<u8>>, StoreError> {
        let s: Option<String> =
            sqlx::query("SELECT totp_secret FROM users WHERE id = $1 AND totp_enabled = 0")
                .bind(user.0)
                .fetch_optional(self.reader())
                .await?
                .map(|r| r.try_get("totp_secret"))
                .transpose()?
                .flatten();
        Ok(s.and_then(|s| minbar_core::totp::from_base32(&s)))
    }

    /// Put two-factor sign-in in force with a code from the app, which proves the app
    /// has the secret. Refused (`code_wrong`) otherwise.
    pub async fn confirm_two_factor(&self, user: UserId, code: &str) -> Result<(), StoreError> {
        let secret = self
            .pending_two_factor(user)
            .await?
            .ok_or_else(|| StoreError::invalid("code", "two_factor_not_started"))?;
        let step = minbar_core::totp::verify(&secret, code, now())
            .ok_or_else(|| StoreError::invalid("code", "code_wrong"))?;
        let mut tx = self.writer().begin().await?;
        sqlx::query("UPDATE users SET totp_enabled = 1, totp_last_step = $1, version = version + 1 WHERE id = $2")
            .bind(step)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "enable_two_factor",
            "user",
            &user.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Check a code against the account's secret in force (to turn it off, say), taking
    /// the step so the code cannot be used again.
    pub async fn check_code(&self, user: UserId, code: &str) -> Result<bool, StoreError> {
        let r = sqlx::query(
            "SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND totp_enabled = 1",
        )
        .bind(user.0)
        .fetch_optional(self.reader())
        .await?;
        let Some(r) = r else { return Ok(false) };
        let Some(step) = fresh_step(&r, code, now())? else {
            return Ok(false);
        };
        let taken = sqlx::query(TAKE_STEP)
            .bind(step)
            .bind(user.0)
            .execute(self.writer())
            .await?;
        Ok(taken.rows_affected() == 1)
    }

    /// Turn two-factor sign-in off (the owner with a code, or an operator for someone
    /// who lost their phone). Its sessions end.
    pub async fn disable_two_factor(&self, user: UserId) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query(
            "UPDATE users SET totp_enabled = 0, totp_secret = NULL, version = version + 1 WHERE id = $1",
        )
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "disable_two_factor",
            "user",
            &user.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn sign_out(&self, token: &str) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let row = sqlx::query("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
            .bind(hash_token(token))
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(r) = row {
            let user: i64 = r.try_get("user_id")?;
            self.audit(&mut tx, "sign_out", "user", &user.to_string(), None, None)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A user's live sessions, newest first.
    pub async fn sessions_of(&self, user: UserId) -> Result<Vec<SessionInfo>, StoreError> {
        let rows = sqlx::query(
            "SELECT token_hash, created_at, last_seen_at, expires_at, address, user_agent FROM sessions
             WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC",
        )
        .bind(user.0)
        .bind(now())
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let h: String = r.try_get("token_hash")?;
                Ok(SessionInfo {
                    id: h[..12.min(h.len())].to_string(),
                    created_at: r.try_get("created_at")?,
                    last_seen_at: r.try_get("last_seen_at")?,
                    expires_at: r.try_get("expires_at")?,
                    address: r.try_get("address")?,
                    user_agent: r.try_get("user_agent")?,
                })
            })
            .collect()
    }

    /// End one of `user`'s sessions, named by its id. NotFound when it is not theirs.
    pub async fn revoke_session(&self, user: UserId, id: &str) -> Result<(), StoreError> {
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound);
        }
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash LIKE $2")
            .bind(user.0)
            .bind(format!("{id}%"))
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ "session": id });
        self.audit(
            &mut tx,
            "revoke_session",
            "user",
            &user.to_string(),
            None,
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disable or enable an account. Disabling ends all its sessions at once; its API
    /// tokens stop working while it is disabled.
    pub async fn set_disabled(&self, user: UserId, disabled: bool) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Users, Key::Int(user.0)).await?;
        let done =
            sqlx::query("UPDATE users SET disabled = $1, version = version + 1 WHERE id = $2")
                .bind(i64::from(disabled))
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
        }
        self.audit_row(&mut tx, "update", Table::Users, Key::Int(user.0), before)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Change an account's role (and organisation).
    pub async fn set_role(
        &self,
        user: UserId,
        role: Role,
        org: Option<OrgId>,
    ) -> Result<(), StoreError> {
        if matches!(role, Role::FocalPoint | Role::Member) && org.is_none() {
            return Err(StoreError::invalid("org", "org_required_for_role"));
        }
        let mut tx = self.writer().begin().await?;
        let before = Self::snapshot(&mut tx, Table::Users, Key::Int(user.0)).await?;
        let done = sqlx::query(
            "UPDATE users SET role = $1, org_id = $2, version = version + 1 WHERE id = $3",
        )
        .bind(role.code())
        .bind(org.map(|o| o.0))
        .bind(user.0)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::invalid("org", "org_unknown")
            }
            _ => StoreError::Db(e),
        })?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.audit_row(&mut tx, "update", Table::Users, Key::Int(user.0), before)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Set a new password; every session of the account ends (sign in again).
    pub async fn set_password(&self, user: UserId, password: &Password) -> Result<(), StoreError> {
        let hash = hash_blocking(password).await?;
        let mut tx = self.writer().begin().await?;
        let done =
            sqlx::query("UPDATE users SET password_hash = $1, version = version + 1 WHERE id = $2")
                .bind(hash)
                .bind(user.0)
                .execute(&mut *tx)
                .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        self.audit(
            &mut tx,
            "set_password",
            "user",
            &user.to_string(),
            None,
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------ personal API tokens

    /// Create a token for `user`. Returns its id and the secret, which is shown once and
    /// stored only as a hash.
    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        scope: TokenScope,
    ) -> Result<(i64, String), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::invalid("name", "token_name_invalid"));
        }
        let secret = format!("mbr_{}", random_token());
        let mut tx = self.writer().begin().await?;
        let r = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, scope, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user.0)
        .bind(name.to_string())
        .bind(hash_token(&secret))
        .bind(scope.code())
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = r.try_get("id")?;
        let detail = serde_json::json!({ "token": id, "name": name, "scope": scope.code() });
        self.audit(
            &mut tx,
            "create_token",
            "user",
            &user.to_string(),
            None,
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok((id, secret))
    }

    /// The live token behind a secret: not revoked, its account not disabled.
    pub async fn token_user(&self, secret: &str) -> Result<Option<TokenUser>, StoreError> {
        if !secret.starts_with("mbr_") || secret.len() != 68 {
            return Ok(None);
        }
        let row = sqlx::query(
            "SELECT u.id, u.email, u.role, u.org_id, u.disabled, u.totp_enabled, t.id AS token_id, t.scope, t.last_used_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
        )
        .bind(hash_token(secret))
        .fetch_optional(self.reader())
        .await?;
        let Some(r) = row else { return Ok(None) };
        let mut user = user_from_row(&r)?;
        if user.disabled {
            return Ok(None);
        }
        user.groups = self.groups_of(user.id).await?;
        let token_id: i64 = r.try_get("token_id")?;
        let t = now();
        if r.try_get::<Option<i64>, _>("last_used_at")?.unwrap_or(0) < t - 300 {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(t)
                .bind(token_id)
                .execute(self.writer())
                .await?;
        }
        let scope: String = r.try_get("scope")?;
        Ok(Some(TokenUser {
            user,
            token_id,
            scope: TokenScope::parse(&scope).unwrap_or(TokenScope::Read),
        }))
    }

    /// A user's tokens, newest first, revoked ones included.
    pub async fn tokens_of(&self, user: UserId) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(user.0)
        .fetch_all(self.reader())
        .await?;
        rows.iter()
            .map(|r| {
                let scope: String = r.try_get("scope")?;
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    scope: TokenScope::parse(&scope).unwrap_or(TokenScope::Read),
                    created_at: r.try_get("created_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                    revoked: r.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                })
            })
            .collect()
    }

    /// Revoke one of `user`'s tokens. NotFound when it is not theirs.
    pub async fn revoke_token(&self, user: UserId, id: i64) -> Result<(), StoreError> {
        let mut tx = self.writer().begin().await?;
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .bind(user.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let detail = serde_json::json!({ "token": id });
        self.audit(
            &mut tx,
            "revoke_token",
            "user",
            &user.to_string(),
            None,
            Some(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    // ------------------------------------------------------------------- lookups

    pub async fn get_user(&self, id: UserId) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(self.reader())
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn find_user(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users WHERE email_key = $1"
        ))
        .bind(email.trim().to_ascii_lowercase())
        .fetch_optional(self.reader())
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// All accounts, by e-mail.
    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users ORDER BY email_key"
        ))
        .fetch_all(self.reader())
        .await?
        .iter()
        .map(user_from_row)
        .collect()
    }

    pub async fn count_users(&self) -> Result<i64, StoreError> {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM users")
            .fetch_one(self.reader())
            .await?
            .try_get("n")?)
    }
}

async fn hash_blocking(password: &Password) -> Result<String, StoreError> {
    let p = password.clone();
    tokio::task::spawn_blocking(move || hash_password(&p))
        .await
        .map_err(|e| StoreError::Other(e.to_string()))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_after_the_free_failures_and_stop_at_the_cap() {
        assert_eq!(throttle_wait(4, 5, 1000, 1000), 0);
        // a second's wait, counted from the end of the second of the last failure
        assert_eq!(throttle_wait(5, 5, 1000, 1000), 2);
        assert_eq!(
            throttle_wait(5, 5, 1000, 1001),
            1,
            "the next second still waits"
        );
        assert_eq!(throttle_wait(5, 5, 1000, 1002), 0);
        assert_eq!(throttle_wait(8, 5, 1000, 1000), 9);
        assert_eq!(throttle_wait(8, 5, 1000, 1005), 4);
        assert_eq!(throttle_wait(40, 5, 1000, 1000), MAX_WAIT);
        assert_eq!(throttle_wait(40, 5, 1000, 1001 + MAX_WAIT), 0);
    }
}
