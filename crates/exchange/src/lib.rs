//! `minbar-exchange`: moving tables in and out of Minbar. HXL-tagged files become domain
//! inputs (with every bad row reported by row, column, value and reason) and the
//! directory becomes HXL-tagged tables. Used by the `minbar import`/`export` commands and
//! by the upload and download pages alike. Files attached to documents are checked and
//! read here too ([`files`]).

pub mod activities;
pub mod areas;
pub mod directory;
pub mod files;
pub mod people;
pub mod policy;

/// One problem with one cell of an imported file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    /// The line in the file (1-based, headers included).
    pub row: usize,
    /// The column as the file names it: header text and hashtag.
    pub column: String,
    /// The value found there.
    pub value: String,
    /// A stable reason code (`email_invalid`, `area_unknown`, …), translated by callers.
    pub code: String,
    /// For an ambiguous value, the codes it could mean.
    pub candidates: Vec<String>,
}

/// What an import did (or, on a dry run or with errors, would have done).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub issues: Vec<RowIssue>,
    pub warnings: Vec<String>,
    /// Row-level warnings that do not stop the import (reached above targeted).
    pub row_warnings: Vec<RowIssue>,
    /// What each accepted row does or would do: (row, adds a record?).
    pub row_changes: Vec<(usize, bool)>,
    /// Columns of an untagged file and the hashtags they were read as.
    pub mapping: Vec<(String, String)>,
    /// Whether anything was committed.
    pub written: bool,
}

impl ImportReport {
    /// Take in what the store did: the rows it refused (each field error placed by
    /// `locate(row, field)` → (column, value)), the counts, whether it wrote.
    pub(crate) fn absorb(
        &mut self,
        outcome: minbar_store::directory::ImportOutcome,
        locate: impl Fn(usize, &str) -> (String, String),
    ) {
        for (row, errors) in outcome.rejected {
            for (field, code) in errors.0 {
                let (column, value) = locate(row, &field);
                self.issues.push(RowIssue {
                    row,
                    column,
                    value,
                    code,
                    candidates: vec![],
                });
            }
        }
        self.issues.sort_by_key(|i| i.row);
        self.row_changes = outcome.changes;
        self.created = outcome.created;
        self.updated = outcome.updated;
        self.written = outcome.written;
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{0}")]
    Hxl(#[from] minbar_hxl::HxlError),
    #[error("{0}")]
    Store(#[from] minbar_store::StoreError),
    /// The file has a hashtag row but none of the columns an import needs.
    #[error("the file has none of the columns needed: {0}")]
    MissingColumns(String),
}
