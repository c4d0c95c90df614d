//! List the open jobs of a Greenhouse account with Client Credentials.
//!
//! A custom integration's credentials come from the environment:
//!
//! - `GREENHOUSE_CLIENT_ID`, `GREENHOUSE_CLIENT_SECRET`: the "Harvest V3 (OAuth)" credentials;
//! - `GREENHOUSE_USER_ID`: the Greenhouse user the token acts as (a Site Admin for list calls);
//! - optionally `HARVEST_BASE_URL` and `GREENHOUSE_TOKEN_URL` to point at a simulator, e.g.
//!   `http://127.0.0.1:8080/v3` and `http://127.0.0.1:8080/token`.
//!
//! Run: `cargo run -p examples --example list_open_jobs`. Logs go to stderr
//! (`RUST_LOG=greenhouse_harvest=debug` shows one span per request), job ids and names to stdout.

use anyhow::Context as _;
use futures::TryStreamExt as _;
use greenhouse_harvest::models::JobStatus;
use greenhouse_harvest::{Client, Credentials};

fn env(name: &str) -> anyhow::Result<String> {
    std::env::var(name).with_context(|| format!("set {name} in the environment"))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();

    let user_id: u64 =
        env("GREENHOUSE_USER_ID")?.parse().context("GREENHOUSE_USER_ID must be a number")?;
    let mut builder = Client::builder().credentials(Credentials::client_credentials(
        env("GREENHOUSE_CLIENT_ID")?,
        env("GREENHOUSE_CLIENT_SECRET")?,
        user_id,
    ));
    if let Ok(url) = std::env::var("HARVEST_BASE_URL") {
        builder = builder.base_url(url);
    }
    if let Ok(url) = std::env::var("GREENHOUSE_TOKEN_URL") {
        builder = builder.token_url(url);
    }
    let client = builder.build()?;

    // One page of up to 500 jobs in memory at a time, however many there are.
    let mut jobs = client.jobs().list().status(JobStatus::Open).stream();
    let mut count = 0usize;
    while let Some(job) = jobs.try_next().await.context("listing open jobs")? {
        println!("{}\t{}", job.id, job.name);
        count += 1;
    }
    let limits = client.rate_limit();
    eprintln!(
        "{count} open jobs; rate limit {} remaining of {}",
        limits.remaining.map_or_else(|| "?".to_owned(), |n| n.to_string()),
        limits.limit.map_or_else(|| "?".to_owned(), |n| n.to_string()),
    );
    Ok(())
}
