//! The evaluation report: a scorer on a time split and under grouped cross-validation, beside
//! the two baselines computed on the very same rows.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use ndarray::Axis;
use serde::{Deserialize, Serialize};

use super::metrics::{average_precision, brier_score, mean_ndcg_at_k, roc_auc};
use super::split::{Split, group_k_fold, time_split};
use crate::error::{Error, Result};
use crate::scoring::{Scorer, TrainingData};

/// How to evaluate.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `test_fraction` | `0.2` | newest share of rows tested in the time split | `(0, 1)` |
/// | `folds` | `5` | grouped-by-job cross-validation folds (`0` skips cross-validation) | `0` or `>= 2` |
/// | `ndcg_k` | `10` | cut-off of NDCG, per job | `>= 1` |
/// | `baseline_feature_prefix` | `"tfidf_cosine"` | the feature column used alone as the text baseline | — |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationConfig {
    /// Newest share of rows in the time-split test set.
    pub test_fraction: f64,
    /// Number of grouped cross-validation folds; 0 skips cross-validation.
    pub folds: usize,
    /// NDCG cut-off.
    pub ndcg_k: usize,
    /// Prefix of the feature column used as the TF-IDF baseline.
    pub baseline_feature_prefix: String,
}

impl Default for EvaluationConfig {
    fn default() -> Self {
        Self {
            test_fraction: 0.2,
            folds: 5,
            ndcg_k: 10,
            baseline_feature_prefix: "tfidf_cosine".into(),
        }
    }
}

/// Metrics of one score on one test set. A metric is `None` where it is undefined (e.g. AUC
/// with one class, Brier for a score that is not a probability).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Test rows.
    pub rows: usize,
    /// Positives among them.
    pub positives: usize,
    /// ROC AUC.
    pub roc_auc: Option<f64>,
    /// Average precision (PR AUC).
    pub pr_auc: Option<f64>,
    /// Mean NDCG@k over jobs with a positive.
    pub ndcg: Option<f64>,
    /// Brier score (probabilities only).
    pub brier: Option<f64>,
}

impl Metrics {
    /// Computes every metric; `probabilistic` says whether Brier applies.
    pub fn compute(
        scores: &[f64],
        labels: &[bool],
        groups: &[u64],
        k: usize,
        probabilistic: bool,
    ) -> Self {
        Self {
            rows: labels.len(),
            positives: labels.iter().filter(|&&l| l).count(),
            roc_auc: roc_auc(scores, labels),
            pr_auc: average_precision(scores, labels),
            ndcg: mean_ndcg_at_k(scores, labels, groups, k),
            brier: if probabilistic { brier_score(scores, labels) } else { None },
        }
    }
}

/// The scorer and both baselines on one test set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The trained scorer.
    pub model: Metrics,
    /// The TF-IDF cosine feature alone, used as the score (absent if there is no such column).
    pub tfidf_cosine: Option<Metrics>,
    /// The training base rate as a constant score.
    pub base_rate: Metrics,
}

/// Cross-validation results: each fold and the mean over folds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrossValidation {
    /// Per fold, in fold order.
    pub folds: Vec<Comparison>,
    /// Mean of each metric over the folds where it is defined.
    pub mean: Comparison,
    /// Standard deviation of the model's ROC AUC over folds (a rough confidence band).
    pub model_roc_auc_std: Option<f64>,
}

/// The full evaluation of one scorer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationReport {
    /// Scorer name.
    pub scorer: String,
    /// Name of the baseline feature column, if found.
    pub baseline_feature: Option<String>,
    /// NDCG cut-off used.
    pub ndcg_k: usize,
    /// Train on older rows, test on newer.
    pub time_split: Comparison,
    /// Grouped-by-job cross-validation, `None` when skipped or too few jobs.
    pub cross_validation: Option<CrossValidation>,
}

/// Evaluates a scorer: fits fresh copies (from [`Scorer::unfitted`]) on a time split and on
/// grouped folds, and computes the baselines on the same test rows.
///
/// # Errors
/// [`Error::InvalidParameter`] for a bad config; errors of the scorer's fit and predict; an
/// error from the time split when the data are too small to split.
pub fn evaluate(
    data: &TrainingData<'_>,
    scorer: &dyn Scorer,
    config: &EvaluationConfig,
) -> Result<EvaluationReport> {
    if config.ndcg_k == 0 || config.folds == 1 {
        return Err(Error::InvalidParameter {
            name: if config.ndcg_k == 0 { "ndcg_k" } else { "folds" },
            value: if config.ndcg_k == 0 { "0".into() } else { "1".into() },
            reason: "ndcg_k must be >= 1 and folds 0 or >= 2",
        });
    }
    let baseline = data.names.iter().position(|n| n.starts_with(&config.baseline_feature_prefix));
    let time = compare(
        data,
        scorer,
        &time_split(data.times, config.test_fraction)?,
        baseline,
        config.ndcg_k,
    )?;
    let cross_validation = if config.folds == 0 {
        None
    } else {
        match group_k_fold(data.groups, config.folds) {
            Ok(splits) => {
                let mut folds = Vec::with_capacity(splits.len());
                for split in &splits {
                    match compare(data, scorer, split, baseline, config.ndcg_k) {
                        Ok(c) => folds.push(c),
                        // A fold whose training part has one class cannot be fitted: skip it.
                        Err(Error::SingleClass { .. }) => {
                            tracing::debug!(
                                test_rows = split.test.len(),
                                "cv: single-class fold skipped"
                            );
                        }
                        Err(e) => return Err(e),
                    }
                }
                if folds.is_empty() { None } else { Some(summarise(folds)) }
            }
            Err(e) => {
                tracing::debug!(error = %e, "cv: skipped");
                None
            }
        }
    };
    Ok(EvaluationReport {
        scorer: scorer.name().to_owned(),
        baseline_feature: baseline.map(|i| data.names[i].clone()),
        ndcg_k: config.ndcg_k,
        time_split: time,
        cross_validation,
    })
}

fn compare(
    data: &TrainingData<'_>,
    template: &dyn Scorer,
    split: &Split,
    baseline: Option<usize>,
    k: usize,
) -> Result<Comparison> {
    let pick_labels = |idx: &[usize]| idx.iter().map(|&i| data.labels[i]).collect::<Vec<_>>();
    let pick_groups = |idx: &[usize]| idx.iter().map(|&i| data.groups[i]).collect::<Vec<_>>();
    let x_train = data.features.select(Axis(0), &split.train);
    let y_train = pick_labels(&split.train);
    let g_train = pick_groups(&split.train);
    let t_train: Vec<_> = split.train.iter().map(|&i| data.times[i]).collect();
    let train = TrainingData::new(x_train.view(), data.names, &y_train, &g_train, &t_train)?;
    let mut scorer = template.unfitted();
    scorer.fit(&train)?;

    let x_test = data.features.select(Axis(0), &split.test);
    let y_test = pick_labels(&split.test);
    let g_test = pick_groups(&split.test);
    let mut p = vec![0.0; split.test.len()];
    scorer.predict_into(x_test.view(), &mut p)?;

    let rate = train.positives() as f64 / train.len().max(1) as f64;
    let constant = vec![rate; split.test.len()];
    Ok(Comparison {
        model: Metrics::compute(&p, &y_test, &g_test, k, true),
        tfidf_cosine: baseline.map(|c| {
            let s: Vec<f64> = split.test.iter().map(|&i| data.features[[i, c]]).collect();
            Metrics::compute(&s, &y_test, &g_test, k, false)
        }),
        base_rate: Metrics::compute(&constant, &y_test, &g_test, k, true),
    })
}

fn mean_of(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = values.flatten().collect();
    if v.is_empty() { None } else { Some(v.iter().sum::<f64>() / v.len() as f64) }
}

fn mean_metrics(ms: &[&Metrics]) -> Metrics {
    Metrics {
        rows: ms.iter().map(|m| m.rows).sum(),
        positives: ms.iter().map(|m| m.positives).sum(),
        roc_auc: mean_of(ms.iter().map(|m| m.roc_auc)),
        pr_auc: mean_of(ms.iter().map(|m| m.pr_auc)),
        ndcg: mean_of(ms.iter().map(|m| m.ndcg)),
        brier: mean_of(ms.iter().map(|m| m.brier)),
    }
}

fn summarise(folds: Vec<Comparison>) -> CrossValidation {
    let model: Vec<&Metrics> = folds.iter().map(|c| &c.model).collect();
    let tfidf: Vec<&Metrics> = folds.iter().filter_map(|c| c.tfidf_cosine.as_ref()).collect();
    let base: Vec<&Metrics> = folds.iter().map(|c| &c.base_rate).collect();
    let aucs: Vec<f64> = model.iter().filter_map(|m| m.roc_auc).collect();
    let model_roc_auc_std = (aucs.len() >= 2).then(|| {
        let m = aucs.iter().sum::<f64>() / aucs.len() as f64;
        (aucs.iter().map(|a| (a - m) * (a - m)).sum::<f64>() / (aucs.len() - 1) as f64).sqrt()
    });
    let mean = Comparison {
        model: mean_metrics(&model),
        tfidf_cosine: (!tfidf.is_empty()).then(|| mean_metrics(&tfidf)),
        base_rate: mean_metrics(&base),
    };
    CrossValidation { folds, mean, model_roc_auc_std }
}
