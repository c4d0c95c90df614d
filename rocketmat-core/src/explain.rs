//! Per-score explanations, built from the model that produced the score.
//!
//! An [`Explanation`] is computed from the scorer's own [`Attribution`]: for the logistic
//! scorer each contribution is coefficient × standardised feature value, and
//! `base + Σ shown contributions + rest = logit` holds exactly, so what a candidate is told is
//! what the model did (the Dun & Bradstreet standard), not a story written afterwards. Matched
//! and missing requirements come from the skill-coverage extractor. The summary sentence names
//! features and required skills only, never personal data.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::scoring::{Attribution, AttributionMethod, rating_from_probability};

/// One feature's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureContribution {
    /// Feature (column) name.
    pub feature: String,
    /// The feature's raw value for this application.
    pub value: f64,
    /// Contribution to the logit (positive raises the rating).
    pub contribution: f64,
}

/// Why an application got its rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The model that produced the score: its training-data fingerprint, set by
    /// [`crate::model::CompanyModel::score`] (`None` when built outside a model).
    pub model_id: Option<String>,
    /// Name of the scorer that produced the score.
    pub scorer: String,
    /// Its version.
    pub scorer_version: u32,
    /// Whether the contributions are exact.
    pub method: AttributionMethod,
    /// The 0–100 rating.
    pub rating: u8,
    /// The calibrated probability.
    pub probability: f64,
    /// The uncalibrated logit the contributions add up to.
    pub logit: f64,
    /// The logit with every feature at its training mean (the intercept).
    pub base: f64,
    /// The largest positive contributions, largest first.
    pub top_positive: Vec<FeatureContribution>,
    /// The largest negative contributions, most negative first.
    pub top_negative: Vec<FeatureContribution>,
    /// Sum of all contributions not listed above, so that for exact attributions
    /// `base + listed + rest = logit`.
    pub rest: f64,
    /// Required skills the candidate shows.
    pub matched_requirements: Vec<String>,
    /// Required skills the candidate does not show (missing data counts as missing).
    pub missing_requirements: Vec<String>,
    /// A plain-language sentence.
    pub summary: String,
}

/// Inputs of [`Explanation::build`] besides the attribution.
#[derive(Debug, Clone, Copy)]
pub struct ExplanationContext<'a> {
    /// Scorer name.
    pub scorer: &'a str,
    /// Scorer version.
    pub scorer_version: u32,
    /// Feature names, in column order.
    pub names: &'a [String],
    /// This application's feature values, in column order.
    pub values: &'a [f64],
    /// Matched required skills.
    pub matched: &'a [String],
    /// Missing required skills.
    pub missing: &'a [String],
    /// How many contributions to list on each side.
    pub top_k: usize,
}

impl Explanation {
    /// Builds the explanation of one score.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if names, values and contributions differ in length.
    ///
    /// # Examples
    /// ```
    /// use rocketmat_core::explain::{Explanation, ExplanationContext};
    /// use rocketmat_core::scoring::{Attribution, AttributionMethod};
    /// let att = Attribution {
    ///     method: AttributionMethod::Exact,
    ///     base: -1.0,
    ///     contributions: vec![1.5, -0.25],
    ///     logit: 0.25,
    ///     probability: 0.56,
    /// };
    /// let names = vec!["skill_coverage.ratio".to_owned(), "experience.gap".to_owned()];
    /// let ctx = ExplanationContext {
    ///     scorer: "logistic", scorer_version: 1, names: &names, values: &[0.8, 2.0],
    ///     matched: &["rust".to_owned()], missing: &[], top_k: 3,
    /// };
    /// let e = Explanation::build(&att, &ctx).unwrap();
    /// assert_eq!(e.rating, 56);
    /// assert_eq!(e.top_positive[0].feature, "skill_coverage.ratio");
    /// assert!(e.summary.starts_with("Rated 56/100"));
    /// ```
    pub fn build(attribution: &Attribution, ctx: &ExplanationContext<'_>) -> Result<Self> {
        let n = attribution.contributions.len();
        for (what, found) in
            [("feature names", ctx.names.len()), ("feature values", ctx.values.len())]
        {
            if found != n {
                return Err(Error::ShapeMismatch { what, expected: n, found });
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        // Largest magnitude first; ties by column order so explanations are deterministic.
        order.sort_by(|&a, &b| {
            let (ca, cb) = (attribution.contributions[a], attribution.contributions[b]);
            cb.abs().total_cmp(&ca.abs()).then(a.cmp(&b))
        });
        let item = |j: usize| FeatureContribution {
            feature: ctx.names[j].clone(),
            value: ctx.values[j],
            contribution: attribution.contributions[j],
        };
        let top_positive: Vec<FeatureContribution> = order
            .iter()
            .copied()
            .filter(|&j| attribution.contributions[j] > 0.0)
            .take(ctx.top_k)
            .map(item)
            .collect();
        let top_negative: Vec<FeatureContribution> = order
            .iter()
            .copied()
            .filter(|&j| attribution.contributions[j] < 0.0)
            .take(ctx.top_k)
            .map(item)
            .collect();
        let listed: f64 = top_positive.iter().chain(&top_negative).map(|c| c.contribution).sum();
        let total: f64 = attribution.contributions.iter().sum();
        let rating = rating_from_probability(attribution.probability);
        let summary = sentence(rating, &top_positive, &top_negative, ctx.matched, ctx.missing);
        Ok(Self {
            model_id: None,
            scorer: ctx.scorer.to_owned(),
            scorer_version: ctx.scorer_version,
            method: attribution.method,
            rating,
            probability: attribution.probability,
            logit: attribution.logit,
            base: attribution.base,
            top_positive,
            top_negative,
            rest: total - listed,
            matched_requirements: ctx.matched.to_vec(),
            missing_requirements: ctx.missing.to_vec(),
            summary,
        })
    }
}

fn list(items: &[FeatureContribution]) -> String {
    items
        .iter()
        .map(|c| format!("{} ({:+.2})", c.feature, c.contribution))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sentence(
    rating: u8,
    up: &[FeatureContribution],
    down: &[FeatureContribution],
    matched: &[String],
    missing: &[String],
) -> String {
    let mut s = format!("Rated {rating}/100.");
    if !up.is_empty() {
        let _ = write!(s, " Raised most by {}.", list(up));
    }
    if !down.is_empty() {
        let _ = write!(s, " Lowered most by {}.", list(down));
    }
    let required = matched.len() + missing.len();
    if required == 0 {
        s.push_str(" The job states no required skills.");
    } else {
        let _ = write!(s, " Shows {} of {required} required skills", matched.len());
        if matched.is_empty() {
            s.push('.');
        } else {
            let _ = write!(s, " ({}).", matched.join(", "));
        }
        if !missing.is_empty() {
            let _ = write!(s, " Not shown: {}.", missing.join(", "));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_plus_rest_reproduces_the_logit() {
        let att = Attribution {
            method: AttributionMethod::Exact,
            base: 0.3,
            contributions: vec![0.5, -0.2, 0.1, -0.7, 0.05],
            logit: 0.3 + 0.5 - 0.2 + 0.1 - 0.7 + 0.05,
            probability: 0.5,
        };
        let names: Vec<String> = (0..5).map(|i| format!("f{i}")).collect();
        let ctx = ExplanationContext {
            scorer: "logistic",
            scorer_version: 1,
            names: &names,
            values: &[1.0; 5],
            matched: &[],
            missing: &["go".to_owned()],
            top_k: 1,
        };
        let e = Explanation::build(&att, &ctx).unwrap();
        assert_eq!(e.top_positive.len(), 1);
        assert_eq!(e.top_positive[0].feature, "f0");
        assert_eq!(e.top_negative[0].feature, "f3");
        let listed: f64 =
            e.top_positive.iter().chain(&e.top_negative).map(|c| c.contribution).sum();
        assert!((e.base + listed + e.rest - e.logit).abs() < 1e-12);
        assert!(e.summary.contains("Shows 0 of 1 required skills. Not shown: go."));
        let bad = ExplanationContext { values: &[1.0], ..ctx };
        assert!(Explanation::build(&att, &bad).is_err());
    }
}
