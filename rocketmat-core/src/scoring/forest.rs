//! A random-forest scorer (linfa-ensemble), the non-linear alternative to logistic regression.
//!
//! Benchmark result (`bench/compare_sklearn.py`, which runs the `sklearn_export` bench: a
//! synthetic company of 100k applications, time split, test on the newest 20 %): logistic
//! regression reached ROC AUC 0.772; the forest (100 trees, depth 8) trained on the newest 20k
//! training rows reached 0.758 and took about a minute to fit. It did not win, so it is not
//! the default. It stays available for companies whose history shows interactions a linear
//! model misses, and as the comparison that justifies the default.
//!
//! FIXME: linfa-trees 0.8.1 grows trees slowly (minutes for 100k rows), linfa-ensemble
//! offers only hard votes, and its fit panics instead of returning an error if a tree's fit
//! fails (not reachable with the checked parameters used here). It stays because it is the
//! only non-linear learner linfa 0.8.1 offers (linfa has no gradient boosting); a
//! histogram-based gradient-boosting scorer, compared on the same benchmark, would fix the
//! speed and give real probabilities.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use linfa::prelude::Predict;
use linfa_ensemble::RandomForestParams;
use linfa_trees::DecisionTree;
use ndarray::{Array1, Array2, ArrayView1, ArrayView2, Axis};
use ndarray_rand::rand::SeedableRng;
use ndarray_rand::rand::rngs::SmallRng;
use serde::{Deserialize, Serialize};

use super::{
    Attribution, AttributionMethod, Platt, Scorer, TrainingData, check_width, from_json, to_json,
    validation_split,
};
use crate::error::{Error, Result};

/// Validated parameters of [`ForestScorer`].
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `trees` | `100` | number of trees | `1..=1000` |
/// | `max_depth` | `8` | depth cap per tree (limits overfitting on small histories) | `1..=32` |
/// | `feature_proportion` | `0.5` | share of features each tree sees | `(0, 1]` |
/// | `validation_fraction` | `0.2` | newest share held out to fit the Platt calibration | `(0, 0.5]` |
/// | `seed` | `0` | seeds the bootstrap, so the same data gives the same forest | any |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestValidParams {
    trees: usize,
    max_depth: usize,
    feature_proportion: f64,
    validation_fraction: f64,
    seed: u64,
}

/// Unchecked parameters of [`ForestScorer`]; see [`ForestValidParams`] for the table.
#[derive(Debug, Clone, PartialEq)]
pub struct ForestParams(ForestValidParams);

impl Default for ForestParams {
    fn default() -> Self {
        Self::new()
    }
}

impl ForestParams {
    /// Defaults as in the table.
    pub fn new() -> Self {
        Self(ForestValidParams {
            trees: 100,
            max_depth: 8,
            feature_proportion: 0.5,
            validation_fraction: 0.2,
            seed: 0,
        })
    }
    /// Sets the number of trees.
    #[must_use]
    pub fn trees(mut self, n: usize) -> Self {
        self.0.trees = n;
        self
    }
    /// Sets the depth cap.
    #[must_use]
    pub fn max_depth(mut self, d: usize) -> Self {
        self.0.max_depth = d;
        self
    }
    /// Sets the share of features per tree.
    #[must_use]
    pub fn feature_proportion(mut self, p: f64) -> Self {
        self.0.feature_proportion = p;
        self
    }
    /// Sets the validation share.
    #[must_use]
    pub fn validation_fraction(mut self, f: f64) -> Self {
        self.0.validation_fraction = f;
        self
    }
    /// Sets the seed.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.0.seed = seed;
        self
    }
}

impl linfa::ParamGuard for ForestParams {
    type Checked = ForestValidParams;
    type Error = Error;

    fn check_ref(&self) -> Result<&ForestValidParams> {
        let p = &self.0;
        if !(1..=1000).contains(&p.trees) {
            return Err(Error::InvalidParameter {
                name: "trees",
                value: p.trees.to_string(),
                reason: "must lie in 1..=1000",
            });
        }
        if !(1..=32).contains(&p.max_depth) {
            return Err(Error::InvalidParameter {
                name: "max_depth",
                value: p.max_depth.to_string(),
                reason: "must lie in 1..=32",
            });
        }
        if !(p.feature_proportion > 0.0 && p.feature_proportion <= 1.0) {
            return Err(Error::InvalidParameter {
                name: "feature_proportion",
                value: p.feature_proportion.to_string(),
                reason: "must lie in (0, 1]",
            });
        }
        if !(p.validation_fraction > 0.0 && p.validation_fraction <= 0.5) {
            return Err(Error::InvalidParameter {
                name: "validation_fraction",
                value: p.validation_fraction.to_string(),
                reason: "must lie in (0, 0.5]",
            });
        }
        Ok(p)
    }

    fn check(self) -> Result<ForestValidParams> {
        self.check_ref()?;
        Ok(self.0)
    }
}

/// A tree with the feature columns it was trained on.
type Tree = (Vec<usize>, DecisionTree<f64, bool>);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Fitted {
    /// Each tree with the feature columns it was trained on.
    trees: Vec<Tree>,
    width: usize,
    /// Training means, for mean-replacement attributions.
    mean: Vec<f64>,
    platt: Platt,
}

/// Vote shares are squeezed away from 0 and 1 before the logit so calibration stays finite.
const VOTE_EPSILON: f64 = 0.5;

impl Fitted {
    /// Raw logit per row from the smoothed vote share of the trees.
    fn logits(&self, x: ArrayView2<'_, f64>) -> Vec<f64> {
        let mut votes = vec![0usize; x.nrows()];
        for (features, tree) in &self.trees {
            let sub = x.select(Axis(1), features);
            let pred: Array1<bool> = tree.predict(&sub);
            for (v, p) in votes.iter_mut().zip(pred.iter()) {
                *v += usize::from(*p);
            }
        }
        let n = self.trees.len() as f64;
        votes
            .into_iter()
            .map(|v| {
                let p = (v as f64 + VOTE_EPSILON) / (n + 2.0 * VOTE_EPSILON);
                (p / (1.0 - p)).ln()
            })
            .collect()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct State {
    params: ForestValidParams,
    fitted: Option<Fitted>,
}

/// A seeded random forest of linfa decision trees; probability = Platt-calibrated vote share.
///
/// Attributions are approximate (mean replacement), not exact as for [`super::LogisticScorer`].
#[derive(Debug, Clone)]
pub struct ForestScorer {
    params: ForestValidParams,
    fitted: Option<Fitted>,
}

impl Default for ForestScorer {
    fn default() -> Self {
        Self::new(ForestParams::new().0)
    }
}

impl ForestScorer {
    /// Name stored in artifacts.
    pub const NAME: &'static str = "random_forest";
    /// Version of the algorithm and state format.
    pub const VERSION: u32 = 1;

    /// An unfitted forest.
    pub fn new(params: ForestValidParams) -> Self {
        Self { params, fitted: None }
    }

    fn fitted(&self) -> Result<&Fitted> {
        self.fitted.as_ref().ok_or(Error::NotFitted { what: "random forest scorer" })
    }

    fn grow(&self, x: Array2<f64>, y: Vec<bool>) -> Result<Vec<Tree>> {
        use linfa::prelude::{Fit, ParamGuard};
        let positives = y.iter().filter(|&&l| l).count();
        if positives == 0 || positives == y.len() {
            return Err(Error::SingleClass { class: positives > 0 });
        }
        let rng = SmallRng::seed_from_u64(self.params.seed);
        let tree = DecisionTree::<f64, bool>::params().max_depth(Some(self.params.max_depth));
        let forest = RandomForestParams::new_fixed_rng(tree, rng)
            .ensemble_size(self.params.trees)
            .bootstrap_proportion(1.0)
            .feature_proportion(self.params.feature_proportion)
            .check()?
            .fit(&linfa::Dataset::new(x, Array1::from(y)))?;
        Ok(forest.model_features.into_iter().zip(forest.models).collect())
    }
}

impl Scorer for ForestScorer {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        Self::VERSION
    }

    fn fit(&mut self, data: &TrainingData<'_>) -> Result<()> {
        let width = data.features.ncols();
        let mean =
            data.features.mean_axis(Axis(0)).map_or_else(|| vec![0.0; width], |m| m.to_vec());
        let (fit_idx, val_idx) = validation_split(data.times, self.params.validation_fraction);
        let y_fit: Vec<bool> = fit_idx.iter().map(|&i| data.labels[i]).collect();
        let y_val: Vec<bool> = val_idx.iter().map(|&i| data.labels[i]).collect();
        let mut platt = Platt::IDENTITY;
        let fit_positives = y_fit.iter().filter(|&&l| l).count();
        if !y_val.is_empty() && fit_positives > 0 && fit_positives < y_fit.len() {
            let trees = self.grow(data.features.select(Axis(0), &fit_idx), y_fit)?;
            let probe = Fitted { trees, width, mean: mean.clone(), platt };
            let z = probe.logits(data.features.select(Axis(0), &val_idx).view());
            platt = Platt::fit(&z, &y_val)?;
        }
        let trees = self.grow(data.features.to_owned(), data.labels.to_vec())?;
        self.fitted = Some(Fitted { trees, width, mean, platt });
        tracing::debug!(rows = data.len(), trees = self.params.trees, "forest: fitted");
        Ok(())
    }

    fn predict_into(&self, features: ArrayView2<'_, f64>, out: &mut [f64]) -> Result<()> {
        let f = self.fitted()?;
        check_width(features.ncols(), f.width)?;
        if out.len() != features.nrows() {
            return Err(Error::ShapeMismatch {
                what: "output slots",
                expected: features.nrows(),
                found: out.len(),
            });
        }
        if let Some(row) =
            features.rows().into_iter().position(|r| r.iter().any(|v| !v.is_finite()))
        {
            return Err(Error::NonFinite { what: "feature row", row });
        }
        for (o, z) in out.iter_mut().zip(f.logits(features)) {
            *o = f.platt.apply(z);
        }
        Ok(())
    }

    fn attribute(&self, row: ArrayView1<'_, f64>) -> Result<Attribution> {
        let f = self.fitted()?;
        check_width(row.len(), f.width)?;
        if row.iter().any(|v| !v.is_finite()) {
            return Err(Error::NonFinite { what: "feature row", row: 0 });
        }
        // Row 0: the row itself; row j+1: the row with feature j at its training mean; last
        // row: every feature at its mean (the base).
        let w = f.width;
        let mut probe = Array2::zeros((w + 2, w));
        for mut r in probe.rows_mut() {
            r.assign(&row);
        }
        for j in 0..w {
            probe[[j + 1, j]] = f.mean[j];
        }
        probe.row_mut(w + 1).assign(&ArrayView1::from(&f.mean));
        let z = f.logits(probe.view());
        let logit = z[0];
        Ok(Attribution {
            method: AttributionMethod::MeanReplacement,
            base: z[w + 1],
            contributions: (0..w).map(|j| logit - z[j + 1]).collect(),
            logit,
            probability: f.platt.apply(logit),
        })
    }

    fn state(&self) -> serde_json::Value {
        to_json(&State { params: self.params.clone(), fitted: self.fitted.clone() }, "forest")
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let s: State = from_json(state, "random forest scorer state")?;
        self.params = s.params;
        self.fitted = s.fitted;
        Ok(())
    }

    fn unfitted(&self) -> Box<dyn Scorer> {
        Box::new(Self::new(self.params.clone()))
    }
}
