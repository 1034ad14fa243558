//! Excel: reading `.xlsx`/`.xls` sheets (calamine) and writing `.xlsx` (rust_xlsxwriter)
//! with the hashtag row kept and the header rows frozen.

use crate::table::Table;
use crate::HxlError;
use calamine::{open_workbook_auto_from_rs, Data, Reader};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// Which sheet to read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Sheet {
    /// The first sheet that has a hashtag row.
    #[default]
    FirstTagged,
    /// By 0-based position.
    Index(usize),
    /// By name.
    Name(String),
}

/// Any bytes through the fast `.xlsx` reader's parsers (sheet data, shared strings,
/// styles), as if a workbook's parts held them: for `cargo fuzz run xlsx_parts`. Returns
/// how much it read.
#[doc(hidden)]
pub fn fuzz_parts(data: &[u8]) -> usize {
    crate::xlsx_fast::parse_parts(data)
}

/// Any bytes through `select` straight from a workbook (the command line's way for
/// `.xlsx`): for `cargo fuzz run excel_reader`. Returns how much it wrote.
#[doc(hidden)]
pub fn fuzz_select(data: &[u8]) -> usize {
    let q = [crate::filters::Query::parse("sector=WASH").expect("a query")];
    let mut out = Vec::new();
    let _ = select_csv(data, &Sheet::default(), &q, false, &mut out);
    out.len()
}

/// The names of a workbook's sheets, in order.
pub fn sheet_names(bytes: &[u8]) -> Result<Vec<String>, HxlError> {
    guarded(|| {
        let bad = |m: String| HxlError::Parse { row: 1, message: m };
        if bytes.starts_with(b"PK") {
            check_zip(bytes, MAX_UNZIPPED).map_err(bad)?;
            if let Some(book) = crate::xlsx_fast::Book::open(bytes) {
                return Ok(book.names());
            }
        }
        let wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
            .map_err(|e| bad(format!("not a readable Excel workbook: {e}")))?;
        Ok(wb.sheet_names().to_vec())
    })
}

/// Does this look like an Excel file (by its first bytes)?
pub fn is_excel(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with the time if any.
/// A serial outside Excel's calendar (before 1900 or after 9999, or not a number) is
/// shown as the number it is.
pub(crate) fn excel_date(serial: f64) -> String {
    if !(0.0..2_958_466.0).contains(&serial) {
        return number_text(serial);
    }
    let days = serial.floor() as i64;
    // days from 1970-01-01
    let z = days - 25_569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    if secs == 0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!(
            "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    }
}

/// A number as a cell shows it: whole numbers without a fraction.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Read one sheet of an Excel workbook as an HXL table. Cells of merged ranges all take
/// the value of the range's top-left cell, as a reader of the sheet would see them.
pub fn read_excel(bytes: &[u8], sheet: &Sheet) -> Result<Table, HxlError> {
    guarded(|| read_excel_unguarded(bytes, sheet))
}

/// Run a reader over untrusted workbook bytes, turning a panic inside the Excel parser
/// (calamine overflows on some malformed cell references, found by fuzzing) into an
/// error: a bad upload must never take a request, or the server, down with it.
fn guarded<T>(f: impl FnOnce() -> Result<T, HxlError>) -> Result<T, HxlError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|_| {
        Err(HxlError::Parse {
            row: 1,
            message: "the workbook is damaged: the Excel reader could not make sense of it (save it again from Excel, or as CSV)".into(),
        })
    })
}

fn read_excel_unguarded(bytes: &[u8], sheet: &Sheet) -> Result<Table, HxlError> {
    let bad = |m: String| HxlError::Parse { row: 1, message: m };
    if bytes.starts_with(b"PK") {
        check_zip(bytes, MAX_UNZIPPED).map_err(bad)?;
        if let Some(mut book) = crate::xlsx_fast::Book::open(bytes) {
            let names = book.names();
            if let Some(t) = read_sheets(&names, sheet, |name| fast_grid(&mut book, name)) {
                return t;
            }
        }
    }
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| bad(format!("not a readable Excel workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    read_sheets(&names, sheet, |name| {
        Some(sheet_grid(&mut wb, name).map(|(mut grid, origin)| {
            apply_merges(&mut wb, name, &mut grid, origin);
            (grid, origin)
        }))
    })
    .expect("calamine answers for every sheet")
}

/// `select` from a workbook straight to CSV on `out`, for the command line: exactly what
/// [`read_excel`], [`crate::filters::select`] and [`crate::csv_io::write_csv`] give, but
/// only the cells a query tests and the rows kept are ever made text. `None`, with
/// nothing written: the workbook is to be read as a table (an `.xls`, merged cells, a
/// sheet the fast reader leaves to calamine, no hashtag row near the top of the sheet…).
pub(crate) fn select_csv(
    bytes: &[u8],
    sheet: &Sheet,
    queries: &[crate::filters::Query],
    reverse: bool,
    out: &mut dyn std::io::Write,
) -> Option<Result<(), HxlError>> {
    if !bytes.starts_with(b"PK") || check_zip(bytes, MAX_UNZIPPED).is_err() {
        return None;
    }
    let mut book = crate::xlsx_fast::Book::open(bytes)?;
    let name = choose(&book.names(), sheet).ok()?.into_iter().next()?;
    let op = crate::stream::Op::Select { queries, reverse };
    // nothing is written before the whole sheet is read: a panic leaves the table way open
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        book.select(&name, &op, MAX_CELLS, out)
    }))
    .ok()?
    .map(|r| r.map_err(HxlError::Io))
}

/// A sheet through the fast reader: `None` where it hands the workbook to calamine.
fn fast_grid(book: &mut crate::xlsx_fast::Book<'_>, name: &str) -> Option<Result<Grid, String>> {
    Some(match book.cells(name, MAX_CELLS)? {
        Ok(((mut grid, origin), merges)) => {
            merge_into(&mut grid, origin, merges);
            Ok((grid, origin))
        }
        Err(_) => Err(too_many_cells(name)),
    })
}

/// The table of the sheet chosen (or of the first with a hashtag row), each sheet's rows
/// from `grid_of`; `None` as soon as `grid_of` gives up on a sheet.
fn read_sheets(
    names: &[String],
    sheet: &Sheet,
    mut grid_of: impl FnMut(&str) -> Option<Result<Grid, String>>,
) -> Option<Result<Table, HxlError>> {
    let bad = |m: String| HxlError::Parse { row: 1, message: m };
    let candidates = match choose(names, sheet) {
        Ok(c) => c,
        Err(e) => return Some(Err(e)),
    };
    let mut last_err = None;
    for name in candidates {
        let (grid, (r0, _)) = match grid_of(&name)? {
            Ok(g) => g,
            Err(e) => return Some(Err(bad(e))),
        };
        let rows = grid
            .into_iter()
            .enumerate()
            .map(|(i, cells)| (r0 as usize + i + 1, cells));
        match Table::from_rows(rows) {
            Ok(t) => return Some(Ok(t)),
            Err(e) => last_err = Some(e),
        }
    }
    Some(Err(last_err.unwrap_or(HxlError::Empty)))
}

/// The sheets to try, in order: every one (for the first with a hashtag row), or the one
/// asked for by position or name.
fn choose(names: &[String], sheet: &Sheet) -> Result<Vec<String>, HxlError> {
    let bad = |m: String| HxlError::Parse { row: 1, message: m };
    Ok(match sheet {
        Sheet::FirstTagged => names.to_vec(),
        Sheet::Index(i) => vec![names.get(*i).cloned().ok_or_else(|| {
            bad(format!(
                "the workbook has {} sheet(s); there is no sheet {}",
                names.len(),
                i + 1
            ))
        })?],
        Sheet::Name(n) => vec![names
            .iter()
            .find(|s| s.eq_ignore_ascii_case(n))
            .cloned()
            .ok_or_else(|| bad(format!("no sheet named {n:?}; the sheets are {names:?}")))?],
    })
}

use calamine::Sheets;

/// The rows of one sheet (the first, unless chosen) with their row numbers, hashtags or
/// not: for callers that tag an untagged workbook themselves.
pub fn excel_rows(bytes: &[u8], sheet: &Sheet) -> Result<Vec<(usize, Vec<String>)>, HxlError> {
    guarded(|| excel_rows_unguarded(bytes, sheet))
}

fn excel_rows_unguarded(
    bytes: &[u8],
    sheet: &Sheet,
) -> Result<Vec<(usize, Vec<String>)>, HxlError> {
    let bad = |m: String| HxlError::Parse { row: 1, message: m };
    let pick = |names: &[String]| {
        match sheet {
            Sheet::FirstTagged => names.first().cloned(),
            Sheet::Index(i) => names.get(*i).cloned(),
            Sheet::Name(n) => names.iter().find(|s| s.eq_ignore_ascii_case(n)).cloned(),
        }
        .ok_or_else(|| bad(format!("no such sheet; the sheets are {names:?}")))
    };
    let numbered = |(grid, (r0, _)): Grid| {
        grid.into_iter()
            .enumerate()
            .map(|(i, cells)| (r0 as usize + i + 1, cells))
            .collect()
    };
    if bytes.starts_with(b"PK") {
        check_zip(bytes, MAX_UNZIPPED).map_err(bad)?;
        if let Some(mut book) = crate::xlsx_fast::Book::open(bytes) {
            let name = pick(&book.names())?;
            if let Some(g) = fast_grid(&mut book, &name) {
                return g.map(numbered).map_err(bad);
            }
        }
    }
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| bad(format!("not a readable Excel workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let name = pick(&names)?;
    let (mut grid, (r0, c0)) = sheet_grid(&mut wb, &name).map_err(bad)?;
    apply_merges(&mut wb, &name, &mut grid, (r0, c0));
    Ok(grid
        .into_iter()
        .enumerate()
        .map(|(i, cells)| (r0 as usize + i + 1, cells))
        .collect())
}

/// The most a workbook may unpack to (the sum of its parts' declared sizes): 1 GiB, ten
/// times the largest real 4W workbook we have seen, far below what a zip bomb claims.
pub const MAX_UNZIPPED: u64 = 1 << 30;

/// The most cells a sheet may spread over once laid out in rows (Excel's own limit is 17
/// billion, which no machine holds): 30 million, 2.5 times a 1,000,000-row, 12-column file.
pub const MAX_CELLS: usize = 30_000_000;

/// Refuse a zip archive (`.xlsx`) whose central directory promises more than `limit`
/// bytes unpacked, or any part packed more than 1,000 to 1: what zip bombs look like.
/// Reads only the directory, never inflates.
pub fn check_zip(bytes: &[u8], limit: u64) -> Result<(), String> {
    let u16_at = |i: usize| -> Option<u64> {
        Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?) as u64)
    };
    let u32_at = |i: usize| -> Option<u64> {
        Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as u64)
    };
    let truncated = || {
        "the workbook is truncated or not a zip archive (no central directory): was the upload cut short?".to_string()
    };
    // the end-of-central-directory record is in the last 64 KiB + 22 bytes
    let from = bytes.len().saturating_sub(65_557);
    let eocd = (from..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..i + 4] == *b"PK\x05\x06")
        .ok_or_else(truncated)?;
    let entries = u16_at(eocd + 10).ok_or_else(truncated)?;
    let mut at = u32_at(eocd + 16).ok_or_else(truncated)? as usize;
    let mut total: u64 = 0;
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(truncated());
        }
        let packed = u32_at(at + 20).ok_or_else(truncated)?;
        let unpacked = u32_at(at + 24).ok_or_else(truncated)?;
        let name_len = u16_at(at + 28).ok_or_else(truncated)? as usize;
        let extra = u16_at(at + 30).ok_or_else(truncated)? as usize;
        let comment = u16_at(at + 32).ok_or_else(truncated)? as usize;
        if packed == 0xFFFF_FFFF || unpacked == 0xFFFF_FFFF {
            return Err(
                "the workbook has a part larger than 4 GB (zip64): too large to read".into(),
            );
        }
        if unpacked > 1_000 * packed.max(1) && unpacked > 1 << 20 {
            let name =
                String::from_utf8_lossy(bytes.get(at + 46..at + 46 + name_len).unwrap_or(b""));
            return Err(format!(
                "the workbook part {name} unpacks {unpacked} bytes from {packed}: a ratio no spreadsheet has (a zip bomb?); refused"
            ));
        }
        total += unpacked;
        if total > limit {
            return Err(format!(
                "the workbook unpacks to more than {} MB: too large to read",
                limit >> 20
            ));
        }
        at += 46 + name_len + extra + comment;
    }
    Ok(())
}

/// A sheet's rows of text, and the (row, column) of its top-left cell.
type Grid = (Vec<Vec<String>>, (u32, u32));

/// A sheet's cells as rows of text and the position of its top-left cell. `.xlsx` sheets
/// are read cell by cell, so that a sheet claiming a far corner (`XFD1048576`) costs only
/// the cells it has, up to [`MAX_CELLS`] laid out.
fn sheet_grid(wb: &mut Sheets<Cursor<Vec<u8>>>, name: &str) -> Result<Grid, String> {
    let too_big = || too_many_cells(name);
    if let Sheets::Xlsx(x) = wb {
        let mut reader = x
            .worksheet_cells_reader(name)
            .map_err(|e| format!("sheet {name:?}: {e}"))?;
        let mut cells: Vec<((u32, u32), String)> = Vec::new();
        while let Some(cell) = reader
            .next_cell()
            .map_err(|e| format!("sheet {name:?}: {e}"))?
        {
            let text = cell_text(&Data::from(cell.get_value().clone()));
            if !text.is_empty() {
                cells.push((cell.get_position(), text));
            }
            if cells.len() > MAX_CELLS {
                return Err(too_big());
            }
        }
        drop(reader);
        return lay_out(cells, name);
    }
    let range = wb
        .worksheet_range(name)
        .map_err(|e| format!("sheet {name:?}: {e}"))?;
    let (r0, c0) = range.start().unwrap_or((0, 0));
    Ok((
        range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect(),
        (r0, c0),
    ))
}

fn too_many_cells(name: &str) -> String {
    format!(
        "sheet {name:?} spreads over more than {MAX_CELLS} cells: too large to read (is something typed far from the data, in a distant row or column?)"
    )
}

/// Non-empty cells ((row, column), text) laid out as rows as wide as the widest, from the
/// top-left cell, and that cell's position.
fn lay_out(mut cells: Vec<((u32, u32), String)>, name: &str) -> Result<Grid, String> {
    let too_big = || too_many_cells(name);
    let r0 = cells.iter().map(|((r, _), _)| *r).min().unwrap_or(0);
    let c0 = cells.iter().map(|((_, c), _)| *c).min().unwrap_or(0);
    cells.sort_by_key(|(p, _)| *p);
    let mut grid: Vec<Vec<String>> = Vec::new();
    let mut laid_out = 0usize;
    for ((r, c), text) in cells {
        let (ri, ci) = ((r - r0) as usize, (c - c0) as usize);
        if grid.len() <= ri {
            grid.resize_with(ri + 1, Vec::new);
        }
        let row = &mut grid[ri];
        if row.len() <= ci {
            laid_out += ci + 1 - row.len();
            if laid_out > MAX_CELLS {
                return Err(too_big());
            }
            row.resize(ci + 1, String::new());
        }
        row[ci] = text;
    }
    // rows as wide as the widest, as a range would give them
    let width = grid.iter().map(Vec::len).max().unwrap_or(0);
    if width.saturating_mul(grid.len()) > MAX_CELLS {
        return Err(too_big());
    }
    for row in &mut grid {
        row.resize(width, String::new());
    }
    Ok((grid, (r0, c0)))
}

fn apply_merges(
    wb: &mut Sheets<Cursor<Vec<u8>>>,
    name: &str,
    grid: &mut [Vec<String>],
    origin: (u32, u32),
) {
    let dims = match wb {
        Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => return,
    };
    merge_into(grid, origin, dims.into_iter().map(|d| (d.start, d.end)));
}

/// Give every cell of each merged range the value of the range's top-left cell.
pub(crate) fn merge_into(
    grid: &mut [Vec<String>],
    origin: (u32, u32),
    regions: impl IntoIterator<Item = ((u32, u32), (u32, u32))>,
) {
    for ((sr, sc), (er, ec)) in regions {
        let at = |r: u32, c: u32| -> Option<(usize, usize)> {
            Some((
                r.checked_sub(origin.0)? as usize,
                c.checked_sub(origin.1)? as usize,
            ))
        };
        let Some((r0, c0)) = at(sr, sc) else { continue };
        let Some(v) = grid.get(r0).and_then(|r| r.get(c0)).cloned() else {
            continue;
        };
        for r in sr..=er.min(sr + 10_000) {
            for c in sc..=ec.min(sc + 1_000) {
                if let Some((ri, ci)) = at(r, c) {
                    if let Some(cell) = grid.get_mut(ri).and_then(|row| row.get_mut(ci)) {
                        *cell = v.clone();
                    }
                }
            }
        }
    }
}

/// Write a table as `.xlsx`: header row (bold), hashtag row, data; both top rows frozen;
/// right-to-left when `rtl` (for Arabic readers).
pub fn write_xlsx(table: &Table, sheet_name: &str, rtl: bool) -> Result<Vec<u8>, HxlError> {
    let mut wb = Workbook::new();
    write_sheet(&mut wb, table, sheet_name, rtl)?;
    wb.save_to_buffer().map_err(xlsx_err)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> HxlError {
    HxlError::Io(std::io::Error::other(e))
}

/// Write the table as a new sheet; returns the sheet's first data row.
fn write_sheet(
    wb: &mut Workbook,
    table: &Table,
    sheet_name: &str,
    rtl: bool,
) -> Result<u32, HxlError> {
    let err = xlsx_err;
    let ws = wb.add_worksheet();
    ws.set_name(sheet_name).map_err(err)?;
    ws.set_right_to_left(rtl);
    let bold = Format::new().set_bold();
    let tagfmt = Format::new().set_italic().set_font_color("#555555");
    let mut r: u32 = 0;
    if table.has_headers() {
        for (c, col) in table.columns.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, col.header.as_deref().unwrap_or(""), &bold)
                .map_err(err)?;
        }
        r += 1;
    }
    for (c, col) in table.columns.iter().enumerate() {
        let tag = col.tag.as_ref().map(|t| t.to_string()).unwrap_or_default();
        ws.write_string_with_format(r, c as u16, &tag, &tagfmt)
            .map_err(err)?;
        ws.set_column_width(c as u16, 20).map_err(err)?;
    }
    r += 1;
    ws.set_freeze_panes(r, 0).map_err(err)?;
    let first = r;
    for row in &table.rows {
        for (c, v) in row.values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, v).map_err(err)?;
            }
        }
        r += 1;
    }
    Ok(first)
}

/// A drop-down list for one column of a template.
#[derive(Debug, Clone)]
pub struct DropDown {
    /// The column (0-based) it applies to.
    pub column: usize,
    /// The list's heading on the lists sheet.
    pub title: String,
    /// The values offered, as they will be written into the cells.
    pub values: Vec<String>,
}

/// A workbook to fill in: the table's header and hashtag rows (frozen), its rows (which
/// may be pre-filled), and `rows` rows in all where each [`DropDown`] column offers its
/// list (kept on a second sheet, `lists_name`). Values outside a list are allowed with a
/// warning, not refused: a new place name is better reported than lost.
pub fn write_xlsx_template(
    table: &Table,
    sheet_name: &str,
    lists_name: &str,
    rtl: bool,
    drop_downs: &[DropDown],
    rows: u32,
) -> Result<Vec<u8>, HxlError> {
    use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Formula};
    let err = xlsx_err;
    let mut wb = Workbook::new();
    let first = write_sheet(&mut wb, table, sheet_name, rtl)?;
    let bold = Format::new().set_bold();
    {
        let lists = wb.add_worksheet();
        lists.set_name(lists_name).map_err(err)?;
        lists.set_right_to_left(rtl);
        for (i, d) in drop_downs.iter().enumerate() {
            let c = i as u16;
            lists
                .write_string_with_format(0, c, &d.title, &bold)
                .map_err(err)?;
            lists.set_column_width(c, 28).map_err(err)?;
            for (k, v) in d.values.iter().enumerate() {
                lists.write_string(k as u32 + 1, c, v).map_err(err)?;
            }
        }
    }
    let last = first + rows.max(1) - 1;
    let quoted = lists_name.replace('\'', "''");
    for (i, d) in drop_downs.iter().enumerate() {
        if d.values.is_empty() {
            continue;
        }
        let col = column_letters(i);
        let range = format!("='{quoted}'!${col}$2:${col}${}", d.values.len() + 1);
        let dv = DataValidation::new()
            .allow_list_formula(Formula::new(range))
            .set_error_style(DataValidationErrorStyle::Warning);
        let ws = wb.worksheet_from_index(0).map_err(err)?;
        ws.add_data_validation(first, d.column as u16, last, d.column as u16, &dv)
            .map_err(err)?;
    }
    wb.save_to_buffer().map_err(err)
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
fn column_letters(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::read_csv;

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45_000.0), "2023-03-15");
        assert_eq!(excel_date(45_943.5), "2025-10-13 12:00:00");
        // found by fuzzing the fast reader: a huge serial overflowed the arithmetic
        assert_eq!(
            excel_date(4.4e47),
            "440000000000000000000000000000000000000000000000"
        );
        assert_eq!(excel_date(-3.0), "-3");
        assert_eq!(excel_date(2_958_465.0), "9999-12-31");
    }

    #[test]
    fn a_written_workbook_reads_back() {
        let t = read_csv("Organisation,Province\n#org,#adm1+code\nجمعية الأمل,SY-ID\n".as_bytes())
            .unwrap();
        let bytes = write_xlsx(&t, "Directory", true).unwrap();
        assert!(is_excel(&bytes));
        let back = read_excel(&bytes, &Sheet::default()).unwrap();
        assert_eq!(back.columns, t.columns);
        assert_eq!(back.rows[0].values, t.rows[0].values);
        assert_eq!(back.rows[0].source_row, 3);
    }

    #[test]
    fn garbage_and_missing_sheets_are_errors_not_panics() {
        assert!(read_excel(b"PK\x03\x04 truncated", &Sheet::default()).is_err());
        let t = read_csv("#org\nA\n".as_bytes()).unwrap();
        let bytes = write_xlsx(&t, "S", false).unwrap();
        let e = read_excel(&bytes, &Sheet::Name("Other".into())).unwrap_err();
        assert!(e.to_string().contains("no sheet named"), "{e}");
        assert!(read_excel(&bytes, &Sheet::Index(3)).is_err());
    }
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    #[test]
    fn merged_header_cells_spread_their_value() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.merge_range(0, 0, 0, 1, "People reached", &Format::new())
            .unwrap();
        ws.write_string(1, 0, "#reached+f").unwrap();
        ws.write_string(1, 1, "#reached+m").unwrap();
        ws.write_number(2, 0, 10.0).unwrap();
        ws.write_number(2, 1, 12.5).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let t = read_excel(&bytes, &Sheet::Index(0)).unwrap();
        assert_eq!(t.columns[1].header.as_deref(), Some("People reached"));
        assert_eq!(t.rows[0].values, ["10", "12.5"]);
    }

    /// The same in the old binary format (`.xls`, made by `tests/xls/make_merged.py` with
    /// xlwt): a merged header over two columns, an organisation merged down over two data
    /// rows, Arabic text, and the sheet found by name or by place behind another one.
    #[test]
    fn merged_cells_of_an_xls_sheet_spread_their_value_too() {
        let bytes = include_bytes!("../tests/xls/merged.xls");
        for sheet in [Sheet::Name("4W".into()), Sheet::Index(1)] {
            let t = read_excel(bytes, &sheet).unwrap();
            let headers: Vec<_> = t.columns.iter().map(|c| c.header.as_deref()).collect();
            assert_eq!(
                headers,
                [
                    Some("المنظمة"),
                    Some("People reached"),
                    Some("People reached")
                ]
            );
            let tags: Vec<_> = t
                .columns
                .iter()
                .map(|c| c.tag.as_ref().map(|t| t.to_string()))
                .collect();
            assert_eq!(
                tags,
                [
                    Some("#org".to_string()),
                    Some("#reached+f".to_string()),
                    Some("#reached+m".to_string())
                ]
            );
            let rows: Vec<_> = t.rows.iter().map(|r| r.values.clone()).collect();
            assert_eq!(
                rows,
                [["جمعية النور", "10", "12.5"], ["جمعية النور", "7", "0"]]
            );
        }
    }

    /// A zip archive whose directory claims 4 GB from 1 KB, built by hand.
    fn bomb() -> Vec<u8> {
        let name = b"xl/worksheets/sheet1.xml";
        let mut z = Vec::new();
        z.extend_from_slice(b"PK\x03\x04");
        z.extend_from_slice(&[20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&1024u32.to_le_bytes());
        z.extend_from_slice(&0xF000_0000u32.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&0u16.to_le_bytes());
        z.extend_from_slice(name);
        z.extend_from_slice(&[0u8; 1024]);
        let cd = z.len() as u32;
        z.extend_from_slice(b"PK\x01\x02");
        z.extend_from_slice(&[20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        z.extend_from_slice(&1024u32.to_le_bytes());
        z.extend_from_slice(&0xF000_0000u32.to_le_bytes());
        z.extend_from_slice(&(name.len() as u16).to_le_bytes());
        z.extend_from_slice(&[0u8; 12]);
        z.extend_from_slice(&0u32.to_le_bytes());
        z.extend_from_slice(name);
        let cd_len = z.len() as u32 - cd;
        z.extend_from_slice(b"PK\x05\x06");
        z.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        z.extend_from_slice(&cd_len.to_le_bytes());
        z.extend_from_slice(&cd.to_le_bytes());
        z.extend_from_slice(&[0, 0]);
        z
    }

    #[test]
    fn zip_bombs_and_truncated_workbooks_are_refused_before_inflating() {
        let e = read_excel(&bomb(), &Sheet::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("zip bomb"), "{e}");
        // a real workbook passes the check; cut short, it is called truncated
        let t = crate::csv_io::read_csv("#org\nA\n".as_bytes()).unwrap();
        let bytes = write_xlsx(&t, "S", false).unwrap();
        assert!(check_zip(&bytes, MAX_UNZIPPED).is_ok());
        let e = read_excel(&bytes[..bytes.len() / 2], &Sheet::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("truncated"), "{e}");
        // the total is limited too
        assert!(check_zip(&bytes, 100).unwrap_err().contains("too large"));
    }

    #[test]
    fn a_cell_in_the_far_corner_is_an_error_not_an_allocation_of_the_whole_sheet() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "#org").unwrap();
        ws.write_string(1, 0, "AMAL").unwrap();
        ws.write_string(1_048_575, 16_383, "far").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let e = read_excel(&bytes, &Sheet::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("too large"), "{e}");
        // far down but narrow is fine: rows are laid out only as wide as they are
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "#org").unwrap();
        ws.write_string(1, 0, "AMAL").unwrap();
        ws.write_string(200_000, 0, "Bina").unwrap();
        let t = read_excel(&wb.save_to_buffer().unwrap(), &Sheet::default()).unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].source_row, 200_001);
    }

    /// Each sheet as calamine reads it, and as the fast reader does (`None`: it handed the
    /// workbook over).
    fn both_readers(bytes: &[u8]) -> Vec<(Grid, Option<Grid>)> {
        let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).unwrap();
        let fast = crate::xlsx_fast::Book::open(bytes);
        let names = wb.sheet_names().to_vec();
        let mut fast = fast.map(|b| (b.names(), b));
        names
            .iter()
            .map(|name| {
                let (mut grid, origin) = sheet_grid(&mut wb, name).unwrap();
                apply_merges(&mut wb, name, &mut grid, origin);
                let f = fast.as_mut().and_then(|(fast_names, b)| {
                    assert_eq!(fast_names, &names);
                    fast_grid(b, name).map(|g| g.unwrap())
                });
                ((grid, origin), f)
            })
            .collect()
    }

    /// The fast reader gives what calamine gives, cell for cell, on a workbook with every
    /// kind of cell our users' sheets hold: Arabic and escaped text, text with spaces kept,
    /// rich text, whole and fractional numbers, dates and times in built-in and custom
    /// formats, percentages, booleans, formula results, blanks with formats, merged
    /// ranges, several sheets (one named with an ampersand and one in Arabic).
    #[test]
    fn the_fast_reader_reads_what_calamine_reads() {
        use rust_xlsxwriter::{ExcelDateTime, Formula};
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let stamp = Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let builtin = Format::new().set_num_format_index(14);
        let pct = Format::new().set_num_format("0.0%");
        let text = Format::new().set_num_format("@");
        let bold = Format::new().set_bold();
        {
            let ws = wb.add_worksheet();
            ws.set_name("4W & needs").unwrap();
            ws.merge_range(0, 0, 0, 2, "People reached", &bold).unwrap();
            for (c, t) in ["#org", "#reached+f", "#reached+m", "#date+start", "#meta"]
                .iter()
                .enumerate()
            {
                ws.write_string(1, c as u16, *t).unwrap();
            }
            ws.write_string(2, 0, "جمعية الأمل & <شركاء> \"قدامى\" 'x'")
                .unwrap();
            ws.write_number(2, 1, 350.0).unwrap();
            ws.write_number(2, 2, -12.25).unwrap();
            let d = ExcelDateTime::from_ymd(2026, 3, 1).unwrap();
            ws.write_datetime_with_format(2, 3, &d, &date).unwrap();
            ws.write_string(2, 4, "  spaces kept  ").unwrap();
            ws.write_string(3, 0, "line one\nline two").unwrap();
            ws.write_number(3, 1, 1e20).unwrap();
            ws.write_number(3, 2, 0.1 + 0.2).unwrap();
            let t = ExcelDateTime::from_ymd(2026, 11, 30)
                .unwrap()
                .and_hms(13, 45, 0)
                .unwrap();
            ws.write_datetime_with_format(3, 3, &t, &stamp).unwrap();
            ws.write_number_with_format(3, 4, 46_000.0, &builtin)
                .unwrap();
            ws.write_boolean(4, 0, true).unwrap();
            ws.write_boolean(4, 1, false).unwrap();
            ws.write_formula(4, 2, Formula::new("=B3+C3").set_result("337.75"))
                .unwrap();
            ws.write_number_with_format(4, 3, 0.125, &pct).unwrap();
            ws.write_string_with_format(4, 4, "0012", &text).unwrap();
            ws.write_blank(5, 0, &bold).unwrap();
            ws.write_rich_string(5, 1, &[(&bold, "Idlib "), (&Format::new(), "city")])
                .unwrap();
            ws.merge_range(6, 0, 7, 0, "merged down", &Format::new())
                .unwrap();
            ws.write_string(6, 1, "x").unwrap();
        }
        {
            let ws = wb.add_worksheet();
            ws.set_name("الأنشطة").unwrap();
            ws.write_string(3, 2, "#org").unwrap();
            ws.write_string(4, 2, "starts away from A1").unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        let sheets = both_readers(&bytes);
        assert_eq!(sheets.len(), 2);
        for (calamine, fast) in sheets {
            let fast = fast.expect("the fast reader reads a plain workbook");
            assert_eq!(fast, calamine);
        }
        // and through the public reader, with the dates as dates
        let t = read_excel(&bytes, &Sheet::Index(0)).unwrap();
        assert_eq!(t.rows[0].values[3], "2026-03-01");
        assert_eq!(t.rows[1].values[3], "2026-11-30 13:45:00");
        assert_eq!(t.rows[1].values[4], "2025-12-09");
    }

    /// A sheet large enough to be read in parts on several threads reads the same too,
    /// rows cut anywhere.
    #[test]
    fn a_large_sheet_read_in_parts_reads_what_calamine_reads() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        for c in 0..5u16 {
            ws.write_string(0, c, format!("#x_c{c}")).unwrap();
        }
        for r in 1..25_000u32 {
            ws.write_string(r, 0, format!("منظمة {}", r % 97)).unwrap();
            ws.write_number(r, 1, f64::from(r) * 1.5).unwrap();
            if r % 3 != 0 {
                ws.write_number_with_format(r, 2, 45_000.0 + f64::from(r % 400), &date)
                    .unwrap();
            }
            ws.write_boolean(r, 3, r % 2 == 0).unwrap();
            ws.write_string(r, 4, format!("note {r} & more")).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        for (calamine, fast) in both_readers(&bytes) {
            assert_eq!(fast.expect("read fast"), calamine);
        }
    }

    /// `select` straight from the sheet ([`select_csv`]) and the table way (read the
    /// sheet, filter the table, write it): the CSV of each, `None` for the first where
    /// it hands the workbook to the table way (having written nothing).
    fn select_both_ways(
        bytes: &[u8],
        sheet: &Sheet,
        queries: &[&str],
        reverse: bool,
    ) -> (Option<String>, String) {
        let queries: Vec<crate::filters::Query> = queries
            .iter()
            .map(|q| crate::filters::Query::parse(q).unwrap())
            .collect();
        let mut fast = Vec::new();
        let done = select_csv(bytes, sheet, &queries, reverse, &mut fast);
        if done.is_none() {
            assert!(fast.is_empty(), "nothing written before handing over");
        }
        let fast = done.map(|r| {
            r.unwrap();
            String::from_utf8(fast).unwrap()
        });
        let table = read_excel(bytes, sheet).unwrap();
        let mut out = Vec::new();
        crate::csv_io::write_csv(&crate::filters::select(table, &queries, reverse), &mut out)
            .unwrap();
        (fast, String::from_utf8(out).unwrap())
    }

    /// A sheet as 4W sheets come: a title above the headers, the table starting in column
    /// B, an untagged column and an empty one, a note sticking out to the right of the
    /// hashtags, rows further right than the others, blank and white-space rows, numbers,
    /// dates and booleans, text that CSV must quote. Every kind of query, reversed or not,
    /// gives the same CSV straight from the sheet as through a table.
    #[test]
    fn select_straight_from_a_sheet_writes_what_the_table_way_writes() {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let ws = wb.add_worksheet();
        ws.write_string(0, 2, "4W, north-west Syria").unwrap();
        let heads = [
            "Organisation",
            "Sector",
            "",
            "Targeted",
            "Start",
            "Comment",
            "Done",
        ];
        let tags = [
            "#org",
            "#sector",
            "",
            "#targeted",
            "#date+start",
            "",
            "#status+done",
        ];
        for (c, (h, t)) in heads.iter().zip(tags).enumerate() {
            let c = c as u16 + 1;
            if !h.is_empty() {
                ws.write_string(2, c, *h).unwrap();
            }
            if !t.is_empty() {
                ws.write_string(3, c, t).unwrap();
            }
        }
        let orgs = ["KARAMA", "جمعية الأمل", "Nour, \"Light\"", " AMAL "];
        let sectors = ["WASH", "wash", "Health", "Food Security"];
        for i in 0..60u32 {
            let r = 4 + i + i / 10; // a gap row every ten
            if i % 13 == 7 {
                ws.write_string(r, 1, "   ").unwrap(); // white space only: blank
                continue;
            }
            if i % 7 != 3 {
                ws.write_string(r, 1, orgs[i as usize % 4]).unwrap();
            }
            if i % 11 != 5 {
                ws.write_string(r, 2, sectors[i as usize % 4]).unwrap();
            }
            ws.write_number(r, 4, f64::from(i * 97 % 5000)).unwrap();
            ws.write_number_with_format(r, 5, 46_000.0 + f64::from(i), &date)
                .unwrap();
            if i % 5 == 0 {
                ws.write_string(r, 6, "line one\nline two").unwrap();
            }
            ws.write_boolean(r, 7, i % 2 == 0).unwrap();
            if i % 17 == 1 {
                ws.write_string(r, 10, "a note out to the right").unwrap();
            }
        }
        let bytes = wb.save_to_buffer().unwrap();
        let cases: &[&[&str]] = &[
            &["sector=WASH"],
            &["sector!=WASH"],
            &["targeted>3000"],
            &["targeted<=97"],
            &["date+start>=2025-12-20"],
            &["org~^K", "sector=health"],
            &["org=جمعية الأمل"],
            &["status=TRUE"],
            &["#adm1=SY-ID"], // no such column: nothing passes (everything, reversed)
            &[],
        ];
        for queries in cases {
            for reverse in [false, true] {
                let (fast, table) = select_both_ways(&bytes, &Sheet::default(), queries, reverse);
                let fast = fast.expect("a plain sheet is read straight");
                assert_eq!(fast, table, "{queries:?} reversed: {reverse}");
            }
        }
        // and it says what it is: the headers, then the rows that pass, from column B
        let (fast, _) = select_both_ways(&bytes, &Sheet::default(), &["sector=WASH"], false);
        let fast = fast.unwrap();
        let mut lines = fast.lines();
        assert_eq!(
            lines.next(),
            Some("Organisation,Sector,,Targeted,Start,Comment,Done,,,")
        );
        assert_eq!(
            lines.next(),
            Some("#org,#sector,,#targeted,#date+start,,#status+done,,,")
        );
        assert!(lines
            .all(|l| l.contains(",WASH,") || l.contains(",wash,") || l.starts_with("line two")));
    }

    /// A sheet read in parts on several threads selects the same as through a table.
    #[test]
    fn select_straight_from_a_large_sheet_read_in_parts() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (c, t) in ["#org", "#sector", "#reached", "#meta+note"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *t).unwrap();
        }
        for r in 1..40_000u32 {
            ws.write_string(r, 0, format!("منظمة {}", r % 97)).unwrap();
            ws.write_string(r, 1, ["WASH", "Health", "Shelter"][r as usize % 3])
                .unwrap();
            ws.write_number(r, 2, f64::from(r) * 1.5).unwrap();
            ws.write_string(r, 3, format!("note {r}, & more")).unwrap();
        }
        let bytes = wb.save_to_buffer().unwrap();
        for reverse in [false, true] {
            let (fast, table) =
                select_both_ways(&bytes, &Sheet::default(), &["sector=WASH"], reverse);
            assert_eq!(fast.expect("read straight"), table);
        }
    }

    /// Merged ranges: a title or header over several columns is spread in the header
    /// row written, straight from the sheet; a range reaching a data row, one that
    /// changes the hashtag row's tags, or one that makes an earlier row the hashtag row
    /// leaves the sheet to the table way. A first sheet with no hashtag row does too (the
    /// table way goes on to the next); chosen by its place, that next sheet is read
    /// straight.
    #[test]
    fn select_spreads_merged_headers_and_leaves_the_rest_to_the_table_way() {
        let sheet = |merge: &dyn Fn(&mut rust_xlsxwriter::Worksheet)| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            ws.write_string(0, 3, "x").unwrap();
            ws.write_string(0, 4, "y").unwrap();
            for (c, h) in ["Org", "Sector", "Reached", "Notes", "More"]
                .iter()
                .enumerate()
            {
                ws.write_string(1, c as u16, *h).unwrap();
            }
            for (c, t) in ["#org", "#sector", "#reached+f", "#reached+m"]
                .iter()
                .enumerate()
            {
                ws.write_string(2, c as u16, *t).unwrap();
            }
            for r in 3..9u32 {
                ws.write_string(r, 0, ["AMAL", "NOUR"][r as usize % 2])
                    .unwrap();
                ws.write_string(r, 1, ["WASH", "Health", "wash"][r as usize % 3])
                    .unwrap();
                ws.write_number(r, 2, f64::from(r)).unwrap();
            }
            merge(ws);
            wb.save_to_buffer().unwrap()
        };
        let straight = |bytes: &[u8]| {
            let (fast, table) = select_both_ways(bytes, &Sheet::default(), &["sector=WASH"], false);
            if let Some(fast) = &fast {
                assert_eq!(fast, &table);
            }
            (fast.is_some(), table)
        };
        // a header over two columns, and a title over the preamble
        let (fast, table) = straight(&sheet(&|ws| {
            ws.merge_range(1, 2, 1, 3, "People reached", &Format::new())
                .unwrap();
            ws.merge_range(0, 0, 0, 2, "4W", &Format::new()).unwrap();
        }));
        assert!(fast, "merged headers are read straight");
        assert!(table.starts_with("Org,Sector,People reached,People reached,More\n"));
        // a range reaching a data row
        let (fast, _) = straight(&sheet(&|ws| {
            ws.merge_range(7, 0, 8, 0, "merged down", &Format::new())
                .unwrap();
        }));
        assert!(!fast);
        // a hashtag spread over the next column: the tags change
        let (fast, table) = straight(&sheet(&|ws| {
            ws.merge_range(2, 3, 2, 4, "#reached+m", &Format::new())
                .unwrap();
        }));
        assert!(!fast);
        assert!(table.contains("#reached+m,#reached+m"), "{table}");
        // a hashtag spread over the top row makes it the hashtag row
        let (fast, table) = straight(&sheet(&|ws| {
            ws.merge_range(0, 0, 0, 2, "#org", &Format::new()).unwrap();
        }));
        assert!(!fast);
        assert!(table.starts_with("#org,#org,#org,,\n"), "{table}");

        let mut wb = Workbook::new();
        wb.add_worksheet()
            .write_string(0, 0, "read me first")
            .unwrap();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "#org").unwrap();
        ws.write_string(1, 0, "AMAL").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let (fast, table) = select_both_ways(&bytes, &Sheet::default(), &["org=AMAL"], false);
        assert_eq!(fast, None);
        assert_eq!(table, "#org\nAMAL\n");
        let (fast, table) = select_both_ways(&bytes, &Sheet::Index(1), &["org=AMAL"], false);
        assert_eq!(fast.as_deref(), Some("#org\nAMAL\n"));
        assert_eq!(table, "#org\nAMAL\n");
    }

    /// A workbook on the 1904 date system goes to calamine, and reads the same.
    #[test]
    fn what_the_fast_reader_does_not_know_goes_to_calamine() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "#org").unwrap();
        ws.write_string(1, 0, "AMAL").unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        // the same workbook with the 1904 flag set in workbook.xml
        let mut z = zip::ZipArchive::new(Cursor::new(&bytes[..])).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..z.len() {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut body = Vec::new();
            std::io::Read::read_to_end(&mut f, &mut body).unwrap();
            if name == "xl/workbook.xml" {
                let s = String::from_utf8(body).unwrap();
                body = s
                    .replace("<workbookPr", "<workbookPr date1904=\"1\"")
                    .into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            std::io::Write::write_all(&mut out, &body).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        assert!(crate::xlsx_fast::Book::open(&bytes).is_none());
        let t = read_excel(&bytes, &Sheet::default()).unwrap();
        assert_eq!(t.rows[0].values, ["AMAL"]);
    }

    /// Found by `cargo fuzz run excel_reader`: a cell reference too long for calamine's
    /// arithmetic. An error, not a panic.
    #[test]
    fn a_workbook_that_makes_the_parser_panic_is_an_error() {
        let bytes = include_bytes!("../tests/bad/calamine-cell-reference-overflow.xlsx");
        let r = read_excel(bytes, &Sheet::default());
        let e = r.expect_err("a damaged workbook").to_string();
        assert!(e.contains("damaged"), "{e}");
        let r = excel_rows(bytes, &Sheet::default());
        assert!(r.is_err() || r.is_ok());
    }
}
