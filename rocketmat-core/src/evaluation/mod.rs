//! Evaluation: metrics, splits and the report that sets a model beside its baselines.
//!
//! Every figure a model card or a customer sees comes from here: ROC AUC, PR AUC (average
//! precision), NDCG@k per job and the Brier score, on a time split (train older, test newer)
//! and under grouped-by-job cross-validation, each beside two baselines computed in the same
//! run: the TF-IDF cosine feature alone and the base rate.

pub mod metrics;
mod report;
pub mod split;

pub use report::{
    Comparison, CrossValidation, EvaluationConfig, EvaluationReport, Metrics, evaluate,
};
