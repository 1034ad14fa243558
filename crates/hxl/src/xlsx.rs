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

/// Does this look like an Excel file (by its first bytes)?
pub fn is_excel(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`, with the time if any.
fn excel_date(serial: f64) -> String {
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

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// Read one sheet of an Excel workbook as an HXL table. Cells of merged ranges all take
/// the value of the range's top-left cell, as a reader of the sheet would see them.
pub fn read_excel(bytes: &[u8], sheet: &Sheet) -> Result<Table, HxlError> {
    let bad = |m: String| HxlError::Parse { row: 1, message: m };
    let mut wb = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| bad(format!("not a readable Excel workbook: {e}")))?;
    let names = wb.sheet_names().to_vec();
    let candidates: Vec<String> = match sheet {
        Sheet::FirstTagged => names.clone(),
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
    };
    let mut last_err = None;
    for name in candidates {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| bad(format!("sheet {name:?}: {e}")))?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut grid: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        apply_merges(&mut wb, &name, &mut grid, (r0, c0));
        let rows = grid
            .into_iter()
            .enumerate()
            .map(|(i, cells)| (r0 as usize + i + 1, cells));
        match Table::from_rows(rows) {
            Ok(t) => return Ok(t),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or(HxlError::Empty))
}

use calamine::Sheets;

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
    let regions = dims.into_iter().map(|d| (d.start, d.end));
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
    let err = |e: rust_xlsxwriter::XlsxError| HxlError::Io(std::io::Error::other(e));
    let mut wb = Workbook::new();
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
    for row in &table.rows {
        for (c, v) in row.values.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r, c as u16, v).map_err(err)?;
            }
        }
        r += 1;
    }
    wb.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_io::read_csv;

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45_000.0), "2023-03-15");
        assert_eq!(excel_date(45_943.5), "2025-10-13 12:00:00");
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
}
