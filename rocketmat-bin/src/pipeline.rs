//! `run`: sync, train when the model is stale or missing, score, push.

use greenhouse_harvest::Client;
use serde::Serialize;

use crate::cli::TrainArgs;
use crate::commands::{TrainOutcome, score, train};
use crate::push::{PushOptions, PushReport, push};
use crate::store::Store;
use crate::sync::{SyncOptions, SyncReport, sync};

/// How a run goes.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Sync options.
    pub sync: SyncOptions,
    /// Training thresholds.
    pub train: TrainArgs,
    /// Push options.
    pub push: PushOptions,
}

/// What a run did.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// The sync.
    pub sync: SyncReport,
    /// The training summary, when the model was (re)trained.
    pub trained: Option<serde_json::Value>,
    /// Applications rated.
    pub scored: usize,
    /// The push.
    pub push: PushReport,
}

/// Runs the whole pipeline once.
///
/// # Errors
/// The first step that fails; what earlier steps committed stays in the store.
pub async fn run(
    client: &Client,
    store: &mut dyn Store,
    options: &RunOptions,
) -> anyhow::Result<RunReport> {
    let sync_report = sync(client, store, options.sync.clone()).await?;
    let retrain = store.current_model()?.is_none_or(|m| m.stale);
    let trained = if retrain {
        let TrainOutcome { summary, .. } = train(store, options.train)?;
        Some(summary)
    } else {
        tracing::info!("model is current; not retraining");
        None
    };
    let scored = score(store)?.len();
    let push_report = push(client, store, &options.push).await?;
    Ok(RunReport { sync: sync_report, trained, scored, push: push_report })
}
