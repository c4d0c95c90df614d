//! Listing 100k applications through the client against the simulator, under a rate limit.
//!
//! Run: `cargo bench -p greenhouse-harvest --features sim --bench sim_listing`.
//!
//! Prints, for the synthetic company: generation time and simulator start time; then for each
//! rate-limit scenario (`limit/window_ms/client_margin_ms`): requests used against the minimum
//! `ceil(N/500)`, elapsed time, fixed windows spanned against the minimum `ceil(requests /
//! limit)`, the share of the rate-limit budget used (`requests / (limit * windows spanned)`),
//! and the 429s served. The listing starts at the beginning of a window, so a governor that
//! never wastes a window scores 1.0 when the request count is a multiple of the limit.
//!
//! Environment: `SIM_BENCH_APPLICATIONS` (default 100000), `SIM_BENCH_SCENARIOS` (default
//! `25/1000/100,25/1000/1000,50/3000/1000`), `SIM_BENCH_SEED` (default 7). Add
//! `75/30000/1000` for Harvest's observed limit with the client's default margin (about 70 s).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use futures::TryStreamExt as _;
use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{SimConfig, Simulator};
use greenhouse_harvest::{Client, Credentials};

const PER_PAGE: u32 = 500;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Peak resident memory of this process, in MiB (Linux only).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

struct Scenario {
    limit: u32,
    window: Duration,
    margin: Duration,
}

fn scenarios() -> Vec<Scenario> {
    let spec: String =
        env_or("SIM_BENCH_SCENARIOS", "25/1000/100,25/1000/1000,50/3000/1000".to_owned());
    spec.split(',')
        .filter_map(|s| {
            let parts: Vec<u64> = s.trim().split('/').filter_map(|p| p.parse().ok()).collect();
            match parts.as_slice() {
                [limit, window, margin] => Some(Scenario {
                    limit: u32::try_from(*limit).ok()?,
                    window: Duration::from_millis(*window),
                    margin: Duration::from_millis(*margin),
                }),
                _ => None,
            }
        })
        .collect()
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(run())
}

async fn run() -> Result<(), BoxError> {
    // `cargo bench` passes `--bench`; a filter argument that does not match skips the run.
    if let Some(filter) = std::env::args().skip(1).find(|a| !a.starts_with('-'))
        && !"sim_listing".contains(&filter)
    {
        return Ok(());
    }
    let applications: usize = env_or("SIM_BENCH_APPLICATIONS", 100_000);
    let seed: u64 = env_or("SIM_BENCH_SEED", 7);
    let started = Instant::now();
    let company = generate(&SyntheticConfig { seed, applications, ..SyntheticConfig::default() });
    let generated = started.elapsed();
    let records: usize = company.dataset.counts().values().sum();
    println!(
        "synthetic company: {applications} applications, {records} records in all, generated in {:.2} s (Bayes AUC {:.3})",
        generated.as_secs_f64(),
        company.bayes_auc
    );
    let started = Instant::now();
    let sim = Simulator::start_synthetic(
        company,
        SimConfig::default().with_rate_limit(0, Duration::from_secs(1)),
    )
    .await?;
    println!("simulator started in {:.2} s", started.elapsed().as_secs_f64());
    if let Some(rss) = peak_rss_mib() {
        println!("peak resident memory so far: {rss:.0} MiB");
    }
    let minimum = applications.div_ceil(PER_PAGE as usize);
    println!();
    println!(
        "limit/window  margin  requests(min)  elapsed  windows(min)  budget share  429s  records"
    );
    for scenario in scenarios() {
        sim.set_rate_limit(scenario.limit, scenario.window)?;
        let client = Client::builder()
            .base_url(sim.base_url())
            .token_url(sim.token_url())
            .credentials(Credentials::client_credentials(
                sim.client_id(),
                sim.client_secret(),
                sim.admin_user_id(),
            ))
            .rate_limit_margin(scenario.margin)
            .build()?;
        let before = sim.stats();
        // Start at the beginning of a fresh window.
        let window_ms = scenario.window.as_millis();
        let now_ms = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis();
        let wait = window_ms - now_ms % window_ms + 5;
        tokio::time::sleep(Duration::from_millis(u64::try_from(wait)?)).await;
        let start = Instant::now();
        let items: Vec<_> =
            client.applications().list().per_page(PER_PAGE).stream().try_collect().await?;
        let elapsed = start.elapsed();
        let after = sim.stats();
        let key = "GET /v3/applications";
        let requests = after.requests_by_endpoint.get(key).copied().unwrap_or(0)
            - before.requests_by_endpoint.get(key).copied().unwrap_or(0);
        let throttled = after.rate_limited - before.rate_limited;
        let mut ids: Vec<u64> = items.iter().map(|a| a.id.get()).collect();
        ids.sort_unstable();
        ids.dedup();
        let spanned = elapsed.as_millis() / window_ms + 1;
        let min_windows = u128::from(requests).div_ceil(u128::from(scenario.limit));
        #[allow(clippy::cast_precision_loss)]
        let share = requests as f64 / (f64::from(scenario.limit) * spanned as f64);
        println!(
            "{:>5}/{:<6}  {:>5}ms  {:>8}({})  {:>6.2}s  {:>7}({})  {:>12.3}  {:>4}  {} ({} unique)",
            scenario.limit,
            format!("{}ms", window_ms),
            scenario.margin.as_millis(),
            requests,
            minimum,
            elapsed.as_secs_f64(),
            spanned,
            min_windows,
            share,
            throttled,
            items.len(),
            ids.len(),
        );
    }
    sim.shutdown().await?;
    Ok(())
}
