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
    Db(#[from] sqlx::Error),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    pub(crate) fn invalid(field: &str, code: &str) -> StoreError {
        let mut e = FieldErrors::default();
        e.push(field, code);
        StoreError::Invalid(e)
    }
}
