//! The reference implementation's own command-line cases (libhxl-python, copied verbatim
//! from shared/conformance/libhxl): every case must produce the expected file, line for
//! line (line-end style aside).

use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance")
}

/// Split shell words: single and double quotes, no escapes needed by the cases.
fn shell_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                in_word = true;
            }
            (None, c) if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            (None, c) => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    out
}

fn lines(s: &str) -> Vec<String> {
    s.replace("\r\n", "\n")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn copies_match_the_shared_originals() {
    let shared =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/libhxl");
    if !shared.exists() {
        return;
    }
    let a = std::fs::read(dir().join("cases.tsv")).unwrap();
    let b = std::fs::read(shared.join("cases.tsv")).unwrap();
    assert_eq!(a, b, "cases.tsv differs from shared/conformance/libhxl");
}

#[test]
fn every_reference_case_passes() {
    let cases = std::fs::read_to_string(dir().join("cases.tsv")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in cases
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        let (tool, args, input, expected) = (cols[0], cols[1], cols[2], cols[3]);
        let mut argv = vec![tool.to_string()];
        if args != "-" {
            for w in shell_words(args) {
                // paths in arguments are relative to the conformance folder
                argv.push(if w.starts_with("files/") {
                    dir().join(&w).display().to_string()
                } else {
                    w
                });
            }
        }
        argv.push(files(input));
        let mut out = Vec::new();
        let result = minbar_hxl::cli::run(&argv, &mut std::io::empty(), &mut out);
        let want = std::fs::read_to_string(dir().join("files").join(expected)).unwrap();
        n += 1;
        match result {
            Ok(()) => {
                let got = String::from_utf8(out).unwrap();
                if lines(&got) != lines(&want) {
                    failures.push(format!(
                        "{tool} {args} {input}\n--- expected\n{want}\n--- got\n{got}"
                    ));
                }
            }
            Err(e) => failures.push(format!("{tool} {args} {input}: error {e}")),
        }
    }
    println!("{n} reference cases run, {} failed", failures.len());
    assert!(n >= 35, "all cases were read");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn files(name: &str) -> String {
    Path::new(&dir())
        .join("files")
        .join(name)
        .display()
        .to_string()
}

/// `validate` prints what libhxl-python's `hxlvalidate` prints for the same schema and
/// data (tests/validate/README.md says how the expectation was produced), and fails.
#[test]
fn validate_matches_hxlvalidate() {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/validate");
    let data = d.join("data.csv").to_string_lossy().into_owned();
    let schema = d.join("schema.csv").to_string_lossy().into_owned();
    let args: Vec<String> = ["validate", "-s", &schema, &data]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = Vec::new();
    let r = minbar_hxl::cli::run(&args, &mut std::io::empty(), &mut out);
    assert!(
        matches!(r, Err(minbar_hxl::cli::CliError::Invalid)),
        "errors in the data make validate fail: {r:?}"
    );
    let got = String::from_utf8(out)
        .unwrap()
        .replace(&data, "DATA")
        .replace(&schema, "SCHEMA");
    let want = std::fs::read_to_string(d.join("expected.txt")).unwrap();
    assert_eq!(lines(&got), lines(&want));
    // only errors, and a clean file passes
    let args: Vec<String> = ["validate", "-e", "error", "-s", &schema, &data]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let mut out = Vec::new();
    let _ = minbar_hxl::cli::run(&args, &mut std::io::empty(), &mut out);
    let got = String::from_utf8(out).unwrap();
    assert!(
        !got.contains("[warning]") && got.contains("10 error(s)\n"),
        "{got}"
    );
    let clean = d.join("clean.csv");
    let mut out = Vec::new();
    let args: Vec<String> = ["validate", "-s", &schema, clean.to_str().unwrap()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    minbar_hxl::cli::run(&args, &mut std::io::empty(), &mut out).unwrap();
    assert!(String::from_utf8(out)
        .unwrap()
        .ends_with("Validation succeeded.\n"));
}

/// `select` on a workbook (read straight from the sheet) prints what `select` on the same
/// table saved as CSV prints, on standard output and into a file, with the sheet chosen
/// or not.
#[test]
fn select_on_a_workbook_is_select_on_its_csv() {
    let d = tempfile::tempdir().unwrap();
    let path = |n: &str| d.path().join(n).to_string_lossy().into_owned();
    let mut csv =
        String::from("Organisation,Sector,Targeted,Notes\n#org,#sector,#targeted,#meta\n");
    for i in 0..500 {
        let org = ["AMAL", "جمعية الأمل", "Nour"][i % 3];
        let sector = ["WASH", "Health", "Shelter", "wash"][i % 4];
        csv.push_str(&format!(
            "{org},{sector},{},\"note {i}, \"\"quoted\"\"\"\n",
            i * 37 % 5000
        ));
    }
    std::fs::write(path("4w.csv"), &csv).unwrap();
    let run = |args: &[String]| {
        let mut out = Vec::new();
        minbar_hxl::cli::run(args, &mut std::io::empty(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let words = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    run(&words(&[
        "cut",
        &path("4w.csv"),
        &path("4w.xlsx"),
        "--format",
        "xlsx",
    ]));
    for q in ["sector=WASH", "targeted>2500", "org~الأمل"] {
        for reverse in [false, true] {
            let with = |input: &str, sheet: &[&str]| {
                let mut a = words(&["select", "-q", q]);
                if reverse {
                    a.push("-r".into());
                }
                a.extend(words(sheet));
                a.push(input.into());
                a
            };
            let from_csv = run(&with(&path("4w.csv"), &[]));
            assert!(from_csv.lines().count() > 2, "{q}: rows pass");
            assert_eq!(run(&with(&path("4w.xlsx"), &[])), from_csv, "{q} {reverse}");
            assert_eq!(run(&with(&path("4w.xlsx"), &["--sheet", "HXL"])), from_csv);
            let mut to_file = with(&path("4w.xlsx"), &["--sheet", "1"]);
            let out = path("out.csv");
            to_file.push(out.clone());
            assert_eq!(run(&to_file), "");
            assert_eq!(std::fs::read_to_string(&out).unwrap(), from_csv);
        }
    }
}

/// `info` names each column (number, hashtag, header) and counts the rows; on a
/// workbook it does so for every sheet, saying which have no HXL table, unless a sheet
/// is chosen.
#[test]
fn info_tells_columns_and_rows_of_a_file_and_of_every_sheet() {
    let d = tempfile::tempdir().unwrap();
    let path = |n: &str| d.path().join(n).to_string_lossy().into_owned();
    let run = |args: &[&str]| {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        minbar_hxl::cli::run(&args, &mut std::io::empty(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    std::fs::write(
        path("4w.csv"),
        "Organisation,Sector,Notes\n#org,#sector,\nAMAL,WASH,x\n\nNOUR,Health,y\n",
    )
    .unwrap();
    assert_eq!(
        run(&["info", &path("4w.csv")]),
        "1\t#org\tOrganisation\n2\t#sector\tSector\n3\t\tNotes\n2 rows\n"
    );
    let mut wb = rust_xlsxwriter::Workbook::new();
    let notes = wb.add_worksheet().set_name("ملاحظات").unwrap();
    notes.write_string(0, 0, "no hashtags here").unwrap();
    let ws = wb.add_worksheet().set_name("4W").unwrap();
    for (c, t) in ["#org", "#reached"].iter().enumerate() {
        ws.write_string(0, c as u16, *t).unwrap();
    }
    for r in 1..4u32 {
        ws.write_string(r, 0, "AMAL").unwrap();
        ws.write_number(r, 1, f64::from(r)).unwrap();
    }
    wb.save(path("4w.xlsx")).unwrap();
    let all = run(&["info", &path("4w.xlsx")]);
    let mut lines = all.lines();
    assert_eq!(lines.next(), Some("sheet 1: ملاحظات"));
    assert!(lines.next().unwrap().starts_with("no HXL table: "), "{all}");
    assert_eq!(
        lines.collect::<Vec<_>>(),
        ["sheet 2: 4W", "1\t#org\t", "2\t#reached\t", "3 rows"]
    );
    assert_eq!(
        run(&["info", "--sheet", "4W", &path("4w.xlsx")]),
        "1\t#org\t\n2\t#reached\t\n3 rows\n"
    );
}
