//! Shared set-up for the tests against the simulator: a small synthetic company, a simulator
//! with a scaled-down rate-limit window, a client with scaled-down waits, and pipeline options
//! with training thresholds suited to a small company.

#![allow(dead_code, unreachable_pub, missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use greenhouse_harvest::sim::synthetic::{SyntheticCompany, SyntheticConfig, generate};
use greenhouse_harvest::sim::{FaultConfig, RunningSimulator, SimConfig, Simulator};
use rocketmat::cli::TrainArgs;
use rocketmat::pipeline::RunOptions;
use rocketmat::push::PushOptions;
use rocketmat::store::{RecordKind, SqliteStore, Store};
use rocketmat::sync::SyncOptions;

pub const APPLICATIONS: usize = 400;

pub fn company(seed: u64) -> SyntheticCompany {
    generate(&SyntheticConfig { seed, applications: APPLICATIONS, ..SyntheticConfig::default() })
}

pub fn sim_config() -> SimConfig {
    SimConfig::default().with_rate_limit(75, Duration::from_millis(100))
}

pub async fn start(company: SyntheticCompany, config: SimConfig) -> RunningSimulator {
    Simulator::start_synthetic(company, config).await.unwrap()
}

pub fn faults(error_rate: f64, drop_rate: f64) -> FaultConfig {
    FaultConfig { error_rate, drop_rate, ..FaultConfig::default() }
}

pub fn sync_options() -> SyncOptions {
    SyncOptions { progress: false, ..SyncOptions::default() }
}

pub fn run_options(trigger: &str) -> RunOptions {
    RunOptions {
        sync: sync_options(),
        train: TrainArgs { min_labelled: 100, min_positives: 10 },
        push: PushOptions {
            field_name: "Rocketmat".to_owned(),
            dry_run: false,
            trigger: trigger.to_owned(),
        },
    }
}

/// Open applications as the planted truth defines them: in process at an open job.
pub fn open_applications(company: &SyntheticCompany) -> BTreeSet<u64> {
    company.truth.applications.iter().filter(|a| a.open).map(|a| a.application_id).collect()
}

/// Every record of every table, for comparing two stores.
pub fn content(store: &dyn Store) -> BTreeMap<&'static str, Vec<(u64, String)>> {
    RecordKind::ALL
        .iter()
        .map(|k| {
            let rows = store
                .records(*k)
                .unwrap()
                .into_iter()
                .map(|r| {
                    (
                        r.id,
                        format!(
                            "{:?}|{:?}|{:?}|{}",
                            r.candidate_id, r.application_id, r.job_id, r.data
                        ),
                    )
                })
                .collect();
            (k.table(), rows)
        })
        .collect()
}

pub fn open_store(path: &Path) -> SqliteStore {
    SqliteStore::open(path).unwrap()
}

/// The writes the simulator recorded, read over HTTP from `/_sim/writes`.
pub async fn http_writes(sim: &RunningSimulator) -> Vec<serde_json::Value> {
    let base = sim.base_url();
    let origin = base.trim_end_matches("/v3");
    let body: serde_json::Value =
        reqwest::get(format!("{origin}/_sim/writes")).await.unwrap().json().await.unwrap();
    body.as_array().cloned().unwrap_or_default()
}
