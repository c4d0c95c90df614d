//! The two built-in scorers on the same planted-signal company: both learn, the forest's state
//! round-trips, and parameters are validated.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names,
    reason = "test code: panics are failures, and the numbers are small"
)]

use chrono::{TimeZone, Utc};
use rocketmat_core::Error;
use rocketmat_core::evaluation::EvaluationConfig;
use rocketmat_core::features::FeaturePipeline;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::model::{CompanyModel, TrainingConfig};
use rocketmat_core::scoring::{
    AttributionMethod, ForestParams, ForestScorer, LogisticParams, LogisticScorer, ParamGuard,
};

fn config() -> TrainingConfig {
    TrainingConfig {
        created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
        evaluation: EvaluationConfig { folds: 0, ..EvaluationConfig::default() },
        ..TrainingConfig::default()
    }
}

#[test]
fn forest_and_logistic_both_learn_and_round_trip() {
    let company = SyntheticCompany::generate(1200, 10, 21);
    let instances = company.instances();
    let forest =
        ForestScorer::new(ForestParams::new().trees(25).max_depth(6).seed(3).check().unwrap());
    let fm = CompanyModel::train_with(
        FeaturePipeline::default_pipeline(),
        Box::new(forest),
        &instances,
        &company.outcomes,
        &config(),
    )
    .unwrap();
    let lm = CompanyModel::train(&instances, &company.outcomes, &config()).unwrap();
    let f_auc = fm.metadata().metrics.time_split.model.roc_auc.unwrap();
    let l_auc = lm.metadata().metrics.time_split.model.roc_auc.unwrap();
    eprintln!("time-split AUC: logistic {l_auc:.4}, forest {f_auc:.4}");
    assert!(f_auc > 0.62 && l_auc > 0.65, "forest {f_auc}, logistic {l_auc}");

    let bytes = fm.to_bytes().unwrap();
    let again = CompanyModel::from_bytes(&bytes).unwrap();
    assert_eq!(again.to_bytes().unwrap(), bytes);
    assert_eq!(again.rate(&instances[..40]).unwrap(), fm.rate(&instances[..40]).unwrap());
    let r = fm.score(&instances[..3]).unwrap();
    assert!(r.iter().all(|r| r.explanation.method == AttributionMethod::MeanReplacement));
}

#[test]
fn parameters_are_checked_with_clear_errors() {
    let err = LogisticParams::new().alphas(vec![1.0, -2.0]).check().unwrap_err();
    assert!(matches!(err, Error::InvalidParameter { name: "alphas", .. }));
    assert!(err.to_string().contains("-2"));
    assert!(LogisticParams::new().validation_fraction(0.9).check().is_err());
    assert!(LogisticParams::new().max_iterations(0).check().is_err());
    assert!(LogisticParams::new().gradient_tolerance(f64::NAN).check().is_err());
    assert!(ForestParams::new().trees(0).check().is_err());
    assert!(ForestParams::new().feature_proportion(1.5).check().is_err());
    let ok = LogisticScorer::new(LogisticParams::new().check().unwrap());
    assert!(ok.chosen_alpha().is_none());
}
