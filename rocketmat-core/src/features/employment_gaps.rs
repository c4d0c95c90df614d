//! Gaps in the employment history, as known at the application's creation.
//!
//! Employment gaps can correlate with caregiving, illness or disability, so this extractor is
//! a candidate for the proxy check: the bias audit reports how well the features predict each
//! protected attribute, and a deployer can remove this extractor from the pipeline.

use ndarray::ArrayViewMut2;

use super::experience::{days_to_f64, merged_intervals};
use super::skills::indicator;
use super::{FeatureExtractor, InputField, Instance, check_shape};
use crate::error::Result;

/// Gaps are measured in months (30.44 days) and capped at ten years.
const MAX_MONTHS: f64 = 120.0;
const DAYS_PER_MONTH: f64 = 30.44;

/// Employment gaps.
///
/// | Column | Meaning |
/// |---|---|
/// | `employment_gaps.longest_months` | longest gap between two dated employments, capped at 120; 0 when missing |
/// | `employment_gaps.current_months` | months from the last employment's end to the application; 0 when employed or missing |
/// | `employment_gaps.missing` | 1 when no dated employment is known |
#[derive(Debug, Clone, Copy, Default)]
pub struct EmploymentGaps;

impl EmploymentGaps {
    /// The extractor's name.
    pub const NAME: &'static str = "employment_gaps";
}

fn months(days: i64) -> f64 {
    (days_to_f64(days.max(0)) / DAYS_PER_MONTH).min(MAX_MONTHS)
}

impl FeatureExtractor for EmploymentGaps {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        ["longest_months", "current_months", "missing"]
            .iter()
            .map(|c| format!("{}.{c}", Self::NAME))
            .collect()
    }

    fn fit(&mut self, _instances: &[Instance<'_>]) -> Result<()> {
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        check_shape(&out, instances.len(), 3)?;
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let view = inst.candidate_as_of();
            let spans = merged_intervals(&view);
            let longest =
                spans.windows(2).map(|w| (w[1].0 - w[0].1).num_days()).max().map_or(0.0, months);
            let current =
                spans.last().map_or(0.0, |(_, end)| months((view.day() - *end).num_days()));
            row[0] = longest;
            row[1] = current;
            row[2] = indicator(spans.is_empty());
        }
        Ok(())
    }

    fn width(&self) -> usize {
        3
    }

    fn inputs(&self) -> &'static [InputField] {
        &[InputField::CandidateEmploymentDates, InputField::ApplicationCreatedAt]
    }
}
