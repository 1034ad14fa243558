//! Configuration: one struct, layered. Precedence, highest first: command-line flags,
//! `MINBAR_*` environment variables, the TOML file given with `--config`, defaults.

use anyhow::{Context, Result};
use clap::Args;
use serde::Deserialize;
use std::path::PathBuf;

/// Options every data-touching subcommand takes.
#[derive(Args, Debug, Clone, Default)]
pub struct Overrides {
    /// A TOML file with data_dir, database_url and bind. [env: MINBAR_CONFIG]
    #[arg(long, global = true, env = "MINBAR_CONFIG")]
    pub config: Option<PathBuf>,
    /// Where the database (SQLite), search index and uploads live [default: ./minbar-data]
    #[arg(long, global = true, env = "MINBAR_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// sqlite://PATH or postgres://USER@HOST/DB [default: SQLite in the data directory]
    #[arg(long, global = true, env = "MINBAR_DATABASE_URL")]
    pub database_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    bind: Option<String>,
}

#[derive(Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    pub bind: Option<String>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("database_url", &self.database_url.as_deref().map(redact))
            .field("bind", &self.bind)
            .finish()
    }
}

/// Hide the password in a database URL.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Config {
    pub fn load(o: &Overrides) -> Result<Config> {
        let file = match &o.config {
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?;
                toml::from_str::<FileConfig>(&text).with_context(|| {
                    format!("{} is not a valid Minbar configuration", p.display())
                })?
            }
            None => FileConfig::default(),
        };
        Ok(Config {
            data_dir: o
                .data_dir
                .clone()
                .or(file.data_dir)
                .unwrap_or_else(|| PathBuf::from("minbar-data")),
            database_url: o.database_url.clone().or(file.database_url),
            bind: std::env::var("MINBAR_BIND").ok().or(file.bind),
        })
    }

    /// The database URL; for SQLite, the data directory is created if missing.
    pub fn database_url(&self) -> Result<String> {
        match &self.database_url {
            Some(u) => Ok(u.clone()),
            None => {
                std::fs::create_dir_all(&self.data_dir).with_context(|| {
                    format!(
                        "cannot create the data directory {}",
                        self.data_dir.display()
                    )
                })?;
                Ok(minbar_store::backend::sqlite::url_for_path(
                    &self.data_dir.join("minbar.db"),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://minbar:s3cret@db/minbar"),
            "postgres://minbar:***@db/minbar"
        );
        assert_eq!(
            redact("postgres://postgres@127.0.0.1/x"),
            "postgres://postgres@127.0.0.1/x"
        );
    }

    #[test]
    fn flags_beat_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("minbar.toml");
        std::fs::write(
            &f,
            "data_dir = \"/from/file\"\ndatabase_url = \"sqlite:///file.db\"\n",
        )
        .unwrap();
        let c = Config::load(&Overrides {
            config: Some(f.clone()),
            data_dir: Some("/from/flag".into()),
            database_url: None,
        })
        .unwrap();
        assert_eq!(c.data_dir, PathBuf::from("/from/flag"));
        assert_eq!(c.database_url.as_deref(), Some("sqlite:///file.db"));
        std::fs::write(&f, "colour = \"green\"\n").unwrap();
        assert!(Config::load(&Overrides {
            config: Some(f),
            ..Default::default()
        })
        .is_err());
    }
}
