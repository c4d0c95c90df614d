//! Rocketmat's per-company candidate-matching model.

pub mod error;
pub use error::{Error, Result};
pub use ndarray;
// Extractor and scorer states are `serde_json::Value`s: re-exported so integrators
// implementing the traits use the same version.
pub use serde_json;
pub mod evaluation;
pub mod scoring;
pub mod dataset;
pub mod domain;
pub mod features;
pub mod labels;
pub mod requirements;
pub mod text;
pub mod audit;
pub mod explain;
pub mod model;
