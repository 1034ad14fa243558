//! A fast reader for the `.xlsx` sheets that make up nearly every real upload: plain
//! cells (shared strings, inline strings, numbers, dates by their number format,
//! booleans, formula results) under `<sheetData>`, and merged ranges. It scans the
//! unzipped XML with `memchr` instead of a general XML parser, which is what made reading
//! a 100,000-row sheet take most of a second.
//!
//! It reads the same text calamine does, or nothing: anything it does not know for
//! certain (a namespace prefix, CDATA, `_xHHHH_` escapes, carriage returns, error or ISO
//! date cells, the 1904 date system, a cell without its reference, a chart sheet) makes
//! it answer `None`, and the caller reads the workbook with calamine instead. A test
//! compares both readers cell by cell on workbooks of every kind we write and keep.

use crate::csv_io::{parse_tag_row, HASHTAG_ROW_LIMIT};
use crate::stream::{write_cells, Op, RowFilter};
use crate::table::{Column, Table};
use memchr::memmem;
use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{Cursor, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};

/// How a number cell's format shows it: as a number, or as a date (or a time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Number,
    Date,
}

/// A workbook opened for fast reading.
pub(crate) struct Book<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// (sheet name, path of its part in the archive)
    sheets: Vec<(String, String)>,
    strings: Vec<String>,
    /// per cell style (`s`), how a number is shown
    styles: Vec<Shown>,
}

/// A merged range: ((first row, first column), (last row, last column)), 0-based.
pub(crate) type Range = ((u32, u32), (u32, u32));

/// A sheet laid out: its rows of text from its top-left non-empty cell, all as wide as
/// the widest, with that cell's (row, column); and its merged ranges.
pub(crate) type Cells = ((Vec<Vec<String>>, (u32, u32)), Vec<Range>);

impl<'a> Book<'a> {
    /// The workbook, if the fast reader can read all it needs of it (`None`: use calamine).
    pub(crate) fn open(bytes: &'a [u8]) -> Option<Book<'a>> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
        let workbook = part(&mut zip, "xl/workbook.xml")?;
        if workbook.contains("date1904=\"1\"") || workbook.contains("date1904=\"true\"") {
            return None;
        }
        let rels = part(&mut zip, "xl/_rels/workbook.xml.rels")?;
        let mut targets: Vec<(String, String)> = Vec::new();
        for tag in tags(&rels, "<Relationship ") {
            let id = attr(tag, "Id")?;
            let kind = attr(tag, "Type")?;
            let target = attr(tag, "Target")?;
            if kind.ends_with("/worksheet") {
                let path = match target.strip_prefix('/') {
                    Some(abs) => abs.to_string(),
                    None => format!("xl/{target}"),
                };
                targets.push((id.to_string(), path));
            }
        }
        let sheets_xml = between(&workbook, "<sheets>", "</sheets>")?;
        let mut sheets = Vec::new();
        for tag in tags(sheets_xml, "<sheet ") {
            let name = unescape(attr(tag, "name")?)?;
            let id = attr(tag, "r:id")?;
            // a chart sheet or anything not a worksheet: calamine's business
            let (_, path) = targets.iter().find(|(i, _)| i == id)?;
            sheets.push((name, path.clone()));
        }
        let strings = match zip.index_for_name("xl/sharedStrings.xml") {
            Some(_) => shared_strings(&part(&mut zip, "xl/sharedStrings.xml")?)?,
            None => Vec::new(),
        };
        let styles = match zip.index_for_name("xl/styles.xml") {
            Some(_) => styles(&part(&mut zip, "xl/styles.xml")?)?,
            None => Vec::new(),
        };
        Some(Book {
            zip,
            sheets,
            strings,
            styles,
        })
    }

    /// The sheets' names, in the workbook's order.
    pub(crate) fn names(&self) -> Vec<String> {
        self.sheets.iter().map(|(n, _)| n.clone()).collect()
    }

    /// A sheet's non-empty cells and merged ranges (`None`: something only calamine reads).
    pub(crate) fn cells(&mut self, name: &str, max_cells: usize) -> Option<Result<Cells, String>> {
        let path = self.sheets.iter().find(|(n, _)| n == name)?.1.clone();
        let (strings, styles) = (&self.strings, &self.styles);
        let mut file = self.zip.by_name(&path).ok()?;
        let all = AtomicUsize::new(0);
        let (scanned, xml) = read_pieces(
            &mut file,
            |_| true,
            |piece| scan(piece, strings, styles, max_cells, &all),
        )?;
        // the parts' rows in order, gaps as empty rows, all from the leftmost column used
        // and as wide as the widest
        let mut parts = Vec::with_capacity(scanned.len());
        for part in scanned {
            match part? {
                Ok(rows) => parts.push(rows),
                Err(()) => return Some(Err(String::new())),
            }
        }
        let c0 = parts.iter().filter_map(|p| p.min_col).min().unwrap_or(0);
        let mut grid: Vec<Vec<String>> = Vec::new();
        let mut r0 = None;
        let mut last: Option<u32> = None;
        let mut width = 0;
        for part in parts {
            for (r, mut cells) in part.rows {
                if last.is_some_and(|l| r <= l) {
                    return None; // rows out of order: calamine sorts them
                }
                let first = *r0.get_or_insert(r);
                let ri = (r - first) as usize;
                if ri > grid.len() {
                    grid.resize_with(ri, Vec::new);
                }
                if c0 > 0 {
                    cells.drain(..c0 as usize);
                }
                width = width.max(cells.len());
                grid.push(cells);
                last = Some(r);
            }
        }
        if width.saturating_mul(grid.len()) > max_cells {
            return Some(Err(String::new()));
        }
        for row in &mut grid {
            row.resize(width, String::new());
        }
        let laid_out = (grid, (r0.unwrap_or(0), c0));
        Some(Ok((laid_out, merged_ranges(&xml)?)))
    }
}

/// The merged ranges in what follows `</sheetData>`; `None` where they cannot be read.
fn merged_ranges(xml: &[u8]) -> Option<Vec<Range>> {
    let mut merges = Vec::new();
    if let Some(m) = memmem::find(xml, b"<mergeCells") {
        let m = std::str::from_utf8(&xml[m..]).ok()?;
        let m = &m[..m.find("</mergeCells>")?];
        for tag in tags(m, "<mergeCell ") {
            let (a, b) = attr(tag, "ref")?.split_once(':')?;
            merges.push((cell_ref(a)?, cell_ref(b)?));
        }
    }
    Some(merges)
}

/// Inflate a sheet part a piece at a time on this thread while other threads turn the
/// pieces already cut (at row ends) with `each`; once everything is inflated this thread
/// reads pieces too. `first` sees the first piece before anyone reads it (and may stop
/// everything by answering `false`). The pieces' results come back in order, with what
/// follows `</sheetData>`.
fn read_pieces<T: Send>(
    file: &mut impl Read,
    mut first: impl FnMut(&[u8]) -> bool,
    each: impl Fn(&[u8]) -> T + Sync,
) -> Option<(Vec<T>, Vec<u8>)> {
    let queue = Mutex::new((VecDeque::<(usize, Vec<u8>, usize)>::new(), false));
    let ready = Condvar::new();
    let results = Mutex::new(Vec::<(usize, T)>::new());
    // buffers read, for the next pieces
    let pool = Mutex::new(Vec::<Vec<u8>>::new());
    let read_one = |(i, bytes, len): (usize, Vec<u8>, usize)| {
        let r = each(&bytes[..len]);
        if let Ok(mut res) = results.lock() {
            res.push((i, r));
        }
        if let Ok(mut p) = pool.lock() {
            p.push(bytes);
        }
    };
    let work = || loop {
        let piece = {
            let Ok(mut q) = queue.lock() else { return };
            loop {
                if let Some(p) = q.0.pop_front() {
                    break Some(p);
                }
                if q.1 {
                    break None;
                }
                q = match ready.wait(q) {
                    Ok(q) => q,
                    Err(_) => return,
                };
            }
        };
        let Some(piece) = piece else { return };
        read_one(piece);
    };
    let helpers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
        - 1;
    let tail = std::thread::scope(|s| {
        for _ in 0..helpers {
            s.spawn(work);
        }
        let send = |i: usize, bytes: Vec<u8>, len: usize| {
            if i == 0 && !first(&bytes[..len]) {
                return false;
            }
            if let Ok(mut q) = queue.lock() {
                q.0.push_back((i, bytes, len));
            }
            ready.notify_one();
            // inflating is quicker than reading: while pieces wait, read one here too
            // (which also keeps the buffers few, and so already paged in)
            while let Some(p) =
                queue
                    .lock()
                    .ok()
                    .and_then(|mut q| if q.0.len() > 1 { q.0.pop_front() } else { None })
            {
                read_one(p);
            }
            true
        };
        let tail = inflate_in_pieces(file, || piece_buffer(&pool), send);
        if let Ok(mut q) = queue.lock() {
            q.1 = true;
        }
        ready.notify_all();
        work();
        tail
    })?;
    let mut done = results.into_inner().ok()?;
    done.sort_by_key(|(i, _)| *i);
    Some((done.into_iter().map(|(_, r)| r).collect(), tail))
}

/// What `select` knows before reading a sheet's rows: the rows down to the hashtag row
/// (read whole), where that row is, and which columns each query tests, by column letter
/// (so whatever the layout turns out to be).
struct Plan<'q> {
    /// (0-based row, cells from column A), the rows with text down to the hashtag row
    head: Vec<(u32, Vec<String>)>,
    tag_row: u32,
    /// the hashtags of the hashtag row, by column from A
    tags: Vec<Option<crate::tag::Hashtag>>,
    filter: RowFilter<'q>,
    /// by column, whether a query tests it
    tested: Vec<bool>,
    /// by shared string, one bit each: empty; only white space
    empty: Vec<u64>,
    blank: Vec<u64>,
}

/// Bit `i` of a bit set.
fn bit(set: &[u64], i: usize) -> bool {
    set.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
}

/// A bit set of the strings that are `what`.
fn bits(strings: &[String], what: impl Fn(&str) -> bool) -> Vec<u64> {
    let mut set = vec![0u64; strings.len().div_ceil(64)];
    for (i, s) in strings.iter().enumerate() {
        if what(s) {
            set[i / 64] |= 1 << (i % 64);
        }
    }
    set
}

/// A cell's text in a row `select` reads: a shared string by its index, for a cell no
/// query tests (its text is looked up only if the row is kept), or the text.
enum Value<'s> {
    Shared(usize),
    Text(Cow<'s, str>),
}

impl<'s> Value<'s> {
    fn text(&self, strings: &'s [String]) -> &str {
        match self {
            Value::Shared(i) => strings.get(*i).map_or("", String::as_str),
            Value::Text(t) => t,
        }
    }
}

/// The plan, from the first piece of a sheet (`None`: its hashtag row is not among the
/// rows the piece holds, or they need calamine).
fn plan<'q>(piece: &[u8], strings: &[String], styles: &[Shown], op: &Op<'q>) -> Option<Plan<'q>> {
    // the first rows of the XML hold every row the hashtag row can be (rows with no text
    // are missing from the XML, or present and empty: either way each XML row is one)
    let mut end = 0;
    for _ in 0..HASHTAG_ROW_LIMIT {
        match memmem::find(&piece[end..], b"</row>") {
            Some(i) => end += i + 6,
            None => {
                end = piece.len();
                break;
            }
        }
    }
    let Ok(rows) = scan(
        &piece[..end],
        strings,
        styles,
        usize::MAX,
        &AtomicUsize::new(0),
    )?
    else {
        return None;
    };
    let r0 = rows.rows.first()?.0;
    let none = Vec::new();
    // as `Table::from_rows` looks for it: among the first rows from the first with text,
    // rows without text included
    let (tag_row, tags) = (r0..r0.saturating_add(HASHTAG_ROW_LIMIT as u32)).find_map(|r| {
        let cells = rows
            .rows
            .iter()
            .find(|(n, _)| *n == r)
            .map_or(&none, |(_, c)| c);
        parse_tag_row(cells).map(|(tags, _)| (r, tags))
    })?;
    let columns: Vec<Column> = tags
        .iter()
        .map(|tag| Column {
            header: None,
            tag: tag.clone(),
        })
        .collect();
    let mut head = rows.rows;
    head.retain(|(r, _)| *r <= tag_row);
    let filter = RowFilter::new(op, &columns);
    let mut tested = vec![false; columns.len()];
    for c in filter.tested_columns() {
        tested[c] = true;
    }
    Some(Plan {
        head,
        tag_row,
        tags,
        filter,
        tested,
        empty: bits(strings, str::is_empty),
        blank: bits(strings, |s| s.trim().is_empty()),
    })
}

/// What `select` keeps of part of a sheet (the rows that pass, their text end to end),
/// and what laying out the whole sheet needs to know of the part.
#[derive(Default)]
struct Picked {
    /// each kept row as the index in `cells` where it ends
    rows: Vec<usize>,
    /// the kept rows' cells: (column, where its text ends in `text`)
    cells: Vec<(u32, usize)>,
    text: String,
    /// the first and last rows with text
    span: Option<(u32, u32)>,
    /// the leftmost and rightmost columns with text
    cols: Option<(u32, u32)>,
    /// cells laid out from column A, row by row (as [`scan`] counts them)
    laid_out: usize,
}

impl Picked {
    /// A row has ended: test it if it is data, keep it if it passes.
    fn row_ends<'s>(
        &mut self,
        r: u32,
        row: &[(u32, Value<'s>)],
        plan: &Plan<'_>,
        strings: &'s [String],
    ) {
        self.laid_out += row.last().map_or(0, |(c, _)| *c as usize + 1);
        let blank = |v: &Value<'_>| match v {
            Value::Shared(i) => bit(&plan.blank, *i),
            Value::Text(t) => t.trim().is_empty(),
        };
        if r <= plan.tag_row || row.iter().all(|(_, v)| blank(v)) {
            return;
        }
        // a tested column is always inside the hashtag row, so inside the table: where
        // the row has no cell there, the table has an empty one
        let cell = |i: usize| -> Option<&[u8]> {
            let at = row.binary_search_by_key(&(i as u32), |(c, _)| *c);
            Some(at.map_or(&b""[..], |k| row[k].1.text(strings).as_bytes()))
        };
        if plan.filter.passes(cell) != Some(true) {
            return;
        }
        for (c, v) in row {
            self.text.push_str(v.text(strings));
            self.cells.push((*c, self.text.len()));
        }
        self.rows.push(self.cells.len());
    }
}

/// [`Picked`] of part of `<sheetData>` (whole rows); `None`: something only calamine
/// reads, rows or cells out of order included.
fn pick<'s>(
    data: &[u8],
    strings: &'s [String],
    styles: &[Shown],
    plan: &Plan<'_>,
) -> Option<Picked> {
    let mut out = Picked::default();
    let mut row: Vec<(u32, Value<'s>)> = Vec::new();
    let mut current: Option<u32> = None;
    let mut cells = CellScan::new(data);
    while let Some(cell) = cells.next_cell()? {
        let untested = !plan.tested.get(cell.col as usize).copied().unwrap_or(false);
        let t = if cell.a.t == Some(b"s") && untested {
            // a shared string no query tests: its text is wanted only if the row is kept
            let i = match cell.v {
                None | Some(b"") => continue,
                Some(v) => digits(v)?,
            };
            if i >= strings.len() {
                return None;
            }
            if bit(&plan.empty, i) {
                continue;
            }
            Value::Shared(i)
        } else {
            let t = text(&cell, strings, styles)?;
            if t.is_empty() {
                continue;
            }
            Value::Text(t)
        };
        match current {
            Some(r) if r == cell.row => {
                if row.last().is_some_and(|(c, _)| cell.col <= *c) {
                    return None;
                }
            }
            Some(r) if r > cell.row => return None,
            _ => {
                if let Some(r) = current {
                    out.row_ends(r, &row, plan, strings);
                }
                row.clear();
                current = Some(cell.row);
                out.span = Some((out.span.map_or(cell.row, |(f, _)| f), cell.row));
            }
        }
        out.cols = Some(match out.cols {
            None => (cell.col, cell.col),
            Some((a, b)) => (a.min(cell.col), b.max(cell.col)),
        });
        row.push((cell.col, t));
    }
    if let Some(r) = current {
        out.row_ends(r, &row, plan, strings);
    }
    Some(out)
}

impl Book<'_> {
    /// `select` (`op`) over a sheet, written to `out` as CSV exactly as the sheet read
    /// as a table, filtered and written would be, without making a table: only the
    /// cells a query tests, and the rows kept, are ever made text. `None` (with nothing
    /// written): the sheet needs reading as a table (calamine, merged cells, a hashtag
    /// row not near the top, more than `max_cells` laid out…).
    pub(crate) fn select(
        &mut self,
        name: &str,
        op: &Op<'_>,
        max_cells: usize,
        out: &mut dyn Write,
    ) -> Option<std::io::Result<()>> {
        let path = self.sheets.iter().find(|(n, _)| n == name)?.1.clone();
        let (strings, styles) = (&self.strings, &self.styles);
        let mut file = self.zip.by_name(&path).ok()?;
        let planned = OnceLock::new();
        let (picked, tail) = read_pieces(
            &mut file,
            |first| match plan(first, strings, styles, op) {
                Some(p) => planned.set(p).is_ok(),
                None => false,
            },
            |piece| pick(piece, strings, styles, planned.get()?),
        )?;
        let plan = planned.into_inner()?;
        // merged ranges down to the hashtag row (a title or header over several columns)
        // are spread in the rows written below; one reaching a data row needs the table
        let merges = merged_ranges(&tail)?;
        if merges.iter().any(|(_, (last, _))| *last > plan.tag_row) {
            return None;
        }
        let picked: Vec<Picked> = picked.into_iter().collect::<Option<_>>()?;
        // the layout: from the first row and leftmost column with text, as wide as the
        // widest row; rows in order across the parts
        let (mut r0, mut last, mut cols, mut laid_out) = (None, None::<u32>, None, 0usize);
        for p in &picked {
            if let Some((f, l)) = p.span {
                if last.is_some_and(|x| f <= x) {
                    return None;
                }
                r0.get_or_insert(f);
                last = Some(l);
            }
            if let Some((a, b)) = p.cols {
                cols = Some(cols.map_or((a, b), |(x, y): (u32, u32)| (x.min(a), y.max(b))));
            }
            laid_out += p.laid_out;
        }
        let (r0, last, (c0, c1)) = (r0?, last?, cols?);
        let width = (c1 - c0) as usize + 1;
        if laid_out > max_cells || width.saturating_mul((last - r0) as usize + 1) > max_cells {
            return None;
        }
        // the header and hashtag rows, found again in the rows laid out
        let mut head: Vec<Vec<String>> = (r0..=plan.tag_row)
            .map(|r| {
                let mut cells: Vec<String> = plan
                    .head
                    .iter()
                    .find(|(n, _)| *n == r)
                    .and_then(|(_, c)| c.get(c0 as usize..))
                    .map(<[String]>::to_vec)
                    .unwrap_or_default();
                cells.resize(width, String::new());
                cells
            })
            .collect();
        crate::xlsx::merge_into(&mut head, (r0, c0), merges);
        let head = head
            .into_iter()
            .enumerate()
            .map(|(i, cells)| (r0 as usize + i + 1, cells));
        let table = Table::from_rows(head).ok()?;
        // the same hashtag row with the same hashtags as the rows were filtered by (a
        // merged range may have changed either)
        let same = table.rows.is_empty()
            && table.columns.len() == width
            && table.columns.iter().enumerate().all(|(i, c)| {
                c.tag.as_ref() == plan.tags.get(c0 as usize + i).and_then(Option::as_ref)
            });
        if !same {
            return None;
        }
        let mut buf = Vec::with_capacity(1 << 20);
        if table.has_headers() {
            let h: Vec<&[u8]> = table
                .columns
                .iter()
                .map(|c| c.header.as_deref().unwrap_or("").as_bytes())
                .collect();
            write_cells(&mut buf, width, h.into_iter());
        }
        let tags: Vec<String> = table
            .columns
            .iter()
            .map(|c| c.tag.as_ref().map(|t| t.to_string()).unwrap_or_default())
            .collect();
        write_cells(&mut buf, width, tags.iter().map(|t| t.as_bytes()));
        let mut fields: Vec<&[u8]> = vec![b""; width];
        let written = (|| {
            for p in &picked {
                let (mut from, mut at) = (0, 0);
                for &to in &p.rows {
                    fields.fill(b"");
                    for &(c, end) in &p.cells[from..to] {
                        fields[(c - c0) as usize] = &p.text.as_bytes()[at..end];
                        at = end;
                    }
                    from = to;
                    write_cells(&mut buf, width, fields.iter().copied());
                    if buf.len() >= 1 << 20 {
                        out.write_all(&buf)?;
                        buf.clear();
                    }
                }
            }
            out.write_all(&buf)
        })();
        Some(written)
    }
}

/// Any bytes through every parser of the fast reader, as the parts of a workbook would
/// reach them: sheet data (read whole, and by `select`), a shared strings table, styles,
/// a string item. For fuzzing.
pub(crate) fn parse_parts(data: &[u8]) -> usize {
    let styles_read = std::str::from_utf8(data).ok().and_then(styles);
    let strings = std::str::from_utf8(data)
        .ok()
        .and_then(shared_strings)
        .unwrap_or_default();
    let styles = styles_read
        .as_deref()
        .unwrap_or(&[Shown::Date, Shown::Number]);
    let item = std::str::from_utf8(data).ok().and_then(string_item);
    let cells = scan(data, &strings, styles, 1000, &AtomicUsize::new(0));
    let queries = [
        crate::filters::Query::parse("sector=WASH").expect("a query"),
        crate::filters::Query::parse("x_n>10").expect("a query"),
    ];
    let op = Op::Select {
        queries: &queries,
        reverse: false,
    };
    let picked = plan(data, &strings, styles, &op)
        .and_then(|p| pick(data, &strings, styles, &p))
        .map_or(0, |p| p.rows.len() + p.text.len());
    strings.len()
        + item.map_or(0, |s| s.len())
        + cells.map_or(0, |c| c.map_or(0, |c| c.rows.len()))
        + picked
}

/// Rows of part of a sheet: each (0-based row, its cells from column A, empty where
/// nothing is), only rows with text; and the leftmost column with text.
struct Rows {
    rows: Vec<(u32, Vec<String>)>,
    min_col: Option<u32>,
}

/// One cell as the sheet XML has it: where it stands and what decides its text.
struct RawCell<'d> {
    row: u32,
    col: u32,
    a: CellAttrs<'d>,
    body: &'d [u8],
    v: Option<&'d [u8]>,
}

/// The cells of whole rows of `<sheetData>`, in the order the XML has them; empty
/// (self-closing) cells are passed over.
struct CellScan<'d> {
    data: &'d [u8],
    at: usize,
    open: memmem::Finder<'static>,
}

impl<'d> CellScan<'d> {
    fn new(data: &'d [u8]) -> CellScan<'d> {
        CellScan {
            data,
            at: 0,
            open: memmem::Finder::new(b"<c"),
        }
    }

    /// The next cell (`Some(None)` at the end); `None`: something only calamine reads.
    #[inline]
    fn next_cell(&mut self) -> Option<Option<RawCell<'d>>> {
        let data = self.data;
        loop {
            // a cell mostly follows the one before straight away
            let start = if data[self.at..].starts_with(b"<c ") {
                self.at
            } else {
                match self.open.find(&data[self.at..]) {
                    Some(i) => self.at + i,
                    None => return Some(None),
                }
            };
            let after = *data.get(start + 2)?;
            if !matches!(after, b' ' | b'/' | b'>') {
                // `<col…`, `<cfRule…` never stand inside sheetData; anything else is odd
                return None;
            }
            let tag_end = start + memchr::memchr(b'>', &data[start..])?;
            let tag = &data[start + 2..tag_end];
            let a = cell_attrs(tag)?;
            let (row, col) = cell_ref_bytes(a.r?)?;
            if tag.last() == Some(&b'/') {
                self.at = tag_end + 1;
                continue;
            }
            // the usual body first: `<v>…</v></c>`
            let body = tag_end + 1;
            if data[body..].starts_with(b"<v>") {
                let vs = body + 3;
                let short = &data[vs..data.len().min(vs + 64)];
                if let Some(k) = short.iter().position(|&b| b == b'<') {
                    let ve = vs + k;
                    if data[ve..].starts_with(b"</v></c>") {
                        self.at = ve + 8;
                        return Some(Some(RawCell {
                            row,
                            col,
                            a,
                            body: &data[body..ve + 4],
                            v: Some(&data[vs..ve]),
                        }));
                    }
                }
            }
            // the body, tag by tag (text holds no `<`): its `<v>` value and where `</c>` is
            let mut p = body;
            let mut v: Option<&[u8]> = None;
            let end = loop {
                let q = p + memchr::memchr(b'<', &data[p..])?;
                let rest = &data[q..];
                if rest.starts_with(b"</c>") {
                    break q;
                }
                if rest.starts_with(b"<v>") {
                    let vs = q + 3;
                    let ve = vs + memchr::memchr(b'<', &data[vs..])?;
                    if !data[ve..].starts_with(b"</v>") || v.is_some() {
                        return None;
                    }
                    v = Some(&data[vs..ve]);
                    p = ve + 4;
                    continue;
                }
                if rest.starts_with(b"<v") {
                    return None;
                }
                p = q + 1;
            };
            self.at = end + 4;
            return Some(Some(RawCell {
                row,
                col,
                a,
                body: &data[tag_end + 1..end],
                v,
            }));
        }
    }
}

/// The rows of part of `<sheetData>` (whole rows). `None`: something only calamine reads
/// (rows or cells out of order included); `Err`: more than `max_cells` laid out.
fn scan(
    data: &[u8],
    strings: &[String],
    styles: &[Shown],
    max_cells: usize,
    laid_out_in_all: &AtomicUsize,
) -> Option<Result<Rows, ()>> {
    let mut out = Rows {
        rows: Vec::with_capacity(data.len() / 400),
        min_col: None,
    };
    // cells laid out (gaps included) in this row so far, added to every part's count as
    // each row ends: a sheet of far-apart cells is stopped however it is split
    let mut laid_out = 0usize;
    let flush = |n: &mut usize| {
        let all = laid_out_in_all.fetch_add(*n, Ordering::Relaxed) + *n;
        *n = 0;
        all <= max_cells
    };
    let mut cells = CellScan::new(data);
    while let Some(cell) = cells.next_cell()? {
        let text = text(&cell, strings, styles)?;
        if text.is_empty() {
            continue;
        }
        let (r, c) = (cell.row, cell.col);
        match out.rows.last() {
            Some((last, _)) if *last == r => {}
            Some((last, _)) if *last > r => return None,
            _ => {
                if !flush(&mut laid_out) {
                    return Some(Err(()));
                }
                out.rows.push((r, Vec::new()))
            }
        }
        let row = &mut out.rows.last_mut()?.1;
        let c = c as usize;
        if c < row.len() {
            return None; // a cell left of (or on) one already read: calamine's business
        }
        laid_out += c + 1 - row.len();
        if laid_out > max_cells {
            return Some(Err(()));
        }
        row.resize(c, String::new());
        row.push(text.into_owned());
        out.min_col = Some(out.min_col.map_or(cell.col, |m| m.min(cell.col)));
    }
    if !flush(&mut laid_out) {
        return Some(Err(()));
    }
    Some(Ok(out))
}

/// A cell's text as calamine and `cell_text` would give it (a shared string borrowed
/// from the table).
#[inline]
fn text<'s>(cell: &RawCell<'_>, strings: &'s [String], styles: &[Shown]) -> Option<Cow<'s, str>> {
    let (a, body, v) = (&cell.a, cell.body, cell.v);
    // the common case first: a shared string, by its index
    if a.t == Some(b"s") {
        return match v {
            None | Some(b"") => Some(Cow::Borrowed("")),
            Some(v) => strings.get(digits(v)?).map(|s| Cow::Borrowed(s.as_str())),
        };
    }
    let kind = match a.t {
        Some(t) => Some(std::str::from_utf8(t).ok()?),
        None => None,
    };
    if kind == Some("inlineStr") {
        let is = std::str::from_utf8(body).ok()?;
        return string_item(between(is, "<is>", "</is>")?).map(Cow::Owned);
    }
    let Some(v) = v else {
        return Some(Cow::Borrowed(""));
    };
    let v = std::str::from_utf8(v).ok()?;
    let owned = match kind {
        Some("b") => match v {
            "1" => "TRUE".into(),
            "0" => "FALSE".into(),
            _ => return None,
        },
        Some("str") => {
            if v.contains('\r') || v.contains("_x") {
                return None;
            }
            unescape(v)?
        }
        Some("n") | None => {
            if v.is_empty() {
                return Some(Cow::Borrowed(""));
            }
            let n: f64 = v.parse().ok()?;
            if !n.is_finite() {
                return None;
            }
            let shown = match a.s {
                Some(s) => {
                    let i: usize = std::str::from_utf8(s).ok()?.parse().ok()?;
                    styles.get(i).copied().unwrap_or(Shown::Number)
                }
                None => Shown::Number,
            };
            match shown {
                Shown::Date => crate::xlsx::excel_date(n),
                Shown::Number => crate::xlsx::number_text(n),
            }
        }
        // errors, ISO dates, anything new
        _ => return None,
    };
    Some(Cow::Owned(owned))
}

/// The attributes of a `<c>` tag that decide its text.
#[derive(Default)]
struct CellAttrs<'a> {
    r: Option<&'a [u8]>,
    s: Option<&'a [u8]>,
    t: Option<&'a [u8]>,
}

/// A `<c …>` tag's inside (after `<c`), attribute by attribute; `None` where it is not
/// plain `name="value"` pairs.
fn cell_attrs(tag: &[u8]) -> Option<CellAttrs<'_>> {
    let mut a = CellAttrs::default();
    let mut i = 0;
    loop {
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= tag.len() || tag[i] == b'/' {
            return Some(a);
        }
        let name_start = i;
        while i < tag.len() && tag[i] != b'=' && !tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let name = &tag[name_start..i];
        if tag.get(i) != Some(&b'=') {
            return None;
        }
        let q = *tag.get(i + 1)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let value_start = i + 2;
        let len = memchr::memchr(q, tag.get(value_start..)?)?;
        let value = &tag[value_start..value_start + len];
        i = value_start + len + 1;
        match name {
            b"r" => a.r = Some(value),
            b"s" => a.s = Some(value),
            b"t" => a.t = Some(value),
            _ => {}
        }
    }
}

/// How much inflated sheet goes to a reader thread at a time (cut at a row's end).
const PIECE: usize = 2 << 20;

/// How much is inflated at a time.
const READ: usize = 256 << 10;

/// A buffer for a piece: from `pool` (used before, so already zeroed and paged in) or
/// new.
fn piece_buffer(pool: &Mutex<Vec<Vec<u8>>>) -> Vec<u8> {
    pool.lock()
        .ok()
        .and_then(|mut p| p.pop())
        .unwrap_or_else(|| vec![0; PIECE + READ])
}

/// Inflate a sheet part, handing `send` its `<sheetData>` in numbered pieces that each
/// end with a whole row (a buffer from `fresh` and how much of it is the piece); returns
/// what follows `</sheetData>` (merged ranges), or `None` when the part cannot be read,
/// has no sheet data, or `send` answers `false` (stop).
fn inflate_in_pieces(
    file: &mut impl Read,
    mut fresh: impl FnMut() -> Vec<u8>,
    mut send: impl FnMut(usize, Vec<u8>, usize) -> bool,
) -> Option<Vec<u8>> {
    // buffers keep their length (zeroed once) and `len` says how much is read into them
    let mut buf = fresh();
    let mut len = 0;
    let mut started = false;
    let mut n = 0;
    let mut eof = false;
    let mut want = PIECE;
    loop {
        // fill to a piece's size
        while len < want && !eof {
            if buf.len() < len + READ {
                buf.resize(len + READ, 0);
            }
            match file.read(&mut buf[len..]) {
                Ok(0) => eof = true,
                Ok(k) => len += k,
                Err(_) => return None,
            }
        }
        if !started {
            match memmem::find(&buf[..len], b"<sheetData") {
                Some(i) => {
                    buf.copy_within(i..len, 0);
                    len -= i;
                    started = true;
                    if buf[..len].starts_with(b"<sheetData/>") {
                        let mut tail = buf;
                        tail.truncate(len);
                        file.read_to_end(&mut tail).ok()?;
                        return Some(tail);
                    }
                }
                None if eof => return None,
                None => {
                    let keep = len.saturating_sub(16);
                    buf.copy_within(keep..len, 0);
                    len -= keep;
                    continue;
                }
            }
        }
        if let Some(e) = memmem::find(&buf[..len], b"</sheetData>") {
            let mut tail = buf[e..len].to_vec();
            if !send(n, buf, e) {
                return None;
            }
            file.read_to_end(&mut tail).ok()?;
            return Some(tail);
        }
        if eof {
            return None; // no end to the sheet data: truncated
        }
        match memmem::rfind(&buf[..len], b"</row>") {
            Some(cut) => {
                let cut = cut + 6;
                let rest = len - cut;
                let mut next = fresh();
                if next.len() < rest + READ {
                    next.resize(rest + READ, 0);
                }
                next[..rest].copy_from_slice(&buf[cut..len]);
                if !send(n, std::mem::replace(&mut buf, next), cut) {
                    return None;
                }
                len = rest;
                n += 1;
                want = PIECE;
            }
            // a row longer than a piece: read on until it ends
            None => want = len + PIECE,
        }
    }
}

/// A part of the archive as text.
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    String::from_utf8(part_bytes(zip, name)?).ok()
}

fn part_bytes(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<Vec<u8>> {
    let mut f = zip.by_name(name).ok()?;
    let mut v = Vec::with_capacity((f.size() as usize).min(1 << 30));
    f.read_to_end(&mut v).ok()?;
    Some(v)
}

/// The text between the first `open` and the `close` after it.
fn between<'s>(s: &'s str, open: &str, close: &str) -> Option<&'s str> {
    let a = s.find(open)? + open.len();
    let b = s[a..].find(close)?;
    Some(&s[a..a + b])
}

/// The inside of each start tag beginning with `open` (`<sheet `): what lies between it
/// and the next `>`.
fn tags<'s>(s: &'s str, open: &'s str) -> impl Iterator<Item = &'s str> + 's {
    s.match_indices(open).filter_map(move |(i, _)| {
        let rest = &s[i + open.len() - 1..];
        rest.find('>').map(|e| &rest[..e])
    })
}

/// An attribute's raw value in a start tag's inside.
fn attr<'s>(tag: &'s str, name: &str) -> Option<&'s str> {
    let b = tag.as_bytes();
    let mut from = 0;
    while let Some(i) = tag[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = at > 0 && b[at - 1].is_ascii_whitespace();
        if !before_ok || b.get(from) != Some(&b'=') {
            continue;
        }
        let q = *b.get(from + 1)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let v = &tag[from + 2..];
        return v.find(q as char).map(|e| &v[..e]);
    }
    None
}

/// `B12` as (11, 1); `None` for anything else or beyond Excel's grid.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    cell_ref_bytes(r.as_bytes())
}

fn cell_ref_bytes(b: &[u8]) -> Option<(u32, u32)> {
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if letters == 0 || letters > 3 || letters == b.len() || b.len() - letters > 7 {
        return None;
    }
    let mut col: u32 = 0;
    for c in &b[..letters] {
        col = col * 26 + u32::from(c - b'A' + 1);
    }
    let row = digits(&b[letters..])?;
    if row == 0 || row > 1_048_576 || col > 16_384 {
        return None;
    }
    Some((row as u32 - 1, col - 1))
}

/// ASCII digits (at most 9 of them) as a number.
fn digits(b: &[u8]) -> Option<usize> {
    if b.is_empty() || b.len() > 9 {
        return None;
    }
    let mut n = 0usize;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + usize::from(c - b'0');
    }
    Some(n)
}

/// XML text with its five named entities and character references replaced; `None` for
/// anything else (calamine's business).
fn unescape(s: &str) -> Option<String> {
    if !s.contains('&') {
        return Some(s.to_string());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let semi = tail.find(';')?;
        let name = &tail[..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let n = if let Some(h) = name.strip_prefix("#x") {
                    u32::from_str_radix(h, 16).ok()?
                } else {
                    name.strip_prefix('#')?.parse().ok()?
                };
                // a carriage return by reference is normalised by XML readers: leave it
                if n == 13 {
                    return None;
                }
                char::from_u32(n)?
            }
        };
        out.push(c);
        rest = &tail[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// The text of a shared or inline string item (`<si>` / `<is>`): every `<t>` outside a
/// phonetic run, each trimmed of ASCII whitespace unless `xml:space="preserve"`.
fn string_item(item: &str) -> Option<String> {
    if item.contains("<![CDATA[") || item.contains("_x") || item.contains('\r') {
        return None;
    }
    let mut out = String::new();
    let mut rest = item;
    while let Some(i) = rest.find('<') {
        let tail = &rest[i..];
        if tail.starts_with("<rPh") {
            rest = &tail[tail.find("</rPh>")? + 6..];
            continue;
        }
        if tail.starts_with("<t>") || tail.starts_with("<t ") {
            let open_end = tail.find('>')?;
            let open = &tail[..open_end];
            if open.ends_with('/') {
                rest = &tail[open_end + 1..];
                continue;
            }
            let body = &tail[open_end + 1..];
            let close = body.find("</t>")?;
            let text = &body[..close];
            if text.contains('<') {
                return None;
            }
            let preserve = attr(&open[1..], "xml:space") == Some("preserve");
            let text = if preserve {
                text
            } else {
                text.trim_matches([' ', '\t', '\r', '\n'])
            };
            out.push_str(&unescape(text)?);
            rest = &body[close + 4..];
            continue;
        }
        if let Some(after) = tail.strip_prefix("<t/>") {
            rest = after;
            continue;
        }
        rest = &tail[1..];
    }
    Some(out)
}

/// Every `<si>` of the shared strings table, in order.
fn shared_strings(xml: &str) -> Option<Vec<String>> {
    if xml.contains("<si/>") {
        return None;
    }
    let mut v = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<si>") {
        let body = &rest[i + 4..];
        let end = body.find("</si>")?;
        v.push(string_item(&body[..end])?);
        rest = &body[end + 5..];
    }
    Some(v)
}

/// For each cell style (`<cellXfs>`), whether numbers in it are dates.
fn styles(xml: &str) -> Option<Vec<Shown>> {
    let mut custom: Vec<(u32, Shown)> = Vec::new();
    if let Some(fmts) = between(xml, "<numFmts", "</numFmts>") {
        for tag in tags(fmts, "<numFmt ") {
            let id: u32 = attr(tag, "numFmtId")?.parse().ok()?;
            let code = unescape(attr(tag, "formatCode")?)?;
            custom.push((id, format_shows(&code)?));
        }
    }
    let mut v = Vec::new();
    let Some(xfs) = between(xml, "<cellXfs", "</cellXfs>") else {
        return Some(v);
    };
    for tag in tags(xfs, "<xf ") {
        let id: u32 = match attr(tag, "numFmtId") {
            Some(n) => n.parse().ok()?,
            None => 0,
        };
        let shown = match custom.iter().find(|(i, _)| *i == id) {
            Some((_, s)) => *s,
            None => match id {
                14..=22 | 27..=36 | 45..=47 | 50..=58 => Shown::Date,
                _ => Shown::Number,
            },
        };
        v.push(shown);
    }
    Some(v)
}

/// Whether a custom number format shows a date or time: a `d`, `m`, `h`, `y` or `s` in
/// its first section outside quotes, brackets and escapes. `None` where an `AM/PM` marker
/// makes the reading subtle (left to calamine).
fn format_shows(code: &str) -> Option<Shown> {
    let mut chars = code.chars();
    let mut brackets = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\\' | '_' | '*' => {
                chars.next();
            }
            '"' => {
                for q in chars.by_ref() {
                    if q == '"' {
                        break;
                    }
                }
            }
            ';' => return Some(Shown::Number),
            '[' => brackets += 1,
            ']' => brackets = brackets.saturating_sub(1),
            // `General` is a number; an `AM/PM` marker changes how calamine reads the
            // letters after it: left to it
            'a' | 'A' if brackets == 0 => {
                let rest = chars.as_str();
                let section = rest.split(';').next().unwrap_or("");
                return if section.chars().any(|c| "dmhyspDMHYSP/".contains(c)) {
                    None
                } else {
                    Some(Shown::Number)
                };
            }
            'd' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S' if brackets == 0 => {
                return Some(Shown::Date)
            }
            _ => {}
        }
    }
    Some(Shown::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_attributes_and_entities() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("AB12"), Some((11, 27)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        for bad in [
            "", "A", "12", "a1", "A0", "XFE1", "A1048577", "AAAA1", "A1B",
        ] {
            assert_eq!(cell_ref(bad), None, "{bad}");
        }
        let c = cell_attrs(br#" r="B2" s="3" t='s' xr:uid="x"/"#).unwrap();
        assert_eq!(
            (c.r, c.s, c.t),
            (Some(&b"B2"[..]), Some(&b"3"[..]), Some(&b"s"[..]))
        );
        assert!(cell_attrs(b" r=B2").is_none());
        let tag = r#" r="B2" s="3" t='s' xr:uid="x""#;
        assert_eq!(attr(tag, "r"), Some("B2"));
        assert_eq!(attr(tag, "s"), Some("3"));
        assert_eq!(attr(tag, "t"), Some("s"));
        assert_eq!(
            attr(tag, "uid"),
            None,
            "a prefixed name is not the bare one"
        );
        assert_eq!(
            unescape("a &amp; b &lt;c&gt; &#1575;&#x628;").as_deref(),
            Some("a & b <c> اب")
        );
        assert_eq!(unescape("&nbsp;"), None);
        assert_eq!(unescape("&#13;"), None);
    }

    #[test]
    fn string_items_skip_phonetic_runs_and_trim_unless_preserved() {
        assert_eq!(string_item("<t>حلب</t>").as_deref(), Some("حلب"));
        assert_eq!(
            string_item(r#"<r><rPr><b/></rPr><t xml:space="preserve"> a </t></r><r><t>b </t></r><rPh sb="0" eb="1"><t>ふ</t></rPh>"#)
                .as_deref(),
            Some(" a b")
        );
        assert_eq!(string_item("<t/>").as_deref(), Some(""));
        assert_eq!(string_item("<t>_x000D_</t>"), None);
    }

    #[test]
    fn date_formats_are_told_from_number_formats() {
        for d in [
            "dd/mm/yyyy",
            "yyyy-mm-dd",
            "[$-409]d-mmm-yy",
            "h:mm",
            "[h]:mm:ss",
        ] {
            assert_eq!(format_shows(d), Some(Shown::Date), "{d}");
        }
        for n in [
            "0.00", "#,##0", "\"d\"0", "0\\d", "[Red]0.0", "General", "0;[Red]d",
        ] {
            assert_eq!(format_shows(n), Some(Shown::Number), "{n}");
        }
        assert_eq!(format_shows("h:mm AM/PM"), Some(Shown::Date));
        assert_eq!(format_shows("0 \"a\" am"), None);
    }
}
