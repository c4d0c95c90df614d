//! Command-line interface: flags, environment variables and the optional TOML config file.
//!
//! Precedence, highest first: a flag, its environment variable, the config file, the default.
//! Connection flags are global, so `rocketmat --json sync` and `rocketmat sync --json` mean
//! the same. Secrets come from the environment or the stored authorization only: the config
//! file has no field for them, so it can be checked in or shared without leaking one.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use url::Url;

/// The `rocketmat` command: rates how well each Greenhouse candidate matches the job they
/// applied to, and writes the rating into a "Rocketmat" application field.
#[derive(Debug, Parser)]
#[command(name = "rocketmat", version, about, propagate_version = true)]
pub struct Cli {
    /// Options shared by every subcommand.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// TOML config file with defaults for the options below.
    #[arg(long, global = true, env = "ROCKETMAT_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Harvest API base URL [default: <https://harvest.greenhouse.io/v3>].
    #[arg(long, global = true, env = "ROCKETMAT_BASE_URL", value_name = "URL")]
    pub base_url: Option<Url>,
    /// OAuth token endpoint [default: <https://auth.greenhouse.io/token>].
    #[arg(long, global = true, env = "ROCKETMAT_TOKEN_URL", value_name = "URL")]
    pub token_url: Option<Url>,
    /// The store file [default: rocketmat.db under the user's data directory].
    #[arg(long, global = true, env = "ROCKETMAT_STORE", value_name = "PATH")]
    pub store: Option<PathBuf>,
    /// Machine-readable output (JSON, or JSON lines for lists).
    #[arg(long, global = true, env = "ROCKETMAT_JSON")]
    pub json: bool,
    /// OAuth client id (client-credentials grant).
    #[arg(long, global = true, env = "GREENHOUSE_CLIENT_ID", hide_env_values = true)]
    pub client_id: Option<String>,
    /// OAuth client secret; prefer the environment variable over the flag.
    #[arg(long, global = true, env = "GREENHOUSE_CLIENT_SECRET", hide_env_values = true)]
    pub client_secret: Option<String>,
    /// Greenhouse user id the integration acts as (client-credentials grant).
    #[arg(long, global = true, env = "GREENHOUSE_USER_ID")]
    pub user_id: Option<u64>,
    /// Stored authorization (rotating refresh token), used when no client secret is given
    /// [default: authorization.json under the user's data directory].
    #[arg(long, global = true, env = "ROCKETMAT_AUTH_FILE", value_name = "PATH")]
    pub auth_file: Option<PathBuf>,
    /// Name of the Number application custom field that receives the rating.
    #[arg(long, global = true, env = "ROCKETMAT_FIELD_NAME", value_name = "NAME")]
    pub field_name: Option<String>,
    /// How far each incremental sync window reaches back before the last one's end, in
    /// minutes, to catch records whose `updated_at` lagged [default: 60].
    #[arg(long, global = true, env = "ROCKETMAT_LOOKBACK_MINUTES", value_name = "MINUTES")]
    pub lookback_minutes: Option<u32>,
}

/// The subcommands.
#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Pull what the model needs into the store (incremental and resumable).
    Sync,
    /// Fit the company model from the store and print its evaluation.
    Train(TrainArgs),
    /// Rate the open applications at open jobs.
    Score,
    /// Write changed ratings into the "Rocketmat" application field.
    Push(PushArgs),
    /// Sync, train when the model is stale, score, push.
    Run(RunArgs),
    /// Show the stored explanation of a rating.
    Explain {
        /// The Greenhouse application id.
        #[arg(long)]
        application: u64,
    },
    /// Remove a candidate from the store and keep them out of later syncs.
    Erase {
        /// The Greenhouse candidate id.
        #[arg(long)]
        candidate: u64,
    },
    /// Check the audit log's hash chain.
    VerifyAudit,
    /// Run the whole pipeline against a local simulator with a synthetic company.
    Demo(DemoArgs),
    /// Store an authorization (partner OAuth): exchange the code Greenhouse returned to the
    /// redirect URI for a rotating refresh token, kept in the auth file with mode 0600.
    Authorize {
        /// The authorization code.
        #[arg(long)]
        code: String,
        /// The redirect URI the code was issued for.
        #[arg(long)]
        redirect_uri: String,
    },
}

/// Options of `train` (and of the training step of `run`).
#[derive(Debug, Clone, Copy, Args)]
pub struct TrainArgs {
    /// Fewer labelled applications than this refuses to train.
    #[arg(long, env = "ROCKETMAT_MIN_LABELLED", default_value_t = 200)]
    pub min_labelled: usize,
    /// Fewer positive labels than this refuses to train.
    #[arg(long, env = "ROCKETMAT_MIN_POSITIVES", default_value_t = 20)]
    pub min_positives: usize,
}

impl Default for TrainArgs {
    fn default() -> Self {
        Self { min_labelled: 200, min_positives: 20 }
    }
}

/// Options of `push` and `run`.
#[derive(Debug, Clone, Args, Default)]
pub struct PushArgs {
    /// Show what would be written without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// Options of `run`.
#[derive(Debug, Clone, Args, Default)]
pub struct RunArgs {
    /// Push options.
    #[command(flatten)]
    pub push: PushArgs,
    /// Training options.
    #[command(flatten)]
    pub train: TrainArgs,
}

/// Options of `demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Applications in the synthetic company.
    #[arg(long, default_value_t = 3000)]
    pub applications: usize,
    /// Seed of the synthetic company.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Ratings to print.
    #[arg(long, default_value_t = 10)]
    pub show: usize,
}

impl Default for DemoArgs {
    fn default() -> Self {
        Self { applications: 3000, seed: 42, show: 10 }
    }
}

/// The config file's keys (all optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// See `--base-url`.
    pub base_url: Option<Url>,
    /// See `--token-url`.
    pub token_url: Option<Url>,
    /// See `--store`.
    pub store: Option<PathBuf>,
    /// See `--json`.
    pub json: Option<bool>,
    /// See `--client-id`.
    pub client_id: Option<String>,
    /// See `--user-id`.
    pub user_id: Option<u64>,
    /// See `--auth-file`.
    pub auth_file: Option<PathBuf>,
    /// See `--field-name`.
    pub field_name: Option<String>,
    /// See `--lookback-minutes`.
    pub lookback_minutes: Option<u32>,
}

/// Everything resolved: flags, environment, config file and defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Harvest base URL.
    pub base_url: Url,
    /// Token endpoint.
    pub token_url: Url,
    /// Store file.
    pub store: PathBuf,
    /// JSON output.
    pub json: bool,
    /// Client id.
    pub client_id: Option<String>,
    /// Client secret.
    pub client_secret: Option<secrecy::SecretString>,
    /// Acting user.
    pub user_id: Option<u64>,
    /// Stored authorization file.
    pub auth_file: PathBuf,
    /// The rating field's name.
    pub field_name: String,
    /// Sync lookback.
    pub lookback: chrono::Duration,
}

/// The default Harvest base URL.
pub const DEFAULT_BASE_URL: &str = "https://harvest.greenhouse.io/v3";
/// The default token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://auth.greenhouse.io/token";
/// The default rating field name.
pub const DEFAULT_FIELD_NAME: &str = "Rocketmat";

fn data_dir() -> anyhow::Result<PathBuf> {
    directories::ProjectDirs::from("io", "Rocketmat", "rocketmat")
        .map(|d| d.data_dir().to_path_buf())
        .context("cannot find the user's data directory; pass --store and --auth-file")
}

fn read_config(path: &Path) -> anyhow::Result<ConfigFile> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read config file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("config file {} is invalid", path.display()))
}

impl GlobalArgs {
    /// Resolves the settings.
    ///
    /// # Errors
    /// An unreadable or invalid config file, or no data directory for the defaults.
    pub fn resolve(&self) -> anyhow::Result<Settings> {
        let file = match &self.config {
            Some(p) => read_config(p)?,
            None => ConfigFile::default(),
        };
        let parse = |s: &str| Url::parse(s).context("invalid built-in URL");
        let store = match self.store.clone().or(file.store) {
            Some(p) => p,
            None => data_dir()?.join("rocketmat.db"),
        };
        let auth_file = match self.auth_file.clone().or(file.auth_file) {
            Some(p) => p,
            None => data_dir()?.join("authorization.json"),
        };
        Ok(Settings {
            base_url: match self.base_url.clone().or(file.base_url) {
                Some(u) => u,
                None => parse(DEFAULT_BASE_URL)?,
            },
            token_url: match self.token_url.clone().or(file.token_url) {
                Some(u) => u,
                None => parse(DEFAULT_TOKEN_URL)?,
            },
            store,
            json: self.json || file.json.unwrap_or(false),
            client_id: self.client_id.clone().or(file.client_id),
            client_secret: self.client_secret.clone().map(secrecy::SecretString::from),
            user_id: self.user_id.or(file.user_id),
            auth_file,
            field_name: self
                .field_name
                .clone()
                .or(file.field_name)
                .unwrap_or_else(|| DEFAULT_FIELD_NAME.to_owned()),
            lookback: chrono::Duration::minutes(i64::from(
                self.lookback_minutes.or(file.lookback_minutes).unwrap_or(60),
            )),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_flags_go_before_or_after_the_subcommand() {
        let a = Cli::try_parse_from(["rocketmat", "--json", "--store", "x.db", "sync"]).unwrap();
        let b = Cli::try_parse_from(["rocketmat", "sync", "--json", "--store", "x.db"]).unwrap();
        assert!(a.global.json && b.global.json);
        assert_eq!(a.global.store, b.global.store);
    }

    #[test]
    fn subcommand_arguments_parse() {
        let c = Cli::try_parse_from(["rocketmat", "erase", "--candidate", "42"]).unwrap();
        assert!(matches!(c.command, Command::Erase { candidate: 42 }));
        let c = Cli::try_parse_from(["rocketmat", "push", "--dry-run"]).unwrap();
        assert!(matches!(c.command, Command::Push(PushArgs { dry_run: true })));
        assert!(Cli::try_parse_from(["rocketmat", "explain", "--application", "x"]).is_err());
    }

    #[test]
    fn config_file_fills_what_flags_leave_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rocketmat.toml");
        std::fs::write(
            &path,
            "store = \"/tmp/from-file.db\"\nfield_name = \"Match\"\nlookback_minutes = 5\n\
             base_url = \"http://127.0.0.1:9/\"\n",
        )
        .unwrap();
        let cfg = path.to_str().unwrap();
        let cli = Cli::try_parse_from([
            "rocketmat",
            "--config",
            cfg,
            "--field-name",
            "Flag",
            "--auth-file",
            "/tmp/a",
            "sync",
        ])
        .unwrap();
        let s = cli.global.resolve().unwrap();
        assert_eq!(s.store, PathBuf::from("/tmp/from-file.db"));
        assert_eq!(s.field_name, "Flag");
        assert_eq!(s.lookback, chrono::Duration::minutes(5));
        assert_eq!(s.base_url.as_str(), "http://127.0.0.1:9/");
    }

    #[test]
    fn unknown_config_keys_are_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "client_secret = \"oops\"\n").unwrap();
        let args = GlobalArgs { config: Some(path), ..GlobalArgs::default() };
        let err = format!("{:#}", args.resolve().unwrap_err());
        assert!(err.contains("invalid"), "{err}");
    }
}
