//! Years of professional experience, as known at the application's creation, against the
//! job's stated minimum.

use chrono::NaiveDate;
use ndarray::ArrayViewMut2;

use super::skills::indicator;
use super::{FeatureExtractor, InputField, Instance, check_shape};
use crate::domain::AsOf;
use crate::error::Result;

/// Experience beyond this many years adds nothing and is capped.
const MAX_YEARS: f64 = 50.0;

/// The ratio to the requirement is capped here, so one veteran does not dominate the scale.
const MAX_RATIO: f64 = 3.0;

/// Years of experience against the requirement.
///
/// Experience is the union of the candidate's employment intervals that had started by the
/// application's creation (overlapping jobs count once); an ongoing or later end reads as the
/// creation day. Employments without a start date cannot be measured and are left out.
///
/// | Column | Meaning |
/// |---|---|
/// | `experience.years` | years of experience, capped at 50; 0 when missing |
/// | `experience.ratio` | years / required years, capped at 3; 0 when either is missing |
/// | `experience.meets` | 1 when years ≥ required; 0 when either is missing |
/// | `experience.required_missing` | 1 when the job states no minimum |
/// | `experience.candidate_missing` | 1 when no dated employment is known |
#[derive(Debug, Clone, Copy, Default)]
pub struct ExperienceMatch;

impl ExperienceMatch {
    /// The extractor's name.
    pub const NAME: &'static str = "experience";

    /// Years of experience of a candidate view, `None` when no dated employment is known.
    pub fn years(view: &AsOf<'_>) -> Option<f64> {
        let intervals = merged_intervals(view);
        if intervals.is_empty() {
            return None;
        }
        let days: i64 = intervals.iter().map(|(s, e)| (*e - *s).num_days()).sum();
        Some((days_to_f64(days) / 365.25).min(MAX_YEARS))
    }
}

/// The candidate's dated employment intervals as of the view, merged where they overlap and
/// sorted by start. Ends are clamped to the view's day.
pub(crate) fn merged_intervals(view: &AsOf<'_>) -> Vec<(NaiveDate, NaiveDate)> {
    let mut spans: Vec<(NaiveDate, NaiveDate)> = view
        .employments()
        .filter_map(|e| {
            let start = e.start?;
            let end = view.clamp_end(e.end);
            // An end before the start is a data-entry error: count the job as zero-length.
            Some((start, end.max(start)))
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Day counts here are bounded by the calendar range of `NaiveDate` (about 2^28), far inside
/// the exactly representable range of `f64`.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn days_to_f64(days: i64) -> f64 {
    days as f64
}

impl FeatureExtractor for ExperienceMatch {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        ["years", "ratio", "meets", "required_missing", "candidate_missing"]
            .iter()
            .map(|c| format!("{}.{c}", Self::NAME))
            .collect()
    }

    fn fit(&mut self, _instances: &[Instance<'_>]) -> Result<()> {
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        check_shape(&out, instances.len(), 5)?;
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let years = Self::years(&inst.candidate_as_of());
            let required = inst.job.requirements.min_years.filter(|y| y.is_finite() && *y > 0.0);
            let (ratio, meets) = match (years, required) {
                (Some(y), Some(r)) => ((y / r).min(MAX_RATIO), indicator(y >= r)),
                _ => (0.0, 0.0),
            };
            row[0] = years.unwrap_or(0.0);
            row[1] = ratio;
            row[2] = meets;
            row[3] = indicator(required.is_none());
            row[4] = indicator(years.is_none());
        }
        Ok(())
    }

    fn width(&self) -> usize {
        5
    }

    fn inputs(&self) -> &'static [InputField] {
        &[
            InputField::JobRequirements,
            InputField::CandidateEmploymentDates,
            InputField::ApplicationCreatedAt,
        ]
    }
}
