//! Exports a synthetic company's feature matrix and texts for `bench/compare_sklearn.py`, and
//! times the Rust side on the same data: feature pipeline fit and transform, logistic fit,
//! scoring, and the random forest for the scorer comparison.
//!
//! Run by the script (`python3 bench/compare_sklearn.py`), or by hand:
//! `ROCKETMAT_EXPORT_DIR=/tmp/rocketmat-sklearn cargo bench -p rocketmat-core --bench sklearn_export`.
//! Writes `train.csv`, `test.csv` (features, label, job text, candidate text) and `rust.json`.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]
#![allow(clippy::cast_precision_loss)]

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use rocketmat_core::dataset::Dataset;
use rocketmat_core::evaluation::metrics::roc_auc;
use rocketmat_core::features::{FeaturePipeline, Instance};
use rocketmat_core::labels::LabelPolicy;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::scoring::{
    ForestParams, ForestScorer, LogisticParams, LogisticScorer, ParamGuard, Scorer, TrainingData,
};
use rocketmat_core::text::strip_html;

fn job_text(i: &Instance<'_>) -> String {
    format!("{} {}", i.job.title, strip_html(&i.job.requirement_text))
}

fn candidate_text(i: &Instance<'_>) -> String {
    let v = i.candidate_as_of();
    let mut parts: Vec<String> = v.employments().map(|e| e.title.clone()).collect();
    parts.extend(v.tags().map(|t| t.name.to_string()));
    parts.extend(v.educations().filter_map(|e| e.field.clone()));
    parts.join(" ")
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\"").replace(['\n', '\r'], " "))
}

fn write_csv(
    path: &PathBuf,
    names: &[String],
    x: &ndarray::Array2<f64>,
    y: &[bool],
    rows: &[Instance<'_>],
) {
    let mut s = String::new();
    s.push_str(&names.join(","));
    s.push_str(",label,job_text,candidate_text\n");
    for (i, r) in rows.iter().enumerate() {
        for v in x.row(i) {
            let _ = write!(s, "{v},");
        }
        let _ = writeln!(
            s,
            "{},{},{}",
            u8::from(y[i]),
            csv_field(&job_text(r)),
            csv_field(&candidate_text(r))
        );
    }
    std::fs::write(path, s).unwrap();
}

fn main() {
    let n: usize =
        std::env::var("ROCKETMAT_EXPORT_ROWS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let dir =
        PathBuf::from(std::env::var("ROCKETMAT_EXPORT_DIR").unwrap_or_else(|_| {
            std::env::temp_dir().join("rocketmat-sklearn").display().to_string()
        }));
    std::fs::create_dir_all(&dir).unwrap();

    let company = SyntheticCompany::generate(n, 80, 3);
    let data = Dataset::build(
        &company.jobs,
        &company.candidates,
        &company.applications,
        &LabelPolicy::default(),
    )
    .unwrap()
    .labelled();
    let cut = data.len() * 4 / 5; // rows are in time order: train older, test newer
    let train = data.subset(&(0..cut).collect::<Vec<_>>());
    let test = data.subset(&(cut..data.len()).collect::<Vec<_>>());
    let (y_train, y_test) = (train.targets().unwrap(), test.targets().unwrap());
    let groups: Vec<u64> = train.job_ids.iter().map(|j| j.0).collect();

    let t = Instant::now();
    let mut pipeline = FeaturePipeline::default_pipeline();
    pipeline.fit(&train.instances).unwrap();
    let x_train = pipeline.transform(&train.instances).unwrap();
    let pipeline_fit = t.elapsed().as_secs_f64();

    let fit_logistic = |alphas: Vec<f64>| {
        let t = Instant::now();
        let mut s = LogisticScorer::new(LogisticParams::new().alphas(alphas).check().unwrap());
        let d = TrainingData::new(
            x_train.values.view(),
            &x_train.names,
            &y_train,
            &groups,
            &train.created_at,
        )
        .unwrap();
        s.fit(&d).unwrap();
        (s, t.elapsed().as_secs_f64())
    };
    let (logistic, logistic_fit) =
        fit_logistic(LogisticParams::new().check().unwrap().alphas().to_vec());
    let (single, single_fit) = fit_logistic(vec![1.0]);

    let t = Instant::now();
    let x_test = pipeline.transform(&test.instances).unwrap();
    let mut p = vec![0.0; test.len()];
    logistic.predict_into(x_test.values.view(), &mut p).unwrap();
    let score_time = t.elapsed().as_secs_f64();
    let auc = roc_auc(&p, &y_test).unwrap();
    single.predict_into(x_test.values.view(), &mut p).unwrap();
    let auc_single = roc_auc(&p, &y_test).unwrap();
    let col = x_test.column_index("tfidf_cosine.cosine").unwrap();
    let tfidf_auc = roc_auc(&x_test.values.column(col).to_vec(), &y_test).unwrap();

    // The forest takes minutes at this size; ROCKETMAT_FOREST_ROWS caps its training rows.
    let forest_rows = std::env::var("ROCKETMAT_FOREST_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000usize)
        .min(train.len());
    let xf = x_train
        .values
        .slice_axis(ndarray::Axis(0), ndarray::Slice::from(train.len() - forest_rows..))
        .to_owned();
    let t = Instant::now();
    let mut forest = ForestScorer::new(ForestParams::new().seed(1).check().unwrap());
    let from = train.len() - forest_rows;
    let d = TrainingData::new(
        xf.view(),
        &x_train.names,
        &y_train[from..],
        &groups[from..],
        &train.created_at[from..],
    )
    .unwrap();
    forest.fit(&d).unwrap();
    let forest_fit = t.elapsed().as_secs_f64();
    forest.predict_into(x_test.values.view(), &mut p).unwrap();
    let forest_auc = roc_auc(&p, &y_test).unwrap();

    write_csv(&dir.join("train.csv"), &x_train.names, &x_train.values, &y_train, &train.instances);
    write_csv(&dir.join("test.csv"), &x_test.names, &x_test.values, &y_test, &test.instances);
    let report = serde_json_like(&[
        ("train_rows", train.len() as f64),
        ("test_rows", test.len() as f64),
        ("pipeline_fit_s", pipeline_fit),
        ("logistic_fit_s", logistic_fit),
        ("logistic_single_alpha_fit_s", single_fit),
        ("score_s", score_time),
        ("auc", auc),
        ("auc_single_alpha", auc_single),
        ("tfidf_auc", tfidf_auc),
        ("forest_train_rows", forest_rows as f64),
        ("forest_fit_s", forest_fit),
        ("forest_auc", forest_auc),
        ("chosen_alpha", logistic.chosen_alpha().unwrap_or(f64::NAN)),
    ]);
    std::fs::write(dir.join("rust.json"), &report).unwrap();
    println!("{report}");
}

fn serde_json_like(pairs: &[(&str, f64)]) -> String {
    let body: Vec<String> = pairs.iter().map(|(k, v)| format!("  \"{k}\": {v}")).collect();
    format!("{{\n{}\n}}", body.join(",\n"))
}
