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
        while reader.read_byte_record(&mut rec).map_err(io)? {
            if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            // not UTF-8 after all: let the caller decode the whole file
            if std::str::from_utf8(rec.as_slice()).is_err() {
                return Ok(false);
            }
            counter.add(|i| rec.get(i).and_then(|f| text(f).ok()).unwrap_or(""));
        }
        crate::csv_io::write_csv(&counter.finish(), output)?;
        return Ok(true);
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
        Op::Select { .. } | Op::Count { .. } | Op::Rows(_) => (0..columns.len()).collect(),
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
        Op::Cut { .. } | Op::Count { .. } | Op::Rows(_) => vec![],
    };
    let has_headers = keep
        .iter()
        .any(|i| columns[*i].header.as_deref().is_some_and(|h| !h.is_empty()));
    if has_headers {
        writer
            .write_record(
                keep.iter()
                    .map(|i| columns[*i].header.clone().unwrap_or_default()),
            )
            .map_err(io)?;
    }
    writer
        .write_record(keep.iter().map(|i| {
            columns[*i]
                .tag
                .as_ref()
                .map(|t| t.to_string())
                .unwrap_or_default()
        }))
        .map_err(io)?;
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
            Op::Cut { .. } | Op::Count { .. } | Op::Rows(_) => true,
        };
        if !pass {
            continue;
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
