//! `harvest-sim`: serves a local Harvest v3 simulator until stopped.
//!
//! ```text
//! harvest-sim --synthetic --seed 7 --applications 2000 --port 0
//! harvest-sim --data ./company --dump ./company-after
//! ```
//!
//! The first line on stdout is `listening on http://127.0.0.1:PORT`, then the client id and
//! secret the token endpoint accepts, so a script can read where to connect. Logs go to stderr
//! (`RUST_LOG` sets the level). On Ctrl-C or SIGTERM the server stops and, with `--dump`,
//! writes the current data, writes included, back as one JSON file per resource.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::Parser;
use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{Dataset, FaultConfig, SimConfig, Simulator};
use tracing_subscriber::EnvFilter;

/// The binary's error: any error, printed with its cause chain. (The crate's dependencies do
/// not include anyhow, and a boxed error is all a `main` needs.)
type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Result<T> = std::result::Result<T, BoxError>;

/// Wraps an error with what was being done, keeping it as the source.
#[derive(Debug)]
struct Context {
    what: String,
    source: BoxError,
}

impl std::fmt::Display for Context {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.what)
    }
}

impl std::error::Error for Context {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

fn context<T, E: Into<BoxError>>(result: std::result::Result<T, E>, what: &str) -> Result<T> {
    result.map_err(|e| Box::new(Context { what: what.to_owned(), source: e.into() }) as BoxError)
}

/// A local Harvest v3 simulator.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// Serve a generated synthetic company.
    #[arg(long, conflicts_with = "data", required_unless_present = "data")]
    synthetic: bool,
    /// Serve the JSON files of this directory (one array file per resource).
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// On shutdown, write the current data into this directory.
    #[arg(long, value_name = "DIR")]
    dump: Option<PathBuf>,
    /// Seed of the synthetic company and of the fault injection.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Number of synthetic applications.
    #[arg(long, default_value_t = 2000)]
    applications: usize,
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Client id the token endpoint accepts.
    #[arg(long, env = "HARVEST_SIM_CLIENT_ID", default_value = "sim-client")]
    client_id: String,
    /// Client secret the token endpoint accepts.
    #[arg(long, env = "HARVEST_SIM_CLIENT_SECRET", default_value = "sim-secret")]
    client_secret: String,
    /// Requests allowed per rate-limit window (0 turns the limit off).
    #[arg(long, default_value_t = 75)]
    rate_limit: u32,
    /// Length of a rate-limit window, in seconds.
    #[arg(long, default_value_t = 30.0)]
    rate_window_secs: f64,
    /// Access token lifetime, in seconds.
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// Cursor lifetime in seconds (cursors never expire by default).
    #[arg(long)]
    cursor_lifetime_secs: Option<u64>,
    /// Share of requests answered 500, 502 or 503.
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Share of requests whose connection is dropped.
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Share of responses cut off halfway.
    #[arg(long, default_value_t = 0.0)]
    truncate_rate: f64,
    /// Share of cursor requests refused as expired (422).
    #[arg(long, default_value_t = 0.0)]
    expire_cursor_rate: f64,
    /// Share of requests whose token is revoked (401).
    #[arg(long, default_value_t = 0.0)]
    revoke_token_rate: f64,
    /// Share of requests delayed by --latency-ms.
    #[arg(long, default_value_t = 0.0)]
    latency_rate: f64,
    /// Delay added to the delayed requests, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
}

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let outcome = context(
        tokio::runtime::Builder::new_multi_thread().enable_all().build(),
        "cannot start the async runtime",
    )
    .and_then(|runtime| runtime.block_on(run(args)));
    if let Err(error) = outcome {
        // The whole cause chain: "cannot load data: invalid data in x.json at [3].id: ...".
        let mut line = format!("error: {error}");
        let mut cause = error.source();
        while let Some(inner) = cause {
            line.push_str(": ");
            line.push_str(&inner.to_string());
            cause = inner.source();
        }
        eprintln!("{line}");
        std::process::exit(1);
    }
}

fn config(args: &Args) -> Result<SimConfig> {
    if !(args.rate_window_secs.is_finite() && args.rate_window_secs > 0.0) {
        return Err("--rate-window-secs must be a positive number of seconds".into());
    }
    let faults = FaultConfig {
        error_rate: args.error_rate,
        drop_rate: args.drop_rate,
        truncate_rate: args.truncate_rate,
        expire_cursor_rate: args.expire_cursor_rate,
        revoke_token_rate: args.revoke_token_rate,
        latency_rate: args.latency_rate,
        latency: Duration::from_millis(args.latency_ms),
    };
    faults.validate()?;
    Ok(SimConfig {
        bind: SocketAddr::new(args.host, args.port),
        cursor_lifetime: args.cursor_lifetime_secs.map(Duration::from_secs),
        token_lifetime: Duration::from_secs(args.token_lifetime_secs),
        ..SimConfig::default()
    }
    .with_credentials(&args.client_id, &args.client_secret)
    .with_rate_limit(args.rate_limit, Duration::from_secs_f64(args.rate_window_secs))
    .with_faults(faults)
    .with_seed(args.seed))
}

async fn run(args: Args) -> Result<()> {
    let config = config(&args)?;
    let started = Instant::now();
    let sim = if let Some(dir) = &args.data {
        let dataset = context(Dataset::load_dir(dir), "cannot load data")?;
        Simulator::start(dataset, config).await?
    } else {
        let company = generate(&SyntheticConfig {
            seed: args.seed,
            applications: args.applications,
            ..SyntheticConfig::default()
        });
        tracing::info!(
            applications = company.dataset.applications.len(),
            bayes_auc = company.bayes_auc,
            "synthetic company generated"
        );
        Simulator::start_synthetic(company, config).await?
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening on http://{}", sim.addr())?;
    writeln!(stdout, "client id: {}", sim.client_id())?;
    writeln!(stdout, "client secret: {}", sim.client_secret())?;
    writeln!(stdout, "site admin user id: {}", sim.admin_user_id())?;
    stdout.flush()?;
    drop(stdout);
    tracing::info!(elapsed_ms = started.elapsed().as_millis(), "ready");
    shutdown_signal().await;
    tracing::info!("stopping");
    if let Some(dir) = &args.dump {
        context(sim.dump_dir(dir), &format!("cannot dump data into {}", dir.display()))?;
        tracing::info!("data dumped");
    }
    sim.shutdown().await?;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut signal) => {
                    signal.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            () = terminate => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
