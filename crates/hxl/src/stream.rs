//! Streaming filters over CSV: rows are read, tested and written one at a time as
//! `csv::ByteRecord`s, so memory stays flat whatever the file's size. Used for `select`
//! and `cut` on CSV input (other inputs and tools go through [`crate::Table`]).

use crate::csv_io::{parse_tag_row, sniff_delimiter, HASHTAG_ROW_LIMIT};
use crate::filters::Query;
use crate::table::Column;
use crate::tag::TagPattern;
use crate::HxlError;
use std::io::{BufReader, Cursor, Read, Write};

/// What to do with each row.
pub enum Op<'a> {
    /// Keep the rows any query matches (with `reverse`, those none matches).
    Select {
        /// the queries
        queries: &'a [Query],
        /// keep the rows that do not match
        reverse: bool,
    },
    /// Keep the columns `include` matches (all when empty), less those `exclude` matches.
    Cut {
        /// columns kept
        include: &'a [TagPattern],
        /// columns dropped
        exclude: &'a [TagPattern],
    },
    /// Group and aggregate: memory grows with the groups, not the rows.
    Count {
        /// the columns grouped by
        patterns: &'a [TagPattern],
        /// what is computed per group (a count when none)
        aggregates: &'a [crate::filters::Aggregate],
    },
    /// Sort by the first column matching each pattern (all columns when none): the rows
    /// are kept, compactly, until the end; sort keys are computed once per distinct value.
    Sort {
        /// the sort columns, most significant first
        patterns: &'a [TagPattern],
        /// largest first
        reverse: bool,
    },
    /// A filter that works row by row (`clean`, `rename`, `add`), given as the
    /// whole-table function itself and applied to [`BATCH`] rows at a time, so that the
    /// streamed output is exactly the whole-table output.
    Rows(&'a dyn Fn(crate::Table) -> crate::Table),
}

/// Rows per batch for [`Op::Rows`].
pub const BATCH: usize = 1024;

/// A field already checked to be UTF-8 as part of its record.
fn text_of(field: &[u8]) -> &str {
    std::str::from_utf8(field).unwrap_or_default()
}

fn text(field: &[u8]) -> Result<&str, HxlError> {
    std::str::from_utf8(field).map_err(|_| HxlError::Parse {
        row: 0,
        message: "not UTF-8".into(),
    })
}

/// Bytes read ahead to find the hashtag row before the rows are shared between cores.
const PREFIX: usize = 1 << 20;

/// Rows go to the cores in blocks of about this many bytes.
const BLOCK: usize = 4 << 20;

/// Stream `input` (UTF-8 CSV/TSV/SSV) through `op` into `output` as CSV. Returns
/// `Ok(false)` when the input turns out not to be UTF-8 (a legacy encoding): the caller
/// then discards what was written and takes the decoding path.
///
/// `select`, `cut` and `count` use every core: the rows after the hashtag row are cut
/// into blocks at line ends, each block is parsed and filtered (or counted) on its own,
/// and the results are put back in file order, so the output is exactly the one-core
/// output. A line end inside a quoted cell cannot be told from a row end without
/// parsing, so from the first block holding a `"` the rest of the file is read on one
/// core.
pub fn run(input: impl Read, output: impl Write, op: &Op<'_>) -> Result<bool, HxlError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    run_with(input, output, op, threads, BLOCK)
}

fn csv_reader<R: Read>(delimiter: u8, input: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input)
}

fn io_error(e: csv::Error) -> HxlError {
    HxlError::Io(std::io::Error::other(e))
}

/// Is every cell UTF-8? (Not the record's bytes end to end: `caf\xEF` and `\xBB\xBF`
/// are two cells that are not text whose bytes together are; found by the
/// `stream_blocks` fuzz target.)
fn all_text(rec: &csv::ByteRecord) -> bool {
    rec.iter().all(|f| std::str::from_utf8(f).is_ok())
}

/// Is a cell empty or white space only, as `str::trim` has it (the table drops rows of
/// such cells: a row of no-break spaces too, which was once kept here)? A cell that is
/// not UTF-8 is not blank.
fn blank_cell(f: &[u8]) -> bool {
    match f.first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        _ => std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty()),
    }
}

fn blank(rec: &csv::ByteRecord) -> bool {
    rec.iter().all(blank_cell)
}

/// What the whole-table way gives for `op` over `data`: read the table, filter it, write
/// it as CSV. What [`run`] must give on a file that is UTF-8 throughout; for the tests and
/// the `stream_blocks` fuzz target. `None`: not a table, or `Op::Rows`.
#[doc(hidden)]
pub fn table_way(data: &[u8], op: &Op<'_>) -> Option<Vec<u8>> {
    use crate::filters;
    let table = crate::csv_io::read_csv(data).ok()?;
    let t = match op {
        Op::Select { queries, reverse } => filters::select(table, queries, *reverse),
        Op::Cut { include, exclude } => filters::cut(table, include, exclude),
        Op::Count {
            patterns,
            aggregates,
        } => filters::count(table, patterns, aggregates),
        Op::Sort { patterns, reverse } => filters::sort(table, patterns, *reverse),
        Op::Rows(_) => return None,
    };
    let mut out = Vec::new();
    crate::csv_io::write_csv(&t, &mut out).ok()?;
    Some(out)
}

/// [`run`] on `threads` cores (one: no threads at all) with blocks of `block` bytes: for
/// the tests and the fuzz target that hold the two together.
#[doc(hidden)]
pub fn run_with(
    mut input: impl Read,
    output: impl Write,
    op: &Op<'_>,
    threads: usize,
    block: usize,
) -> Result<bool, HxlError> {
    let mut prefix = Vec::with_capacity(PREFIX);
    (&mut input).take(PREFIX as u64).read_to_end(&mut prefix)?;
    let whole = prefix.len() < PREFIX;
    let start = if prefix.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    // sniff the delimiter from the first line
    let head = &prefix[start..prefix.len().min(start + 4096)];
    let Ok(first) =
        std::str::from_utf8(head).or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return Ok(false);
    };
    let delimiter = sniff_delimiter(first);
    let shared = matches!(
        op,
        Op::Select { .. } | Op::Cut { .. } | Op::Count { .. } | Op::Sort { .. }
    );
    if threads > 1 && shared {
        let mut reader = csv_reader(delimiter, &prefix[start..]);
        let mut rec = csv::ByteRecord::new();
        match heads(&mut reader, &mut rec) {
            Ok(None) => return Ok(false),
            Ok(Some(columns)) => {
                let at = start + reader.position().byte() as usize;
                // the hashtag row ended inside what was read ahead
                if at < prefix.len() || whole {
                    let carry = prefix.split_off(at);
                    return shared_run(
                        &columns, delimiter, carry, input, output, op, threads, block,
                    );
                }
            }
            Err(e) if whole => return Err(e),
            Err(_) => {}
        }
    }
    let mut ahead = std::io::Cursor::new(prefix);
    ahead.set_position(start as u64);
    let mut reader = csv_reader(
        delimiter,
        BufReader::with_capacity(1 << 20, ahead.chain(input)),
    );
    let mut rec = csv::ByteRecord::new();
    let Some(columns) = heads(&mut reader, &mut rec)? else {
        return Ok(false);
    };
    match op {
        Op::Count { .. } => {
            let mut counter = counter(op, &columns);
            if !count_rows(&mut reader, &mut rec, &mut counter)? {
                return Ok(false);
            }
            crate::csv_io::write_csv(&counter.finish(), output)?;
            Ok(true)
        }
        Op::Sort { patterns, reverse } => sort(reader, rec, &columns, patterns, *reverse, output),
        Op::Rows(f) => rows(reader, rec, &columns, f, output),
        Op::Select { .. } | Op::Cut { .. } => {
            let filter = RowFilter::new(op, &columns);
            let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
            crate::csv_io::write_heads(&mut writer, &filter.kept)?;
            if !filter.rows(&mut reader, &mut rec, &mut writer)? {
                return Ok(false);
            }
            writer.flush()?;
            Ok(true)
        }
    }
}

/// Read up to the hashtag row: its columns (with the header row above it), or `None`
/// when a row before it is not UTF-8.
fn heads<R: Read>(
    reader: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
) -> Result<Option<Vec<Column>>, HxlError> {
    let mut before: Vec<csv::ByteRecord> = Vec::new();
    loop {
        if !reader.read_byte_record(rec).map_err(io_error)? {
            return Err(HxlError::NoHashtagRow {
                limit: HASHTAG_ROW_LIMIT,
                rows_seen: before.len(),
            });
        }
        let cells: Option<Vec<String>> = rec
            .iter()
            .map(|f| text(f).ok().map(str::to_string))
            .collect();
        let Some(cells) = cells else { return Ok(None) };
        if let Some((tags, _)) = parse_tag_row(&cells) {
            let header = before.pop();
            return Ok(Some(
                tags.into_iter()
                    .enumerate()
                    .map(|(i, tag)| Column {
                        header: header
                            .as_ref()
                            .and_then(|h| h.get(i))
                            .and_then(|f| text(f).ok())
                            .map(str::to_string),
                        tag,
                    })
                    .collect(),
            ));
        }
        before.push(rec.clone());
        if before.len() >= HASHTAG_ROW_LIMIT {
            return Err(HxlError::NoHashtagRow {
                limit: HASHTAG_ROW_LIMIT,
                rows_seen: before.len(),
            });
        }
    }
}

fn counter(op: &Op<'_>, columns: &[Column]) -> crate::filters::Counter {
    match op {
        Op::Count {
            patterns,
            aggregates,
        } => crate::filters::Counter::new(columns, patterns, aggregates),
        _ => unreachable!("a counter for count only"),
    }
}

/// Count the rest of `reader`'s rows into `counter`; `false` when a counted cell is not
/// UTF-8 (the caller decodes the whole file instead).
fn count_rows<R: Read>(
    reader: &mut csv::Reader<R>,
    rec: &mut csv::ByteRecord,
    counter: &mut crate::filters::Counter,
) -> Result<bool, HxlError> {
    let read = counter.columns_read();
    while reader.read_byte_record(rec).map_err(io_error)? {
        if blank(rec) {
            continue;
        }
        // only the cells counted by make the output, so only they need to be text
        if read
            .iter()
            .any(|i| rec.get(*i).is_some_and(|f| std::str::from_utf8(f).is_err()))
        {
            return Ok(false);
        }
        counter.add(|i| rec.get(i).and_then(|f| text(f).ok()).unwrap_or(""));
    }
    Ok(true)
}

/// `select` and `cut`: which rows pass, which columns come out.
pub(crate) struct RowFilter<'a> {
    queries: &'a [Query],
    reverse: bool,
    /// for each query, the columns it tests
    tested: Vec<Vec<usize>>,
    keep: Vec<usize>,
    /// `keep` is the first columns, in order
    in_order: bool,
    /// rows are written as they are, however many cells (`select`, as the table does)
    as_is: bool,
    kept: Vec<Column>,
}

impl<'a> RowFilter<'a> {
    pub(crate) fn new(op: &Op<'a>, columns: &[Column]) -> RowFilter<'a> {
        let (queries, reverse, keep): (&[Query], bool, Vec<usize>) = match op {
            Op::Select { queries, reverse } => (queries, *reverse, (0..columns.len()).collect()),
            Op::Cut { include, exclude } => (
                &[],
                false,
                columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| include.is_empty() || include.iter().any(|p| c.matches(p)))
                    .filter(|(_, c)| !exclude.iter().any(|p| c.matches(p)))
                    .map(|(i, _)| i)
                    .collect(),
            ),
            _ => unreachable!("a row filter for select and cut only"),
        };
        let tested = queries
            .iter()
            .map(|q| {
                columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.matches(&q.pattern))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect();
        RowFilter {
            queries,
            reverse,
            tested,
            kept: keep.iter().map(|i| columns[*i].clone()).collect(),
            in_order: keep.iter().enumerate().all(|(i, k)| i == *k),
            as_is: matches!(op, Op::Select { .. }),
            keep,
        }
    }

    /// Write the rest of `reader`'s rows that pass; `false` when a tested or written cell
    /// is not UTF-8 (the caller decodes the whole file instead).
    fn rows<R: Read, W: Write>(
        &self,
        reader: &mut csv::Reader<R>,
        rec: &mut csv::ByteRecord,
        writer: &mut csv::Writer<W>,
    ) -> Result<bool, HxlError> {
        let mut out = csv::ByteRecord::new();
        while reader.read_byte_record(rec).map_err(io_error)? {
            if blank(rec) {
                continue;
            }
            match self.passes(|i| rec.get(i)) {
                None => return Ok(false),
                Some(false) => continue,
                Some(true) => {}
            }
            // what is written must be text
            let whole = self.all_of(rec.len());
            let text_out = if whole {
                all_text(rec)
            } else {
                self.keep
                    .iter()
                    .all(|i| rec.get(*i).is_none_or(|f| std::str::from_utf8(f).is_ok()))
            };
            if !text_out {
                return Ok(false);
            }
            if whole {
                writer.write_byte_record(rec).map_err(io_error)?;
            } else {
                out.clear();
                for &i in &self.keep {
                    out.push_field(rec.get(i).unwrap_or(b""));
                }
                writer.write_byte_record(&out).map_err(io_error)?;
            }
        }
        Ok(true)
    }
}

/// The next quote or line end from `i`: often the very next byte (after a quoted cell).
#[inline]
fn next_quote_or_line_end(block: &[u8], i: usize) -> Option<usize> {
    match block.get(i)? {
        b'"' | b'\n' => Some(i),
        _ => memchr::memchr2(b'"', b'\n', &block[i..]).map(|k| i + k),
    }
}

/// The next quote from `i`: quoted cells are mostly short, so the first bytes are looked
/// at one by one before `memchr` (whose setup costs more than a short cell).
#[inline]
fn next_quote(block: &[u8], i: usize) -> Option<usize> {
    let rest = block.get(i..)?;
    match rest.iter().take(32).position(|&b| b == b'"') {
        Some(k) => Some(i + k),
        None => memchr::memchr(b'"', rest).map(|k| i + k),
    }
}

/// Where the last row that ends in `block` ends (just after its `\n`), reading as the `csv`
/// parser reads (`block` starts at a row's start): a quote opens a quoted cell only at a
/// cell's start, `""` inside one is a quote, and line ends inside one are the cell's. `None`
/// when no row ends in it, or it ends on a quote whose meaning the next byte decides.
fn last_row_end(block: &[u8], delimiter: u8) -> Option<usize> {
    let mut last = None;
    let mut i = 0;
    while let Some(p) = next_quote_or_line_end(block, i) {
        i = p + 1;
        if block[p] == b'\n' {
            last = Some(p + 1);
            continue;
        }
        let cell_start =
            p == 0 || matches!(block[p - 1], b'\n' | b'\r') || block[p - 1] == delimiter;
        if !cell_start {
            // a quote inside an unquoted cell is just a character
            continue;
        }
        // a quoted cell: to its closing quote (a doubled quote is a quote)
        loop {
            let Some(q) = next_quote(block, i) else {
                // the block ends inside the quoted cell
                return last;
            };
            match block.get(q + 1) {
                Some(b'"') => i = q + 2,
                Some(_) => {
                    i = q + 1;
                    break;
                }
                None => return last,
            }
        }
    }
    last
}

/// Where the row starting at `start` ends: the index of its `\n` (or the block's end),
/// following quoted cells as [`last_row_end`] does; and where its first quote is, if it
/// has one. `None` when a quoted cell is still open at the block's end.
fn row_end(block: &[u8], start: usize, delimiter: u8) -> Option<(usize, Option<usize>)> {
    let mut i = start;
    let mut first = None;
    while let Some(p) = next_quote_or_line_end(block, i) {
        i = p + 1;
        if block[p] == b'\n' {
            return Some((p, first));
        }
        first.get_or_insert(p);
        if p != start && block[p - 1] != delimiter {
            // a quote inside an unquoted cell is just a character
            continue;
        }
        loop {
            let q = next_quote(block, i)?;
            match block.get(q + 1) {
                Some(b'"') => i = q + 2,
                _ => {
                    i = q + 1;
                    break;
                }
            }
        }
    }
    Some((block.len(), first))
}

/// The cells of one row (`line`, without its line end) as the `csv` parser reads them,
/// end to end in `buf`, each ending where `bounds` says: a cell opening with a quote runs
/// to its closing quote (`""` inside is a quote) and then, as written, to the delimiter.
fn unquote(line: &[u8], delimiter: u8, buf: &mut Vec<u8>, bounds: &mut Vec<usize>) {
    buf.clear();
    bounds.clear();
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            i += 1;
            loop {
                let Some(k) = memchr::memchr(b'"', &line[i..]) else {
                    buf.extend_from_slice(&line[i..]);
                    i = line.len();
                    break;
                };
                buf.extend_from_slice(&line[i..i + k]);
                i += k + 1;
                if line.get(i) == Some(&b'"') {
                    buf.push(b'"');
                    i += 1;
                } else {
                    break;
                }
            }
        }
        match memchr::memchr(delimiter, &line[i..]) {
            Some(k) => {
                buf.extend_from_slice(&line[i..i + k]);
                i += k + 1;
                bounds.push(buf.len());
            }
            None => {
                buf.extend_from_slice(&line[i..]);
                bounds.push(buf.len());
                return;
            }
        }
    }
}

/// A block (already known to hold no `"`) whose every `\r` ends a line: each line is a
/// row and its cells are what lies between delimiters, as the CSV parser would find.
fn plain_block(block: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', block).all(|i| block.get(i + 1) == Some(&b'\n'))
}

/// Each line of a plain block (see [`plain_block`]), without its line end.
fn lines(block: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', block).chain(std::iter::once(block.len()));
    ends.filter_map(move |end| {
        let line = block.get(start..end)?;
        start = end + 1;
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    })
}

/// A line's cells (the line holds no quote and no line break).
fn split<'a>(line: &'a [u8], delimiter: u8, cells: &mut Vec<&'a [u8]>) {
    cells.clear();
    let mut start = 0;
    for i in memchr::memchr_iter(delimiter, line) {
        cells.push(&line[start..i]);
        start = i + 1;
    }
    cells.push(&line[start..]);
}

/// The first `n` cells of a line (fewer if it has fewer); `true` when more follow.
fn split_first<'a>(line: &'a [u8], delimiter: u8, n: usize, cells: &mut Vec<&'a [u8]>) -> bool {
    cells.clear();
    let mut start = 0;
    for i in memchr::memchr_iter(delimiter, line) {
        cells.push(&line[start..i]);
        start = i + 1;
        if cells.len() == n {
            return true;
        }
    }
    cells.push(&line[start..]);
    false
}

/// A row of cells none of which is anything but whitespace (skipped, as blank lines are).
fn blank_cells(cells: &[&[u8]]) -> bool {
    cells.iter().all(|f| blank_cell(f))
}

/// [`count_rows`] over a plain block.
fn count_lines(block: &[u8], delimiter: u8, counter: &mut crate::filters::Counter) -> bool {
    let read = counter.columns_read();
    let mut cells: Vec<&[u8]> = Vec::new();
    for line in lines(block) {
        split(line, delimiter, &mut cells);
        if blank_cells(&cells) {
            continue;
        }
        if read.iter().any(|i| {
            cells
                .get(*i)
                .is_some_and(|f| std::str::from_utf8(f).is_err())
        }) {
            return false;
        }
        counter.add(|i| cells.get(i).and_then(|f| text(f).ok()).unwrap_or(""));
    }
    true
}

impl RowFilter<'_> {
    /// Are the cells written of a row of `n` cells all of them, in order? `select`
    /// writes a row as it is, short or long (as the table does: it was once padded or
    /// cut to the hashtag row's width); `cut` writes exactly its columns, so only a row
    /// of just those (a `cut` keeps as many columns as a short row has cells, but not
    /// those).
    fn all_of(&self, n: usize) -> bool {
        self.as_is || (self.in_order && self.keep.len() == n)
    }

    /// Every column a query tests.
    pub(crate) fn tested_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.tested.iter().flatten().copied()
    }

    /// Does a row of these cells pass? `None`: a tested cell is not UTF-8.
    pub(crate) fn passes<'c>(&self, cell: impl Fn(usize) -> Option<&'c [u8]>) -> Option<bool> {
        let mut any = self.queries.is_empty();
        for (q, cols) in self.queries.iter().zip(&self.tested) {
            for &i in cols {
                if let Some(f) = cell(i) {
                    if q.matches_value(text(f).ok()?) {
                        any = true;
                        break;
                    }
                }
            }
            if any {
                break;
            }
        }
        Some(self.queries.is_empty() || any != self.reverse)
    }

    /// [`RowFilter::rows`] over a block with quoted cells (and no `\r` but before `\n`),
    /// without the CSV parser for most rows: rows are found by following quotes as the
    /// parser does ([`row_end`]); a row whose tested cells all come before its first
    /// quote is tested on those, and only a row that passes (or that cannot be tested
    /// that way) has its cells read in full ([`unquote`]). `None`: a quoted cell runs
    /// past the block, and the caller parses it instead.
    fn quoted(&self, block: &[u8], delimiter: u8, out: &mut Vec<u8>) -> Option<bool> {
        let mut cells: Vec<&[u8]> = Vec::new();
        let (mut buf, mut bounds) = (Vec::new(), Vec::new());
        let tested = self.tested.iter().flatten().max().map_or(1, |m| m + 1);
        let mut start = 0;
        while start < block.len() {
            let (end, quote) = row_end(block, start, delimiter)?;
            let line = &block[start..end];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let row_start = start;
            start = end + 1;
            let Some(q) = quote.map(|q| q - row_start) else {
                if !self.line(line, delimiter, tested, &mut cells, out) {
                    return Some(false);
                }
                continue;
            };
            // the tested cells, when they all end before the first quote
            let early =
                split_first(&line[..q], delimiter, tested, &mut cells) && !blank_cells(&cells);
            if early {
                match self.passes(|i| cells.get(i).copied()) {
                    None => return Some(false),
                    Some(false) => continue,
                    Some(true) => {}
                }
            }
            unquote(line, delimiter, &mut buf, &mut bounds);
            let cell = |i: usize| -> Option<&[u8]> {
                let to = *bounds.get(i)?;
                let from = if i == 0 { 0 } else { bounds[i - 1] };
                Some(&buf[from..to])
            };
            if (0..bounds.len()).all(|i| cell(i).is_some_and(blank_cell)) {
                continue;
            }
            if !early {
                match self.passes(cell) {
                    None => return Some(false),
                    Some(false) => continue,
                    Some(true) => {}
                }
            }
            // every cell is text when the row is (cells are cut at ASCII bytes)
            let n = bounds.len();
            if self.all_of(n) && std::str::from_utf8(line).is_ok() {
                write_cells(out, n, (0..n).filter_map(cell));
                continue;
            }
            let whole: Vec<&[u8]> = (0..n).filter_map(cell).collect();
            if !self.write_kept(&whole, out) {
                return Some(false);
            }
        }
        Some(true)
    }

    /// Write the kept cells of a passing row; false when one is not UTF-8.
    fn write_kept(&self, cells: &[&[u8]], out: &mut Vec<u8>) -> bool {
        if self.all_of(cells.len()) {
            if cells.iter().any(|f| std::str::from_utf8(f).is_err()) {
                return false;
            }
            write_fields(out, cells);
        } else {
            let kept: Vec<&[u8]> = self
                .keep
                .iter()
                .map(|i| cells.get(*i).copied().unwrap_or(b""))
                .collect();
            if kept.iter().any(|f| std::str::from_utf8(f).is_err()) {
                return false;
            }
            write_fields(out, &kept);
        }
        true
    }

    /// [`RowFilter::rows`] over a plain block, written as the `csv` writer writes.
    fn lines(&self, block: &[u8], delimiter: u8, out: &mut Vec<u8>) -> bool {
        let mut cells: Vec<&[u8]> = Vec::new();
        // the cells a query reads: the rest of a row is split only if it passes
        let tested = self.tested.iter().flatten().max().map_or(1, |m| m + 1);
        lines(block).all(|line| self.line(line, delimiter, tested, &mut cells, out))
    }

    /// One line of a plain block (no quote, no line break); false when a cell that is
    /// tested or written is not UTF-8.
    fn line<'a>(
        &self,
        line: &'a [u8],
        delimiter: u8,
        tested: usize,
        cells: &mut Vec<&'a [u8]>,
        out: &mut Vec<u8>,
    ) -> bool {
        let more = split_first(line, delimiter, tested, cells);
        if blank_cells(cells) {
            if !more {
                return true;
            }
            split(line, delimiter, cells);
            if blank_cells(cells) {
                return true;
            }
        }
        match self.passes(|i| cells.get(i).copied()) {
            None => return false,
            Some(false) => return true,
            Some(true) => {}
        }
        if more {
            split(line, delimiter, cells);
        }
        if self.all_of(cells.len()) && delimiter == b',' {
            if std::str::from_utf8(line).is_err() {
                return false;
            }
            // nothing in it needs quoting: no quote, no line break, and a comma would
            // have been a delimiter
            out.extend_from_slice(line);
            out.push(b'\n');
            return true;
        }
        self.write_kept(cells, out)
    }
}

/// What one block of rows came to.
enum Done<'c> {
    Counted(crate::filters::Counter),
    /// a block's rows, read for sorting
    Sorted(SortRows<'c>),
    Written(Vec<u8>),
    /// a cell that had to be text was not UTF-8
    NotText,
}

/// Put before rows handed to a new `csv` reader mid-file: the reader takes a UTF-8 BOM at
/// the start of its input for the file's and drops it, but mid-file those bytes are a
/// cell's; after an empty line (which it skips) they are read as they are. (Found by the
/// `stream_blocks` fuzz target.)
const MID_FILE: &[u8] = b"\n";

/// Sorted rows gathered per thread at a time when writing.
const GATHER: usize = 1 << 14;

/// Read into `buf` until it holds `want` bytes or the input ends (`true`).
fn fill(buf: &mut Vec<u8>, input: &mut impl Read, want: usize) -> Result<bool, HxlError> {
    if buf.len() >= want {
        return Ok(false);
    }
    let need = (want - buf.len()) as u64;
    buf.reserve(want - buf.len());
    let got = input.take(need).read_to_end(buf)?;
    Ok((got as u64) < need)
}

/// `select`, `cut` or `count` of the rows after the hashtag row (`carry`, the part read
/// ahead, then `input`) on `threads` cores; see [`run`].
#[allow(clippy::too_many_arguments)]
fn shared_run(
    columns: &[Column],
    delimiter: u8,
    mut carry: Vec<u8>,
    mut input: impl Read,
    output: impl Write,
    op: &Op<'_>,
    threads: usize,
    block: usize,
) -> Result<bool, HxlError> {
    let counting = matches!(op, Op::Count { .. });
    let template = counting.then(|| counter(op, columns));
    let mut total = template.as_ref().map(|t| t.fresh());
    let sorting = match op {
        Op::Sort { patterns, reverse } => Some((*patterns, *reverse)),
        _ => None,
    };
    // the rows to sort, merged block by block in file order
    let mut sorted = sorting.map(|(p, _)| SortRows::new(columns, p));
    let filter = (!counting && sorting.is_none()).then(|| RowFilter::new(op, columns));
    let into_inner = |w: csv::Writer<_>| w.into_inner().map_err(|e| HxlError::Io(e.into_error()));
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
    if let Some(f) = &filter {
        crate::csv_io::write_heads(&mut writer, &f.kept)?;
    }
    // blocks come back as CSV bytes, written as they are
    let mut output = into_inner(writer)?;
    // one block on its own: what the threads run
    let work = |bytes: &[u8]| -> Result<Done, HxlError> {
        if let Some((patterns, _)) = sorting {
            let mut rows = SortRows::new(columns, patterns);
            let text = if memchr::memchr(b'"', bytes).is_none() && plain_block(bytes) {
                rows.lines(bytes, delimiter)?
            } else {
                let mut reader = csv_reader(delimiter, MID_FILE.chain(bytes));
                rows.read(&mut reader, &mut csv::ByteRecord::new())?
            };
            return Ok(if text {
                Done::Sorted(rows)
            } else {
                Done::NotText
            });
        }
        // rows that are lines, cells split at the delimiter: no CSV parser needed
        if memchr::memchr(b'"', bytes).is_none() && plain_block(bytes) {
            if let Some(t) = &template {
                let mut c = t.fresh();
                return Ok(if count_lines(bytes, delimiter, &mut c) {
                    Done::Counted(c)
                } else {
                    Done::NotText
                });
            }
            let f = filter.as_ref().expect("select or cut");
            let mut out = Vec::with_capacity(bytes.len());
            return Ok(if f.lines(bytes, delimiter, &mut out) {
                Done::Written(out)
            } else {
                Done::NotText
            });
        }
        // quoted cells, found without the CSV parser
        if let Some(f) = filter.as_ref().filter(|_| plain_block(bytes)) {
            let mut out = Vec::with_capacity(bytes.len());
            match f.quoted(bytes, delimiter, &mut out) {
                Some(true) => return Ok(Done::Written(out)),
                Some(false) => return Ok(Done::NotText),
                None => {}
            }
        }
        let mut reader = csv_reader(delimiter, MID_FILE.chain(bytes));
        let mut rec = csv::ByteRecord::new();
        if let Some(t) = &template {
            let mut c = t.fresh();
            return Ok(if count_rows(&mut reader, &mut rec, &mut c)? {
                Done::Counted(c)
            } else {
                Done::NotText
            });
        }
        let f = filter.as_ref().expect("select or cut");
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::with_capacity(bytes.len()));
        if !f.rows(&mut reader, &mut rec, &mut w)? {
            return Ok(Done::NotText);
        }
        Ok(Done::Written(
            w.into_inner().map_err(|e| HxlError::Io(e.into_error()))?,
        ))
    };
    // put a block's result in its place: false once a block was not text
    let mut emit = |done: Done,
                    total: &mut Option<crate::filters::Counter>,
                    sorted: &mut Option<SortRows>|
     -> Result<bool, HxlError> {
        match done {
            Done::NotText => return Ok(false),
            Done::Counted(c) => total.as_mut().expect("counting").merge(c),
            Done::Sorted(rows) => sorted.as_mut().expect("sorting").merge(rows)?,
            Done::Written(bytes) => output.write_all(&bytes)?,
        }
        Ok(true)
    };
    let mut text_all_along = true;
    let mut one_core = false;
    let (jobs, queue) = std::sync::mpsc::sync_channel::<(usize, Vec<u8>)>(threads);
    let queue = std::sync::Mutex::new(queue);
    std::thread::scope(|s| -> Result<(), HxlError> {
        let (results, done) = std::sync::mpsc::channel::<(usize, Result<Done, HxlError>)>();
        for _ in 0..threads {
            let (queue, results, work) = (&queue, results.clone(), &work);
            s.spawn(move || loop {
                let job = queue
                    .lock()
                    .map_err(|_| ())
                    .and_then(|q| q.recv().map_err(|_| ()));
                let Ok((n, bytes)) = job else { break };
                if results.send((n, work(&bytes))).is_err() {
                    break;
                }
            });
        }
        drop(results);
        let mut waiting = std::collections::BTreeMap::new();
        let (mut sent, mut next) = (0usize, 0usize);
        let mut take = |waiting: &mut std::collections::BTreeMap<usize, Result<Done, HxlError>>,
                        next: &mut usize|
         -> Result<bool, HxlError> {
            while let Some(r) = waiting.remove(next) {
                *next += 1;
                if !emit(r?, &mut total, &mut sorted)? {
                    return Ok(false);
                }
            }
            Ok(true)
        };
        loop {
            let eof = fill(&mut carry, &mut input, block)?;
            if carry.is_empty() {
                break;
            }
            let found = if eof {
                Some(carry.len())
            } else if memchr::memchr(b'"', &carry).is_none() {
                memchr::memrchr(b'\n', &carry).map(|i| i + 1)
            } else {
                last_row_end(&carry, delimiter)
            };
            // no row ends in a whole block (a cell or line longer than a block, or `\r`
            // line ends): one core from here
            let Some(cut) = found else {
                one_core = true;
                break;
            };
            let rest = carry.split_off(cut);
            let bytes = std::mem::replace(&mut carry, rest);
            if jobs.send((sent, bytes)).is_err() {
                break;
            }
            sent += 1;
            while let Ok((n, r)) = done.try_recv() {
                waiting.insert(n, r);
            }
            if !take(&mut waiting, &mut next)? {
                text_all_along = false;
                return Ok(());
            }
            if eof {
                break;
            }
        }
        drop(jobs);
        for (n, r) in done.iter() {
            waiting.insert(n, r);
            if !take(&mut waiting, &mut next)? {
                text_all_along = false;
                return Ok(());
            }
        }
        Ok(())
    })?;
    if !text_all_along {
        return Ok(false);
    }
    if one_core {
        // the rest on one core, from the start of the block that could not be cut
        let mut reader = csv_reader(
            delimiter,
            BufReader::with_capacity(1 << 20, MID_FILE.chain(Cursor::new(carry)).chain(input)),
        );
        let mut rec = csv::ByteRecord::new();
        let text = match (&mut total, &filter) {
            (Some(c), _) => count_rows(&mut reader, &mut rec, c)?,
            (None, None) if sorted.is_some() => {
                let rows = sorted.as_mut().expect("sorting");
                rows.read(&mut reader, &mut rec)?
            }
            (None, Some(f)) => {
                let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
                let text = f.rows(&mut reader, &mut rec, &mut writer)?;
                output = into_inner(writer)?;
                text
            }
            (None, None) => unreachable!("count, select or cut"),
        };
        if !text {
            return Ok(false);
        }
    }
    match (total, sorted, sorting) {
        (Some(c), _, _) => crate::csv_io::write_csv(&c.finish(), output)?,
        (None, Some(rows), Some((_, reverse))) => rows.write(reverse, threads, output)?,
        _ => output.flush()?,
    }
    Ok(true)
}

/// `clean`, `rename`, `add`: the whole-table function applied [`BATCH`] rows at a time.
fn rows<R: Read>(
    mut reader: csv::Reader<R>,
    mut rec: csv::ByteRecord,
    columns: &[Column],
    f: &dyn Fn(crate::Table) -> crate::Table,
    output: impl Write,
) -> Result<bool, HxlError> {
    let table = |rows: Vec<crate::table::Row>| crate::Table {
        columns: columns.to_vec(),
        rows,
        ..Default::default()
    };
    let mut writer: Option<crate::csv_io::RowWriter<_>> = None;
    let mut output = Some(output);
    let mut batch: Vec<crate::table::Row> = Vec::with_capacity(BATCH);
    let mut done = false;
    while !done {
        done = !reader.read_byte_record(&mut rec).map_err(io_error)?;
        if !done {
            if blank(&rec) {
                continue;
            }
            if rec.iter().any(|f| std::str::from_utf8(f).is_err()) {
                return Ok(false);
            }
            let values = rec.iter().map(|f| text_of(f).to_string()).collect();
            batch.push(crate::table::Row {
                source_row: 0,
                values,
            });
            if batch.len() < BATCH {
                continue;
            }
        }
        let out = f(table(std::mem::take(&mut batch)));
        let w = match writer.as_mut() {
            Some(w) => w,
            None => writer.insert(crate::csv_io::RowWriter::new(
                output.take().expect("the output, once"),
                &out.columns,
            )?),
        };
        for r in &out.rows {
            w.write(&r.values)?;
        }
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok(true)
}

/// The rest of the file, sorted as [`crate::filters::sort`] sorts a table (stably, numbers
/// before text, `#date` columns as dates), on one core.
fn sort<R: Read>(
    mut reader: csv::Reader<R>,
    mut rec: csv::ByteRecord,
    columns: &[Column],
    patterns: &[TagPattern],
    reverse: bool,
    output: impl Write,
) -> Result<bool, HxlError> {
    let mut rows = SortRows::new(columns, patterns);
    if !rows.read(&mut reader, &mut rec)? {
        return Ok(false);
    }
    rows.write(reverse, 1, output)?;
    Ok(true)
}

/// Rows to sort, kept as bytes rather than a `String` per cell (a tenth of the memory),
/// each with the index of its key among the distinct keys, so that each distinct key
/// value is normalised and parsed once. Blocks of a file are read into rows of their own
/// on several cores and merged in file order; a block's bytes stay where its thread put
/// them (one chunk each), so a merge copies no row.
struct SortRows<'c> {
    columns: &'c [Column],
    /// the sort columns
    idx: Vec<usize>,
    /// the rows as they will be written (CSV, quoted where needed), end to end, in chunks
    data: Vec<Vec<u8>>,
    /// where each chunk starts, counting across chunks
    chunk_at: Vec<usize>,
    /// where each row starts (and the last one ends), counting across chunks
    row_at: Vec<usize>,
    /// each row's key, as an index into `keys`
    key_of: Vec<u32>,
    distinct: crate::filters::KeyMap<u32>,
    keys: Vec<Vec<crate::filters::SortKey>>,
    key: String,
    scratch: String,
}

impl<'c> SortRows<'c> {
    fn new(columns: &'c [Column], patterns: &[TagPattern]) -> SortRows<'c> {
        let idx: Vec<usize> = if patterns.is_empty() {
            (0..columns.len()).collect()
        } else {
            patterns
                .iter()
                .filter_map(|p| columns.iter().position(|c| c.matches(p)))
                .collect()
        };
        SortRows {
            columns,
            idx,
            data: vec![Vec::new()],
            chunk_at: vec![0],
            row_at: vec![0],
            key_of: Vec::new(),
            distinct: Default::default(),
            keys: Vec::new(),
            key: String::new(),
            scratch: String::new(),
        }
    }

    fn too_many(&self) -> HxlError {
        HxlError::Parse {
            row: self.row_at.len(),
            message: "too many distinct sort keys".into(),
        }
    }

    /// The index of the key of a row whose cell `i` is `cell(i)`.
    fn key_index<'a>(&mut self, cell: impl Fn(usize) -> &'a str) -> Result<u32, HxlError> {
        use crate::filters::{push_key, sort_value};
        self.key.clear();
        for &i in &self.idx {
            push_key(&mut self.key, &mut self.scratch, cell(i));
        }
        if let Some(k) = self.distinct.get(self.key.as_str()) {
            return Ok(*k);
        }
        let k = u32::try_from(self.keys.len()).map_err(|_| self.too_many())?;
        let columns = self.columns;
        self.keys.push(
            self.idx
                .iter()
                .map(|&i| sort_value(columns.get(i).and_then(|c| c.tag.as_ref()), cell(i)))
                .collect(),
        );
        self.distinct.insert(self.key.clone(), k);
        Ok(k)
    }

    /// The chunk rows are being added to, and where it starts.
    fn current(&mut self) -> (&mut Vec<u8>, usize) {
        let at = *self.chunk_at.last().expect("a chunk");
        (self.data.last_mut().expect("a chunk"), at)
    }

    /// Read the reader's rows; false when a row is not UTF-8 (the caller decodes the
    /// whole file instead).
    fn read<R: Read>(
        &mut self,
        reader: &mut csv::Reader<R>,
        rec: &mut csv::ByteRecord,
    ) -> Result<bool, HxlError> {
        while reader.read_byte_record(rec).map_err(io_error)? {
            if blank(rec) {
                continue;
            }
            if !all_text(rec) {
                return Ok(false);
            }
            let k = self.key_index(|i| rec.get(i).map(text_of).unwrap_or(""))?;
            self.key_of.push(k);
            let (data, at) = self.current();
            write_row(data, rec);
            let end = at + data.len();
            self.row_at.push(end);
        }
        Ok(true)
    }

    /// [`SortRows::read`] for a plain block (see [`plain_block`]): lines split at the
    /// delimiter, and with commas a line is written as it is.
    fn lines(&mut self, block: &[u8], delimiter: u8) -> Result<bool, HxlError> {
        let mut cells: Vec<&[u8]> = Vec::new();
        self.data.last_mut().expect("a chunk").reserve(block.len());
        // the cells the key reads: the rest of a line is split only when needed
        let wanted = self.idx.iter().max().map_or(1, |m| m + 1);
        for line in lines(block) {
            let more = split_first(line, delimiter, wanted, &mut cells);
            if blank_cells(&cells) {
                if !more {
                    continue;
                }
                split(line, delimiter, &mut cells);
                if blank_cells(&cells) {
                    continue;
                }
            }
            if std::str::from_utf8(line).is_err() {
                return Ok(false);
            }
            let k = self.key_index(|i| cells.get(i).copied().map(text_of).unwrap_or(""))?;
            self.key_of.push(k);
            let (data, at) = self.current();
            if delimiter == b',' {
                // nothing in it needs quoting: no quote, no line break, and a comma
                // would have been a delimiter
                data.extend_from_slice(line);
                data.push(b'\n');
            } else {
                if more {
                    split(line, delimiter, &mut cells);
                }
                write_fields(data, &cells);
            }
            let end = at + data.len();
            self.row_at.push(end);
        }
        Ok(true)
    }

    /// Add the rows of a later part of the file, its keys matched to these.
    fn merge(&mut self, other: SortRows<'_>) -> Result<(), HxlError> {
        let mut theirs: Vec<Option<Vec<crate::filters::SortKey>>> =
            other.keys.into_iter().map(Some).collect();
        let mut mine = vec![0u32; theirs.len()];
        for (key, k) in other.distinct {
            let k = k as usize;
            mine[k] = match self.distinct.get(key.as_str()) {
                Some(m) => *m,
                None => {
                    let m = u32::try_from(self.keys.len()).map_err(|_| self.too_many())?;
                    self.keys.push(theirs[k].take().unwrap_or_default());
                    self.distinct.insert(key, m);
                    m
                }
            };
        }
        self.key_of
            .extend(other.key_of.iter().map(|k| mine[*k as usize]));
        // their chunks follow ours
        let base = *self.row_at.last().expect("an end");
        for (chunk, at) in other.data.into_iter().zip(other.chunk_at) {
            self.chunk_at.push(base + at);
            self.data.push(chunk);
        }
        self.row_at
            .extend(other.row_at[1..].iter().map(|at| base + at));
        Ok(())
    }

    /// Write the header rows and the rows in order.
    fn write(self, reverse: bool, threads: usize, output: impl Write) -> Result<(), HxlError> {
        use crate::filters::cmp_keys;
        let SortRows {
            columns,
            data,
            chunk_at,
            row_at,
            key_of,
            distinct,
            keys,
            ..
        } = self;
        drop(distinct);
        // rank the distinct keys; keys that compare equal (the same date written two
        // ways) share a rank, so that their rows keep their order
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        let cmp = |a: &u32, b: &u32| {
            let o = cmp_keys(&keys[*a as usize], &keys[*b as usize]);
            if reverse {
                o.reverse()
            } else {
                o
            }
        };
        order.sort_by(cmp);
        let mut rank = vec![0u32; keys.len()];
        for (n, w) in order.iter().enumerate() {
            rank[*w as usize] = if n > 0 && cmp(&order[n - 1], w).is_eq() {
                rank[order[n - 1] as usize]
            } else {
                n as u32
            };
        }
        // (rank, row) pairs are all different, so an unstable sort of them is a stable
        // sort of the rows by rank
        let mut rows: Vec<u64> = key_of
            .iter()
            .enumerate()
            .map(|(r, k)| (u64::from(rank[*k as usize]) << 32) | r as u64)
            .collect();
        drop(key_of);
        rows.sort_unstable();
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(output);
        crate::csv_io::write_heads(&mut w, columns)?;
        let mut out = w.into_inner().map_err(|e| HxlError::Io(e.into_error()))?;
        // rows in sorted order are scattered over memory: gathering them into runs is
        // most of the writing, and runs are gathered on every core, then written in order
        let gather = |rows: &[u64], buf: &mut Vec<u8>| {
            buf.clear();
            for r in rows {
                let r = (r & 0xFFFF_FFFF) as usize;
                let (start, end) = (row_at[r], row_at[r + 1]);
                // a row lies within one chunk (rows are never empty: at least a line end)
                let c = chunk_at.partition_point(|at| *at <= start) - 1;
                buf.extend_from_slice(&data[c][start - chunk_at[c]..end - chunk_at[c]]);
            }
        };
        let threads = threads.max(1);
        let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); threads];
        for round in rows.chunks(GATHER * threads) {
            let parts: Vec<&[u64]> = round.chunks(GATHER).collect();
            std::thread::scope(|s| {
                let mut each = bufs.iter_mut().zip(&parts);
                let first = each.next();
                for (buf, part) in each {
                    s.spawn(move || gather(part, buf));
                }
                if let Some((buf, part)) = first {
                    gather(part, buf);
                }
            });
            for buf in bufs.iter().take(parts.len()) {
                out.write_all(buf)?;
            }
        }
        out.flush()?;
        Ok(())
    }
}

/// Append `rec` to `out` as the `csv` crate's writer writes it (comma-separated, a field
/// quoted only when it holds a comma, a quote or a line break, quotes doubled, `\n` at
/// the end), without its per-byte state machine.
fn write_row(out: &mut Vec<u8>, rec: &csv::ByteRecord) {
    write_cells(out, rec.len(), rec.iter());
}

/// [`write_row`] for cells given as slices.
fn write_fields(out: &mut Vec<u8>, cells: &[&[u8]]) {
    write_cells(out, cells.len(), cells.iter().copied());
}

pub(crate) fn write_cells<'a>(out: &mut Vec<u8>, n: usize, cells: impl Iterator<Item = &'a [u8]>) {
    let special = |b: &u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    if n == 0 {
        // no cells at all (a cut that keeps no column): `""`, as the `csv` writer has it
        out.extend_from_slice(b"\"\"\n");
        return;
    }
    for (i, f) in cells.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // a row of one empty cell is quoted, so that it is not a blank line
        if n == 1 && f.is_empty() {
            out.extend_from_slice(b"\"\"");
        } else if !f.iter().any(special) {
            out.extend_from_slice(f);
        } else {
            out.push(b'"');
            for b in f {
                if *b == b'"' {
                    out.push(b'"');
                }
                out.push(*b);
            }
            out.push(b'"');
        }
    }
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_select_and_cut_match_the_table_filters() {
        let data = "Org,Sector,N\n#org,#sector,#targeted\nA,WASH,10\n\nB,Health,5\nC,wash,300\n";
        let q = [Query::parse("sector=wash").unwrap()];
        let mut out = Vec::new();
        assert!(run(
            data.as_bytes(),
            &mut out,
            &Op::Select {
                queries: &q,
                reverse: false
            }
        )
        .unwrap());
        let table = crate::csv_io::read_csv(data.as_bytes()).unwrap();
        let mut want = Vec::new();
        crate::csv_io::write_csv(&crate::filters::select(table.clone(), &q, false), &mut want)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            String::from_utf8(want).unwrap()
        );
        let inc = TagPattern::parse_list("org,targeted").unwrap();
        let mut out = Vec::new();
        run(
            data.as_bytes(),
            &mut out,
            &Op::Cut {
                include: &inc,
                exclude: &[],
            },
        )
        .unwrap();
        let mut want = Vec::new();
        crate::csv_io::write_csv(&crate::filters::cut(table, &inc, &[]), &mut want).unwrap();
        assert_eq!(out, want);
    }

    /// `op` over `data` streamed on one core and on several (with tiny blocks) gives `want`.
    fn streams_as(data: &str, op: &Op<'_>, want: &str) {
        for (threads, block) in [(1, BLOCK), (3, 4), (2, BLOCK)] {
            let mut out = Vec::new();
            assert!(run_with(data.as_bytes(), &mut out, op, threads, block).unwrap());
            assert_eq!(
                String::from_utf8(out).unwrap(),
                want,
                "{data:?} on {threads} cores"
            );
        }
    }

    /// A short row keeps its own cells through a streaming `cut`: `x,y` under `#a,#b,#c`
    /// cut to `#a,#c` is `x,` (it was written `x,y`, the kept columns being as many as
    /// the row's cells), whether its block is plain, quoted or parsed, on one core or
    /// several.
    #[test]
    fn a_cut_of_a_short_row_keeps_its_own_columns() {
        let exclude = TagPattern::parse_list("b").unwrap();
        let op = Op::Cut {
            include: &[],
            exclude: &exclude,
        };
        for data in [
            "#a,#b,#c\n1,2,3\nx,y\n",
            "#a,#b,#c\n1,2,3\nx,y\n\"q\",r\np,\"s, t\"\n",
            "#a,#b,#c\r\n1,2,3\r\nx,y\r\n",
        ] {
            let want = String::from_utf8(table_way(data.as_bytes(), &op).unwrap()).unwrap();
            assert!(want.contains("\nx,\n"), "{want}");
            streams_as(data, &op, &want);
        }
    }

    /// `select` writes a short row and a long row as they are, as the table does (the
    /// stream once padded a short row to the hashtag row's width, and cut a long one to
    /// it: found by `stream_blocks` once it compared the stream with the table).
    #[test]
    fn select_writes_short_and_long_rows_as_they_are() {
        let q = [Query::parse("a!=0").unwrap()];
        let op = Op::Select {
            queries: &q,
            reverse: false,
        };
        for data in [
            "#a,#b,#c\n1,2,3\nshort\nlong,2,3,4,5\n",
            "#a,#b,#c\n1,2,\"3\"\n\"short\"\nlong,2,3,\"4, 5\"\n",
            "#a,#b,#c\r\n1,2,3\r\nshort\r\nlong,2,3,4,5\r\n",
        ] {
            let want = String::from_utf8(table_way(data.as_bytes(), &op).unwrap()).unwrap();
            assert!(want.contains("\nshort\nlong,2,3,"), "{want}");
            streams_as(data, &op, &want);
        }
    }

    /// A row of no-break spaces (or a vertical tab) is blank, as `str::trim` and so the
    /// table have it: streaming `select -r`, `cut`, `count` and `sort` leave it out too,
    /// in plain, quoted and parsed blocks, on one core or several.
    #[test]
    fn rows_of_unicode_white_space_are_blank_as_in_the_table() {
        let q = [Query::parse("a=1").unwrap()];
        let tags = TagPattern::parse_list("a").unwrap();
        let ops = [
            Op::Select {
                queries: &q,
                reverse: true,
            },
            Op::Cut {
                include: &[],
                exclude: &[],
            },
            Op::Count {
                patterns: &tags,
                aggregates: &[],
            },
            Op::Sort {
                patterns: &tags,
                reverse: false,
            },
        ];
        for data in [
            "#a,#b\n1,2\n\u{a0},\u{a0}\n\u{b}, \n3,4\n",
            "#a,#b\n1,\"2\"\n\u{a0},\"\u{a0}\"\n3,4\n",
            "#a,#b\r\n1,2\r\n\u{3000},\u{2003}\r\n3,4\r\n",
        ] {
            let table = crate::csv_io::read_csv(data.as_bytes()).unwrap();
            assert_eq!(table.rows.len(), 2, "the table drops the blank row");
            for op in &ops {
                let want = String::from_utf8(table_way(data.as_bytes(), op).unwrap()).unwrap();
                streams_as(data, op, &want);
            }
        }
    }

    /// Every file here goes through `count`, `select` and `cut` on one core and on three
    /// with tiny blocks (so a few rows each): the outputs must be the same bytes.
    #[test]
    fn blocks_on_several_cores_give_exactly_the_one_core_output() {
        let mut big = String::from(
            "Report\nOrg,Sector,Province,Reached,Note\n#org,#sector,#adm1,#reached,#meta\n",
        );
        for i in 0..400 {
            big.push_str(&format!(
                "{},{},{},{}.{},n{i}\r\n",
                ["A", "B", "Ç", "d"][i % 4],
                ["WASH", "wash", "Health"][i % 3],
                ["Idlib", " idlib", "Aleppo", ""][i % 4],
                i % 50,
                i % 10
            ));
            if i % 97 == 0 {
                // a blank row, and one blank only in the cells a query tests
                big.push_str("\n,,,\n, ,Idlib,3,late\n");
            }
            if i % 41 == 0 {
                big.push_str("E,Shelter,Idlib,0.1,ragged,extra\n");
            }
        }
        // quotes (and a line break in a cell) late in the file: one core from there on
        let mut quoted = big.clone();
        quoted.push_str("\"F, inc\",WASH,Idlib,\"1,5\",\"two\nlines\"\n");
        quoted.push_str(&big[big.find("A,WASH").unwrap()..]);
        let files = [
            format!("\u{feff}{big}"),
            quoted,
            big.replace("\r\n", "\n"),
            // other delimiters: cells may hold commas, which the output must quote
            big["Report\n".len()..]
                .replace(',', "\t")
                .replace("n1", "n,1"),
            big["Report\n".len()..]
                .replace(',', ";")
                .replace("n1", "n,1"),
            // quotes everywhere: cells quoted with commas, doubled quotes and line
            // breaks in them, a quote inside an unquoted cell, text after a closing quote
            big.replace(",n1", ",\"n,1\"")
                .replace(",n2", ",\"say \"\"n2\"\"\nthen\r\nmore\"")
                .replace(",n3", ",n\"3")
                .replace(",n4", ",\"n\"4"),
            // quotes in the cells queries test, rows of quoted blanks, quoted ends
            big.replace(",WASH,", ",\"WASH\",")
                .replace(",wash,", ",\" wa\"\"sh \",")
                .replace("\n,,,\n", "\n\"\"\n\" \",,\"\"\n")
                .replace(",n5\r\n", ",\"n5\"\r\n"),
            // a BOM at the start of a row mid-file is a cell's, not the file's
            // (with a quoted cell, so that its block goes through the CSV parser)
            big.replace("\nB,", "\n\u{feff}B,\"q\","),
        ];
        let counts = [
            (
                "sector,adm1",
                vec![
                    "count()",
                    "sum(reached)",
                    "average(reached)",
                    "min(reached)",
                    "max(reached)",
                    "concat(org)",
                ],
            ),
            ("org", vec!["sum(reached) as Total#reached+total"]),
            ("meta", vec![]),
        ];
        let queries = [
            vec![Query::parse("sector=wash").unwrap()],
            vec![
                Query::parse("reached>20").unwrap(),
                Query::parse("org~^[AB]").unwrap(),
            ],
        ];
        let cuts = [
            TagPattern::parse_list("org,reached").unwrap(),
            TagPattern::parse_list("adm1").unwrap(),
            // no column at all (found by the stream_blocks fuzz target)
            TagPattern::parse_list("nothing").unwrap(),
        ];
        let sorts = [
            TagPattern::parse_list("org").unwrap(),
            TagPattern::parse_list("reached,sector").unwrap(),
            Vec::new(),
        ];
        for file in &files {
            let mut ops: Vec<Op<'_>> = Vec::new();
            let parsed: Vec<_> = counts
                .iter()
                .map(|(t, a)| {
                    (
                        TagPattern::parse_list(t).unwrap(),
                        a.iter()
                            .map(|a| crate::filters::Aggregate::parse(a).unwrap())
                            .collect::<Vec<_>>(),
                    )
                })
                .collect();
            for (patterns, aggregates) in &parsed {
                ops.push(Op::Count {
                    patterns,
                    aggregates,
                });
            }
            for q in &queries {
                ops.push(Op::Select {
                    queries: q,
                    reverse: false,
                });
                ops.push(Op::Select {
                    queries: q,
                    reverse: true,
                });
            }
            for (n, s) in sorts.iter().enumerate() {
                ops.push(Op::Sort {
                    patterns: s,
                    reverse: n == 1,
                });
            }
            for c in &cuts {
                ops.push(Op::Cut {
                    include: c,
                    exclude: &[],
                });
                ops.push(Op::Cut {
                    include: &[],
                    exclude: c,
                });
            }
            for (n, op) in ops.iter().enumerate() {
                let (mut one, mut many) = (Vec::new(), Vec::new());
                assert!(run_with(file.as_bytes(), &mut one, op, 1, BLOCK).unwrap());
                assert!(run_with(file.as_bytes(), &mut many, op, 3, 64).unwrap());
                assert_eq!(
                    String::from_utf8(many).unwrap(),
                    String::from_utf8(one).unwrap(),
                    "op {n}"
                );
            }
        }
        // a cell that is not UTF-8 in a late block: the caller decodes the file instead
        let mut bad = big.clone().into_bytes();
        bad.extend_from_slice(b"A,WASH,Idlib,3,caf\xe9\n");
        let q = [Query::parse("meta=x").unwrap()];
        let op = Op::Select {
            queries: &q,
            reverse: false,
        };
        assert!(!run_with(&bad[..], &mut Vec::new(), &op, 1, BLOCK).unwrap());
        assert!(!run_with(&bad[..], &mut Vec::new(), &op, 3, 64).unwrap());
    }

    /// Found by the `stream_blocks` fuzz target: two cells that are not UTF-8 whose bytes,
    /// put together, are (`…\xEF` then `\xBB\xBF…`, a BOM split at the comma). One core
    /// took the row for text; the row is not text on any core.
    #[test]
    fn cells_that_are_text_only_together_are_not_text() {
        let data = b"#org,#sector,#adm1,\n\xC3\x87,WASIdli\xEF,\xBB\xBF#org,8\n";
        let t = TagPattern::parse_list("org").unwrap();
        let q = [Query::parse("sector=wash").unwrap()];
        let ops = [
            Op::Sort {
                patterns: &t,
                reverse: false,
            },
            Op::Select {
                queries: &q,
                reverse: true,
            },
        ];
        for op in &ops {
            assert!(!run_with(&data[..], &mut Vec::new(), op, 1, BLOCK).unwrap());
            assert!(!run_with(&data[..], &mut Vec::new(), op, 3, 2).unwrap());
        }
    }

    /// Found by the `stream_blocks` fuzz target: a BOM opening the first row after the
    /// hashtag row was dropped by the block's own CSV reader.
    #[test]
    fn a_bom_mid_file_is_kept_on_every_core() {
        let data = b"#\x03#org,#sector,#adm1,#n\n\xEF\xBB\xBF,\"swo\n;e";
        let q = [Query::parse("sector=wash").unwrap()];
        let op = Op::Select {
            queries: &q,
            reverse: true,
        };
        let (mut one, mut many) = (Vec::new(), Vec::new());
        assert!(run_with(&data[..], &mut one, &op, 1, BLOCK).unwrap());
        assert!(run_with(&data[..], &mut many, &op, 3, 4).unwrap());
        assert_eq!(
            String::from_utf8(many).unwrap(),
            String::from_utf8(one).unwrap()
        );
    }

    #[test]
    fn rows_end_where_the_csv_parser_ends_them() {
        let end = |s: &str| last_row_end(s.as_bytes(), b',');
        assert_eq!(end("a,b\nc,d\ne"), Some(8));
        assert_eq!(end("a,\"b\nc\",d\ne"), Some(10), "a line break in quotes");
        assert_eq!(end("a,\"b\"\"\nc\"\n"), Some(10), "a doubled quote");
        assert_eq!(
            end("a,b\"\nc\n"),
            Some(7),
            "a quote inside a cell is a character"
        );
        assert_eq!(end("a\n\"open\nstill"), Some(2), "ends inside quotes");
        assert_eq!(
            end("a\n\"b\""),
            Some(2),
            "ends on a quote the next byte decides"
        );
        assert_eq!(end("\"x\"y\"\nz\n"), Some(8), "text after a closing quote");
        assert_eq!(end("no end"), None);
    }

    #[test]
    fn sums_are_exact_whatever_the_order() {
        let mut a = crate::filters::ExactSum::default();
        for x in [0.1, 0.2, 0.3, 1e16, 1.0, -1e16] {
            a.add(x);
        }
        // 0.1 + 0.2 + 0.3 + 1 exactly rounded, where adding left to right gives 2
        assert_eq!(a.value(), 1.6);
        let (mut b, mut c) = (
            crate::filters::ExactSum::default(),
            crate::filters::ExactSum::default(),
        );
        for x in [1e16, 0.3, 1.0] {
            b.add(x);
        }
        for x in [-1e16, 0.2, 0.1] {
            c.add(x);
        }
        b.merge(&c);
        assert_eq!(b.value(), a.value());
    }

    #[test]
    fn streaming_count_matches_the_table_count() {
        let data = "Org,Sector,Province,Reached\n#org,#sector,#adm1,#reached\nA,WASH,Idlib,10\nB,wash, Idlib,5\nC,Health,Aleppo,x\nA,Health,Aleppo,7.5\n\n";
        let tags = TagPattern::parse_list("sector,adm1").unwrap();
        let aggs: Vec<_> = [
            "count()",
            "sum(reached) as Total#reached+total",
            "average(reached)",
            "min(reached)",
            "max(reached)",
            "concat(org)",
        ]
        .iter()
        .map(|a| crate::filters::Aggregate::parse(a).unwrap())
        .collect();
        let mut out = Vec::new();
        assert!(run(
            data.as_bytes(),
            &mut out,
            &Op::Count {
                patterns: &tags,
                aggregates: &aggs
            }
        )
        .unwrap());
        let table = crate::csv_io::read_csv(data.as_bytes()).unwrap();
        let mut want = Vec::new();
        crate::csv_io::write_csv(&crate::filters::count(table, &tags, &aggs), &mut want).unwrap();
        let (out, want) = (
            String::from_utf8(out).unwrap(),
            String::from_utf8(want).unwrap(),
        );
        assert_eq!(out, want);
        assert!(out.contains("WASH,Idlib,2,15,7.5,5,10,A | B"), "{out}");
    }

    #[test]
    fn streaming_sort_matches_the_table_sort() {
        // numbers before text, dates written two ways, accents and case, ragged and blank
        // rows, quoted cells, ties that must keep their order, forwards and reversed
        let data = "Org,When,N,Note\n#org,#date,#targeted,#meta\n\
            b,2026-03-01,10,one\n\
            B ,01/03/2026,9,two\n\
            Éa,2026-02-01,x,three\n\
            a,March 1 2026,010,\"four, quoted\"\n\
            \n\
            10,2026,1.5\n\
            9,,-3,six\n\
            a,2026-03-01,10,seven,extra\n\
            \"c \"\"q\"\"\",2026-01-01,2,\"line\nbreak\"\n";
        let table = crate::csv_io::read_csv(data.as_bytes()).unwrap();
        for tags in ["org", "date", "targeted", "org,date", ""] {
            let patterns = TagPattern::parse_list(tags).unwrap_or_default();
            for reverse in [false, true] {
                let mut out = Vec::new();
                assert!(run(
                    data.as_bytes(),
                    &mut out,
                    &Op::Sort {
                        patterns: &patterns,
                        reverse
                    }
                )
                .unwrap());
                let mut want = Vec::new();
                crate::csv_io::write_csv(
                    &crate::filters::sort(table.clone(), &patterns, reverse),
                    &mut want,
                )
                .unwrap();
                let want = String::from_utf8(want).unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    want,
                    "-t {tags:?} reverse {reverse}"
                );
                // the same read in blocks of a few bytes on three cores and merged
                for block in [8, 20, 64] {
                    let op = Op::Sort {
                        patterns: &patterns,
                        reverse,
                    };
                    let mut out = Vec::new();
                    assert!(run_with(data.as_bytes(), &mut out, &op, 3, block).unwrap());
                    assert_eq!(
                        String::from_utf8(out).unwrap(),
                        want,
                        "-t {tags:?} reverse {reverse}, blocks of {block}"
                    );
                }
            }
        }
    }

    #[test]
    fn row_filters_stream_across_batches_exactly_as_the_table_does() {
        let mut data = String::from("Org,Sector,Date,N\n#org,#sector,#date,#reached\n");
        for i in 0..(BATCH * 2 + 7) {
            data.push_str(&format!(
                " Org {i} , wash ,{}/03/2026, 0{i}.0\n",
                1 + i % 28
            ));
        }
        let o = crate::filters::CleanOptions {
            whitespace: TagPattern::parse_list("org").unwrap(),
            upper: TagPattern::parse_list("sector").unwrap(),
            dates: TagPattern::parse_list("date").unwrap(),
            numbers: TagPattern::parse_list("reached").unwrap(),
            ..Default::default()
        };
        let add = vec![crate::filters::parse_add("Country#country+code=SY").unwrap()];
        let filters: Vec<Box<dyn Fn(crate::Table) -> crate::Table>> = vec![
            Box::new(|t| crate::filters::clean(t, &o)),
            Box::new(|t| crate::filters::add(t, &add, true)),
        ];
        for f in &filters {
            let mut out = Vec::new();
            assert!(run(data.as_bytes(), &mut out, &Op::Rows(f.as_ref())).unwrap());
            let mut want = Vec::new();
            let t = crate::csv_io::read_csv(data.as_bytes()).unwrap();
            crate::csv_io::write_csv(&f(t), &mut want).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(want).unwrap()
            );
        }
    }

    #[test]
    fn the_command_line_falls_back_for_legacy_encodings() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("legacy.csv");
        // Windows-1256: "إدلب" and "حلب"
        std::fs::write(&f, b"#org,#adm1\nA,\xC5\xCF\xE1\xC8\nB,\xCD\xE1\xC8\n").unwrap();
        let args: Vec<String> = ["select", "-q", "adm1=إدلب", f.to_str().unwrap()]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut out = Vec::new();
        crate::cli::run(&args, &mut std::io::empty(), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("A,إدلب") && !text.contains("حلب"), "{text}");
    }

    #[test]
    fn a_large_output_streams_and_a_late_encoding_change_is_an_error_not_garbage() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("big.csv");
        let mut data = b"#org,#adm1\n".to_vec();
        while data.len() < 10 << 20 {
            data.extend_from_slice(b"AMAL,SY-ID-a-long-code-for-a-large-output-0123\n");
        }
        std::fs::write(&f, &data).unwrap();
        let args = |tool: &str| -> Vec<String> {
            [tool, "-i", "adm1", f.to_str().unwrap()]
                .iter()
                .map(|s| s.to_string())
                .collect()
        };
        let mut out = Vec::new();
        crate::cli::run(&args("cut"), &mut std::io::empty(), &mut out).unwrap();
        assert_eq!(out.len(), 6 + (data.len() - 11) / 47 * 42);
        // the same file with a Windows-1256 row after 10 MB of ASCII (the rows before it
        // were written out: too late to decode the file instead)
        data.extend_from_slice(b"B,\xC5\xCF\xE1\xC8\n");
        std::fs::write(&f, &data).unwrap();
        let mut out = Vec::new();
        let e = crate::cli::run(&args("cut"), &mut std::io::empty(), &mut out).unwrap_err();
        assert!(e.to_string().contains("--encoding"), "{e}");
    }

    #[test]
    fn legacy_encodings_fall_back() {
        let mut out = Vec::new();
        let q = [Query::parse("org=x").unwrap()];
        assert!(!run(
            &b"#org\n\xC5\xCF\n"[..],
            &mut out,
            &Op::Select {
                queries: &q,
                reverse: false
            }
        )
        .unwrap_or(false));
    }
}
