//! `minbar`: the one binary. Serves the platform and runs every operator task.

mod config;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use config::{Config, Overrides};
use minbar_core::{Email, Password, Role};
use minbar_store::Store;
use std::io::{BufRead, Read, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "minbar",
    version,
    about = "Minbar (منبر): an Arabic-first coordination platform for networks of civil-society organisations."
)]
struct Cli {
    #[command(flatten)]
    global: Overrides,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (creates and migrates the database on first run).
    Serve(ServeArgs),
    /// Apply pending database migrations and seed reference data.
    Migrate,
    /// Load the demo network into the database (only if it has no organisations yet).
    Demo {
        /// Also add this many generated organisations (for benchmarks at scale).
        #[arg(long, default_value_t = 0)]
        bulk: usize,
        /// `large`: also 2,000 organisations in all and 1,000,000 activities over 36
        /// months (2024-01 to 2026-12) with needs, for benchmarks and dashboards at size.
        #[arg(long, default_value = "small")]
        scale: String,
        /// With `--scale large`: how many activities (default 1,000,000).
        #[arg(long, default_value_t = 1_000_000)]
        activities: usize,
    },
    /// Import a table into the directory (HXL-tagged CSV).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export the directory as an HXL-tagged table.
    #[command(subcommand)]
    Export(ExportCommand),
    /// The 4W reporting cycle (monthly unless changed): show it, or change it from a
    /// period on.
    #[command(subcommand)]
    Cycle(CycleCommand),
    /// Rebuild the search index from the database (it lives in DATA_DIR/search-index).
    Reindex,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit trail: check its hash chain, export it.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// HXL tools: select, cut, count, sort, clean, rename, merge, append, add, dedup, info.
    /// `minbar hxl TOOL [OPTIONS] [INPUT [OUTPUT]]`, with the reference scripts' options;
    /// `minbar hxl help` lists them.
    #[command(disable_help_flag = true)]
    Hxl {
        /// The tool and its arguments.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Text analysis, for finding out why something was or was not found.
    #[command(subcommand)]
    Text(TextCommand),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on [default: 127.0.0.1:8080] [env: MINBAR_BIND]
    #[arg(long, env = "MINBAR_BIND")]
    bind: Option<String>,
    /// Load the demo network if the database has no organisations.
    #[arg(long)]
    demo: bool,
    /// Minbar is reached over HTTPS (directly or through a TLS-terminating proxy): mark
    /// cookies Secure and send Strict-Transport-Security.
    #[arg(long, env = "MINBAR_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Take the client's address from X-Forwarded-For (only behind a proxy that sets
    /// it), for sign-in throttling and the sessions page.
    #[arg(long, env = "MINBAR_TRUST_PROXY")]
    trust_proxy: bool,
    /// The mail server for invitations, password resets, reminders and notification
    /// e-mail (immediate and digests): smtp://host:25 (a local relay),
    /// smtp://user:pass@host:587?tls=required (STARTTLS), smtps://user:pass@host:465.
    /// Without it, invitation links are shown to the inviter, resets are unavailable and
    /// notifications stay in the app.
    #[arg(long, env = "MINBAR_SMTP_URL")]
    smtp_url: Option<String>,
    /// The sender of Minbar's mail.
    #[arg(
        long,
        env = "MINBAR_MAIL_FROM",
        default_value = "Minbar <minbar@localhost>"
    )]
    mail_from: String,
    /// The address people reach Minbar at, for links in e-mails (e.g.
    /// https://minbar.example.org) [default: http://BIND]
    #[arg(long, env = "MINBAR_BASE_URL")]
    base_url: Option<String>,
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Organisations, matched by acronym: existing ones updated, new ones created. All rows
    /// or none: exit status 1 and every bad row listed when any row is wrong.
    Organisations {
        /// The file (CSV, TSV or semicolon-separated, with a hashtag row); `-` for stdin.
        file: PathBuf,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even if other rows have errors.
        #[arg(long)]
        valid_rows_only: bool,
    },
    /// People (#contact+name+i_ar/+i_en, #org+acronym, #contact+email …), matched by
    /// e-mail, else by name within the organisation. All rows or none.
    People {
        /// The file; `-` for stdin.
        file: PathBuf,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even if other rows have errors.
        #[arg(long)]
        valid_rows_only: bool,
    },
    /// Areas below the first level from an OCHA p-code table (#adm1+code, #adm2+code,
    /// #adm2+name+i_ar, #adm3+code …). First-level p-codes are matched to the shipped
    /// areas by name and kept as aliases. All rows or none.
    Areas {
        /// The file; `-` for stdin.
        file: PathBuf,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// 4W activities (CSV, Excel or JSON; HXL-tagged, or with Arabic, Turkish or English
    /// headers Minbar recognises): organisations by acronym or name, areas and sectors by
    /// code or name. The same file twice adds nothing. All rows or none.
    Activities {
        /// The file; `-` for stdin.
        file: PathBuf,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even if other rows have errors.
        #[arg(long)]
        valid_rows_only: bool,
        /// Refuse rows of any other period (YYYY-MM, or 2026-Q2 where the network reports
        /// quarterly); fills the period where the file has none.
        #[arg(long)]
        period: Option<String>,
        /// For a sheet without a hashtag row: what each column of its header row holds,
        /// in order, between commas, instead of what Minbar guesses from the headers; an
        /// empty place is a column not read. Example: `org,sector,adm1,period,,reached.total`.
        /// A dry run lists the fields.
        #[arg(long)]
        columns: Option<String>,
    },
    /// Needs: area, sector, period, people in need (#inneed), severity 1-5. A figure for
    /// the same area, sector and period replaces the earlier one. All rows or none.
    Needs {
        /// The file; `-` for stdin.
        file: PathBuf,
        /// Check everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Write the valid rows even if other rows have errors.
        #[arg(long)]
        valid_rows_only: bool,
        /// Refuse rows of any other period (YYYY-MM, or 2026-Q2 where the network reports
        /// quarterly); fills the period where the file has none.
        #[arg(long)]
        period: Option<String>,
        /// For a sheet without a hashtag row: what each column of its header row holds,
        /// in order, between commas, instead of what Minbar guesses from the headers; an
        /// empty place is a column not read. Example: `org,sector,adm1,period,,reached.total`.
        /// A dry run lists the fields.
        #[arg(long)]
        columns: Option<String>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Every organisation, one row each, with an HXL hashtag row under the headers.
    Organisations {
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `hxl` (CSV with the hashtag row) or `xlsx` (Excel, hashtag row kept, headers frozen).
        #[arg(long, default_value = "hxl")]
        format: String,
    },
    /// Every person, one row per affiliation, with all contact details (an operator's export).
    People {
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `hxl` or `xlsx`.
        #[arg(long, default_value = "hxl")]
        format: String,
    },
    /// 4W activities with the hashtag row; CSV streams in flat memory however many rows.
    Activities {
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `hxl` or `csv` (HXL-tagged CSV), `xlsx` (Excel, right to left), `json`.
        #[arg(long, default_value = "hxl")]
        format: String,
        /// Only this period (YYYY-MM, or 2026-Q2 where the network reports quarterly).
        #[arg(long)]
        period: Option<String>,
        /// Header row language: `ar` or `en`.
        #[arg(long, default_value = "ar")]
        headers: String,
    },
    /// A blank 4W workbook for an organisation and a month, with drop-down lists of sectors,
    /// activity types, areas, statuses and modalities; it imports back as it is.
    Template {
        /// Where to write the .xlsx.
        #[arg(long, short)]
        output: PathBuf,
        /// The organisation's acronym (filled into every row).
        #[arg(long)]
        org: Option<String>,
        /// The period (YYYY-MM, or 2026-Q2 where the network reports quarterly), filled into
        /// every row.
        #[arg(long)]
        period: Option<String>,
        /// Header and list language: `ar` or `en`.
        #[arg(long, default_value = "ar")]
        headers: String,
        /// How many rows to prepare.
        #[arg(long, default_value_t = 100)]
        rows: u32,
    },
    /// Needs with the hashtag row.
    Needs {
        /// Where to write; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// `hxl`, `csv`, `xlsx` or `json`.
        #[arg(long, default_value = "hxl")]
        format: String,
        /// Only this period (YYYY-MM, or 2026-Q2 where the network reports quarterly).
        #[arg(long)]
        period: Option<String>,
        /// Header row language: `ar` or `en`.
        #[arg(long, default_value = "ar")]
        headers: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Add {
        /// The e-mail address to sign in with.
        #[arg(long)]
        email: String,
        /// admin, coordinator, focal_point, member or partner.
        #[arg(long)]
        role: String,
        /// The organisation's acronym (required for focal points and members).
        #[arg(long)]
        org: Option<String>,
        /// Read the password from the first line of standard input; otherwise a strong
        /// password is generated and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Invite someone: a single-use link, good for a week, to choose their password. The
    /// link is printed; with --send, the e-mail is also queued for `minbar serve
    /// --smtp-url …` to deliver.
    Invite {
        /// The address to invite.
        email: String,
        /// admin, coordinator, focal_point, member or partner.
        #[arg(long)]
        role: String,
        /// The organisation's acronym (required for focal points and members).
        #[arg(long)]
        org: Option<String>,
        /// The language of the invitation: ar, en or tr.
        #[arg(long, default_value = "ar")]
        lang: String,
        /// The address people reach Minbar at, for the link [env: MINBAR_BASE_URL]
        #[arg(long, env = "MINBAR_BASE_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
        /// Queue the invitation e-mail as well.
        #[arg(long)]
        send: bool,
    },
    /// List the accounts: e-mail, role, organisation, disabled or not.
    List,
    /// Disable an account: its sessions end at once and its API tokens stop working.
    Disable {
        /// The account's e-mail address.
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account's e-mail address.
        email: String,
    },
    /// Change an account's role (and organisation).
    SetRole {
        /// The account's e-mail address.
        email: String,
        /// admin, coordinator, focal_point, member or partner.
        #[arg(long)]
        role: String,
        /// The organisation's acronym (required for focal points and members).
        #[arg(long)]
        org: Option<String>,
    },
    /// Set a new password (its sessions end): read from standard input with
    /// --password-stdin, otherwise generated and printed once.
    SetPassword {
        /// The account's e-mail address.
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List an account's live sessions.
    Sessions {
        /// The account's e-mail address.
        email: String,
    },
    /// End one of an account's sessions (its id from `minbar user sessions`).
    RevokeSession {
        /// The account's e-mail address.
        email: String,
        /// The session's id.
        id: String,
    },
    /// Create a personal API token (printed once; send it as `Authorization: Bearer …`).
    CreateToken {
        /// The account's e-mail address.
        email: String,
        /// What the token is for, to recognise it later.
        #[arg(long)]
        name: String,
        /// `read` (GET only) or `write`.
        #[arg(long, default_value = "read")]
        scope: String,
    },
    /// List an account's API tokens (never their secrets).
    Tokens {
        /// The account's e-mail address.
        email: String,
    },
    /// Require two-factor sign-in (a code from an authenticator app) of these roles,
    /// e.g. `--roles admin,coordinator`; `--roles ""` requires it of none.
    #[command(name = "require-2fa")]
    Require2fa {
        /// Role codes separated by commas.
        #[arg(long)]
        roles: String,
    },
    /// Turn two-factor sign-in off for an account (a lost phone); its sessions end. If
    /// the role requires it, the account sets it up again at its next sign-in.
    #[command(name = "reset-2fa")]
    Reset2fa {
        /// The account's e-mail address.
        email: String,
    },
    /// Revoke one of an account's API tokens.
    RevokeToken {
        /// The account's e-mail address.
        email: String,
        /// The token's id.
        id: i64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain of the audit trail from the first entry to the last. Exit
    /// status 1, naming the first entry that was altered, removed or inserted out of
    /// order, when the chain does not hold.
    Verify,
    /// Write the audit trail (or part of it) as CSV.
    Export {
        /// Only entries by accounts whose e-mail contains this.
        #[arg(long)]
        user: Option<String>,
        /// Only this entity (organisation, person, activity, user, …).
        #[arg(long)]
        entity: Option<String>,
        /// Output file; standard output when absent.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum CycleCommand {
    /// Print the cycle in force and each change with the period it starts.
    Show,
    /// Report by CYCLE (monthly, quarterly, half-yearly, yearly) from the period starting
    /// with month FROM on (`2027-01`). FROM must start a period of both the old and the new
    /// cycle, and nothing may be reported for FROM or later yet: what is already reported
    /// keeps its periods.
    Set {
        cycle: String,
        #[arg(long)]
        from: String,
    },
}

#[derive(Subcommand)]
enum TextCommand {
    /// Print the tokens of TEXT (or of standard input), one per line: form, byte offsets, original.
    Analyze {
        /// `text` (titles and bodies: stemmed) or `name` (people, organisations, places).
        #[arg(long, default_value = "text")]
        field: String,
        /// The text to analyse; standard input when absent.
        text: Option<String>,
    },
    /// Find the directory's organisations, people and places in a text (minutes, a press
    /// release): one JSON line per name, {"type", "id", "start", "end", "surface"}, with
    /// character offsets. Reads standard input when FILE is absent.
    Mentions {
        /// The text file; standard input when absent.
        file: Option<PathBuf>,
    },
}

fn main() -> Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if let Command::Hxl { args } = &cli.command {
        if args.is_empty() || matches!(args[0].as_str(), "help" | "--help" | "-h") {
            print!("{}", minbar_hxl::cli::usage());
            return Ok(());
        }
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        match minbar_hxl::cli::run(args, &mut std::io::stdin().lock(), &mut out) {
            Ok(()) => {}
            // the report is written; errors in the data exit 1, as hxlvalidate does
            Err(minbar_hxl::cli::CliError::Invalid) => {
                out.flush()?;
                std::process::exit(1);
            }
            Err(e) => {
                drop(out);
                eprintln!("minbar hxl: {e}");
                std::process::exit(2);
            }
        }
        out.flush()?;
        return Ok(());
    }
    if let Command::Text(TextCommand::Analyze { field, text }) = &cli.command {
        return analyze(field, text.clone());
    }
    let config = Config::load(&cli.global)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(run(cli.command, config))
}

async fn open(config: &Config) -> Result<Store> {
    let url = config.database_url()?;
    let store = Store::connect(&url)
        .await
        .with_context(|| format!("cannot open the database at {}", config::redact(&url)))?;
    store.migrate().await.context("migrating the database")?;
    // what the command line writes is the operator's doing, in the audit trail
    Ok(store.acting(minbar_store::audit::Who::cli()))
}

async fn run(command: Command, config: Config) -> Result<()> {
    let cli_kind = match &command {
        Command::Import(ImportCommand::Needs { .. })
        | Command::Export(ExportCommand::Needs { .. }) => Some("needs"),
        _ => None,
    };
    match command {
        Command::Serve(args) => serve(config, args).await,
        Command::Migrate => {
            let url = config.database_url()?;
            let store = Store::connect(&url).await?;
            let n = store.migrate().await?;
            println!("{n} migration(s) applied; the database is up to date.");
            Ok(())
        }
        Command::Demo {
            bulk,
            scale,
            activities,
        } => {
            if !matches!(scale.as_str(), "small" | "large") {
                bail!("--scale must be small or large, not {scale}");
            }
            let store = open(&config).await?;
            match minbar_store::demo::load(&store).await? {
                Some(d) => println!(
                    "Loaded the demo network: {} organisations, {} people, {} accounts, {} activities, {} needs, {} meetings.",
                    d.organisations, d.people, d.users, d.activities, d.needs, d.meetings
                ),
                None => println!(
                    "The directory already has organisations; the demo network was not loaded."
                ),
            }
            if bulk > 0 {
                for input in minbar_store::demo::bulk_orgs(bulk) {
                    let draft =
                        minbar_core::OrgDraft::parse(&input).map_err(|e| anyhow::anyhow!("{e}"))?;
                    match store.create_org(&draft).await {
                        Ok(_) | Err(minbar_store::StoreError::Invalid(_)) => {}
                        Err(e) => return Err(e.into()),
                    }
                }
                println!("Added up to {bulk} generated organisations (existing acronyms skipped).");
            }
            if scale == "large" {
                let start = std::time::Instant::now();
                let l = minbar_store::demo::load_large(&store, 2_000, activities, |done, total| {
                    eprint!("\r{done} / {total} activities");
                })
                .await?;
                eprintln!();
                println!(
                    "Added {} organisations, {} activities over 36 months and {} needs in {:.1} s.",
                    l.organisations,
                    l.activities,
                    l.needs,
                    start.elapsed().as_secs_f64()
                );
            }
            Ok(())
        }
        Command::User(cmd) => user_command(cmd, &open(&config).await?).await,
        Command::Audit(AuditCommand::Verify) => {
            let store = open(&config).await?;
            let check = store.verify_audit().await?;
            match check.problem {
                None => {
                    println!(
                        "The audit trail holds: {} entries checked, last hash {}.",
                        check.checked, check.last_hash
                    );
                    Ok(())
                }
                Some(p) => {
                    eprintln!("The audit trail does not hold: {p}.");
                    eprintln!(
                        "{} entries before it check out (last good hash {}).",
                        check.checked, check.last_hash
                    );
                    std::process::exit(1);
                }
            }
        }
        Command::Audit(AuditCommand::Export {
            user,
            entity,
            output,
        }) => {
            let store = open(&config).await?;
            let f = minbar_store::audit::AuditFilter {
                user,
                entity,
                per_page: 100_000,
                ..Default::default()
            };
            let mut out: Box<dyn Write> = match &output {
                Some(p) => Box::new(std::io::BufWriter::new(std::fs::File::create(p)?)),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut page = 1;
            let mut w = csv::Writer::from_writer(&mut out);
            w.write_record(minbar_store::audit::CSV_HEADER)?;
            loop {
                let p = store
                    .audit_entries(&minbar_store::audit::AuditFilter { page, ..f.clone() })
                    .await?;
                for e in &p.items {
                    w.write_record(e.csv_record())?;
                }
                if page * p.per_page >= p.total {
                    break;
                }
                page += 1;
            }
            w.flush()?;
            Ok(())
        }
        Command::Cycle(c) => {
            let store = open(&config).await?;
            let cal = match c {
                CycleCommand::Show => store.calendar().await?,
                CycleCommand::Set { cycle, from } => {
                    let tr = minbar_web::i18n::Tr(minbar_core::Lang::En);
                    let fail =
                        |code: &str| -> anyhow::Error { anyhow::anyhow!("{}", tr.err(code)) };
                    let cycle = minbar_core::Cycle::parse(&cycle).map_err(|e| fail(e.code()))?;
                    let from = minbar_core::Period::parse(&from).map_err(|e| fail(e.code()))?;
                    match store.set_cycle(from, cycle).await {
                        Ok(cal) => cal,
                        Err(minbar_store::StoreError::Invalid(e)) => {
                            let codes: Vec<String> = e.0.iter().map(|(_, c)| tr.err(c)).collect();
                            return Err(anyhow::anyhow!("{}", codes.join(" ")));
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
            };
            let now = minbar_core::Period::parse(&minbar_store::util::today())?;
            let p = cal.period_of(now);
            println!(
                "Reporting cycle now: {} (this period: {}).",
                cal.cycle_at(p).code(),
                cal.label(p)
            );
            if cal.changes().is_empty() {
                println!("Monthly since the start; never changed.");
            }
            for (from, c) in cal.changes() {
                println!("{} from {}", c.code(), cal.label(*from));
            }
            Ok(())
        }
        Command::Reindex => {
            let store = open(&config).await?;
            let dir = config.data_dir.join("search-index");
            let (index, _) = minbar_search::SearchIndex::open_or_create(&dir)?;
            let start = std::time::Instant::now();
            let n = minbar_web::search_sync::rebuild(&store, &index, |done, total| {
                let width = 30;
                let filled = (done * width).checked_div(total).unwrap_or(width);
                eprint!(
                    "\rIndexing [{}{}] {done}/{total}",
                    "#".repeat(filled),
                    " ".repeat(width - filled)
                );
            })
            .await?;
            eprintln!();
            println!(
                "Indexed {n} records in {:.1} s into {}.",
                start.elapsed().as_secs_f64(),
                dir.display()
            );
            Ok(())
        }
        Command::Import(ImportCommand::Organisations {
            file,
            dry_run,
            valid_rows_only,
        }) => {
            let bytes = read_input(&file)?;
            let store = open(&config).await?;
            let opts = minbar_exchange::directory::ImportOptions {
                dry_run,
                valid_rows_only,
                ..Default::default()
            };
            let r = minbar_exchange::directory::import_organisations(&store, &bytes, opts).await?;
            report(&r);
            finish(&r, dry_run, "organisations")
        }
        Command::Import(ImportCommand::People {
            file,
            dry_run,
            valid_rows_only,
        }) => {
            let bytes = read_input(&file)?;
            let store = open(&config).await?;
            let opts = minbar_exchange::directory::ImportOptions {
                dry_run,
                valid_rows_only,
                ..Default::default()
            };
            let r = minbar_exchange::people::import_people(&store, &bytes, opts).await?;
            report(&r);
            finish(&r, dry_run, "people")
        }
        Command::Import(ImportCommand::Areas { file, dry_run }) => {
            let bytes = read_input(&file)?;
            let store = open(&config).await?;
            let r = minbar_exchange::areas::import_areas(&store, &bytes, dry_run).await?;
            report(&r);
            finish(&r, dry_run, "areas")
        }
        Command::Import(
            ImportCommand::Activities {
                file,
                dry_run,
                valid_rows_only,
                period,
                columns,
            }
            | ImportCommand::Needs {
                file,
                dry_run,
                valid_rows_only,
                period,
                columns,
            },
        ) => {
            let needs = cli_kind == Some("needs");
            let period = month_arg(period.as_deref())?;
            let fields = minbar_exchange::activities::column_choices(needs);
            let columns = match columns {
                None => None,
                Some(c) => {
                    let c: Vec<String> = c.split(',').map(|f| f.trim().to_string()).collect();
                    if let Some(bad) = c
                        .iter()
                        .find(|f| !f.is_empty() && !fields.iter().any(|(k, _, _)| k == f))
                    {
                        let known: Vec<&str> = fields.iter().map(|(k, _, _)| *k).collect();
                        bail!(
                            "--columns: {bad:?} is not a field Minbar reads; the fields are {}",
                            known.join(", ")
                        );
                    }
                    Some(c)
                }
            };
            let bytes = read_input(&file)?;
            let store = open(&config).await?;
            let opts = minbar_exchange::directory::ImportOptions {
                dry_run,
                valid_rows_only,
                period,
                only_org: None,
                columns,
            };
            let r = if needs {
                minbar_exchange::activities::import_needs(&store, &bytes, opts).await
            } else {
                minbar_exchange::activities::import_activities(&store, &bytes, opts).await
            };
            let say_columns = |mapping: &[(String, String)]| {
                for (header, tag) in mapping {
                    match minbar_exchange::activities::field_of_tag(tag, needs) {
                        Some(field) => eprintln!("column {header:?} read as {tag} ({field})"),
                        None => eprintln!("column {header:?} not read"),
                    }
                }
            };
            let r = match r {
                Ok(r) => r,
                Err(e @ minbar_exchange::ExchangeError::MissingColumns(_)) => {
                    // an untagged sheet: say how its columns were read, and how to choose
                    if let Ok(Some(cols)) = minbar_exchange::activities::untagged_columns(&bytes) {
                        say_columns(&cols);
                        eprintln!(
                            "say what each column holds with --columns (fields: {})",
                            fields
                                .iter()
                                .map(|(k, _, _)| *k)
                                .collect::<Vec<_>>()
                                .join(", ")
                        );
                    }
                    return Err(e.into());
                }
                Err(e) => return Err(e.into()),
            };
            say_columns(&r.mapping);
            report(&r);
            finish(&r, dry_run, if needs { "needs" } else { "activities" })
        }
        Command::Export(
            ExportCommand::Activities {
                output,
                format,
                period,
                headers,
            }
            | ExportCommand::Needs {
                output,
                format,
                period,
                headers,
            },
        ) => {
            let needs = cli_kind == Some("needs");
            let period = month_arg(period.as_deref())?;
            let headers = headers_arg(&headers)?;
            let store = open(&config).await?;
            let period = in_calendar(&store, period).await?;
            let filter = minbar_store::fourw::ActivityFilter {
                period,
                ..Default::default()
            };
            if !needs && matches!(format.as_str(), "hxl" | "csv") {
                // streamed: flat memory for any number of rows
                let n = match output {
                    Some(p) => {
                        let f = std::fs::File::create(&p)
                            .with_context(|| format!("cannot write {}", p.display()))?;
                        minbar_exchange::activities::write_activities_csv(
                            &store, &filter, headers, f,
                        )
                        .await?
                    }
                    None => {
                        minbar_exchange::activities::write_activities_csv(
                            &store,
                            &filter,
                            headers,
                            std::io::stdout().lock(),
                        )
                        .await?
                    }
                };
                eprintln!("{n} activities exported.");
                return Ok(());
            }
            let table = if needs {
                minbar_exchange::activities::needs_table(&store, period, headers).await?
            } else {
                minbar_exchange::activities::activities_table(&store, &filter, headers).await?
            };
            write_table(&table, &format, if needs { "Needs" } else { "4W" }, output)
        }
        Command::Export(ExportCommand::Template {
            output,
            org,
            period,
            headers,
            rows,
        }) => {
            let period = month_arg(period.as_deref())?;
            let headers = headers_arg(&headers)?;
            let store = open(&config).await?;
            let period = in_calendar(&store, period).await?;
            let org = match org {
                Some(a) => Some(
                    store
                        .find_org_by_acronym(&a)
                        .await?
                        .ok_or_else(|| anyhow::anyhow!("no organisation has the acronym {a}"))?
                        .id,
                ),
                None => None,
            };
            let bytes =
                minbar_exchange::activities::activity_template(&store, org, period, headers, rows)
                    .await?;
            std::fs::write(&output, bytes)
                .with_context(|| format!("cannot write {}", output.display()))?;
            println!("Template written to {}.", output.display());
            Ok(())
        }
        Command::Export(ExportCommand::Organisations { output, format }) => {
            let store = open(&config).await?;
            let table =
                minbar_exchange::directory::organisations_table(&store, Default::default()).await?;
            write_table(&table, &format, "Directory", output)
        }
        Command::Export(ExportCommand::People { output, format }) => {
            let store = open(&config).await?;
            let operator = minbar_core::Actor {
                role: Role::Admin,
                ..minbar_core::Actor::VISITOR
            };
            let table = minbar_exchange::people::people_table(&store, &operator).await?;
            write_table(&table, &format, "People", output)
        }
        Command::Text(TextCommand::Mentions { file }) => {
            let store = open(&config).await?;
            let text = match &file {
                Some(f) => std::fs::read_to_string(f)
                    .with_context(|| format!("cannot read {}", f.display()))?,
                None => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .context("standard input is not UTF-8 text")?;
                    s
                }
            };
            let mut out = std::io::stdout().lock();
            for m in minbar_web::api::text::find(&store, &text).await? {
                writeln!(out, "{}", serde_json::to_string(&m)?)?;
            }
            Ok(())
        }
        Command::Text(_) | Command::Hxl { .. } => {
            unreachable!("handled before the runtime starts")
        }
    }
}

/// `--period`, if given: a month (`YYYY-MM`), a quarter (`2026-Q2`), a half year
/// (`2026-H1`) or a year (`2026`), as the month it starts with; the store's calendar puts
/// it into the network's period.
fn month_arg(s: Option<&str>) -> Result<Option<minbar_core::Period>> {
    s.map(minbar_core::Period::parse_span)
        .transpose()
        .map(|p| p.map(|(p, _)| p))
        .map_err(|_| {
            anyhow::anyhow!(
                "--period must be a period: a month (2026-03), a quarter (2026-Q2), a half year (2026-H1) or a year (2026)"
            )
        })
}

/// The period in the network's calendar (a month inside a quarter is the quarter).
async fn in_calendar(
    store: &minbar_store::Store,
    p: Option<minbar_core::Period>,
) -> Result<Option<minbar_core::Period>> {
    Ok(match p {
        Some(p) => Some(store.calendar().await?.period_of(p)),
        None => None,
    })
}

/// `--headers ar|en`.
fn headers_arg(s: &str) -> Result<minbar_exchange::activities::Headers> {
    minbar_exchange::activities::Headers::parse(s)
        .ok_or_else(|| anyhow::anyhow!("--headers must be ar or en, not {s}"))
}

/// Write a table as HXL CSV or Excel to a file or standard output.
fn write_table(
    table: &minbar_hxl::Table,
    format: &str,
    sheet: &str,
    output: Option<PathBuf>,
) -> Result<()> {
    let buf = match format {
        "hxl" | "csv" => {
            let mut buf = Vec::new();
            minbar_hxl::csv_io::write_csv(table, &mut buf)?;
            buf
        }
        "xlsx" => minbar_hxl::xlsx::write_xlsx(table, sheet, sheet == "4W" || sheet == "Needs")?,
        "json" => minbar_hxl::json::write_json(table, false),
        other => bail!("--format must be hxl, csv, xlsx or json, not {other}"),
    };
    match output {
        Some(p) => {
            std::fs::write(&p, &buf).with_context(|| format!("cannot write {}", p.display()))?
        }
        None => std::io::stdout().write_all(&buf)?,
    }
    Ok(())
}

/// The closing line of an import and its exit status: 0 when written (or a clean dry
/// run), 1 when nothing was written because of errors.
fn finish(r: &minbar_exchange::ImportReport, dry_run: bool, what: &str) -> Result<()> {
    if r.written {
        println!(
            "Imported {} rows: {} {what} created, {} updated.",
            r.rows, r.created, r.updated
        );
        if !r.issues.is_empty() {
            println!(
                "{} problem(s) in rows that were skipped (listed above).",
                r.issues.len()
            );
        }
        Ok(())
    } else if dry_run {
        println!(
            "Checked {} rows: {} would be created, {} updated, {} problem(s). Nothing was written (--dry-run).",
            r.rows,
            r.created,
            r.updated,
            r.issues.len()
        );
        if r.issues.is_empty() {
            Ok(())
        } else {
            std::process::exit(1)
        }
    } else {
        eprintln!(
            "Nothing was written: {} problem(s) in {} rows.",
            r.issues.len(),
            r.rows
        );
        std::process::exit(1)
    }
}

/// The bytes of FILE, or of standard input for `-`.
fn read_input(file: &std::path::Path) -> Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b)?;
        Ok(b)
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
    }
}

/// Print an import's warnings and problems on standard error, one per line.
/// Print an import's warnings and errors on stderr, one line each. A large file can have
/// a hundred thousand of them: the lines go through one buffer (not a locked, unbuffered
/// write each) and each reason is translated once.
fn report(r: &minbar_exchange::ImportReport) {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(std::io::stderr().lock());
    let mut reasons: std::collections::HashMap<String, String> = Default::default();
    let mut reason_of = |code: &str| {
        reasons
            .entry(code.to_string())
            .or_insert_with(|| minbar_web::i18n::Tr(minbar_core::Lang::En).err(code))
            .clone()
    };
    for w in &r.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for i in &r.row_warnings {
        let mut reason = reason_of(&i.code);
        if !i.candidates.is_empty() {
            reason.push_str(&format!(" ({})", i.candidates.join(", ")));
        }
        let at = if i.row > 0 {
            format!("row {}, ", i.row)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "warning: {at}column {}: {reason} [{}]",
            i.column, i.code
        );
    }
    for i in &r.issues {
        let mut reason = reason_of(&i.code);
        if !i.candidates.is_empty() {
            reason.push_str(&format!(" Candidates: {}.", i.candidates.join(", ")));
        }
        let _ = writeln!(
            out,
            "row {}, column {}: {:?}: {} [{}]",
            i.row, i.column, i.value, reason, i.code
        );
    }
    let _ = out.flush();
}

async fn user_by_email(store: &Store, email: &str) -> Result<minbar_store::accounts::User> {
    store
        .find_user(email)
        .await?
        .with_context(|| format!("no account has the e-mail {email}"))
}

fn when(t: i64) -> String {
    let date = minbar_store::util::date_of(t);
    let s = t.rem_euclid(86_400);
    format!("{date} {:02}:{:02} UTC", s / 3600, s % 3600 / 60)
}

async fn org_by_acronym(store: &Store, org: Option<String>) -> Result<Option<minbar_core::OrgId>> {
    Ok(match org {
        Some(a) => Some(
            store
                .find_org_by_acronym(&a)
                .await?
                .with_context(|| format!("no organisation has the acronym {a}"))?
                .id,
        ),
        None => None,
    })
}

fn password_arg(password_stdin: bool) -> Result<(Password, bool)> {
    let (password, generated) = if password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        (line.trim_end_matches(['\r', '\n']).to_string(), false)
    } else {
        (generate_password(), true)
    };
    let password = Password::parse(&password).map_err(|_| {
        anyhow::anyhow!(
            "the password must have at least {} characters",
            Password::MIN
        )
    })?;
    Ok((password, generated))
}

fn role_arg(role: &str) -> Result<Role> {
    Role::parse(role).map_err(|_| {
        anyhow::anyhow!("--role must be one of admin, coordinator, focal_point, member, partner")
    })
}

async fn user_command(cmd: UserCommand, store: &Store) -> Result<()> {
    match cmd {
        UserCommand::Add {
            email,
            role,
            org,
            password_stdin,
        } => {
            let email =
                Email::parse(&email).map_err(|e| anyhow::anyhow!("--email: {}", e.code()))?;
            let role = role_arg(&role)?;
            let org_id = org_by_acronym(store, org).await?;
            let (password, generated) = password_arg(password_stdin)?;
            match store.create_user(&email, &password, role, org_id).await {
                Ok(id) => {
                    println!(
                        "Created account {id} for {} ({}).",
                        email.as_str(),
                        role.code()
                    );
                    if generated {
                        println!("Password (shown once): {}", password.expose());
                    }
                    Ok(())
                }
                Err(minbar_store::StoreError::Invalid(e)) => bail!("{e}"),
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::Invite {
            email,
            role,
            org,
            lang,
            base_url,
            send,
        } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("email: {}", e.code()))?;
            let role = role_arg(&role)?;
            let org = org_by_acronym(store, org).await?;
            let lang = minbar_core::Lang::parse(&lang).context("--lang must be ar, en or tr")?;
            let compose = |token: &str| {
                send.then(|| minbar_web::mail::invitation(lang, &base_url, token, "Minbar", role))
            };
            match store.invite(&email, role, org, lang.code(), compose).await {
                Ok((_, token)) => {
                    println!(
                        "Invitation for {} ({}), good for a week, once:",
                        email.as_str(),
                        role.code()
                    );
                    println!("{}/invitation/{token}", base_url.trim_end_matches('/'));
                    if send {
                        println!("The e-mail is queued.");
                    }
                    Ok(())
                }
                Err(minbar_store::StoreError::Invalid(e)) => bail!("{e}"),
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::List => {
            for u in store.list_users().await? {
                let org = match u.org {
                    Some(o) => store
                        .get_org(o)
                        .await
                        .map(|o| o.acronym.as_str().to_string())
                        .unwrap_or_default(),
                    None => String::new(),
                };
                println!(
                    "{}\t{}\t{}\t{}",
                    u.email,
                    u.role.code(),
                    org,
                    if u.disabled { "disabled" } else { "active" }
                );
            }
            Ok(())
        }
        UserCommand::Disable { email } => {
            let u = user_by_email(store, &email).await?;
            store.set_disabled(u.id, true).await?;
            println!("Disabled {}: its sessions have ended.", u.email);
            Ok(())
        }
        UserCommand::Enable { email } => {
            let u = user_by_email(store, &email).await?;
            store.set_disabled(u.id, false).await?;
            println!("Enabled {}.", u.email);
            Ok(())
        }
        UserCommand::SetRole { email, role, org } => {
            let u = user_by_email(store, &email).await?;
            let role = role_arg(&role)?;
            let org = org_by_acronym(store, org).await?;
            match store.set_role(u.id, role, org).await {
                Ok(()) => {
                    println!("{} is now {}.", u.email, role.code());
                    Ok(())
                }
                Err(minbar_store::StoreError::Invalid(e)) => bail!("{e}"),
                Err(e) => Err(e.into()),
            }
        }
        UserCommand::SetPassword {
            email,
            password_stdin,
        } => {
            let u = user_by_email(store, &email).await?;
            let (password, generated) = password_arg(password_stdin)?;
            store.set_password(u.id, &password).await?;
            println!("New password set for {}; its sessions have ended.", u.email);
            if generated {
                println!("Password (shown once): {}", password.expose());
            }
            Ok(())
        }
        UserCommand::Sessions { email } => {
            let u = user_by_email(store, &email).await?;
            for s in store.sessions_of(u.id).await? {
                println!(
                    "{}\tsigned in {}\tlast seen {}\tfrom {}\t{}",
                    s.id,
                    when(s.created_at),
                    when(s.last_seen_at),
                    s.address,
                    s.user_agent
                );
            }
            Ok(())
        }
        UserCommand::RevokeSession { email, id } => {
            let u = user_by_email(store, &email).await?;
            store
                .revoke_session(u.id, &id)
                .await
                .with_context(|| format!("{} has no session {id}", u.email))?;
            println!("Session {id} of {} ended.", u.email);
            Ok(())
        }
        UserCommand::CreateToken { email, name, scope } => {
            let u = user_by_email(store, &email).await?;
            let scope = minbar_store::accounts::TokenScope::parse(&scope)
                .context("--scope must be read or write")?;
            let (id, secret) = match store.create_token(u.id, &name, scope).await {
                Ok(t) => t,
                Err(minbar_store::StoreError::Invalid(e)) => bail!("{e}"),
                Err(e) => return Err(e.into()),
            };
            println!("Token {id} ({}) for {}.", scope.code(), u.email);
            println!("Secret (shown once): {secret}");
            Ok(())
        }
        UserCommand::Tokens { email } => {
            let u = user_by_email(store, &email).await?;
            for t in store.tokens_of(u.id).await? {
                println!(
                    "{}\t{}\t{}\tcreated {}\t{}",
                    t.id,
                    t.name,
                    t.scope.code(),
                    when(t.created_at),
                    if t.revoked {
                        "revoked".to_string()
                    } else {
                        t.last_used_at
                            .map(|t| format!("last used {}", when(t)))
                            .unwrap_or_else(|| "never used".into())
                    }
                );
            }
            Ok(())
        }
        UserCommand::Require2fa { roles } => {
            let mut parsed = Vec::new();
            for r in roles.split(',').map(str::trim).filter(|r| !r.is_empty()) {
                parsed.push(role_arg(r)?);
            }
            store.set_two_factor_roles(&parsed).await?;
            let names: Vec<&str> = parsed.iter().map(|r| r.code()).collect();
            if names.is_empty() {
                println!("Two-factor sign-in is required of no role.");
            } else {
                println!("Two-factor sign-in is required of: {}.", names.join(", "));
            }
            Ok(())
        }
        UserCommand::Reset2fa { email } => {
            let u = user_by_email(store, &email).await?;
            store.disable_two_factor(u.id).await?;
            println!(
                "Two-factor sign-in is off for {}; its sessions have ended.",
                u.email
            );
            Ok(())
        }
        UserCommand::RevokeToken { email, id } => {
            let u = user_by_email(store, &email).await?;
            store
                .revoke_token(u.id, id)
                .await
                .with_context(|| format!("{} has no live token {id}", u.email))?;
            println!("Token {id} of {} revoked.", u.email);
            Ok(())
        }
    }
}

fn generate_password() -> String {
    use std::fmt::Write;
    let mut bytes = [0u8; 18];
    getrandom(&mut bytes);
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn getrandom(buf: &mut [u8]) {
    use std::io::Read;
    if let Ok(mut f) = std::fs::File::open("/dev/urandom") {
        if f.read_exact(buf).is_ok() {
            return;
        }
    }
    // fall back on the clock and the process id: weak, but never a fixed password
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
        ^ u128::from(std::process::id());
    for (i, b) in buf.iter_mut().enumerate() {
        *b = (seed >> ((i % 16) * 8)) as u8;
    }
}

fn analyze(field: &str, text: Option<String>) -> Result<()> {
    let kind = match field {
        "text" => minbar_text::FieldKind::Text,
        "name" => minbar_text::FieldKind::Name,
        other => bail!("--field must be text or name, not {other}"),
    };
    let text = match text {
        Some(t) => t,
        None => std::io::read_to_string(std::io::stdin())?,
    };
    for t in minbar_text::analyze(&text, kind) {
        println!(
            "{}\t{}\t{}\t{}",
            t.text,
            t.start,
            t.end,
            &text[t.start..t.end]
        );
    }
    Ok(())
}

async fn serve(config: Config, args: ServeArgs) -> Result<()> {
    let bind = args
        .bind
        .or(config.bind.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let store = open(&config)
        .await?
        .acting(minbar_store::audit::Who::system());
    if args.demo {
        if let Some(d) = minbar_store::demo::load(&store).await? {
            tracing::info!(
                organisations = d.organisations,
                people = d.people,
                activities = d.activities,
                "demo network loaded"
            );
        }
    }
    let (index, fresh) =
        minbar_search::SearchIndex::open_or_create(&config.data_dir.join("search-index"))
            .context("opening the search index")?;
    let search = std::sync::Arc::new(minbar_web::search_sync::SearchState::new(index, fresh));
    // keep the index current: the first pass rebuilds it if it was missing or damaged,
    // while pages are already being served
    {
        let (search, store) = (search.clone(), store.clone());
        tokio::spawn(async move {
            loop {
                if let Err(e) = search.catch_up(&store).await {
                    tracing::warn!(cause = %e, "search index catch-up failed; will retry");
                }
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
            }
        });
    }
    let mailer = match &args.smtp_url {
        Some(url) => Some(std::sync::Arc::new(
            minbar_web::mail::Mailer::from_url(url, &args.mail_from)
                .map_err(|e| anyhow::anyhow!("--smtp-url / --mail-from: {e}"))?,
        )),
        None => None,
    };
    // deliver queued mail every few seconds; what fails waits and is tried again
    if let Some(m) = &mailer {
        let (m, store) = (m.clone(), store.clone());
        tokio::spawn(async move {
            loop {
                if let Err(e) = m.deliver_due(&store).await {
                    tracing::warn!(cause = %e, "mail delivery pass failed; will retry");
                }
                tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            }
        });
    }
    // seal closed proposals and queue reminders before closing, and queue notification
    // e-mail (immediate and digests), every half minute
    {
        let base = args
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bind}"));
        let store = store.clone();
        // without a mail server, notifications stay in the app: nothing is queued
        let mail = mailer.is_some();
        tokio::spawn(async move {
            loop {
                match minbar_web::mail::coordination_pass(&store, &base).await {
                    Ok((0, 0)) => {}
                    Ok((sealed, reminded)) => {
                        tracing::info!(sealed, reminded, "proposals sealed and reminders queued")
                    }
                    Err(e) => tracing::warn!(cause = %e, "coordination pass failed; will retry"),
                }
                if mail {
                    match minbar_web::mail::notification_pass(&store, &base).await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!(n, "notification e-mail queued"),
                        Err(e) => {
                            tracing::warn!(cause = %e, "notification pass failed; will retry")
                        }
                    }
                }
                tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            }
        });
    }
    let app = minbar_web::router(minbar_web::AppState {
        secure_cookies: args.secure_cookies,
        trust_proxy: args.trust_proxy,
        mailer,
        base_url: args
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{bind}")),
        ..minbar_web::AppState::with_search(store.clone(), search)
    });
    let listener = tokio::net::TcpListener::bind(&bind)
        .await
        .with_context(|| format!("cannot listen on {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Minbar is ready at http://{addr}/");
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
    println!("Minbar stopped.");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
