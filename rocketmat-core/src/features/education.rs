//! Highest completed education level, as known at the application's creation, against the
//! job's stated minimum.

use ndarray::ArrayViewMut2;

use super::skills::indicator;
use super::{FeatureExtractor, InputField, Instance, check_shape};
use crate::domain::{AsOf, EducationLevel};
use crate::error::Result;

/// Education level against the requirement.
///
/// Only degrees completed by the application's creation count (started by then and not ending
/// after it; an unknown end date counts as completed). Degrees of [`EducationLevel::Unknown`]
/// cannot be placed and count as missing.
///
/// | Column | Meaning |
/// |---|---|
/// | `education.level` | highest completed rank / 5; 0 when missing |
/// | `education.meets` | 1 when the highest level ≥ the required one; 0 when either is missing |
/// | `education.difference` | (highest − required rank) / 5, in −1..=1; 0 when either is missing |
/// | `education.required_missing` | 1 when the job states no minimum |
/// | `education.candidate_missing` | 1 when no placeable completed degree is known |
#[derive(Debug, Clone, Copy, Default)]
pub struct EducationMatch;

impl EducationMatch {
    /// The extractor's name.
    pub const NAME: &'static str = "education";

    /// The highest completed, placeable education level of a candidate view.
    pub fn highest(view: &AsOf<'_>) -> Option<EducationLevel> {
        view.completed_educations().map(|e| e.level).filter(|l| l.rank().is_some()).max()
    }
}

impl FeatureExtractor for EducationMatch {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        ["level", "meets", "difference", "required_missing", "candidate_missing"]
            .iter()
            .map(|c| format!("{}.{c}", Self::NAME))
            .collect()
    }

    fn fit(&mut self, _instances: &[Instance<'_>]) -> Result<()> {
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        check_shape(&out, instances.len(), 5)?;
        let max = f64::from(EducationLevel::MAX_RANK);
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let have = Self::highest(&inst.candidate_as_of()).and_then(EducationLevel::rank);
            let need = inst.job.requirements.min_education.and_then(EducationLevel::rank);
            let (meets, difference) = match (have, need) {
                (Some(h), Some(n)) => (indicator(h >= n), (f64::from(h) - f64::from(n)) / max),
                _ => (0.0, 0.0),
            };
            row[0] = have.map_or(0.0, |h| f64::from(h) / max);
            row[1] = meets;
            row[2] = difference;
            row[3] = indicator(need.is_none());
            row[4] = indicator(have.is_none());
        }
        Ok(())
    }

    fn width(&self) -> usize {
        5
    }

    fn inputs(&self) -> &'static [InputField] {
        &[
            InputField::JobRequirements,
            InputField::CandidateEducationLevels,
            InputField::ApplicationCreatedAt,
        ]
    }
}
