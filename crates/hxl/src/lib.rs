//! `minbar-hxl`: the Humanitarian Exchange Language.
//!
//! An HXL table is an ordinary spreadsheet with a row of hashtags (`#org`, `#sector`,
//! `#adm1+code`, `#reached+f+children`) under its header row. This crate parses hashtags
//! and tag patterns ([`tag`]), and reads and writes HXL-tagged CSV ([`csv_io`]), finding
//! the hashtag row the way the reference implementation (libhxl-python) does.
//!
//! ```
//! use minbar_hxl::{csv_io::read_csv, tag::TagPattern};
//! let data = "Organisation,Province\n#org,#adm1+code\nAMAL,SY-ID\n";
//! let table = read_csv(data.as_bytes()).unwrap();
//! let adm1 = TagPattern::parse("adm1+code").unwrap();
//! let col = table.columns.iter().position(|c| c.matches(&adm1)).unwrap();
//! assert_eq!(table.rows[0].values[col], "SY-ID");
//! ```
#![warn(missing_docs)]

pub mod cli;
pub mod csv_io;
pub mod filters;
pub mod json;
pub mod stream;
pub mod table;
pub mod tag;
pub mod validate;
pub mod values;
pub mod xlsx;
mod xlsx_fast;

pub use table::{Column, Row, Table};

/// Read a table from CSV/TSV, Excel or JSON bytes, telling them apart by content.
pub fn read_any(bytes: &[u8], sheet: &xlsx::Sheet) -> Result<Table, HxlError> {
    let first = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if xlsx::is_excel(bytes) {
        xlsx::read_excel(bytes, sheet)
    } else if matches!(first, Some(b'[')) {
        json::read_json(bytes)
    } else {
        csv_io::read_csv(bytes)
    }
}
pub use tag::{Hashtag, TagPattern};

/// The raw rows of a CSV or Excel file (line numbers and cells), whether or not it has a
/// hashtag row: the first step of tagging an untagged file.
pub fn read_rows(bytes: &[u8], sheet: &xlsx::Sheet) -> Result<Vec<(usize, Vec<String>)>, HxlError> {
    if xlsx::is_excel(bytes) {
        xlsx::excel_rows(bytes, sheet)
    } else {
        csv_io::csv_rows(&csv_io::decode(bytes)?)
    }
}

/// What can go wrong reading HXL.
#[derive(Debug, thiserror::Error)]
pub enum HxlError {
    /// No row in the first [`csv_io::HASHTAG_ROW_LIMIT`] rows has hashtags in at least half
    /// of its non-empty cells.
    #[error("no hashtag row found: HXL needs a row of hashtags such as #org,#sector,#adm1+code under the headers, within the first {limit} rows; the file has {rows_seen} row(s)")]
    NoHashtagRow {
        /// how many rows were looked at, at most
        limit: usize,
        /// how many rows the file has (up to `limit`)
        rows_seen: usize,
    },
    /// The input is not valid text in the expected encoding, or not CSV.
    #[error("row {row}: {message}")]
    Parse {
        /// the row (1-based, headers counted) where it went wrong
        row: usize,
        /// what went wrong, for a person
        message: String,
    },
    /// Nothing at all to read.
    #[error("empty file")]
    Empty,
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
