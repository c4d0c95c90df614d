//! `train` and `score`: fit the company model from the store, rate open applications.

use std::io::Write;

use anyhow::Context as _;
use chrono::Utc;
use rocketmat_core::dataset::MinimumData;
use rocketmat_core::evaluation::{EvaluationReport, Metrics};
use rocketmat_core::labels::LabelPolicy;
use rocketmat_core::model::{CompanyModel, TrainingConfig};
use serde_json::{Value, json};

use crate::audit::sha256_hex;
use crate::cli::TrainArgs;
use crate::company::Company;
use crate::store::{ScoreRow, Store};

/// Applications scored per batch: bounds the feature matrix held in memory at once.
const SCORE_BATCH: usize = 2048;

/// What a training run produced.
#[derive(Debug, Clone)]
pub struct TrainOutcome {
    /// The stored model version.
    pub version: i64,
    /// The summary printed with `--json` (also stored beside the artifact).
    pub summary: Value,
}

fn metrics_json(m: &Metrics) -> Value {
    json!({
        "auc": m.roc_auc,
        "pr_auc": m.pr_auc,
        "ndcg_at_10": m.ndcg,
        "brier": m.brier,
        "rows": m.rows,
        "positives": m.positives,
    })
}

fn summary(report: &EvaluationReport, counts: &Value) -> Value {
    let t = &report.time_split;
    let mut baselines = serde_json::Map::new();
    if let Some(tfidf) = &t.tfidf_cosine {
        baselines.insert("tfidf_cosine".into(), metrics_json(tfidf));
    }
    baselines.insert("base_rate".into(), metrics_json(&t.base_rate));
    json!({
        "scorer": report.scorer,
        "evaluation": "time split: trained on older applications, tested on newer",
        "ndcg_k": report.ndcg_k,
        "auc": t.model.roc_auc,
        "pr_auc": t.model.pr_auc,
        "ndcg_at_10": t.model.ndcg,
        "brier": t.model.brier,
        "baselines": baselines,
        "cross_validation": report.cross_validation.as_ref().map(|cv| json!({
            "folds": cv.folds.len(),
            "auc": cv.mean.model.roc_auc,
            "auc_std": cv.model_roc_auc_std,
            "pr_auc": cv.mean.model.pr_auc,
            "ndcg_at_10": cv.mean.model.ndcg,
            "brier": cv.mean.model.brier,
        })),
        "counts": counts,
    })
}

/// Trains the company model from the store and saves it (one transaction).
///
/// # Errors
/// Too little labelled data, a training failure, or a store failure.
pub fn train(store: &mut dyn Store, args: TrainArgs) -> anyhow::Result<TrainOutcome> {
    let company = Company::load(store)?;
    let instances = company.instances();
    let policy = LabelPolicy::default();
    let labels: Vec<Option<bool>> =
        instances.iter().map(|i| policy.label_bool(i.application)).collect();
    let labelled = labels.iter().flatten().count();
    let positives = labels.iter().flatten().filter(|l| **l).count();
    tracing::info!(applications = instances.len(), labelled, positives, "training");
    let config = TrainingConfig {
        minimum: MinimumData { min_labelled: args.min_labelled, min_positives: args.min_positives },
        created_at: Utc::now(),
        ..TrainingConfig::default()
    };
    let model = CompanyModel::train(&instances, &labels, &config)
        .context("training the company model failed")?;
    let counts = json!({
        "applications": instances.len(),
        "labelled": labelled,
        "positives": positives,
        "jobs": company.jobs.len(),
        "candidates": company.candidates.len(),
        "training_rows": model.metadata().training_rows,
    });
    let summary = summary(&model.metadata().metrics, &counts);
    let bytes = model.to_bytes().context("cannot serialise the model")?;
    let version = store.save_model(&bytes, &summary)?;
    tracing::info!(version, "model saved");
    let mut summary = summary;
    if let Some(map) = summary.as_object_mut() {
        map.insert("model_version".into(), json!(version));
    }
    Ok(TrainOutcome { version, summary })
}

fn fmt_metric(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_f64).map_or_else(|| "   n/a".to_owned(), |x| format!("{x:6.3}"))
}

/// Prints a training summary: JSON, or a small table of the model beside its baselines.
///
/// # Errors
/// A write failure.
pub fn print_train(outcome: &TrainOutcome, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let s = &outcome.summary;
    if json {
        writeln!(out, "{s}")?;
        return Ok(());
    }
    writeln!(
        out,
        "model v{} trained ({})",
        outcome.version,
        s["evaluation"].as_str().unwrap_or("")
    )?;
    writeln!(out, "{:<14} {:>6} {:>6} {:>6} {:>6}", "", "AUC", "PR-AUC", "NDCG10", "Brier")?;
    let mut rows = vec![("model", s.clone())];
    if let Some(b) = s["baselines"].as_object() {
        rows.extend(b.iter().map(|(k, v)| (k.as_str(), v.clone())));
    }
    for (name, v) in rows {
        writeln!(
            out,
            "{name:<14} {} {} {} {}",
            fmt_metric(&v, "auc"),
            fmt_metric(&v, "pr_auc"),
            fmt_metric(&v, "ndcg_at_10"),
            fmt_metric(&v, "brier")
        )?;
    }
    writeln!(out, "counts: {}", s["counts"])?;
    Ok(())
}

/// Loads the current model.
///
/// # Errors
/// No model stored, or an artifact this build cannot read.
pub fn load_model(store: &dyn Store) -> anyhow::Result<(i64, bool, CompanyModel)> {
    let stored = store
        .current_model()?
        .context("no model is stored yet: run `rocketmat train` (or `rocketmat run`) first")?;
    let model = CompanyModel::from_bytes(&stored.artifact).with_context(|| {
        format!("stored model v{} cannot be read: run `rocketmat train` again", stored.version)
    })?;
    Ok((stored.version, stored.stale, model))
}

/// Rates every open application at an open job and stores the ratings (one transaction).
///
/// # Errors
/// No usable model, a scoring failure, or a store failure.
pub fn score(store: &mut dyn Store) -> anyhow::Result<Vec<ScoreRow>> {
    let (version, stale, model) = load_model(store)?;
    if stale {
        tracing::warn!(version, "the model is stale (data changed or was erased); retrain soon");
    }
    let company = Company::load_open(store)?;
    let open = company.open_instances();
    let now = Utc::now();
    let mut rows = Vec::with_capacity(open.len());
    for batch in open.chunks(SCORE_BATCH) {
        let features = model.pipeline().transform(batch).context("feature extraction failed")?;
        let ratings = model.score(batch).context("scoring failed")?;
        for ((instance, rating), values) in
            batch.iter().zip(ratings).zip(features.values.outer_iter())
        {
            let mut bytes = Vec::with_capacity(values.len() * 8);
            for v in values {
                bytes.extend_from_slice(&v.to_le_bytes());
            }
            let explanation = serde_json::to_value(&rating.explanation)?;
            rows.push(ScoreRow {
                application_id: instance.application.id.0,
                candidate_id: instance.application.candidate_id.0,
                job_id: instance.application.job_id.0,
                model_version: version,
                rating: rating.rating,
                feature_hash: sha256_hex(&bytes),
                explanation_hash: sha256_hex(explanation.to_string().as_bytes()),
                explanation,
                scored_at: now,
            });
        }
    }
    store.replace_scores(&rows)?;
    tracing::info!(rated = rows.len(), version, "open applications rated");
    Ok(rows)
}

/// Prints ratings: JSON lines, or a table.
///
/// # Errors
/// A write failure.
pub fn print_scores(rows: &[ScoreRow], json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    if !json {
        writeln!(out, "{:>12} {:>10} {:>6}  summary", "application", "job", "rating")?;
    }
    for r in rows {
        if json {
            let line = json!({
                "application_id": r.application_id,
                "job_id": r.job_id,
                "rating": r.rating,
                "model_version": r.model_version,
                "explanation": r.explanation,
            });
            writeln!(out, "{line}")?;
        } else {
            let summary = r.explanation.get("summary").and_then(Value::as_str).unwrap_or("");
            writeln!(out, "{:>12} {:>10} {:>6}  {summary}", r.application_id, r.job_id, r.rating)?;
        }
    }
    Ok(())
}
