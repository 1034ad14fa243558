//! The `minbar` binary as an operator uses it.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

fn minbar(dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_minbar"));
    c.current_dir(dir)
        .env_remove("MINBAR_DATABASE_URL")
        .env_remove("MINBAR_DATA_DIR")
        .env_remove("MINBAR_BIND")
        .env_remove("MINBAR_CONFIG")
        .env("RUST_LOG", "warn");
    c
}

#[test]
fn every_subcommand_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["migrate", "--help"],
        vec!["demo", "--help"],
        vec!["import", "organisations", "--help"],
        vec!["export", "organisations", "--help"],
        vec!["user", "add", "--help"],
        vec!["user", "disable", "--help"],
        vec!["user", "create-token", "--help"],
        vec!["audit", "verify", "--help"],
        vec!["audit", "export", "--help"],
        vec!["text", "analyze", "--help"],
        vec!["reindex", "--help"],
        vec!["cycle", "set", "--help"],
    ] {
        let out = minbar(dir.path()).args(&args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Usage: minbar"), "{args:?}: {text}");
    }
    let serve = String::from_utf8(
        minbar(dir.path())
            .args(["serve", "--help"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    for flag in [
        "--data-dir",
        "--database-url",
        "--bind",
        "--demo",
        "--config",
    ] {
        assert!(serve.contains(flag), "serve --help names {flag}");
    }
}

#[test]
fn import_and_export_round_trip_with_exit_statuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    assert!(
        d.join("minbar-data/minbar.db").exists(),
        "the default data directory is created"
    );
    let out = minbar(d)
        .args(["export", "organisations", "-o", "dir.csv"])
        .status()
        .unwrap();
    assert!(out.success());
    let csv = std::fs::read_to_string(d.join("dir.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2 + 49);
    let ok = minbar(d)
        .args(["import", "organisations", "dir.csv"])
        .output()
        .unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("0 organisations created, 49 updated"));

    let xlsx = minbar(d)
        .args([
            "export",
            "organisations",
            "--format",
            "xlsx",
            "-o",
            "dir.xlsx",
        ])
        .status()
        .unwrap();
    assert!(xlsx.success());
    let ok = minbar(d)
        .args(["import", "organisations", "--dry-run", "dir.xlsx"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&ok.stdout).contains("0 would be created, 49 updated"),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );

    std::fs::write(
        d.join("bad.csv"),
        "Acronym,Name,E-mail\n#org+acronym,#org+name,#contact+email\nNEWONE,New,x@\n",
    )
    .unwrap();
    let bad = minbar(d)
        .args(["import", "organisations", "bad.csv"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("row 3, column E-mail #contact+email: \"x@\""),
        "{err}"
    );
    assert!(err.contains("Nothing was written"));

    let none = minbar(d)
        .args(["import", "organisations", "missing.csv"])
        .output()
        .unwrap();
    assert!(!none.status.success());
    assert!(String::from_utf8_lossy(&none.stderr).contains("cannot read missing.csv"));
}

/// A sheet without hashtags whose headers Minbar cannot all read: the refusal says how each
/// column was read and how to say what they hold; `--columns` does, and a wrong field name
/// is refused with the list of fields.
#[test]
fn an_untagged_4w_sheet_is_imported_with_the_columns_named_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    std::fs::write(
        d.join("sheet.csv"),
        "الجهة,القطاع,المحافظة,الشهر,العدد\nNJHF,wash,إدلب,2027-05,120\n",
    )
    .unwrap();
    let guessed = minbar(d)
        .args(["import", "activities", "sheet.csv"])
        .output()
        .unwrap();
    assert_eq!(guessed.status.code(), Some(1));
    let err = String::from_utf8_lossy(&guessed.stderr);
    assert!(err.contains("column \"الجهة\" not read"), "{err}");
    assert!(
        err.contains("column \"القطاع\" read as #sector (sector)"),
        "{err}"
    );
    assert!(err.contains("--columns"), "{err}");
    let typo = minbar(d)
        .args([
            "import",
            "activities",
            "--columns",
            "org,sector,adm1,period,reachd",
            "sheet.csv",
        ])
        .output()
        .unwrap();
    assert!(!typo.status.success());
    assert!(String::from_utf8_lossy(&typo.stderr).contains("\"reachd\" is not a field"));
    let ok = minbar(d)
        .args([
            "import",
            "activities",
            "--columns",
            "org,sector,adm1,period,reached.total",
            "sheet.csv",
        ])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let csv = minbar(d)
        .args([
            "export",
            "activities",
            "--period",
            "2027-05",
            "--headers",
            "en",
        ])
        .output()
        .unwrap();
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert_eq!(csv.lines().count(), 3, "{csv}");
    assert!(csv.lines().nth(2).unwrap().starts_with("NJHF,"), "{csv}");
    assert!(csv.contains(",120,"), "{csv}");
}

#[test]
fn accounts_are_added_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    let mut child = minbar(d)
        .args([
            "user",
            "add",
            "--email",
            "fp@example.org",
            "--role",
            "focal_point",
            "--org",
            "CSAD",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a long enough password\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("focal_point"));
    let generated = minbar(d)
        .args([
            "user",
            "add",
            "--email",
            "admin@example.org",
            "--role",
            "admin",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&generated.stdout).contains("Password (shown once): "));
    let no_org = minbar(d)
        .args([
            "user",
            "add",
            "--email",
            "m@example.org",
            "--role",
            "member",
        ])
        .output()
        .unwrap();
    assert!(!no_org.status.success(), "a member needs an organisation");
    let bad_role = minbar(d)
        .args(["user", "add", "--email", "x@example.org", "--role", "king"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("--role must be one of"));

    // the rest of an account's life
    let run = |args: &[&str]| {
        let out = minbar(d).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let token = run(&[
        "user",
        "create-token",
        "admin@example.org",
        "--name",
        "reports",
        "--scope",
        "read",
    ]);
    assert!(token.contains("Secret (shown once): mbr_"), "{token}");
    assert!(run(&["user", "tokens", "admin@example.org"]).contains("reports\tread"));
    run(&["user", "disable", "fp@example.org"]);
    assert!(run(&["user", "list"]).contains("fp@example.org\tfocal_point\tCSAD\tdisabled"));
    run(&["user", "enable", "fp@example.org"]);
    run(&[
        "user",
        "set-role",
        "fp@example.org",
        "--role",
        "coordinator",
    ]);
    assert!(run(&["user", "list"]).contains("fp@example.org\tcoordinator\t\tactive"));
    let invite = run(&[
        "user",
        "invite",
        "guest@partner.example",
        "--role",
        "partner",
        "--base-url",
        "https://minbar.example.org",
    ]);
    assert!(
        invite.contains("https://minbar.example.org/invitation/"),
        "{invite}"
    );
    run(&["user", "require-2fa", "--roles", "admin,coordinator"]);
    run(&["user", "revoke-token", "admin@example.org", "1"]);
    assert!(run(&["user", "tokens", "admin@example.org"]).contains("revoked"));
}

/// An operator moves the demo network (reports up to 2026-11) to quarters: a start that
/// splits a quarter or reaches back over reported months fails with the reason; from
/// January it holds, `cycle show` says so, and a template asked for February (the
/// first quarter) is made.
#[test]
fn the_reporting_cycle_is_changed_and_shown_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    let show = minbar(d).args(["cycle", "show"]).output().unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("Reporting cycle now: monthly"));
    for (from, says) in [
        ("2027-02", "a quarter in January, April, July or October"),
        ("2026-10", "already recorded for this period or a later one"),
        ("someday", "year-month"),
    ] {
        let out = minbar(d)
            .args(["cycle", "set", "quarterly", "--from", from])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{from}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{from}: {err}");
    }
    let ok = minbar(d)
        .args(["cycle", "set", "quarterly", "--from", "2027-01"])
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let text = String::from_utf8_lossy(&ok.stdout);
    assert!(text.contains("quarterly from 2027-Q1"), "{text}");
    let tpl = d.join("t.xlsx");
    let out = minbar(d)
        .args(["export", "template", "--period", "2027-02", "-o"])
        .arg(&tpl)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn audit_verify_catches_a_tampered_entry() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    let ok = minbar(d).args(["audit", "verify"]).output().unwrap();
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("The audit trail holds"));
    let csv = minbar(d).args(["audit", "export"]).output().unwrap();
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("id,at_utc,user_id,user_email,org_id,via,action,entity"));
    assert!(csv.contains(",cli,create,user,"), "{csv}");

    // someone with the database file rewrites history
    let url = format!("sqlite://{}", d.join("minbar-data/minbar.db").display());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::ConnectOptions;
        let mut c = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap()
            .connect()
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET after_json = '{}' WHERE id = 2")
            .execute(&mut c)
            .await
            .unwrap();
    });
    let bad = minbar(d).args(["audit", "verify"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("entry 2 was altered"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}

#[test]
fn serve_answers_then_stops_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut child = minbar(d)
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let ready = lines.next().unwrap().unwrap();
    let url = ready
        .strip_prefix("Minbar is ready at ")
        .expect("prints its URL")
        .to_string();
    let health = ureq::get(&format!("{url}healthz"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert_eq!(health, "ok");
    let page = ureq::get(&format!("{url}directory"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains("dir=\"rtl\""));
    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exits cleanly on SIGTERM");
    assert_eq!(lines.next().unwrap().unwrap(), "Minbar stopped.");
}

#[test]
fn text_mentions_prints_the_directory_names_in_a_text_as_json_lines() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(minbar(d).args(["demo"]).status().unwrap().success());
    let mut child = minbar(d)
        .args(["text", "mentions"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("اجتمعت دائرة شؤون المجتمع المدني في إدلب مع CSAD".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["type"], "organisation");
    assert_eq!(lines[0]["surface"], "دائرة شؤون المجتمع المدني");
    // "اجتمعت " is 7 characters, the name 25
    assert_eq!(
        (lines[0]["start"].as_u64(), lines[0]["end"].as_u64()),
        (Some(7), Some(32))
    );
    assert_eq!(lines[1]["type"], "area");
    assert_eq!(lines[1]["id"], "SY-ID");
    assert_eq!(
        lines[2]["id"], lines[0]["id"],
        "the acronym is the same body"
    );
}

#[test]
fn text_analyze_prints_tokens_with_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let out = minbar(dir.path())
        .args(["text", "analyze", "--field", "name", "عبد الله"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "عبدالله\t0\t15\tعبد الله\n"
    );
}

#[test]
fn hxl_tools_pipe_through_standard_input_and_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = minbar(dir.path())
        .args([
            "hxl",
            "count",
            "-t",
            "adm1",
            "-a",
            "sum(reached) as Reached#reached",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            "Org,Governorate,Reached\n#org,#adm1,#reached\nAMAL,إدلب,10\nNOUR,حلب,5\nSAMA,إدلب,7\n"
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.replace("\r\n", "\n"),
        "Governorate,Reached\n#adm1,#reached\nإدلب,17\nحلب,5\n"
    );
    let bad = minbar(dir.path())
        .args(["hxl", "select", "-q", "no operator here"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn reindex_rebuilds_the_search_index_with_progress() {
    let dir = tempfile::tempdir().unwrap();
    assert!(minbar(dir.path())
        .args(["demo"])
        .status()
        .unwrap()
        .success());
    let out = minbar(dir.path()).args(["reindex"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Indexed "), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Indexing ["));
    assert!(dir
        .path()
        .join("minbar-data/search-index/meta.json")
        .exists());
}
