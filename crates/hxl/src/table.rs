//! A table of HXL data held in memory: columns (header text and hashtag) and rows.

use crate::csv_io::{parse_tag_row, HASHTAG_ROW_LIMIT};
use crate::tag::{Hashtag, TagPattern};
use crate::HxlError;

/// One column: its header text (the row above the hashtags) and its hashtag, if tagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// the text above the hashtag, if the table has a header row
    pub header: Option<String>,
    /// the hashtag; `None` for an untagged column (kept in output, ignored by patterns)
    pub tag: Option<Hashtag>,
}

impl Column {
    /// Does the column's hashtag match `p`? (Never for an untagged column.)
    pub fn matches(&self, p: &TagPattern) -> bool {
        self.tag.as_ref().is_some_and(|t| p.matches(t))
    }
}

/// One row of data with its row number in the source (1-based, counting every line,
/// headers included), so that errors point where a spreadsheet user will look.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// the row's line in the file (1-based, headers counted)
    pub source_row: usize,
    /// its cells, by column
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
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The data rows (blank rows dropped).
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

    /// Has any column a header (so output gets a header row)?
    pub fn has_headers(&self) -> bool {
        self.columns
            .iter()
            .any(|c| c.header.as_deref().is_some_and(|h| !h.is_empty()))
    }
}

impl Table {
    /// Build a table from raw rows (line number, cells), whatever file they came from:
    /// the hashtag row is searched for in the first [`HASHTAG_ROW_LIMIT`] rows, the row
    /// above it gives the headers, rows above that are kept as the preamble, and blank
    /// rows after it are dropped.
    pub fn from_rows(
        rows: impl IntoIterator<Item = (usize, Vec<String>)>,
    ) -> Result<Table, HxlError> {
        let mut before: Vec<Vec<String>> = Vec::new();
        let mut table = Table::default();
        let mut found = false;
        for (line, cells) in rows {
            if !found {
                if let Some((tags, warnings)) = parse_tag_row(&cells) {
                    let header = before.pop();
                    table.preamble = std::mem::take(&mut before);
                    table.columns = tags
                        .into_iter()
                        .enumerate()
                        .map(|(c, tag)| Column {
                            header: header.as_ref().and_then(|h| h.get(c).cloned()),
                            tag,
                        })
                        .collect();
                    table.warnings = warnings;
                    found = true;
                    continue;
                }
                before.push(cells);
                if before.len() >= HASHTAG_ROW_LIMIT {
                    break;
                }
                continue;
            }
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            table.rows.push(Row {
                source_row: line,
                values: cells,
            });
        }
        if !found {
            return Err(HxlError::NoHashtagRow {
                limit: HASHTAG_ROW_LIMIT,
                rows_seen: before.len(),
            });
        }
        Ok(table)
    }
}
