//! Logistic regression on standardised features: the default scorer.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use ndarray::{Array1, ArrayView1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::{
    Attribution, AttributionMethod, Platt, Scorer, Standardizer, TrainingData, check_width,
    fit_binary_logistic_from, from_json, to_json, validation_split,
};
use crate::error::{Error, Result};

/// Validated parameters of [`LogisticScorer`].
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `alphas` | `[0.01, 0.1, 1, 10, 100]` | L2 penalties tried; the one with the lowest validation log loss wins (linfa's loss is a sum over rows, so `alpha` is comparable to scikit-learn's `1/C`) | non-empty, each finite and `>= 0` |
/// | `validation_fraction` | `0.2` | share of the newest training rows held out to choose `alpha` and fit the calibration | `(0, 0.5]` |
/// | `max_iterations` | `200` | L-BFGS iteration cap per fit | `>= 1` |
/// | `gradient_tolerance` | `1e-4` | L-BFGS stopping tolerance on the gradient norm, per training row (linfa's loss is a sum over rows, so the absolute tolerance passed to linfa is this times the row count) | finite, `> 0` |
/// | `calibrate` | `true` | fit Platt scaling on the validation split (otherwise the raw sigmoid is the probability) | — |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticValidParams {
    alphas: Vec<f64>,
    validation_fraction: f64,
    max_iterations: u64,
    gradient_tolerance: f64,
    calibrate: bool,
}

impl LogisticValidParams {
    /// The L2 penalties tried.
    pub fn alphas(&self) -> &[f64] {
        &self.alphas
    }
    /// The validation share.
    pub fn validation_fraction(&self) -> f64 {
        self.validation_fraction
    }
    /// The iteration cap.
    pub fn max_iterations(&self) -> u64 {
        self.max_iterations
    }
    /// The stopping tolerance.
    pub fn gradient_tolerance(&self) -> f64 {
        self.gradient_tolerance
    }
    /// Whether Platt calibration is fitted.
    pub fn calibrate(&self) -> bool {
        self.calibrate
    }
}

/// Unchecked parameters of [`LogisticScorer`]; see [`LogisticValidParams`] for the table.
///
/// # Examples
/// ```
/// use rocketmat_core::scoring::{LogisticParams, LogisticScorer};
/// use rocketmat_core::scoring::ParamGuard;
/// let params = LogisticParams::new().alphas(vec![0.1, 1.0]).check().unwrap();
/// let scorer = LogisticScorer::new(params);
/// assert!(LogisticParams::new().alphas(vec![]).check().is_err());
/// # let _ = scorer;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct LogisticParams(LogisticValidParams);

impl Default for LogisticParams {
    fn default() -> Self {
        Self::new()
    }
}

impl LogisticParams {
    /// Defaults as in the table.
    pub fn new() -> Self {
        Self(LogisticValidParams {
            alphas: vec![0.01, 0.1, 1.0, 10.0, 100.0],
            validation_fraction: 0.2,
            max_iterations: 200,
            gradient_tolerance: 1e-4,
            calibrate: true,
        })
    }
    /// Sets the L2 penalties to try.
    #[must_use]
    pub fn alphas(mut self, alphas: Vec<f64>) -> Self {
        self.0.alphas = alphas;
        self
    }
    /// Sets the validation share.
    #[must_use]
    pub fn validation_fraction(mut self, fraction: f64) -> Self {
        self.0.validation_fraction = fraction;
        self
    }
    /// Sets the iteration cap.
    #[must_use]
    pub fn max_iterations(mut self, n: u64) -> Self {
        self.0.max_iterations = n;
        self
    }
    /// Sets the stopping tolerance.
    #[must_use]
    pub fn gradient_tolerance(mut self, tol: f64) -> Self {
        self.0.gradient_tolerance = tol;
        self
    }
    /// Turns Platt calibration on or off.
    #[must_use]
    pub fn calibrate(mut self, on: bool) -> Self {
        self.0.calibrate = on;
        self
    }
}

impl linfa::ParamGuard for LogisticParams {
    type Checked = LogisticValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&LogisticValidParams> {
        let p = &self.0;
        if p.alphas.is_empty() {
            return Err(Error::InvalidParameter {
                name: "alphas",
                value: "[]".into(),
                reason: "at least one penalty is needed",
            });
        }
        if let Some(a) = p.alphas.iter().find(|a| !a.is_finite() || **a < 0.0) {
            return Err(Error::InvalidParameter {
                name: "alphas",
                value: a.to_string(),
                reason: "each penalty must be finite and >= 0",
            });
        }
        if !(p.validation_fraction > 0.0 && p.validation_fraction <= 0.5) {
            return Err(Error::InvalidParameter {
                name: "validation_fraction",
                value: p.validation_fraction.to_string(),
                reason: "must lie in (0, 0.5]",
            });
        }
        if p.max_iterations == 0 {
            return Err(Error::InvalidParameter {
                name: "max_iterations",
                value: "0".into(),
                reason: "must be at least 1",
            });
        }
        if !(p.gradient_tolerance.is_finite() && p.gradient_tolerance > 0.0) {
            return Err(Error::InvalidParameter {
                name: "gradient_tolerance",
                value: p.gradient_tolerance.to_string(),
                reason: "must be finite and > 0",
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<LogisticValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// The fitted part of a [`LogisticScorer`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Fitted {
    /// The penalty chosen on the validation split.
    alpha: f64,
    standardizer: Standardizer,
    /// Coefficients on standardised features.
    weights: Vec<f64>,
    intercept: f64,
    platt: Platt,
    /// `weights / scale`, so scoring is one dot product over the raw row.
    #[serde(skip)]
    raw_weights: Vec<f64>,
    /// `intercept - Σ raw_weights · mean`.
    #[serde(skip)]
    raw_intercept: f64,
}

impl Fitted {
    fn new(
        alpha: f64,
        standardizer: Standardizer,
        weights: Vec<f64>,
        intercept: f64,
        platt: Platt,
    ) -> Self {
        let mut f = Self {
            alpha,
            standardizer,
            weights,
            intercept,
            platt,
            raw_weights: Vec::new(),
            raw_intercept: 0.0,
        };
        f.derive();
        f
    }

    fn derive(&mut self) {
        self.raw_weights =
            self.weights.iter().zip(&self.standardizer.scale).map(|(w, s)| w / s).collect();
        self.raw_intercept = self.intercept
            - self.raw_weights.iter().zip(&self.standardizer.mean).map(|(w, m)| w * m).sum::<f64>();
    }

    fn logit(&self, row: ArrayView1<'_, f64>) -> f64 {
        // Rows of a standard-layout matrix are contiguous: a plain slice loop lets the
        // compiler vectorise; other layouts take the strided path.
        match row.as_slice() {
            Some(xs) => {
                self.raw_intercept
                    + xs.iter().zip(&self.raw_weights).map(|(x, w)| x * w).sum::<f64>()
            }
            None => {
                self.raw_intercept
                    + row.iter().zip(&self.raw_weights).map(|(x, w)| x * w).sum::<f64>()
            }
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct State {
    params: LogisticValidParams,
    fitted: Option<Fitted>,
}

/// L2-regularised logistic regression on standardised features (linfa-logistic), with the
/// penalty chosen on a time-ordered validation split and Platt calibration on that split.
///
/// Its attributions are exact: coefficient × standardised value per feature, summing with the
/// intercept to the logit.
#[derive(Debug, Clone)]
pub struct LogisticScorer {
    params: LogisticValidParams,
    fitted: Option<Fitted>,
}

impl Default for LogisticScorer {
    fn default() -> Self {
        Self::new(LogisticParams::new().0)
    }
}

impl LogisticScorer {
    /// Name stored in artifacts.
    pub const NAME: &'static str = "logistic";
    /// Version of the algorithm and state format.
    pub const VERSION: u32 = 1;

    /// An unfitted scorer.
    pub fn new(params: LogisticValidParams) -> Self {
        Self { params, fitted: None }
    }

    /// The chosen penalty, once fitted.
    pub fn chosen_alpha(&self) -> Option<f64> {
        self.fitted.as_ref().map(|f| f.alpha)
    }

    /// Coefficients on standardised features and the intercept, once fitted.
    pub fn coefficients(&self) -> Option<(&[f64], f64)> {
        self.fitted.as_ref().map(|f| (f.weights.as_slice(), f.intercept))
    }

    fn fitted(&self) -> Result<&Fitted> {
        self.fitted.as_ref().ok_or(Error::NotFitted { what: "logistic scorer" })
    }

    fn fit_rows(
        &self,
        x: ArrayView2<'_, f64>,
        y: &[bool],
        alpha: f64,
        start: Option<(&Array1<f64>, f64)>,
    ) -> Result<(Standardizer, Array1<f64>, f64)> {
        let standardizer = Standardizer::fit(x);
        let xs = standardizer.transform(x);
        // The loss is summed over rows, so its gradient grows with the row count; an absolute
        // tolerance would make large histories run to the iteration cap.
        let tolerance = self.params.gradient_tolerance * y.len().max(1) as f64;
        let (w, b) = fit_binary_logistic_from(
            xs.view(),
            y,
            alpha,
            self.params.max_iterations,
            tolerance,
            start,
        )?;
        Ok((standardizer, w, b))
    }
}

/// A fit on the alpha path: validation loss, alpha, validation logits, weights, intercept.
type Candidate = (f64, f64, Vec<f64>, Array1<f64>, f64);

fn log_loss(z: &[f64], y: &[bool]) -> f64 {
    z.iter()
        .zip(y)
        .map(|(&z, &y)| {
            // log(1 + e^{-s z}) computed stably, s = ±1.
            let m = if y { -z } else { z };
            if m > 0.0 { m + (-m).exp().ln_1p() } else { m.exp().ln_1p() }
        })
        .sum::<f64>()
        / z.len().max(1) as f64
}

fn logits(x: ArrayView2<'_, f64>, s: &Standardizer, w: &Array1<f64>, b: f64) -> Vec<f64> {
    let xs = s.transform(x);
    (xs.dot(w) + b).to_vec()
}

impl Scorer for LogisticScorer {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        Self::VERSION
    }

    fn fit(&mut self, data: &TrainingData<'_>) -> Result<()> {
        let (fit_idx, val_idx) = validation_split(data.times, self.params.validation_fraction);
        let pick = |idx: &[usize]| -> (ndarray::Array2<f64>, Vec<bool>) {
            (data.features.select(Axis(0), idx), idx.iter().map(|&i| data.labels[i]).collect())
        };
        let (x_fit, y_fit) = pick(&fit_idx);
        let (x_val, y_val) = pick(&val_idx);
        let val_usable = {
            let p = y_val.iter().filter(|&&l| l).count();
            p > 0 && p < y_val.len()
        };
        let fit_usable = {
            let p = y_fit.iter().filter(|&&l| l).count();
            p > 0 && p < y_fit.len()
        };

        // Choose alpha by validation log loss; ties keep the larger penalty (simpler model).
        let mut alpha = self.params.alphas[0];
        let mut platt = Platt::IDENTITY;
        let mut warm: Option<(Array1<f64>, f64)> = None;
        if val_usable && fit_usable {
            // Largest penalty first, each fit warm-started from the previous solution: the
            // path from strong to weak regularisation is smooth, so few iterations are needed.
            let mut best: Option<Candidate> = None;
            let mut previous: Option<(Array1<f64>, f64)> = None;
            let mut alphas = self.params.alphas.clone();
            alphas.sort_by(|a, b| b.total_cmp(a));
            for &a in &alphas {
                let start = previous.as_ref().map(|(w, b)| (w, *b));
                let (s, w, b) = self.fit_rows(x_fit.view(), &y_fit, a, start)?;
                let z = logits(x_val.view(), &s, &w, b);
                let loss = log_loss(&z, &y_val);
                tracing::debug!(alpha = a, loss, "logistic: validation loss");
                if best.as_ref().is_none_or(|(l, ..)| loss < *l - 1e-12) {
                    best = Some((loss, a, z, w.clone(), b));
                }
                previous = Some((w, b));
            }
            if let Some((_, a, z, w, b)) = best {
                alpha = a;
                warm = Some((w, b));
                if self.params.calibrate {
                    platt = Platt::fit(&z, &y_val)?;
                }
            }
        } else {
            tracing::debug!(
                validation_rows = y_val.len(),
                "logistic: validation split unusable, first alpha kept, no calibration"
            );
        }

        // Refit on every row with the chosen penalty. The Platt parameters come from the
        // validation-split model; the refit model's logits are on a very similar scale because
        // the penalty and the standardisation are the same.
        let start = warm.as_ref().map(|(w, b)| (w, *b));
        let (s, w, b) = self.fit_rows(data.features, data.labels, alpha, start)?;
        self.fitted = Some(Fitted::new(alpha, s, w.to_vec(), b, platt));
        tracing::debug!(rows = data.len(), alpha, "logistic: fitted");
        Ok(())
    }

    fn predict_into(&self, features: ArrayView2<'_, f64>, out: &mut [f64]) -> Result<()> {
        let f = self.fitted()?;
        check_width(features.ncols(), f.weights.len())?;
        if out.len() != features.nrows() {
            return Err(Error::ShapeMismatch {
                what: "output slots",
                expected: features.nrows(),
                found: out.len(),
            });
        }
        for (row_index, (row, o)) in features.rows().into_iter().zip(out.iter_mut()).enumerate() {
            let z = f.logit(row);
            if !z.is_finite() {
                return Err(Error::NonFinite { what: "feature row", row: row_index });
            }
            *o = f.platt.apply(z);
        }
        Ok(())
    }

    fn attribute(&self, row: ArrayView1<'_, f64>) -> Result<Attribution> {
        let f = self.fitted()?;
        check_width(row.len(), f.weights.len())?;
        let contributions: Vec<f64> = row
            .iter()
            .zip(&f.weights)
            .zip(f.standardizer.mean.iter().zip(&f.standardizer.scale))
            .map(|((x, w), (m, s))| w * (x - m) / s)
            .collect();
        let logit = f.intercept + contributions.iter().sum::<f64>();
        if !logit.is_finite() {
            return Err(Error::NonFinite { what: "feature row", row: 0 });
        }
        Ok(Attribution {
            method: AttributionMethod::Exact,
            base: f.intercept,
            contributions,
            logit,
            probability: f.platt.apply(logit),
        })
    }

    fn state(&self) -> serde_json::Value {
        to_json(&State { params: self.params.clone(), fitted: self.fitted.clone() }, "logistic")
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let s: State = from_json(state, "logistic scorer state")?;
        self.params = s.params;
        self.fitted = s.fitted.map(|mut f| {
            f.derive();
            f
        });
        Ok(())
    }

    fn unfitted(&self) -> Box<dyn Scorer> {
        Box::new(Self::new(self.params.clone()))
    }
}

#[cfg(test)]
#[allow(clippy::many_single_char_names)]
mod tests {
    use chrono::{TimeZone, Utc};
    use ndarray::Array2;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;

    fn planted(n: usize, seed: u64) -> (Array2<f64>, Vec<bool>) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut x = Array2::zeros((n, 3));
        let mut y = Vec::with_capacity(n);
        for i in 0..n {
            let a: f64 = rng.random_range(-2.0..2.0);
            let b: f64 = rng.random_range(0.0..10.0);
            let c: f64 = rng.random_range(-1.0..1.0);
            x[[i, 0]] = a;
            x[[i, 1]] = b;
            x[[i, 2]] = c;
            let z = 2.0 * a - 0.3 * b + 0.5;
            y.push(rng.random::<f64>() < super::super::sigmoid(z));
        }
        (x, y)
    }

    #[test]
    fn learns_planted_direction_and_explains_exactly() {
        let (x, y) = planted(600, 7);
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| (*s).to_owned()).collect();
        let groups: Vec<u64> = (0..600).map(|i| i % 20).collect();
        let times: Vec<_> = (0..600).map(|i| Utc.timestamp_opt(i * 3600, 0).unwrap()).collect();
        let data = TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap();
        let mut s = LogisticScorer::default();
        s.fit(&data).unwrap();
        let (w, _) = s.coefficients().unwrap();
        assert!(w[0] > 0.5 && w[1] < -0.3, "weights {w:?}");
        for i in 0..20 {
            let att = s.attribute(x.row(i)).unwrap();
            let sum = att.base + att.contributions.iter().sum::<f64>();
            assert!((sum - att.logit).abs() < 1e-9);
            let mut p = [0.0];
            s.predict_into(x.select(Axis(0), &[i]).view(), &mut p).unwrap();
            assert!((p[0] - att.probability).abs() < 1e-12);
        }
    }

    #[test]
    fn state_round_trips_and_width_is_checked() {
        let (x, y) = planted(200, 3);
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| (*s).to_owned()).collect();
        let groups = vec![1; 200];
        let times: Vec<_> = (0..200).map(|i| Utc.timestamp_opt(i * 60, 0).unwrap()).collect();
        let mut s = LogisticScorer::default();
        s.fit(&TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap()).unwrap();
        let mut t = LogisticScorer::default();
        t.load_state(&s.state()).unwrap();
        assert_eq!(s.score(x.view()).unwrap(), t.score(x.view()).unwrap());
        let narrow = Array2::<f64>::zeros((1, 2));
        assert!(matches!(s.score(narrow.view()), Err(Error::ShapeMismatch { .. })));
        let mut nan = Array2::<f64>::zeros((1, 3));
        nan[[0, 1]] = f64::NAN;
        assert!(matches!(s.score(nan.view()), Err(Error::NonFinite { .. })));
        assert!(LogisticScorer::default().score(x.view()).is_err());
    }

    #[test]
    fn single_class_is_a_clear_error() {
        let x = Array2::<f64>::zeros((10, 1));
        let y = vec![false; 10];
        let names = vec!["a".to_owned()];
        let groups = vec![0; 10];
        let times: Vec<_> = (0..10).map(|i| Utc.timestamp_opt(i, 0).unwrap()).collect();
        let mut s = LogisticScorer::default();
        let err = s.fit(&TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap());
        assert!(matches!(err, Err(Error::SingleClass { class: false })));
    }
}
