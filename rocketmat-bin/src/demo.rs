//! `demo`: a synthetic company on a local simulator, and the whole pipeline run against it.
//!
//! Needs no account and no network beyond loopback. The simulator's rate limit keeps Harvest's
//! shape (75 requests per fixed window) with the window scaled down a hundredfold, so the
//! demo shows real rate-limit handling and still finishes in seconds.

use std::io::Write;
use std::time::Duration;

use anyhow::Context as _;
use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{RunningSimulator, SimConfig, Simulator};
use greenhouse_harvest::{Client, Credentials};
use serde_json::json;

use crate::cli::{DEFAULT_FIELD_NAME, DemoArgs, TrainArgs};
use crate::connect::retry_policy;
use crate::pipeline::{RunOptions, run};
use crate::push::PushOptions;
use crate::store::SqliteStore;
use crate::sync::SyncOptions;

/// Harvest's documented budget: requests per window.
pub const RATE_LIMIT: u32 = 75;
/// Harvest's 30-second window divided by 100.
pub const RATE_WINDOW: Duration = Duration::from_millis(300);
/// How much the demo and the tests shrink the client's waits.
pub const TIME_SCALE: u32 = 100;

/// A client for a running simulator, with client credentials and waits scaled down.
///
/// # Errors
/// An invalid simulator URL.
pub fn sim_client(sim: &RunningSimulator) -> anyhow::Result<Client> {
    Client::builder()
        .base_url(sim.base_url())
        .token_url(sim.token_url())
        .credentials(Credentials::client_credentials(
            sim.client_id(),
            sim.client_secret(),
            sim.admin_user_id(),
        ))
        // Waits shrink with the simulator's window, but `Retry-After` comes in whole seconds,
        // so a wait of a second or two must still be accepted.
        .retry_policy(retry_policy().scaled_down(TIME_SCALE).with_max_wait(Duration::from_secs(2)))
        .build()
        .context("cannot configure the client for the simulator")
}

/// Runs the demo and prints what it did.
///
/// # Errors
/// The simulator cannot start, or a pipeline step fails.
pub async fn demo(args: &DemoArgs, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let company = generate(&SyntheticConfig {
        seed: args.seed,
        applications: args.applications,
        ..SyntheticConfig::default()
    });
    let bayes_auc = company.bayes_auc;
    let truth: std::collections::HashMap<u64, f64> =
        company.truth.applications.iter().map(|a| (a.application_id, a.probability)).collect();
    let sim = Simulator::start_synthetic(
        company,
        SimConfig::default().with_rate_limit(RATE_LIMIT, RATE_WINDOW),
    )
    .await
    .context("cannot start the simulator")?;
    tracing::info!(base_url = %sim.base_url(), "simulator started");
    let client = sim_client(&sim)?;
    let dir = tempfile::tempdir().context("cannot create a temporary store directory")?;
    let mut store = SqliteStore::open(&dir.path().join("demo.db"))?;
    let options = RunOptions {
        sync: SyncOptions { progress: !json, ..SyncOptions::default() },
        train: TrainArgs::default(),
        push: PushOptions {
            field_name: DEFAULT_FIELD_NAME.to_owned(),
            dry_run: false,
            trigger: "demo".to_owned(),
        },
    };
    let report = run(&client, &mut store, &options).await?;
    let writes = sim.writes();
    let stats = sim.stats();
    sim.shutdown().await.context("simulator shutdown failed")?;
    let trained = report.trained.clone().unwrap_or_default();
    let model_auc = trained["auc"].as_f64();
    let elapsed = started.elapsed().as_secs_f64();
    if json {
        let line = json!({
            "applications": args.applications,
            "requests": stats.requests_total,
            "sync_pages": report.sync.pages(),
            "records": report.sync.records(),
            "rated": report.scored,
            "ratings_written": writes.len(),
            "model_auc": model_auc,
            "bayes_auc": bayes_auc,
            "evaluation": trained,
            "seconds": elapsed,
            "sample": writes.iter().take(args.show).map(|w| json!({
                "application_id": w.application_id,
                "rating": w.value,
                "true_probability": truth.get(&w.application_id),
            })).collect::<Vec<_>>(),
        });
        writeln!(out, "{line}")?;
        return Ok(());
    }
    writeln!(
        out,
        "synthetic company: {} applications; {} requests to the simulator ({} sync pages)",
        args.applications,
        stats.requests_total,
        report.sync.pages()
    )?;
    writeln!(out, "rated {} open applications, wrote {} ratings", report.scored, writes.len())?;
    writeln!(out, "{:>12} {:>7} {:>17}", "application", "rating", "true probability")?;
    for w in writes.iter().take(args.show) {
        let p = truth.get(&w.application_id).map_or_else(|| "?".to_owned(), |p| format!("{p:.2}"));
        writeln!(out, "{:>12} {:>7} {p:>17}", w.application_id, w.value)?;
    }
    let fmt = |v: Option<f64>| v.map_or_else(|| "n/a".to_owned(), |v| format!("{v:.3}"));
    writeln!(
        out,
        "model AUC {} (newest applications held out) vs Bayes-optimal AUC {:.3}; \
         TF-IDF baseline {}, base rate {}",
        fmt(model_auc),
        bayes_auc,
        fmt(trained["baselines"]["tfidf_cosine"]["auc"].as_f64()),
        fmt(trained["baselines"]["base_rate"]["auc"].as_f64()),
    )?;
    writeln!(out, "done in {elapsed:.1} s")?;
    Ok(())
}
