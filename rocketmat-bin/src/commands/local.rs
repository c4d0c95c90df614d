//! Commands that need only the store: `explain`, `erase`, `verify-audit`.

use std::io::Write;

use anyhow::Context as _;
use serde_json::json;

use crate::store::Store;

/// Prints the stored explanation of an application's rating.
///
/// # Errors
/// No rating stored for the application, or a store failure.
pub fn explain(
    store: &dyn Store,
    application_id: u64,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let row = store.score(application_id)?.with_context(|| {
        format!(
            "no rating is stored for application {application_id}: check the id, or run \
             `rocketmat score` (only open applications at open jobs are rated)"
        )
    })?;
    if json {
        let line = json!({
            "application_id": row.application_id,
            "job_id": row.job_id,
            "rating": row.rating,
            "model_version": row.model_version,
            "scored_at": row.scored_at,
            "explanation": row.explanation,
        });
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "application {}  job {}  rating {}  (model v{}, scored {})",
            row.application_id,
            row.job_id,
            row.rating,
            row.model_version,
            row.scored_at.format("%Y-%m-%d %H:%M UTC")
        )?;
        let summary = row.explanation.get("summary").and_then(|s| s.as_str());
        if let Some(summary) = summary {
            writeln!(out, "{summary}")?;
        }
        writeln!(out, "{}", serde_json::to_string_pretty(&row.explanation)?)?;
    }
    Ok(())
}

/// Erases a candidate from the store.
///
/// # Errors
/// A store failure (nothing is erased then).
pub fn erase(
    store: &mut dyn Store,
    candidate_id: u64,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let report = store.erase_candidate(candidate_id)?;
    tracing::info!(
        rows = report.rows_deleted,
        applications = report.applications,
        "candidate erased; the model is marked for retraining"
    );
    if json {
        let line = json!({
            "candidate_id": candidate_id,
            "rows_deleted": report.rows_deleted,
            "applications": report.applications,
            "audit_entries_shredded": report.audit_entries_shredded,
            "model_stale": true,
        });
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "erased candidate {candidate_id}: {} rows, {} applications, {} audit subjects \
             shredded; tombstone kept; the model will be retrained at the next run",
            report.rows_deleted, report.applications, report.audit_entries_shredded
        )?;
    }
    Ok(())
}

/// Checks the audit chain; a broken chain is an error (non-zero exit) after the report.
///
/// # Errors
/// A broken chain, or a store failure.
pub fn verify_audit(store: &dyn Store, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let verdict = store.verify_audit()?;
    if json {
        writeln!(out, "{}", serde_json::to_string(&verdict)?)?;
    } else if verdict.is_intact() {
        writeln!(
            out,
            "audit log intact: {} entries, head {}",
            verdict.entries,
            verdict.head.as_deref().unwrap_or("(empty)")
        )?;
    }
    if let Some(b) = verdict.broken {
        anyhow::bail!("audit log broken at entry {}: {}", b.seq, b.reason);
    }
    Ok(())
}
