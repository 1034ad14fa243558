//! The command-line tools, with the reference scripts' option names:
//! `TOOL [OPTIONS] [INPUT [OUTPUT]]`, standard input and output by default so they pipe.

use crate::filters::{self, Aggregate, CleanOptions, MergeOptions, Query};
use crate::tag::TagPattern;
use crate::{HxlError, Table};
use std::io::{Read, Write};

/// A command line that could not be run: bad options or unreadable input.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad options, or a file that cannot be opened: what to do instead.
    #[error("{0}")]
    Usage(String),
    /// The input is not HXL (no hashtag row, damaged workbook, …).
    #[error("{0}")]
    Hxl(#[from] HxlError),
    /// A query, pattern or spec that does not parse.
    #[error("{0}")]
    Filter(#[from] filters::FilterError),
    /// Validation ran and found errors; the report has been written.
    #[error("validation failed")]
    Invalid,
}

/// The tools of `minbar hxl`, each with the line `--help` gives it.
pub const TOOLS: &[(&str, &str)] = &[
    ("select", "keep rows matching -q queries (= != < <= > >= ~ !~); -r keeps the others"),
    ("cut", "keep columns matching -i patterns, or drop those matching -x"),
    ("count", "count rows per group of -t patterns; -a aggregators: count() sum(t) average(t) min(t) max(t) concat(t) [as Header#tag]"),
    ("sort", "sort rows by -t patterns (default: all columns), numbers and dates aware; -r reverses"),
    ("clean", "-w/-u/-l/-d/-n patterns: whitespace, upper, lower, dates, numbers; --remove-headers"),
    ("rename", "-r old:new or old:Header#new"),
    ("merge", "-m FILE -k key patterns -t patterns to bring over; -r fill existing columns, -O overwrite"),
    ("append", "-a FILE: append its rows, matching columns by hashtag"),
    ("add", "-s '[Header]#tag=value' constant columns; -b puts them first"),
    ("dedup", "drop repeated rows (on -t patterns, or all columns)"),
    ("info", "columns, hashtags and row count (of every sheet of a workbook, unless --sheet)"),
    ("validate", "-s SCHEMA: check against an HXL schema (#valid_tag, #valid_required, #valid_datatype, #valid_value+list, ...); -e info|warning|error minimum level shown; exit status 1 on errors"),
];

/// The usage text.
pub fn usage() -> String {
    let mut s = String::from(
        "minbar hxl TOOL [OPTIONS] [INPUT [OUTPUT]]\n\n\
         Input: CSV, TSV, semicolon-separated, Excel (.xlsx, .xls) or JSON, told apart by content.\n\
         \x20 --encoding NAME   text encoding (default: UTF-8, else Windows-1256 or -1254 detected)\n\
         \x20 --sheet N|NAME    Excel sheet (default: the first with a hashtag row)\n\
         \x20 --format F        output: csv (default), json, json-objects, xlsx\n\nTools:\n",
    );
    for (t, d) in TOOLS {
        s.push_str(&format!("  {t:<8} {d}\n"));
    }
    s
}

fn patterns(s: &str) -> Result<Vec<TagPattern>, CliError> {
    TagPattern::parse_list(s)
        .ok_or_else(|| CliError::Usage(format!("{s:?} is not a list of tag patterns")))
}

/// How inputs are read: an encoding for text files, a sheet for workbooks.
#[derive(Default, Clone)]
struct InputOptions {
    encoding: Option<String>,
    sheet: crate::xlsx::Sheet,
}

fn read_path(path: &str, stdin: &mut dyn Read, o: &InputOptions) -> Result<Table, CliError> {
    table_of(read_bytes(path, stdin)?, o)
}

fn read_bytes(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>, CliError> {
    Ok(if path == "-" {
        let mut b = Vec::new();
        stdin.read_to_end(&mut b).map_err(HxlError::Io)?;
        b
    } else {
        std::fs::read(path).map_err(|e| CliError::Usage(format!("cannot read {path}: {e}")))?
    })
}

fn table_of(bytes: Vec<u8>, o: &InputOptions) -> Result<Table, CliError> {
    match &o.encoding {
        Some(enc) if !crate::xlsx::is_excel(&bytes) => {
            let text = crate::csv_io::decode_as(&bytes, enc)?;
            Ok(crate::csv_io::read_csv_text(&text)?)
        }
        _ => Ok(crate::read_any(&bytes, &o.sheet)?),
    }
}

/// Output held back until it passes [`Spill::LIMIT`], then written through: a streaming
/// filter that finds the input is not UTF-8 early (a legacy encoding) can still start
/// again from the decoded file with nothing written, and a large output never sits in
/// memory.
struct Spill<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn Write,
    spilled: bool,
}

impl<'a> Spill<'a> {
    const LIMIT: usize = 4 << 20;

    fn new(out: &'a mut dyn Write) -> Spill<'a> {
        Spill {
            buf: Vec::new(),
            out,
            spilled: false,
        }
    }

    fn finish(self) -> Result<(), HxlError> {
        self.out.write_all(&self.buf)?;
        self.out.flush()?;
        Ok(())
    }
}

impl Write for Spill<'_> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        // past the first few MB nothing is held back: large writes go straight through
        if self.spilled && self.buf.is_empty() && data.len() >= 1 << 16 {
            return self.out.write(data);
        }
        self.buf.extend_from_slice(data);
        if self.buf.len() >= Self::LIMIT {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
            self.spilled = true;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What `info` says of a table: each column (number, hashtag, header), the row count,
/// the warnings.
fn info(table: &Table) -> String {
    let mut s = String::new();
    for (i, c) in table.columns.iter().enumerate() {
        s.push_str(&format!(
            "{}\t{}\t{}\n",
            i + 1,
            c.tag.as_ref().map(|t| t.to_string()).unwrap_or_default(),
            c.header.clone().unwrap_or_default()
        ));
    }
    s.push_str(&format!("{} rows\n", table.rows.len()));
    for w in &table.warnings {
        s.push_str(&format!("warning: {w}\n"));
    }
    s
}

/// Run `args` (the tool name first). Writes the result to `stdout` or the OUTPUT file.
///
/// Meant for a process that ends when it returns (`minbar hxl`): tables read whole are
/// not freed (a million cells freed one by one cost more than `select` itself). Call the
/// library's functions instead from a long-running process.
pub fn run(args: &[String], stdin: &mut dyn Read, stdout: &mut dyn Write) -> Result<(), CliError> {
    let Some((tool, rest)) = args.split_first() else {
        return Err(CliError::Usage(usage()));
    };
    let mut positional: Vec<String> = Vec::new();
    let mut opts: Vec<(String, Option<String>)> = Vec::new();
    let takes_value = |o: &str| -> bool {
        if matches!(o, "--encoding" | "--sheet" | "--format") {
            return true;
        }
        match tool.as_str() {
            "select" => matches!(o, "-q" | "--query"),
            "cut" => matches!(o, "-i" | "--include" | "-x" | "--exclude"),
            "count" => matches!(o, "-t" | "--tags" | "-a" | "--aggregator"),
            "sort" | "dedup" => matches!(o, "-t" | "--tags"),
            "clean" => matches!(
                o,
                "-w" | "--whitespace"
                    | "-u"
                    | "--upper"
                    | "-l"
                    | "--lower"
                    | "-d"
                    | "--date"
                    | "-n"
                    | "--number"
            ),
            "rename" => matches!(o, "-r" | "--rename"),
            "merge" => matches!(o, "-k" | "--keys" | "-t" | "--tags" | "-m" | "--merge"),
            "append" => matches!(o, "-a" | "--append"),
            "add" => matches!(o, "-s" | "--spec"),
            "validate" => matches!(o, "-s" | "--schema" | "-e" | "--error-level"),
            _ => false,
        }
    };
    let mut i = 0;
    while i < rest.len() {
        let a = &rest[i];
        if a.starts_with('-') && a.len() > 1 {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
                _ => (a.clone(), None),
            };
            if takes_value(&name) && inline.is_none() {
                let v = rest
                    .get(i + 1)
                    .ok_or_else(|| CliError::Usage(format!("{name} needs a value")))?;
                opts.push((name, Some(v.clone())));
                i += 2;
                continue;
            }
            opts.push((name, inline));
        } else {
            positional.push(a.clone());
        }
        i += 1;
    }
    let all = |names: &[&str]| -> Vec<String> {
        opts.iter()
            .filter(|(n, _)| names.contains(&n.as_str()))
            .filter_map(|(_, v)| v.clone())
            .collect()
    };
    let flag = |names: &[&str]| opts.iter().any(|(n, _)| names.contains(&n.as_str()));
    let one_patterns = |names: &[&str]| -> Result<Vec<TagPattern>, CliError> {
        let mut v = Vec::new();
        for s in all(names) {
            v.extend(patterns(&s)?);
        }
        Ok(v)
    };
    let input_opts = InputOptions {
        encoding: all(&["--encoding"]).pop(),
        sheet: match all(&["--sheet"]).pop() {
            Some(s) => match s.parse::<usize>() {
                Ok(n) if n >= 1 => crate::xlsx::Sheet::Index(n - 1),
                _ => crate::xlsx::Sheet::Name(s),
            },
            None => crate::xlsx::Sheet::default(),
        },
    };
    let format = all(&["--format"]).pop().unwrap_or_else(|| "csv".into());
    if !matches!(format.as_str(), "csv" | "json" | "json-objects" | "xlsx") {
        return Err(CliError::Usage(format!(
            "--format must be csv, json, json-objects or xlsx, not {format:?}"
        )));
    }
    let input = positional.first().cloned().unwrap_or_else(|| "-".into());
    // select and cut on a CSV file stream, in flat memory
    let streamable = matches!(
        tool.as_str(),
        "select" | "cut" | "count" | "clean" | "rename" | "add" | "sort"
    ) && input != "-"
        && format == "csv"
        && input_opts.encoding.is_none()
        && !input.to_ascii_lowercase().ends_with(".xlsx")
        && !input.to_ascii_lowercase().ends_with(".xls")
        && !input.to_ascii_lowercase().ends_with(".json");
    if streamable {
        let queries = all(&["-q", "--query"])
            .iter()
            .map(|q| Query::parse(q))
            .collect::<Result<Vec<_>, _>>()?;
        let (include, exclude) = (
            one_patterns(&["-i", "--include"])?,
            one_patterns(&["-x", "--exclude"])?,
        );
        let sort_tags = if tool == "sort" {
            one_patterns(&["-t", "--tags"])?
        } else {
            vec![]
        };
        let (count_tags, aggregates) = if tool == "count" {
            (
                one_patterns(&["-t", "--tags"])?,
                all(&["-a", "--aggregator"])
                    .iter()
                    .map(|a| Aggregate::parse(a))
                    .collect::<Result<Vec<_>, _>>()?,
            )
        } else {
            (vec![], vec![])
        };
        // clean, rename and add: their whole-table functions, a batch of rows at a time
        let row_filter: Box<dyn Fn(Table) -> Table> = match tool.as_str() {
            "clean" => {
                let o = CleanOptions {
                    whitespace: one_patterns(&["-w", "--whitespace"])?,
                    upper: one_patterns(&["-u", "--upper"])?,
                    lower: one_patterns(&["-l", "--lower"])?,
                    dates: one_patterns(&["-d", "--date"])?,
                    numbers: one_patterns(&["-n", "--number"])?,
                    remove_headers: flag(&["--remove-headers"]),
                };
                Box::new(move |t| filters::clean(t, &o))
            }
            "rename" => {
                let specs = all(&["-r", "--rename"])
                    .iter()
                    .map(|s| filters::parse_rename(s))
                    .collect::<Result<Vec<_>, _>>()?;
                Box::new(move |t| filters::rename(t, &specs))
            }
            "add" => {
                let specs = all(&["-s", "--spec"])
                    .iter()
                    .map(|s| filters::parse_add(s))
                    .collect::<Result<Vec<_>, _>>()?;
                let before = flag(&["-b", "--before"]);
                Box::new(move |t| filters::add(t, &specs, before))
            }
            _ => Box::new(|t| t),
        };
        let op = if matches!(tool.as_str(), "clean" | "rename" | "add") {
            crate::stream::Op::Rows(row_filter.as_ref())
        } else if tool == "select" {
            crate::stream::Op::Select {
                queries: &queries,
                reverse: flag(&["-r", "--reverse"]),
            }
        } else if tool == "sort" {
            crate::stream::Op::Sort {
                patterns: &sort_tags,
                reverse: flag(&["-r", "--reverse"]),
            }
        } else if tool == "count" {
            crate::stream::Op::Count {
                patterns: &count_tags,
                aggregates: &aggregates,
            }
        } else {
            crate::stream::Op::Cut {
                include: &include,
                exclude: &exclude,
            }
        };
        let file = std::fs::File::open(&input)
            .map_err(|e| CliError::Usage(format!("cannot read {input}: {e}")))?;
        let is_excel = {
            let mut magic = [0u8; 4];
            let n = std::io::Read::read(&mut &file, &mut magic).unwrap_or(0);
            crate::xlsx::is_excel(&magic[..n]) || magic[..n].first() == Some(&b'[')
        };
        if !is_excel {
            let file = std::fs::File::open(&input)
                .map_err(|e| CliError::Usage(format!("cannot read {input}: {e}")))?;
            let to_file = positional.get(1).filter(|p| p.as_str() != "-").cloned();
            let done = match &to_file {
                Some(path) => {
                    let f = std::fs::File::create(path)
                        .map_err(|e| CliError::Usage(format!("cannot write {path}: {e}")))?;
                    crate::stream::run(file, std::io::BufWriter::new(f), &op)?
                }
                None => {
                    let mut out = Spill::new(&mut *stdout);
                    let done = crate::stream::run(file, &mut out, &op)?;
                    if !done && out.spilled {
                        return Err(CliError::Usage(
                            "the file stops being UTF-8 part-way through; give its encoding with --encoding"
                                .into(),
                        ));
                    }
                    if done {
                        out.finish()?;
                    }
                    done
                }
            };
            if done {
                return Ok(());
            }
        }
    }
    let bytes = read_bytes(&input, stdin)?;
    // select from a workbook to CSV: straight from the sheet, no table in between
    if tool == "select" && format == "csv" && crate::xlsx::is_excel(&bytes) {
        let queries = all(&["-q", "--query"])
            .iter()
            .map(|q| Query::parse(q))
            .collect::<Result<Vec<_>, _>>()?;
        let reverse = flag(&["-r", "--reverse"]);
        let to_file = positional.get(1).filter(|p| p.as_str() != "-");
        let done = match to_file {
            Some(path) => {
                let mut b = Vec::new();
                let done =
                    crate::xlsx::select_csv(&bytes, &input_opts.sheet, &queries, reverse, &mut b);
                if let Some(Ok(())) = done {
                    std::fs::write(path, &b)
                        .map_err(|e| CliError::Usage(format!("cannot write {path}: {e}")))?;
                }
                done
            }
            None => crate::xlsx::select_csv(&bytes, &input_opts.sheet, &queries, reverse, stdout),
        };
        if let Some(done) = done {
            done?;
            // the process ends: the workbook need not be freed
            std::mem::forget(bytes);
            return Ok(());
        }
    }
    // info on a workbook, no sheet chosen: every sheet
    if tool == "info"
        && matches!(input_opts.sheet, crate::xlsx::Sheet::FirstTagged)
        && crate::xlsx::is_excel(&bytes)
    {
        let mut s = String::new();
        for (i, name) in crate::xlsx::sheet_names(&bytes)?.iter().enumerate() {
            s.push_str(&format!("sheet {}: {name}\n", i + 1));
            match crate::xlsx::read_excel(&bytes, &crate::xlsx::Sheet::Index(i)) {
                Ok(t) => s.push_str(&info(&t)),
                Err(e) => s.push_str(&format!("no HXL table: {e}\n")),
            }
        }
        stdout.write_all(s.as_bytes()).map_err(HxlError::Io)?;
        return Ok(());
    }
    let table = table_of(bytes, &input_opts)?;
    let out = match tool.as_str() {
        "select" => {
            let queries = all(&["-q", "--query"])
                .iter()
                .map(|q| Query::parse(q))
                .collect::<Result<Vec<_>, _>>()?;
            let (kept, left) = filters::select_split(table, &queries, flag(&["-r", "--reverse"]));
            // the process ends after writing: freeing each left-out cell is wasted time
            std::mem::forget(left);
            kept
        }
        "cut" => filters::cut(
            table,
            &one_patterns(&["-i", "--include"])?,
            &one_patterns(&["-x", "--exclude"])?,
        ),
        "count" => {
            let aggs = all(&["-a", "--aggregator"])
                .iter()
                .map(|a| Aggregate::parse(a))
                .collect::<Result<Vec<_>, _>>()?;
            filters::count(table, &one_patterns(&["-t", "--tags"])?, &aggs)
        }
        "sort" => filters::sort(
            table,
            &one_patterns(&["-t", "--tags"])?,
            flag(&["-r", "--reverse"]),
        ),
        "dedup" => filters::dedup(table, &one_patterns(&["-t", "--tags"])?),
        "clean" => {
            let o = CleanOptions {
                whitespace: one_patterns(&["-w", "--whitespace"])?,
                upper: one_patterns(&["-u", "--upper"])?,
                lower: one_patterns(&["-l", "--lower"])?,
                dates: one_patterns(&["-d", "--date"])?,
                numbers: one_patterns(&["-n", "--number"])?,
                remove_headers: flag(&["--remove-headers"]),
            };
            filters::clean(table, &o)
        }
        "rename" => {
            let specs = all(&["-r", "--rename"])
                .iter()
                .map(|s| filters::parse_rename(s))
                .collect::<Result<Vec<_>, _>>()?;
            filters::rename(table, &specs)
        }
        "merge" => {
            let file = all(&["-m", "--merge"])
                .pop()
                .ok_or_else(|| CliError::Usage("merge needs -m FILE".into()))?;
            let other = read_path(&file, &mut std::io::empty(), &input_opts)?;
            let o = MergeOptions {
                keys: one_patterns(&["-k", "--keys"])?,
                tags: one_patterns(&["-t", "--tags"])?,
                replace: flag(&["-r", "--replace"]),
                overwrite: flag(&["-O", "--overwrite"]),
            };
            filters::merge(table, &other, &o)
        }
        "append" => {
            let mut t = table;
            for f in all(&["-a", "--append"]) {
                let other = read_path(&f, &mut std::io::empty(), &input_opts)?;
                t = filters::append(t, &other);
            }
            t
        }
        "add" => {
            let specs = all(&["-s", "--spec"])
                .iter()
                .map(|s| filters::parse_add(s))
                .collect::<Result<Vec<_>, _>>()?;
            filters::add(table, &specs, flag(&["-b", "--before"]))
        }
        "validate" => {
            let schema_path = all(&["-s", "--schema"]).pop().ok_or_else(|| {
                CliError::Usage(
                    "validate needs -s SCHEMA: an HXL table with a #valid_tag column".into(),
                )
            })?;
            let min = match all(&["-e", "--error-level"]).pop().as_deref() {
                None | Some("info") => crate::validate::Severity::Info,
                Some("warning") => crate::validate::Severity::Warning,
                Some("error") => crate::validate::Severity::Error,
                Some(other) => {
                    return Err(CliError::Usage(format!(
                        "-e must be info, warning or error, not {other:?}"
                    )))
                }
            };
            let schema_table = read_path(&schema_path, &mut std::io::empty(), &input_opts)?;
            let schema = crate::validate::Schema::from_table(&schema_table)?;
            let report = schema.validate(&table);
            let shown_input = if input == "-" {
                "<standard input>"
            } else {
                input.as_str()
            };
            let text = report.render(shown_input, &schema_path, min);
            match positional.get(1).filter(|p| p.as_str() != "-") {
                Some(path) => std::fs::write(path, text.as_bytes())
                    .map_err(|e| CliError::Usage(format!("cannot write {path}: {e}")))?,
                None => stdout.write_all(text.as_bytes()).map_err(HxlError::Io)?,
            }
            return if report.is_valid() {
                Ok(())
            } else {
                Err(CliError::Invalid)
            };
        }
        "info" => {
            stdout
                .write_all(info(&table).as_bytes())
                .map_err(HxlError::Io)?;
            return Ok(());
        }
        other => {
            return Err(CliError::Usage(format!(
                "unknown tool {other:?}\n\n{}",
                usage()
            )))
        }
    };
    let bytes = match format.as_str() {
        "json" => crate::json::write_json(&out, false),
        "json-objects" => crate::json::write_json(&out, true),
        "xlsx" => crate::xlsx::write_xlsx(&out, "HXL", false)?,
        _ => {
            let mut b = Vec::new();
            crate::csv_io::write_csv(&out, &mut b)?;
            b
        }
    };
    // the process ends after writing: the table need not be freed cell by cell
    std::mem::forget(out);
    match positional.get(1).filter(|p| p.as_str() != "-") {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| CliError::Usage(format!("cannot write {path}: {e}")))?,
        None => stdout.write_all(&bytes).map_err(HxlError::Io)?,
    }
    Ok(())
}
