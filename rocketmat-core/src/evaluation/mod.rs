//! Evaluation: metrics, splits and the report that sets a model beside its baselines.

pub mod metrics;
pub mod split;
