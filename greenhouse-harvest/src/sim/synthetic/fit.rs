//! The planted fit function that decides the synthetic outcomes, and the ROC AUC used to report
//! how well the true probabilities separate the drawn labels.
//!
//! For an application of a candidate to a job, with
//!
//! - `coverage` = the share of the job's required skills among the candidate's skill tags
//!   (0 to 1),
//! - `gap_y` = the candidate's years of professional experience at the time of applying (from
//!   the employment history) minus the years the job post asks for,
//! - `gap_e` = the candidate's highest degree level minus the level the post asks for (levels:
//!   0 none, 1 High School, 2 Associate, 3 Bachelor, 4 Master, 5 `PhD`; no requirement is 0),
//! - `bar` = a per-job strictness offset drawn once per job from N(0, `job_bar_sd`),
//!
//! the probability of the positive outcome ("advanced past Application Review, or hired") is
//!
//! ```text
//! z = intercept
//!   + coverage_weight * (coverage - 0.5)
//!   + years_short_weight * min(gap_y, 0)          (each missing year costs a lot)
//!   + years_over_weight  * min(max(gap_y, 0), 5)  (extra years help a little, up to five)
//!   + education_short_weight * min(gap_e, 0)
//!   + education_over_weight  * min(max(gap_e, 0), 2)
//!   + bar
//! p = 1 / (1 + exp(-z))
//! ```
//!
//! and the label is a Bernoulli draw from `p`: that draw is the noise. The Bayes-optimal
//! ranking scores applications by `p` itself, so the AUC of `p` against the drawn labels is the
//! best AUC any model of these facts can expect.

use serde::{Deserialize, Serialize};

/// The coefficients of the planted fit function (see the module docs for the formula).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitFunction {
    /// Constant term.
    pub intercept: f64,
    /// Weight of `coverage - 0.5`.
    pub coverage_weight: f64,
    /// Weight of the missing years (`min(gap_y, 0)`).
    pub years_short_weight: f64,
    /// Weight of the extra years (`min(max(gap_y, 0), 5)`).
    pub years_over_weight: f64,
    /// Weight of the missing degree levels.
    pub education_short_weight: f64,
    /// Weight of the extra degree levels (at most two count).
    pub education_over_weight: f64,
    /// Standard deviation of the per-job strictness offset.
    pub job_bar_sd: f64,
}

impl Default for FitFunction {
    fn default() -> Self {
        Self {
            intercept: -0.55,
            coverage_weight: 3.0,
            years_short_weight: 0.35,
            years_over_weight: 0.1,
            education_short_weight: 0.8,
            education_over_weight: 0.15,
            job_bar_sd: 0.25,
        }
    }
}

/// The job-relevant facts of one application.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FitInputs {
    /// Share of the job's required skills the candidate has, 0 to 1.
    pub coverage: f64,
    /// Candidate's years of experience minus the years required.
    pub years_gap: f64,
    /// Candidate's degree level minus the level required.
    pub education_gap: i32,
    /// The job's strictness offset.
    pub job_bar: f64,
}

impl FitFunction {
    /// The log-odds of the positive outcome.
    pub fn logit(&self, x: &FitInputs) -> f64 {
        self.intercept
            + self.coverage_weight * (x.coverage - 0.5)
            + self.years_short_weight * x.years_gap.min(0.0)
            + self.years_over_weight * x.years_gap.clamp(0.0, 5.0)
            + self.education_short_weight * f64::from(x.education_gap.min(0))
            + self.education_over_weight * f64::from(x.education_gap.clamp(0, 2))
            + x.job_bar
    }

    /// The probability of the positive outcome.
    pub fn probability(&self, x: &FitInputs) -> f64 {
        1.0 / (1.0 + (-self.logit(x)).exp())
    }
}

/// ROC AUC of `scores` against `labels` (the Mann-Whitney statistic, ties counted half).
/// `None` when one class is empty.
// Counts stay far below 2^52, so converting them to f64 is exact.
#[allow(clippy::cast_precision_loss)]
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let mut pairs: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let positives = pairs.iter().filter(|(_, l)| *l).count();
    let negatives = pairs.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    // Sum of the positives' ranks, with tied scores sharing their average rank.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < pairs.len() {
        let mut j = i;
        while j < pairs.len() && pairs[j].0.total_cmp(&pairs[i].0).is_eq() {
            j += 1;
        }
        let average_rank = (i + j + 1) as f64 / 2.0;
        rank_sum += average_rank * pairs[i..j].iter().filter(|(_, l)| *l).count() as f64;
        i = j;
    }
    let p = positives as f64;
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * negatives as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_of_simple_rankings() {
        assert_eq!(roc_auc(&[0.1, 0.2, 0.8, 0.9], &[false, false, true, true]), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.8, 0.2, 0.1], &[false, false, true, true]), Some(0.0));
        assert_eq!(roc_auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(roc_auc(&[0.1, 0.4, 0.35, 0.8], &[false, true, false, true]), Some(1.0));
        assert_eq!(roc_auc(&[0.1, 0.2], &[true, true]), None);
    }

    #[test]
    fn the_fit_rewards_coverage_experience_and_education() {
        let fit = FitFunction::default();
        let base = FitInputs { coverage: 0.5, years_gap: 0.0, education_gap: 0, job_bar: 0.0 };
        let p = |x: FitInputs| fit.probability(&x);
        assert!(p(FitInputs { coverage: 1.0, ..base }) > p(base));
        assert!(p(FitInputs { years_gap: -3.0, ..base }) < p(base));
        assert!(p(FitInputs { years_gap: 3.0, ..base }) > p(base));
        assert!(p(FitInputs { education_gap: -1, ..base }) < p(base));
        // Extra years stop counting after five.
        let capped = p(FitInputs { years_gap: 5.0, ..base });
        assert!((p(FitInputs { years_gap: 20.0, ..base }) - capped).abs() < 1e-12);
    }
}
