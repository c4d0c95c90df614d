#![doc = include_str!("../README.md")]

pub mod audit;
pub mod dataset;
pub mod domain;
pub mod error;
pub mod evaluation;
pub mod explain;
pub mod features;
pub mod labels;
pub mod model;
pub mod requirements;
pub mod scoring;
pub mod text;

pub use error::{Error, Result};
/// ndarray at the version linfa 0.8.1 needs (0.16): depend on this re-export, not on another
/// major version, or linfa's traits stop matching the arrays.
pub use ndarray;
/// Extractor and scorer states are `serde_json::Value`s: re-exported so integrators
/// implementing the traits use the same version.
pub use serde_json;
