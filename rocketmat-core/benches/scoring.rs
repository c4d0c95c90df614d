//! Scoring throughput and training time of the company model on synthetic data.
//!
//! Everything runs on one thread (the crate uses no parallelism). Throughput is reported in
//! applications per second; the goal is at least 200k/s through the whole path (feature
//! pipeline, TF-IDF text feature included, plus the scorer).
//!
//! Run: `cargo bench -p rocketmat-core --bench scoring`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ndarray::Array2;
use rocketmat_core::evaluation::EvaluationConfig;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::model::{CompanyModel, TrainingConfig};

fn config(folds: usize) -> TrainingConfig {
    TrainingConfig {
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        evaluation: EvaluationConfig { folds, ..EvaluationConfig::default() },
        ..TrainingConfig::default()
    }
}

fn scoring(c: &mut Criterion) {
    let history = SyntheticCompany::generate(20_000, 40, 1);
    let model = CompanyModel::train(&history.instances(), &history.outcomes, &config(0)).unwrap();
    // Score a fresh batch of applications the model has not seen.
    let open = SyntheticCompany::generate(10_000, 40, 2);
    let batch = open.instances();
    let width = model.metadata().feature_names.len();
    let mut features = Array2::<f64>::zeros((batch.len(), width));
    let mut out = vec![0.0; batch.len()];

    let mut g = c.benchmark_group("scoring");
    g.measurement_time(Duration::from_secs(4)).warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.bench_function("pipeline_and_scorer_10k", |b| {
        b.iter(|| model.rate_into(black_box(&batch), &mut features, &mut out).unwrap());
    });
    model.rate_into(&batch, &mut features, &mut out).unwrap();
    g.bench_function("scorer_only_10k", |b| {
        b.iter(|| model.scorer().predict_into(black_box(features.view()), &mut out).unwrap());
    });
    let small = &batch[..1000];
    g.throughput(Throughput::Elements(small.len() as u64));
    g.bench_function("with_explanations_1k", |b| {
        b.iter(|| black_box(model.score(black_box(small)).unwrap()));
    });
    g.finish();
}

fn training(c: &mut Criterion) {
    let history = SyntheticCompany::generate(100_000, 80, 3);
    let instances = history.instances();
    let mut g = c.benchmark_group("training_100k");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(instances.len() as u64));
    // The production fit: features, alpha search, calibration, plus the time-split evaluation.
    g.bench_function("train_time_split_eval", |b| {
        b.iter(|| {
            CompanyModel::train(black_box(&instances), &history.outcomes, &config(0)).unwrap()
        });
    });
    g.finish();
}

criterion_group!(benches, scoring, training);
criterion_main!(benches);
