use minbar_core::FieldErrors;

/// What can go wrong in the store. Constraint violations become errors a user can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not_found")]
    NotFound,
    /// The row changed since the caller read it: `current` is its version now.
    #[error("conflict")]
    Conflict { current: i64 },
    /// Input that is well-formed but does not fit the data: a duplicate acronym, an
    /// unknown area code. Keyed by field, like the domain's own errors.
    #[error("invalid: {0}")]
    Invalid(FieldErrors),
    #[error("unsupported database URL (use sqlite://PATH or postgres://…)")]
    UnsupportedUrl,
    #[error("database: {0}")]
    Db(sqlx::Error),
    #[error("{0}")]
    Other(String),
}

/// A reference to something that does not exist (an organisation id no one has) is the
/// caller's mistake, not the server's: wherever a foreign key refuses a write, the caller
/// hears `reference_unknown`.
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> StoreError {
        match &e {
            sqlx::Error::Database(d) if d.is_foreign_key_violation() => {
                StoreError::invalid("reference", "reference_unknown")
            }
            _ => StoreError::Db(e),
        }
    }
}

impl StoreError {
    pub(crate) fn invalid(field: &str, code: &str) -> StoreError {
        StoreError::Invalid(FieldErrors::one(field, code))
    }
}
