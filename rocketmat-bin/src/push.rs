//! Writing ratings into the "Rocketmat" Number application field.
//!
//! Only ratings that differ from the last accepted write are sent, one PATCH per application
//! touching that one field and nothing else. Each batch of writes is recorded (last pushed
//! rating and audit entries) in one transaction, so a crash re-sends at most one batch, and
//! re-sending sets the same value again.

use anyhow::Context as _;
use futures::StreamExt as _;
use greenhouse_harvest::Client;
use greenhouse_harvest::api::UpdateCustomFields;
use greenhouse_harvest::ids::ApplicationId;
use greenhouse_harvest::models::CustomField;
use serde::Serialize;

use crate::store::{PushResult, ScoreRow, Store};

/// Writes per committed batch.
const BATCH: usize = 100;
/// Writes in flight at once (the client's rate-limit governor still paces them).
const CONCURRENCY: usize = 8;

/// How a push runs.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The field's name (or `name_key`).
    pub field_name: String,
    /// Report only; write nothing.
    pub dry_run: bool,
    /// What started the push (recorded in the audit log).
    pub trigger: String,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PushReport {
    /// The field written to.
    pub field_id: u64,
    /// Ratings that differed from the last write.
    pub pending: usize,
    /// Writes Greenhouse accepted.
    pub written: usize,
    /// Writes Greenhouse refused (they stay pending).
    pub failed: usize,
    /// Nothing was written.
    pub dry_run: bool,
    /// The ratings that would be or were written: (application id, rating).
    #[serde(skip)]
    pub ratings: Vec<(u64, u8)>,
}

fn how_to_create(name: &str) -> String {
    format!(
        "ask a Greenhouse Site Admin to create it: Configure > Custom Options > Application \
         Fields > Add Field, name \"{name}\", type Number; then run push again"
    )
}

/// Finds the rating field.
///
/// # Errors
/// The field is missing, inactive or not a number field (with instructions), or the lookup
/// failed.
pub async fn find_field(client: &Client, name: &str) -> anyhow::Result<CustomField> {
    match client.custom_fields().find_application_number_field(name).await {
        Ok(field) => Ok(field),
        Err(e @ greenhouse_harvest::Error::InvalidRequest(_)) => Err(anyhow::Error::new(e)
            .context(format!(
                "the application field \"{name}\" is not usable; {}",
                how_to_create(name)
            ))),
        Err(e) => {
            Err(anyhow::Error::new(e).context(format!("cannot look up the \"{name}\" field")))
        }
    }
}

fn answer_of(err: &greenhouse_harvest::Error) -> String {
    match err.status() {
        Some(status) => format!("error {}", status.as_u16()),
        None => "error: no response".to_owned(),
    }
}

/// Whether an error concerns this one application (the others may still go through).
fn is_per_record(err: &greenhouse_harvest::Error) -> bool {
    err.status().is_some_and(|s| matches!(s.as_u16(), 404 | 409 | 422))
}

/// Pushes the ratings that changed.
///
/// # Errors
/// The field lookup, an authentication or transport failure that retries did not cure (after
/// the batch so far is recorded), or a store failure.
pub async fn push(
    client: &Client,
    store: &mut dyn Store,
    options: &PushOptions,
) -> anyhow::Result<PushReport> {
    let field = find_field(client, &options.field_name).await?;
    let pending = store.pending_pushes()?;
    let mut report = PushReport {
        field_id: field.id.get(),
        pending: pending.len(),
        dry_run: options.dry_run,
        ratings: pending.iter().map(|s| (s.application_id, s.rating)).collect(),
        ..PushReport::default()
    };
    if options.dry_run {
        tracing::info!(pending = pending.len(), "dry run: nothing written");
        return Ok(report);
    }
    let update_for = |rating: u8| match &field.name_key {
        Some(key) => UpdateCustomFields::new().set_by_name_key(key.clone(), rating),
        None => UpdateCustomFields::new().set_by_id(field.id, rating),
    };
    let applications = client.applications();
    for batch in pending.chunks(BATCH) {
        let outcomes: Vec<(ScoreRow, Result<(), greenhouse_harvest::Error>)> =
            futures::stream::iter(batch.iter().cloned())
                .map(|score| {
                    let update = update_for(score.rating);
                    let applications = applications.clone();
                    async move {
                        let r = applications
                            .update_custom_fields(
                                ApplicationId::from(score.application_id),
                                &update,
                            )
                            .await
                            .map(|_| ());
                        (score, r)
                    }
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .await;
        let mut fatal = None;
        let mut results = Vec::with_capacity(outcomes.len());
        for (score, outcome) in outcomes {
            match outcome {
                Ok(()) => {
                    report.written += 1;
                    results.push(PushResult { score, accepted: true, answer: "ok".into() });
                }
                Err(e) => {
                    report.failed += 1;
                    let answer = answer_of(&e);
                    tracing::warn!(application_id = score.application_id, %answer, "write refused");
                    results.push(PushResult { score, accepted: false, answer });
                    if !is_per_record(&e) && fatal.is_none() {
                        fatal = Some(e);
                    }
                }
            }
        }
        store.record_pushes(&options.trigger, &results)?;
        if let Some(e) = fatal {
            return Err(anyhow::Error::new(e)).context(format!(
                "writing ratings stopped after {} writes; the rest stay pending for the next push",
                report.written
            ));
        }
    }
    tracing::info!(written = report.written, failed = report.failed, "ratings pushed");
    Ok(report)
}
