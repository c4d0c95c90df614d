//! The sourcing strategy of an application (referral, agency, job board...), one-hot encoded
//! over a fitted, allow-listed vocabulary.

use std::collections::BTreeMap;

use ndarray::ArrayViewMut2;
use serde::{Deserialize, Serialize};

use super::skills::indicator;
use super::{FeatureExtractor, InputField, Instance, check_shape, parse_state};
use crate::error::Result;
use crate::text::normalise;

/// Greenhouse's standard sourcing strategies, normalised: the default allow-list. Only the
/// strategy is ever read, never a source's or referrer's name.
pub const DEFAULT_SOURCE_TYPES: &[&str] = &[
    "agencies",
    "candidate search",
    "company marketing",
    "internal applicant",
    "job board",
    "jobs page",
    "prospecting",
    "referral",
    "social media",
    "third party boards",
];

/// Fitted state: the source types that get their own column.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SourceState {
    /// Normalised source types, sorted.
    types: Vec<String>,
}

/// One-hot source type.
///
/// `fit` keeps the allow-listed types seen on at least `min_count` training applications; each
/// gets a column `source_type.<type>` (spaces as underscores). Column names therefore depend
/// on the fitted state: read [`FeatureExtractor::feature_names`] after fitting or loading.
///
/// | Column | Meaning |
/// |---|---|
/// | `source_type.<type>` | 1 when the application came through this strategy |
/// | `source_type.other` | 1 for a known but not fitted or not allow-listed type |
/// | `source_type.missing` | 1 when the application has no source type |
#[derive(Debug, Clone)]
pub struct SourceTypeOneHot {
    allowed: Vec<String>,
    min_count: usize,
    state: SourceState,
}

impl Default for SourceTypeOneHot {
    fn default() -> Self {
        let allowed: Vec<String> = DEFAULT_SOURCE_TYPES.iter().map(|s| (*s).to_owned()).collect();
        Self::new(&allowed, 5)
    }
}

impl SourceTypeOneHot {
    /// The extractor's name.
    pub const NAME: &'static str = "source_type";

    /// An extractor admitting only `allowed` types (normalised on the way in) seen at least
    /// `min_count` times in training.
    pub fn new(allowed: &[String], min_count: usize) -> Self {
        let mut allowed: Vec<String> = allowed.iter().map(|s| normalise(s)).collect();
        allowed.sort();
        allowed.dedup();
        Self { allowed, min_count: min_count.max(1), state: SourceState::default() }
    }

    /// The fitted types, in column order.
    pub fn types(&self) -> &[String] {
        &self.state.types
    }
}

impl FeatureExtractor for SourceTypeOneHot {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        self.state
            .types
            .iter()
            .map(|t| format!("{}.{}", Self::NAME, t.replace(' ', "_")))
            .chain(["other", "missing"].iter().map(|c| format!("{}.{c}", Self::NAME)))
            .collect()
    }

    fn fit(&mut self, instances: &[Instance<'_>]) -> Result<()> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for inst in instances {
            if let Some(src) = &inst.application.source_type {
                let n = normalise(src);
                if self.allowed.binary_search(&n).is_ok() {
                    *counts.entry(n).or_default() += 1;
                }
            }
        }
        self.state.types =
            counts.into_iter().filter(|(_, c)| *c >= self.min_count).map(|(t, _)| t).collect();
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        let k = self.state.types.len();
        check_shape(&out, instances.len(), k + 2)?;
        out.fill(0.0);
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            match &inst.application.source_type {
                None => row[k + 1] = 1.0,
                Some(src) if src.trim().is_empty() => row[k + 1] = 1.0,
                Some(src) => {
                    let n = normalise(src);
                    match self.state.types.binary_search(&n) {
                        Ok(i) => row[i] = 1.0,
                        Err(_) => row[k] = indicator(true),
                    }
                }
            }
        }
        Ok(())
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.state).unwrap_or(serde_json::Value::Null)
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let mut st: SourceState = parse_state(Self::NAME, state)?;
        st.types.sort();
        st.types.dedup();
        self.state = st;
        Ok(())
    }

    fn width(&self) -> usize {
        self.state.types.len() + 2
    }

    fn inputs(&self) -> &'static [InputField] {
        &[InputField::ApplicationSourceType]
    }
}
