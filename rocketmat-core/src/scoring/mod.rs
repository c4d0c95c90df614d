//! Scorers: turn a feature matrix into calibrated probabilities, 0–100 ratings and faithful
//! attributions.
//!
//! A [`Scorer`] is fitted on a [`TrainingData`] view (features, names, labels, job groups and
//! creation times), scores a batch of rows and explains one row. Its fitted state serialises to
//! JSON for the model artifact. Two built-ins: [`LogisticScorer`] (the default, whose
//! explanations are exact) and [`ForestScorer`] (a random forest, kept for comparison; see its
//! docs for the benchmark result).
//!
//! Calibration: both built-ins map their raw output to a probability with Platt scaling fitted
//! on a time-ordered validation split. Platt was chosen over isotonic regression because
//! company histories are small (hundreds of labelled applications): a two-parameter sigmoid
//! cannot overfit a validation set of that size, it is strictly monotone (so calibration never
//! reorders candidates or creates ties), and for the linear model it keeps the whole score a
//! linear function of the features, so explanations stay exact.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

mod forest;
mod logistic;

use std::fmt::Debug;

use chrono::{DateTime, Utc};
use ndarray::{Array1, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

pub use forest::{ForestParams, ForestScorer, ForestValidParams};
pub use linfa::ParamGuard;
pub use logistic::{LogisticParams, LogisticScorer, LogisticValidParams};

use crate::error::{Error, Result};

/// A borrowed view of labelled training rows.
#[derive(Debug, Clone, Copy)]
pub struct TrainingData<'a> {
    /// One row per application, one column per feature.
    pub features: ArrayView2<'a, f64>,
    /// Column names, as many as `features` has columns.
    pub names: &'a [String],
    /// Outcome per row (`true` = positive).
    pub labels: &'a [bool],
    /// Job id per row (for grouped cross-validation and NDCG).
    pub groups: &'a [u64],
    /// Application creation time per row (for time-ordered splits).
    pub times: &'a [DateTime<Utc>],
}

impl<'a> TrainingData<'a> {
    /// Checks that all parts agree in length and every feature is finite.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] or [`Error::NonFinite`].
    pub fn new(
        features: ArrayView2<'a, f64>,
        names: &'a [String],
        labels: &'a [bool],
        groups: &'a [u64],
        times: &'a [DateTime<Utc>],
    ) -> Result<Self> {
        let n = features.nrows();
        let checks = [
            ("feature names", features.ncols(), names.len()),
            ("labels", n, labels.len()),
            ("groups", n, groups.len()),
            ("times", n, times.len()),
        ];
        for (what, expected, found) in checks {
            if expected != found {
                return Err(Error::ShapeMismatch { what, expected, found });
            }
        }
        if let Some(row) =
            features.rows().into_iter().position(|r| r.iter().any(|v| !v.is_finite()))
        {
            return Err(Error::NonFinite { what: "training features", row });
        }
        Ok(Self { features, names, labels, groups, times })
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Number of positive labels.
    pub fn positives(&self) -> usize {
        self.labels.iter().filter(|&&l| l).count()
    }
}

/// How an [`Attribution`] relates to the model's output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttributionMethod {
    /// `base + Σ contributions` equals the model's logit exactly (linear models).
    Exact,
    /// Each contribution is the change in logit when the feature is set to its training mean;
    /// they need not sum to the output (non-linear models).
    MeanReplacement,
}

/// Per-feature contributions to one score, in logit units (before calibration).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attribution {
    /// How the contributions were computed.
    pub method: AttributionMethod,
    /// The model's output with every feature at its training mean (the intercept for the
    /// linear model).
    pub base: f64,
    /// One contribution per feature, in feature order.
    pub contributions: Vec<f64>,
    /// The uncalibrated logit of this row.
    pub logit: f64,
    /// The calibrated probability of this row.
    pub probability: f64,
}

/// One scored row.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Calibrated probability of a positive outcome, in `[0, 1]`.
    pub probability: f64,
    /// The probability as a 0–100 rating.
    pub rating: u8,
}

/// Converts a probability to a 0–100 rating (rounded; NaN maps to 0, never to a middling value).
///
/// # Examples
/// ```
/// use rocketmat_core::scoring::rating_from_probability;
/// assert_eq!(rating_from_probability(0.734), 73);
/// assert_eq!(rating_from_probability(1.5), 100);
/// ```
pub fn rating_from_probability(p: f64) -> u8 {
    if p.is_nan() {
        return 0;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let r = (p.clamp(0.0, 1.0) * 100.0).round() as u8;
    r
}

/// A model that learns from labelled feature rows and scores new ones.
///
/// Implementations must be deterministic (seeded) and must not allocate per row when scoring.
/// See `examples/custom_scorer.rs` for an integrator's implementation.
pub trait Scorer: Send + Sync + Debug {
    /// Stable name, stored in the model artifact.
    fn name(&self) -> &str;

    /// Version of the scorer's algorithm and state format; bump it when either changes.
    fn version(&self) -> u32;

    /// Fits on labelled rows.
    ///
    /// # Errors
    /// Implementation-specific; typically [`Error::SingleClass`] or a linfa error.
    fn fit(&mut self, data: &TrainingData<'_>) -> Result<()>;

    /// Writes the calibrated probability of each row of `features` into `out`.
    ///
    /// # Errors
    /// [`Error::NotFitted`], [`Error::ShapeMismatch`] or [`Error::NonFinite`].
    fn predict_into(&self, features: ArrayView2<'_, f64>, out: &mut [f64]) -> Result<()>;

    /// Explains the score of one row.
    ///
    /// # Errors
    /// As [`Scorer::predict_into`].
    fn attribute(&self, row: ArrayView1<'_, f64>) -> Result<Attribution>;

    /// The fitted state (and parameters) as JSON for the artifact.
    fn state(&self) -> serde_json::Value;

    /// Restores a state produced by [`Scorer::state`].
    ///
    /// # Errors
    /// [`Error::Serialization`] if the JSON does not match.
    fn load_state(&mut self, state: &serde_json::Value) -> Result<()>;

    /// A fresh, unfitted scorer with the same parameters (used by cross-validation).
    fn unfitted(&self) -> Box<dyn Scorer>;

    /// Scores a batch: probability and rating per row.
    ///
    /// # Errors
    /// As [`Scorer::predict_into`].
    fn score(&self, features: ArrayView2<'_, f64>) -> Result<Vec<Score>> {
        let mut p = vec![0.0; features.nrows()];
        self.predict_into(features, &mut p)?;
        Ok(p.into_iter()
            .map(|probability| Score { probability, rating: rating_from_probability(probability) })
            .collect())
    }
}

/// Numerically safe logistic function.
pub(crate) fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Column means and scales for standardisation; constant columns get scale 1 so they stay 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Standardizer {
    pub(crate) mean: Vec<f64>,
    pub(crate) scale: Vec<f64>,
}

impl Standardizer {
    pub(crate) fn fit(x: ArrayView2<'_, f64>) -> Self {
        let mean = x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(x.ncols()));
        let scale: Vec<f64> = x
            .axis_iter(Axis(1))
            .zip(&mean)
            .map(|(col, &m)| {
                let var =
                    col.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / col.len().max(1) as f64;
                let sd = var.sqrt();
                if sd > 1e-12 { sd } else { 1.0 }
            })
            .collect();
        Self { mean: mean.to_vec(), scale }
    }

    pub(crate) fn transform(&self, x: ArrayView2<'_, f64>) -> ndarray::Array2<f64> {
        let mut out = x.to_owned();
        for (mut col, (m, s)) in out.axis_iter_mut(Axis(1)).zip(self.mean.iter().zip(&self.scale)) {
            col.mapv_inplace(|v| (v - m) / s);
        }
        out
    }
}

/// Fits binary logistic regression with linfa and returns `(weights, intercept)` such that
/// `sigmoid(x·w + b)` is the probability of `true`.
///
/// linfa-logistic 0.8.1 takes the MORE FREQUENT label as its positive class, so with rare
/// positives its raw parameters predict the probability of `false`; the class it chose is read
/// back from `labels()` and the parameters are negated when it is `false`. The unit test
/// `positive_class_direction_is_pinned` fails if a linfa upgrade changes this behaviour.
pub(crate) fn fit_binary_logistic(
    x: ArrayView2<'_, f64>,
    y: &[bool],
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
) -> Result<(Array1<f64>, f64)> {
    fit_binary_logistic_from(x, y, alpha, max_iterations, gradient_tolerance, None)
}

/// As [`fit_binary_logistic`], starting L-BFGS from `start` (weights and intercept for
/// P(`true`)) when given: a warm start from a nearby solution saves most iterations.
pub(crate) fn fit_binary_logistic_from(
    x: ArrayView2<'_, f64>,
    y: &[bool],
    alpha: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
    start: Option<(&Array1<f64>, f64)>,
) -> Result<(Array1<f64>, f64)> {
    use linfa::prelude::{Fit, ParamGuard};
    use linfa_logistic::LogisticRegression;

    let positives = y.iter().filter(|&&l| l).count();
    if positives == 0 || positives == y.len() {
        return Err(Error::SingleClass { class: positives > 0 });
    }
    let dataset = linfa::DatasetBase::new(x, Array1::from(y.to_vec()));
    let mut params = LogisticRegression::<f64>::default()
        .alpha(alpha)
        .max_iterations(max_iterations)
        .gradient_tolerance(gradient_tolerance);
    if let Some((w, b)) = start.filter(|(w, _)| w.len() == x.ncols()) {
        // linfa's parameters are for the class it calls positive (the more frequent one,
        // ties by first appearance), so the start is negated when that class is `false`.
        let negatives = y.len() - positives;
        let linfa_positive = positives > negatives || (positives == negatives && y[0]);
        let sign = if linfa_positive { 1.0 } else { -1.0 };
        let init: Array1<f64> = w.iter().chain(std::iter::once(&b)).map(|v| v * sign).collect();
        params = params.initial_params(init);
    }
    let fitted = params.check().map_err(Error::Logistic)?.fit(&dataset).map_err(Error::Logistic)?;
    let (w, b) = (fitted.params().clone(), fitted.intercept());
    if fitted.labels().pos.class { Ok((w, b)) } else { Ok((-w, -b)) }
}

/// Platt scaling: `p = sigmoid(a · z + c)` fitted on held-out raw logits `z`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Platt {
    pub(crate) a: f64,
    pub(crate) c: f64,
}

impl Platt {
    pub(crate) const IDENTITY: Self = Self { a: 1.0, c: 0.0 };

    #[allow(clippy::many_single_char_names, reason = "conventional notation of the formula")]
    /// Fits on validation logits; falls back to the identity when the validation split lacks a
    /// class (then there is nothing to calibrate against).
    pub(crate) fn fit(z: &[f64], y: &[bool]) -> Result<Self> {
        let positives = y.iter().filter(|&&l| l).count();
        if positives == 0 || positives == y.len() {
            tracing::debug!(rows = y.len(), positives, "platt: single-class validation split");
            return Ok(Self::IDENTITY);
        }
        let x = ndarray::Array2::from_shape_vec((z.len(), 1), z.to_vec())
            .map_err(|e| Error::InvalidInput(format!("platt input: {e}")))?;
        // A tiny ridge keeps the fit finite when the validation logits separate the classes.
        let (w, b) = fit_binary_logistic(x.view(), y, 1e-3, 200, 1e-8)?;
        // A non-positive slope would reverse the ranking; keep the order of the scorer then.
        if w[0] > 0.0 { Ok(Self { a: w[0], c: b }) } else { Ok(Self::IDENTITY) }
    }

    pub(crate) fn apply(self, z: f64) -> f64 {
        sigmoid(self.a * z + self.c)
    }
}

/// Splits row indices by time into (fit, validation), the newest `fraction` validating. With
/// too few rows for both sides, everything is used for fitting and validation is empty.
pub(crate) fn validation_split(times: &[DateTime<Utc>], fraction: f64) -> (Vec<usize>, Vec<usize>) {
    match crate::evaluation::split::time_split(times, fraction) {
        Ok(s) => (s.train, s.test),
        Err(_) => ((0..times.len()).collect(), Vec::new()),
    }
}

/// Checks the number of columns of a batch against the fitted width.
pub(crate) fn check_width(found: usize, expected: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::ShapeMismatch { what: "feature columns", expected, found })
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T, context: &str) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_else(|e| {
        // Serialising plain structs of numbers cannot fail; keep a visible marker if it does.
        tracing::debug!(error = %e, context, "scorer state serialisation failed");
        serde_json::Value::Null
    })
}

pub(crate) fn from_json<T: for<'de> Deserialize<'de>>(
    value: &serde_json::Value,
    context: &str,
) -> Result<T> {
    T::deserialize(value)
        .map_err(|source| Error::Serialization { context: context.to_owned(), source })
}

#[cfg(test)]
mod tests {
    use ndarray::array;

    use super::*;

    #[test]
    fn positive_class_direction_is_pinned() {
        // Rare positives (2 of 8) with high feature values: linfa 0.8.1 would call `false` the
        // positive class. After our flip, a higher feature must mean a higher P(true).
        let x = array![[0.0], [0.1], [0.2], [0.3], [0.4], [0.5], [2.0], [2.2]];
        let y = [false, false, false, false, false, false, true, true];
        let (w, b) = fit_binary_logistic(x.view(), &y, 0.1, 200, 1e-6).unwrap();
        assert!(w[0] > 0.0, "weight should be positive, got {}", w[0]);
        assert!(sigmoid(w[0] * 2.1 + b) > 0.5);
        assert!(sigmoid(w[0] * 0.1 + b) < 0.5);
        // And with frequent positives the direction is the same.
        let y2 = [false, false, true, true, true, true, true, true];
        let (w2, _) = fit_binary_logistic(x.view(), &y2, 0.1, 200, 1e-6).unwrap();
        assert!(w2[0] > 0.0);
    }

    #[test]
    fn ratings_are_clamped_and_rounded() {
        assert_eq!(rating_from_probability(0.0), 0);
        assert_eq!(rating_from_probability(0.005), 1);
        assert_eq!(rating_from_probability(-1.0), 0);
        assert_eq!(rating_from_probability(f64::NAN), 0);
    }

    #[test]
    fn sigmoid_is_stable() {
        assert!((sigmoid(0.0) - 0.5).abs() < 1e-15);
        assert!(sigmoid(-1000.0) >= 0.0 && sigmoid(1000.0) <= 1.0);
    }
}
