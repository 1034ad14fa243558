//! Streaming filters over CSV: rows are read, tested and written one at a time as
//! `csv::ByteRecord`s, so memory stays flat whatever the file's size. Used for `select`
//! and `cut` on CSV input (other inputs and tools go through [`crate::Table`]).

use crate::csv_io::{parse_tag_row, sniff_delimiter, HASHTAG_ROW_LIMIT};
use crate::filters::Query;
use crate::table::Column;
use crate::tag::TagPattern;
use crate::HxlError;
use std::io::{BufRead, BufReader, Read, Write};

/// What to do with each row.
pub enum Op<'a> {
    Select {
        queries: &'a [Query],
        reverse: bool,
    },
    Cut {
        include: &'a [TagPattern],
        exclude: &'a [TagPattern],
    },
    /// Group and aggregate: memory grows with the groups, not the rows.
    Count {
        patterns: &'a [TagPattern],
        aggregates: &'a [crate::filters::Aggregate],
    },
    /// Sort by the first column matching each pattern (all columns when none): the rows
    /// are kept, compactly, until the end; sort keys are computed once per distinct value.
    Sort {
        patterns: &'a [TagPattern],
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

/// Stream `input` (UTF-8 CSV/TSV/SSV) through `op` into `output` as CSV. Returns
/// `Ok(false)` when the input turns out not to be UTF-8 (a legacy encoding): the caller
/// then discards what was written and takes the decoding path.
pub fn run(input: impl Read, output: impl Write, op: &Op<'_>) -> Result<bool, HxlError> {
    let mut input = BufReader::with_capacity(1 << 20, input);
    // sniff the delimiter from the first line without consuming it
    let head = input.fill_buf()?;
    let head = head
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(|h| h.to_vec())
        .unwrap_or_else(|| head.to_vec());
    let Ok(first) = std::str::from_utf8(&head[..head.len().min(4096)])
        .or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]))
    else {
        return Ok(false);
    };
    let delimiter = sniff_delimiter(first);
    if input.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(input);
    let io = |e: csv::Error| HxlError::Io(std::io::Error::other(e));
    let mut before: Vec<csv::ByteRecord> = Vec::new();
    let mut rec = csv::ByteRecord::new();
    let columns: Vec<Column> = loop {
        if !reader.read_byte_record(&mut rec).map_err(io)? {
            return Err(HxlError::NoHashtagRow {
                limit: HASHTAG_ROW_LIMIT,
                rows_seen: before.len(),
            });
        }
        let cells: Option<Vec<String>> = rec
            .iter()
            .map(|f| text(f).ok().map(str::to_string))
            .collect();
        let Some(cells) = cells else { return Ok(false) };
        if let Some((tags, _)) = parse_tag_row(&cells) {
            let header = before.pop();
            break tags
                .into_iter()
                .enumerate()
                .map(|(i, tag)| Column {
                    header: header
                        .as_ref()
                        .and_then(|h| h.get(i))
                        .and_then(|f| text(f).ok())
                        .map(str::to_string),
                    tag,
                })
                .collect();
        }
        before.push(rec.clone());
        if before.len() >= HASHTAG_ROW_LIMIT {
            return Err(HxlError::NoHashtagRow {
                limit: HASHTAG_ROW_LIMIT,
                rows_seen: before.len(),
            });
        }
    };
    if let Op::Count {
        patterns,
        aggregates,
    } = op
    {
        let mut counter = crate::filters::Counter::new(&columns, patterns, aggregates);
        let read = counter.columns_read();
        while reader.read_byte_record(&mut rec).map_err(io)? {
            if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            // not UTF-8 after all: let the caller decode the whole file (only the cells
            // counted by make the output, so only they need to be text)
            if read
                .iter()
                .any(|i| rec.get(*i).is_some_and(|f| std::str::from_utf8(f).is_err()))
            {
                return Ok(false);
            }
            counter.add(|i| rec.get(i).and_then(|f| text(f).ok()).unwrap_or(""));
        }
        crate::csv_io::write_csv(&counter.finish(), output)?;
        return Ok(true);
    }
    if let Op::Sort { patterns, reverse } = op {
        return sort(reader, rec, &columns, patterns, *reverse, output);
    }
    if let Op::Rows(f) = op {
        let table = |rows: Vec<crate::table::Row>| crate::Table {
            columns: columns.clone(),
            rows,
            ..Default::default()
        };
        let mut writer: Option<crate::csv_io::RowWriter<_>> = None;
        let mut output = Some(output);
        let mut batch: Vec<crate::table::Row> = Vec::with_capacity(BATCH);
        let mut done = false;
        while !done {
            done = !reader.read_byte_record(&mut rec).map_err(io)?;
            if !done {
                if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
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
        return Ok(true);
    }
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(output);
    // which columns come out, and which rows
    let keep: Vec<usize> = match op {
        Op::Cut { include, exclude } => columns
            .iter()
            .enumerate()
            .filter(|(_, c)| include.is_empty() || include.iter().any(|p| c.matches(p)))
            .filter(|(_, c)| !exclude.iter().any(|p| c.matches(p)))
            .map(|(i, _)| i)
            .collect(),
        Op::Select { .. } | Op::Count { .. } | Op::Rows(_) | Op::Sort { .. } => {
            (0..columns.len()).collect()
        }
    };
    let tested: Vec<Vec<usize>> = match op {
        Op::Select { queries, .. } => queries
            .iter()
            .map(|q| {
                columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.matches(&q.pattern))
                    .map(|(i, _)| i)
                    .collect()
            })
            .collect(),
        Op::Cut { .. } | Op::Count { .. } | Op::Rows(_) | Op::Sort { .. } => vec![],
    };
    let kept: Vec<Column> = keep.iter().map(|i| columns[*i].clone()).collect();
    crate::csv_io::write_heads(&mut writer, &kept)?;
    let mut out = csv::ByteRecord::new();
    while reader.read_byte_record(&mut rec).map_err(io)? {
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let pass = match op {
            Op::Select { queries, reverse } => {
                let mut any = queries.is_empty();
                for (q, cols) in queries.iter().zip(&tested) {
                    for &i in cols {
                        if let Some(f) = rec.get(i) {
                            // not UTF-8 after all: let the caller decode the whole file
                            let Ok(v) = text(f) else { return Ok(false) };
                            if q.matches_value(v) {
                                any = true;
                                break;
                            }
                        }
                    }
                    if any {
                        break;
                    }
                }
                queries.is_empty() || any != *reverse
            }
            Op::Cut { .. } | Op::Count { .. } | Op::Rows(_) | Op::Sort { .. } => true,
        };
        if !pass {
            continue;
        }
        // what is written must be text: not UTF-8 after all, let the caller decode
        let text_out = if keep.len() == rec.len() {
            std::str::from_utf8(rec.as_slice()).is_ok()
        } else {
            keep.iter()
                .all(|i| rec.get(*i).is_none_or(|f| std::str::from_utf8(f).is_ok()))
        };
        if !text_out {
            return Ok(false);
        }
        if keep.len() == rec.len() {
            writer.write_byte_record(&rec).map_err(io)?;
        } else {
            out.clear();
            for &i in &keep {
                out.push_field(rec.get(i).unwrap_or(b""));
            }
            writer.write_byte_record(&out).map_err(io)?;
        }
    }
    writer.flush()?;
    Ok(true)
}

/// The rest of the file, sorted as [`crate::filters::sort`] sorts a table (stably, numbers
/// before text, `#date` columns as dates), from rows kept as bytes in one buffer rather
/// than a `String` per cell: a tenth of the memory, and each distinct key value is
/// normalised and parsed once.
fn sort<R: Read>(
    mut reader: csv::Reader<R>,
    mut rec: csv::ByteRecord,
    columns: &[Column],
    patterns: &[TagPattern],
    reverse: bool,
    output: impl Write,
) -> Result<bool, HxlError> {
    use crate::filters::{cmp_keys, push_key, sort_value, KeyMap, SortKey};
    let io = |e: csv::Error| HxlError::Io(std::io::Error::other(e));
    let idx: Vec<usize> = if patterns.is_empty() {
        (0..columns.len()).collect()
    } else {
        patterns
            .iter()
            .filter_map(|p| columns.iter().position(|c| c.matches(p)))
            .collect()
    };
    // every row as it will be written (CSV, quoted where needed), end to end
    let mut data: Vec<u8> = Vec::new();
    let mut row_at: Vec<usize> = vec![0];
    // each row's key, as an index into the distinct keys
    let mut key_of: Vec<u32> = Vec::new();
    let mut distinct: KeyMap<u32> = KeyMap::default();
    let mut keys: Vec<Vec<SortKey>> = Vec::new();
    let (mut key, mut scratch) = (String::new(), String::new());
    while reader.read_byte_record(&mut rec).map_err(io)? {
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        // not UTF-8 after all: let the caller decode the whole file
        if std::str::from_utf8(rec.as_slice()).is_err() {
            return Ok(false);
        }
        let cell = |i: usize| rec.get(i).map(text_of).unwrap_or("");
        key.clear();
        for &i in &idx {
            push_key(&mut key, &mut scratch, cell(i));
        }
        let k = match distinct.get(key.as_str()) {
            Some(k) => *k,
            None => {
                let k = u32::try_from(keys.len()).map_err(|_| HxlError::Parse {
                    row: row_at.len(),
                    message: "too many distinct sort keys".into(),
                })?;
                keys.push(
                    idx.iter()
                        .map(|&i| sort_value(columns.get(i).and_then(|c| c.tag.as_ref()), cell(i)))
                        .collect(),
                );
                distinct.insert(key.clone(), k);
                k
            }
        };
        key_of.push(k);
        write_row(&mut data, &rec);
        row_at.push(data.len());
    }
    drop(distinct);
    // rank the distinct keys; keys that compare equal (the same date written two ways)
    // share a rank, so that their rows keep their order
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
    // (rank, row) pairs are all different, so an unstable sort of them is a stable sort
    // of the rows by rank
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
    for r in rows {
        let r = (r & 0xFFFF_FFFF) as usize;
        out.write_all(&data[row_at[r]..row_at[r + 1]])?;
    }
    out.flush()?;
    Ok(true)
}

/// Append `rec` to `out` as the `csv` crate's writer writes it (comma-separated, a field
/// quoted only when it holds a comma, a quote or a line break, quotes doubled, `\n` at
/// the end), without its per-byte state machine when nothing needs quoting.
fn write_row(out: &mut Vec<u8>, rec: &csv::ByteRecord) {
    let special = |b: &u8| matches!(b, b',' | b'"' | b'\r' | b'\n');
    let plain = !rec.as_slice().iter().any(special);
    for (i, f) in rec.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if plain || !f.iter().any(special) {
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
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    String::from_utf8(want).unwrap(),
                    "-t {tags:?} reverse {reverse}"
                );
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
        while data.len() < 6 << 20 {
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
        // the same file with a Windows-1256 row after 6 MB of ASCII
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
