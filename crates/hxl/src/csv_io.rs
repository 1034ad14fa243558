//! Reading and writing HXL-tagged CSV, TSV and semicolon-separated files.

use crate::table::Table;
use crate::tag::Hashtag;
use crate::HxlError;
use std::io::{Read, Write};

/// How many rows are searched for the hashtag row, as in the reference implementation.
pub const HASHTAG_ROW_LIMIT: usize = 25;

/// Is this row the hashtag row? At least half of its non-empty cells must be hashtags.
/// Returns the parsed tags (None for empty or untagged cells) and warnings for cells
/// that look like hashtags but are malformed.
pub fn parse_tag_row(cells: &[String]) -> Option<(Vec<Option<Hashtag>>, Vec<String>)> {
    let mut tags = Vec::with_capacity(cells.len());
    let (mut tagged, mut untagged) = (0usize, 0usize);
    let mut warnings = Vec::new();
    for (i, c) in cells.iter().enumerate() {
        let t = c.trim();
        if t.is_empty() {
            tags.push(None);
            continue;
        }
        match Hashtag::parse(t) {
            Some(h) => {
                tagged += 1;
                tags.push(Some(h));
            }
            None => {
                untagged += 1;
                if t.starts_with('#') {
                    warnings.push(format!("column {}: malformed hashtag {t:?} skipped", i + 1));
                }
                tags.push(None);
            }
        }
    }
    if tagged > 0 && tagged >= untagged {
        Some((tags, warnings))
    } else {
        None
    }
}

/// Guess the delimiter from the first 4 KB: comma, tab or semicolon, whichever is most
/// frequent outside quotes (so that a title line above a tab-separated table, with a
/// comma or none, does not decide).
pub fn sniff_delimiter(text: &str) -> u8 {
    let sample = &text.as_bytes()[..text.len().min(4096)];
    let mut counts = [(b',', 0usize), (b'\t', 0), (b';', 0)];
    let mut quoted = false;
    for &b in sample {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            for c in counts.iter_mut() {
                if c.0 == b {
                    c.1 += 1;
                }
            }
        }
    }
    counts
        .iter()
        .max_by_key(|c| c.1)
        .filter(|c| c.1 > 0)
        .map(|c| c.0)
        .unwrap_or(b',')
}

/// Decode bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, or, when the
/// bytes are not UTF-8, the legacy single-byte encoding of Arabic (Windows-1256) or
/// Turkish (Windows-1254) spreadsheets, whichever reads as more letters of its script.
pub fn decode(bytes: &[u8]) -> Result<String, HxlError> {
    match decode_unicode(bytes) {
        Ok(s) => Ok(s),
        Err(e) if !bytes.starts_with(b"\xFF\xFE") && !bytes.starts_with(b"\xFE\xFF") => {
            let (ar, _, ar_bad) = encoding_rs::WINDOWS_1256.decode(bytes);
            let (tr, _, tr_bad) = encoding_rs::WINDOWS_1254.decode(bytes);
            let arabic = ar
                .chars()
                .filter(|c| ('\u{0621}'..='\u{064A}').contains(c))
                .count();
            let turkish = tr.chars().filter(|c| "çğıöşüÇĞİÖŞÜ".contains(*c)).count();
            match (arabic, turkish, ar_bad, tr_bad) {
                (a, t, false, _) if a > 0 && a >= t => Ok(ar.into_owned()),
                (_, t, _, false) if t > 0 => Ok(tr.into_owned()),
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// Decode with a named encoding (`utf-8`, `windows-1256`, `windows-1254`, `utf-16le` …).
pub fn decode_as(bytes: &[u8], label: &str) -> Result<String, HxlError> {
    let enc = encoding_rs::Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| {
        HxlError::Parse {
            row: 1,
            message: format!("unknown encoding {label:?}"),
        }
    })?;
    let (text, _, bad) = enc.decode(bytes);
    if bad {
        return Err(HxlError::Parse {
            row: 1,
            message: format!("the file is not valid {}", enc.name()),
        });
    }
    Ok(text.into_owned())
}

fn decode_unicode(bytes: &[u8]) -> Result<String, HxlError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).map_err(|e| bad_utf8(rest, e));
    }
    let utf16 = |rest: &[u8], le: bool| -> Result<String, HxlError> {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| HxlError::Parse {
            row: 1,
            message: "invalid UTF-16 text".into(),
        })
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, false);
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| bad_utf8(bytes, e))
}

fn bad_utf8(bytes: &[u8], e: std::string::FromUtf8Error) -> HxlError {
    let at = e.utf8_error().valid_up_to();
    let row = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
    HxlError::Parse {
        row,
        message: "the file is not UTF-8 text, nor recognisably Windows-1256 (Arabic) or Windows-1254 (Turkish): save it as \"CSV UTF-8\" or name its encoding".into(),
    }
}

/// Read a whole HXL table from CSV/TSV/SSV bytes (encoding detected).
pub fn read_csv(mut input: impl Read) -> Result<Table, HxlError> {
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let text = decode(&bytes)?;
    read_csv_text(&text)
}

/// Read a whole HXL table from CSV/TSV/SSV text.
pub fn read_csv_text(text: &str) -> Result<Table, HxlError> {
    Table::from_rows(csv_rows(text)?)
}

/// The rows of CSV/TSV/SSV text with their line numbers, hashtags or not: for callers
/// that tag an untagged file themselves.
pub fn csv_rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, HxlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(HxlError::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let (mut line_count, mut counted_to) = (0usize, 0usize);
    let bytecount = |b: &[u8]| b.iter().filter(|c| **c == b'\n').count();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| HxlError::Parse {
            row: i + 1,
            message: e.to_string(),
        })?;
        // the line a spreadsheet user sees: count newlines up to the record's first byte
        let mut byte = rec
            .position()
            .map(|p| p.byte() as usize)
            .unwrap_or(0)
            .min(text.len());
        // the reported position can be before blank lines the reader skipped
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        line_count += bytecount(&text.as_bytes()[counted_to..byte]);
        counted_to = byte;
        records.push((line_count + 1, rec.iter().map(str::to_string).collect()));
    }
    Ok(records)
}

/// Write a table as CSV: the header row (if any header is set), the hashtag row, the rows.
pub fn write_csv(table: &Table, out: impl Write) -> Result<(), HxlError> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
    let io = |e: csv::Error| HxlError::Io(std::io::Error::other(e));
    if table.has_headers() {
        w.write_record(
            table
                .columns
                .iter()
                .map(|c| c.header.clone().unwrap_or_default()),
        )
        .map_err(io)?;
    }
    w.write_record(
        table
            .columns
            .iter()
            .map(|c| c.tag.as_ref().map(|t| t.to_string()).unwrap_or_default()),
    )
    .map_err(io)?;
    for r in &table.rows {
        w.write_record(&r.values).map_err(io)?;
    }
    w.flush()?;
    Ok(())
}

/// Write the header row (when any column has a header) and the hashtag row.
pub(crate) fn write_heads<W: Write>(
    w: &mut csv::Writer<W>,
    columns: &[crate::Column],
) -> Result<(), HxlError> {
    let io = |e: csv::Error| HxlError::Io(std::io::Error::other(e));
    if columns
        .iter()
        .any(|c| c.header.as_deref().is_some_and(|h| !h.is_empty()))
    {
        w.write_record(columns.iter().map(|c| c.header.clone().unwrap_or_default()))
            .map_err(io)?;
    }
    w.write_record(
        columns
            .iter()
            .map(|c| c.tag.as_ref().map(|t| t.to_string()).unwrap_or_default()),
    )
    .map_err(io)
}

/// Writes an HXL CSV a row at a time, for output too large to hold as a [`Table`]: the
/// header and hashtag rows first, then each row as it comes.
pub struct RowWriter<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> RowWriter<W> {
    /// Start the file with the columns' headers (if any) and hashtags.
    pub fn new(out: W, columns: &[crate::Column]) -> Result<RowWriter<W>, HxlError> {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
        write_heads(&mut w, columns)?;
        Ok(RowWriter { w })
    }

    /// Write one row.
    pub fn write(&mut self, values: &[String]) -> Result<(), HxlError> {
        self.w
            .write_record(values)
            .map_err(|e| HxlError::Io(std::io::Error::other(e)))
    }

    /// Flush what is buffered.
    pub fn finish(mut self) -> Result<(), HxlError> {
        self.w.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_hashtag_row_and_keeps_the_header_above_it() {
        let data =
            "Report 2026\nOrganisation,Sector,Notes\n#org,#sector,\nAMAL,WASH,x\n\nNOUR,Health,\n";
        let t = read_csv(data.as_bytes()).unwrap();
        assert_eq!(t.preamble, vec![vec!["Report 2026".to_string()]]);
        assert_eq!(t.columns[0].header.as_deref(), Some("Organisation"));
        assert_eq!(t.columns[1].tag.as_ref().unwrap().to_string(), "#sector");
        assert!(t.columns[2].tag.is_none());
        assert_eq!(t.rows.len(), 2, "blank lines are not rows");
        assert_eq!(t.rows[1].source_row, 6);
    }

    #[test]
    fn a_file_without_hashtags_says_what_is_missing() {
        let e = read_csv("Organisation,Sector\nAMAL,WASH\n".as_bytes()).unwrap_err();
        assert!(e.to_string().contains("#org,#sector"), "{e}");
        assert!(matches!(read_csv("".as_bytes()), Err(HxlError::Empty)));
    }

    #[test]
    fn delimiters_bom_and_utf16() {
        let t = read_csv("\u{feff}Org;Adm1\n#org;#adm1+code\nA;SY-ID\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].values, ["A", "SY-ID"]);
        let t = read_csv("#org\t#adm1\nA\tB\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].get(1), "B");
        // a title line above a tab-separated table, with a comma in it, does not decide
        let t = read_csv("4W, March 2026\nOrg\tAdm1\n#org\t#adm1\nA, inc\tB\n".as_bytes()).unwrap();
        assert_eq!(t.rows[0].values, ["A, inc", "B"]);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "#org,#adm1\nمنظمة,إدلب\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(read_csv(&utf16[..]).unwrap().rows[0].get(1), "إدلب");
    }

    #[test]
    fn malformed_hashtags_are_skipped_with_a_warning() {
        let t = read_csv("#org,#sector +,#adm1\nA,B,C\n".as_bytes()).unwrap();
        assert!(t.columns[1].tag.is_none());
        assert_eq!(t.warnings.len(), 1);
    }

    #[test]
    fn legacy_arabic_and_turkish_encodings_are_detected() {
        // "إدلب" in Windows-1256, "Şanlıurfa" in Windows-1254
        let ar = read_csv(&b"#org,#adm1\nA,\xC5\xCF\xE1\xC8\n"[..]).unwrap();
        assert_eq!(ar.rows[0].get(1), "إدلب");
        let tr = read_csv(&b"#org,#adm1\nA,\xDEanl\xFDurfa\n"[..]).unwrap();
        assert_eq!(tr.rows[0].get(1), "Şanlıurfa");
        assert_eq!(
            decode_as(b"\xC5\xCF\xE1\xC8", "windows-1256").unwrap(),
            "إدلب"
        );
        assert!(decode_as(b"x", "klingon").is_err());
    }

    #[test]
    fn binary_garbage_is_an_error_not_a_panic() {
        assert!(read_csv(&[0u8, 159, 146, 150, 0, 0, 255][..]).is_err());
    }

    #[test]
    fn writes_what_it_reads() {
        let data = "Organisation,Province\n#org,#adm1+code\n\"A, B\",SY-ID\n";
        let t = read_csv(data.as_bytes()).unwrap();
        let mut out = Vec::new();
        write_csv(&t, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), data);
    }
}
