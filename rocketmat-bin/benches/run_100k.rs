//! Benchmark: `rocketmat run` on a large synthetic company (100k applications by default).
//!
//! Reports requests used against the minimum (`ceil(records / 500)` per resource, plus one
//! write per rating), wall time against the rate-limit bound (requests / limit x window), and
//! the pipeline's peak memory (`VmHWM`).
//!
//! The simulator holds the whole company in memory, so the pipeline runs in a child process
//! (this same executable, started again with `ROCKETMAT_BENCH_CHILD` set) and reports its own
//! peak, which the simulator's memory does not inflate.
//!
//! ```text
//! cargo bench -p rocketmat-bin --bench run_100k
//! ROCKETMAT_BENCH_APPLICATIONS=20000 cargo bench -p rocketmat-bin --bench run_100k
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout, missing_docs)]
#![allow(clippy::cast_precision_loss, clippy::cast_possible_truncation, clippy::cast_sign_loss)]

use std::process::Command;
use std::time::{Duration, Instant};

use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{SimConfig, Simulator};
use greenhouse_harvest::{Client, Credentials};
use rocketmat::cli::TrainArgs;
use rocketmat::connect::retry_policy;
use rocketmat::pipeline::{RunOptions, run};
use rocketmat::push::PushOptions;
use rocketmat::store::SqliteStore;
use rocketmat::sync::SyncOptions;

/// Harvest's budget: 75 requests per 30 s window; the bench divides the window by 30, to the
/// shortest whole-second window, because `X-RateLimit-Reset` and `Retry-After` are given in
/// whole seconds and a shorter window would make the client over-wait by design.
const LIMIT: u32 = 75;
const WINDOW: Duration = Duration::from_secs(1);

fn peak_memory_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
}

fn pages(records: usize) -> u64 {
    (records as u64).div_ceil(500).max(1)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    if std::env::var_os("ROCKETMAT_BENCH_CHILD").is_some() {
        runtime.block_on(child());
    } else {
        runtime.block_on(parent());
    }
}

async fn child() {
    let var = |k: &str| std::env::var(k).unwrap();
    let client = Client::builder()
        .base_url(var("BENCH_BASE_URL"))
        .token_url(var("BENCH_TOKEN_URL"))
        .credentials(Credentials::client_credentials(
            var("BENCH_CLIENT_ID"),
            var("BENCH_CLIENT_SECRET"),
            var("BENCH_USER_ID").parse::<u64>().unwrap(),
        ))
        .retry_policy(retry_policy().scaled_down(30).with_max_wait(Duration::from_secs(2)))
        // The 1 s default margin is sized for 30 s windows; at the bench's 1 s window it would
        // make every wait for a reset skip a whole window, so keep its proportion instead.
        .rate_limit_margin(WINDOW / 30)
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(&dir.path().join("bench.db")).unwrap();
    let options = RunOptions {
        sync: SyncOptions { progress: false, ..SyncOptions::default() },
        train: TrainArgs::default(),
        push: PushOptions {
            field_name: "Rocketmat".into(),
            dry_run: false,
            trigger: "bench".into(),
        },
    };
    let started = Instant::now();
    let report = run(&client, &mut store, &options).await.unwrap();
    let wall = started.elapsed().as_secs_f64();
    let line = serde_json::json!({
        "wall_seconds": wall,
        "peak_kb": peak_memory_kb(),
        "sync_pages": report.sync.pages(),
        "records": report.sync.records(),
        "rated": report.scored,
        "written": report.push.written,
        "auc": report.trained.as_ref().and_then(|t| t["auc"].as_f64()),
    });
    println!("{line}");
}

async fn parent() {
    let applications: usize = std::env::var("ROCKETMAT_BENCH_APPLICATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let company =
        generate(&SyntheticConfig { seed: 5, applications, ..SyntheticConfig::default() });
    let d = &company.dataset;
    let option_pages = |key: &str| {
        let ids: Vec<_> = d
            .custom_fields
            .iter()
            .filter(|f| f.name_key.as_deref() == Some(key))
            .map(|f| f.id)
            .collect();
        pages(d.custom_field_options.iter().filter(|o| ids.contains(&o.custom_field_id)).count())
    };
    let open = company.truth.applications.iter().filter(|a| a.open).count() as u64;
    let min_sync = pages(d.jobs.len())
        + pages(d.job_posts.len())
        + pages(d.job_interview_stages.len())
        + pages(d.sources.len())
        + pages(d.rejection_reasons.len())
        + pages(d.candidate_tags.len())
        + option_pages("degree")
        + option_pages("discipline")
        + pages(d.applications.len())
        + pages(d.application_stages.len())
        + pages(d.rejection_details.len())
        + pages(d.candidate_educations.len())
        + pages(d.candidate_employments.len())
        + pages(d.applied_candidate_tags.len());
    // One token, one field lookup, one write per open application.
    let minimum = min_sync + 2 + open;

    let sim =
        Simulator::start_synthetic(company, SimConfig::default().with_rate_limit(LIMIT, WINDOW))
            .await
            .unwrap();
    let exe = std::env::current_exe().unwrap();
    let envs = [
        ("ROCKETMAT_BENCH_CHILD", "1".to_owned()),
        ("BENCH_BASE_URL", sim.base_url()),
        ("BENCH_TOKEN_URL", sim.token_url()),
        ("BENCH_CLIENT_ID", sim.client_id().to_owned()),
        ("BENCH_CLIENT_SECRET", sim.client_secret().to_owned()),
        ("BENCH_USER_ID", sim.admin_user_id().to_string()),
    ];
    let output = tokio::task::spawn_blocking(move || Command::new(exe).envs(envs).output())
        .await
        .unwrap()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let child: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let stats = sim.stats();
    sim.shutdown().await.unwrap();

    let used = stats.requests_total;
    let bound = (used as f64 / f64::from(LIMIT)).ceil() * WINDOW.as_secs_f64();
    let min_bound = (minimum as f64 / f64::from(LIMIT)).ceil() * WINDOW.as_secs_f64();
    let wall = child["wall_seconds"].as_f64().unwrap_or(f64::NAN);
    let peak_mb = child["peak_kb"].as_f64().unwrap_or(f64::NAN) / 1024.0;
    println!("rocketmat run on {applications} synthetic applications");
    println!(
        "  requests used        {used} (minimum {minimum}: {min_sync} sync pages + token + field lookup + {open} writes)"
    );
    println!("  429 answers          {}", stats.rate_limited);
    println!("  by endpoint          {:?}", stats.requests_by_endpoint);
    println!(
        "  wall time            {wall:.1} s (rate-limit bound {bound:.1} s for the requests used, {min_bound:.1} s for the minimum; {LIMIT} req / {} ms)",
        WINDOW.as_millis()
    );
    println!("  peak memory (VmHWM)  {peak_mb:.0} MB (goal < 200 MB)");
    println!("  pipeline             {child}");
}
