//! The evaluation report on a plain feature matrix: baselines computed on the same rows,
//! cross-validation grouped by job, and skipped when there are too few jobs.

#![allow(
    clippy::unwrap_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    reason = "test code: panics are failures, and the numbers are small"
)]

use chrono::{TimeZone, Utc};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rocketmat_core::evaluation::{EvaluationConfig, evaluate};
use rocketmat_core::scoring::{LogisticScorer, TrainingData};

fn planted(n: usize, jobs: u64) -> (Array2<f64>, Vec<bool>, Vec<u64>, Vec<chrono::DateTime<Utc>>) {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut x = Array2::zeros((n, 3));
    let mut y = Vec::new();
    for i in 0..n {
        let signal: f64 = rng.random_range(-2.0..2.0);
        let text: f64 = rng.random_range(0.0..1.0);
        x[[i, 0]] = signal;
        x[[i, 1]] = text;
        x[[i, 2]] = rng.random_range(-1.0..1.0);
        let z = 1.5 * signal + 2.0 * (text - 0.5);
        y.push(rng.random::<f64>() < 1.0 / (1.0 + (-z).exp()));
    }
    let groups = (0..n as u64).map(|i| i % jobs).collect();
    let times = (0..n as i64).map(|i| Utc.timestamp_opt(i * 600, 0).unwrap()).collect();
    (x, y, groups, times)
}

#[test]
fn model_beats_both_baselines_on_the_same_rows() {
    let (x, y, groups, times) = planted(1000, 12);
    let names: Vec<String> =
        ["signal", "tfidf_cosine.cosine", "noise"].iter().map(|s| (*s).to_owned()).collect();
    let data = TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap();
    let report = evaluate(&data, &LogisticScorer::default(), &EvaluationConfig::default()).unwrap();
    assert_eq!(report.baseline_feature.as_deref(), Some("tfidf_cosine.cosine"));
    let t = &report.time_split;
    assert_eq!(t.model.rows, 200);
    let (model, text) =
        (t.model.roc_auc.unwrap(), t.tfidf_cosine.as_ref().unwrap().roc_auc.unwrap());
    assert!(model > text && text > 0.55, "model {model}, text {text}");
    assert!((t.base_rate.roc_auc.unwrap() - 0.5).abs() < 1e-12);
    assert!(t.model.brier.unwrap() < t.base_rate.brier.unwrap());
    assert!(t.tfidf_cosine.as_ref().unwrap().brier.is_none());
    let cv = report.cross_validation.unwrap();
    assert_eq!(cv.folds.len(), 5);
    assert_eq!(cv.folds.iter().map(|f| f.model.rows).sum::<usize>(), 1000);
    assert!(cv.mean.model.roc_auc.unwrap() > 0.75);
    assert!(cv.model_roc_auc_std.is_some());
}

#[test]
fn too_few_jobs_skips_cross_validation_and_bad_config_is_refused() {
    let (x, y, groups, times) = planted(300, 3);
    let names: Vec<String> = ["a", "b", "c"].iter().map(|s| (*s).to_owned()).collect();
    let data = TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap();
    let report = evaluate(&data, &LogisticScorer::default(), &EvaluationConfig::default()).unwrap();
    assert!(report.cross_validation.is_none());
    assert!(report.baseline_feature.is_none() && report.time_split.tfidf_cosine.is_none());
    let bad = EvaluationConfig { folds: 1, ..EvaluationConfig::default() };
    assert!(evaluate(&data, &LogisticScorer::default(), &bad).is_err());
    let bad = EvaluationConfig { test_fraction: 0.0, ..EvaluationConfig::default() };
    assert!(evaluate(&data, &LogisticScorer::default(), &bad).is_err());
}
