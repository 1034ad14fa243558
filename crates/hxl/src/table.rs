//! A table of HXL data held in memory: columns (header text and hashtag) and rows.

use crate::tag::{Hashtag, TagPattern};

/// One column: its header text (the row above the hashtags) and its hashtag, if tagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: Option<String>,
    pub tag: Option<Hashtag>,
}

impl Column {
    pub fn matches(&self, p: &TagPattern) -> bool {
        self.tag.as_ref().is_some_and(|t| p.matches(t))
    }
}

/// One row of data with its row number in the source (1-based, counting every line,
/// headers included), so that errors point where a spreadsheet user will look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub source_row: usize,
    pub values: Vec<String>,
}

impl Row {
    /// The value in column `i`, or "" where the row is short.
    pub fn get(&self, i: usize) -> &str {
        self.values.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A whole table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// Rows above the header row, kept for faithful output.
    pub preamble: Vec<Vec<String>>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Problems that did not stop reading: malformed hashtags, for instance.
    pub warnings: Vec<String>,
}

impl Table {
    /// The index of the first column matching `pattern`.
    pub fn find(&self, pattern: &TagPattern) -> Option<usize> {
        self.columns.iter().position(|c| c.matches(pattern))
    }

    /// The indexes of every column matching `pattern`.
    pub fn find_all(&self, pattern: &TagPattern) -> Vec<usize> {
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.matches(pattern))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn has_headers(&self) -> bool {
        self.columns
            .iter()
            .any(|c| c.header.as_deref().is_some_and(|h| !h.is_empty()))
    }
}
