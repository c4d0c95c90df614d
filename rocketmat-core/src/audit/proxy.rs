//! Proxy check: how well the feature matrix predicts each protected attribute.
//!
//! If the features predict sex or race/ethnicity well, the model can discriminate through them
//! even though the attribute itself never enters a feature. For each attribute and each known
//! category (one against the rest), a logistic model is cross-validated on the features and its
//! out-of-fold ROC AUC reported: near 0.5 means no proxy, near 1 a strong one.

use std::collections::BTreeMap;

use ndarray::{Array1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

use super::bias::ProtectedAttribute;
use crate::error::{Error, Result};
use crate::evaluation::metrics::roc_auc;
use crate::scoring::{Standardizer, fit_binary_logistic};

/// Proxy-check settings.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `folds` | `5` | cross-validation folds | `>= 2` |
/// | `min_category` | `10` | categories with fewer applications (or fewer outside them) are skipped | `>= 2` |
/// | `warn_above` | `0.7` | an AUC above this is flagged as a likely proxy | `(0.5, 1]` |
/// | `alpha` | `1.0` | L2 penalty of the auxiliary model | `>= 0` |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProxyConfig {
    /// Cross-validation folds.
    pub folds: usize,
    /// Minimum size of a category and of its complement.
    pub min_category: usize,
    /// Flag threshold.
    pub warn_above: f64,
    /// L2 penalty of the auxiliary logistic model.
    pub alpha: f64,
}

impl Default for ProxyConfig {
    fn default() -> Self {
        Self { folds: 5, min_category: 10, warn_above: 0.7, alpha: 1.0 }
    }
}

/// The proxy AUC of one category against the rest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryProxy {
    /// Category label.
    pub category: String,
    /// Applications in the category.
    pub count: usize,
    /// Out-of-fold ROC AUC of predicting membership from the features.
    pub roc_auc: Option<f64>,
}

/// Proxy results of one attribute.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeProxy {
    /// Attribute name.
    pub attribute: String,
    /// Per known category (too-small ones are listed in `skipped`).
    pub categories: Vec<CategoryProxy>,
    /// The largest category AUC.
    pub max_roc_auc: Option<f64>,
    /// `max_roc_auc` is above the warning threshold.
    pub flagged: bool,
    /// Categories too small to test.
    pub skipped: Vec<String>,
    /// Rows with an unknown value (left out).
    pub unknown: usize,
}

/// Runs the proxy check for every attribute.
///
/// # Errors
/// [`Error::ShapeMismatch`] if an attribute's length differs from the matrix rows;
/// [`Error::InvalidParameter`] for a bad config; errors from the auxiliary fits.
pub fn proxy_check(
    features: ArrayView2<'_, f64>,
    attributes: &[ProtectedAttribute],
    config: &ProxyConfig,
) -> Result<Vec<AttributeProxy>> {
    if config.folds < 2
        || config.min_category < 2
        || !(config.alpha >= 0.0 && config.alpha.is_finite())
    {
        return Err(Error::InvalidParameter {
            name: "proxy config",
            value: format!("{config:?}"),
            reason: "folds >= 2, min_category >= 2 and a finite alpha >= 0 are required",
        });
    }
    attributes.iter().map(|a| check_attribute(features, a, config)).collect()
}

fn check_attribute(
    features: ArrayView2<'_, f64>,
    attribute: &ProtectedAttribute,
    config: &ProxyConfig,
) -> Result<AttributeProxy> {
    if attribute.values.len() != features.nrows() {
        return Err(Error::ShapeMismatch {
            what: "protected attribute values",
            expected: features.nrows(),
            found: attribute.values.len(),
        });
    }
    let known: Vec<usize> =
        (0..features.nrows()).filter(|&i| attribute.values[i].is_some()).collect();
    let unknown = features.nrows() - known.len();
    let x = features.select(Axis(0), &known);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for &i in &known {
        if let Some(v) = attribute.values[i].as_deref() {
            *counts.entry(v).or_default() += 1;
        }
    }
    let mut categories = Vec::new();
    let mut skipped = Vec::new();
    for (&cat, &count) in &counts {
        if count < config.min_category || known.len() - count < config.min_category {
            skipped.push(cat.to_owned());
            continue;
        }
        let y: Vec<bool> =
            known.iter().map(|&i| attribute.values[i].as_deref() == Some(cat)).collect();
        categories.push(CategoryProxy {
            category: cat.to_owned(),
            count,
            roc_auc: out_of_fold_auc(x.view(), &y, config)?,
        });
    }
    let max_roc_auc = categories
        .iter()
        .filter_map(|c| c.roc_auc)
        .fold(None, |m: Option<f64>, a| Some(m.map_or(a, |m| m.max(a))));
    Ok(AttributeProxy {
        attribute: attribute.name.clone(),
        flagged: max_roc_auc.is_some_and(|a| a > config.warn_above),
        categories,
        max_roc_auc,
        skipped,
        unknown,
    })
}

/// Stratified-by-position k-fold (row i goes to fold i mod k): deterministic and, since rows
/// arrive in no particular order with respect to the attribute, close enough to random.
#[allow(clippy::many_single_char_names, reason = "conventional notation of the formula")]
fn out_of_fold_auc(
    x: ArrayView2<'_, f64>,
    y: &[bool],
    config: &ProxyConfig,
) -> Result<Option<f64>> {
    let n = y.len();
    let mut oof = vec![0.0; n];
    for fold in 0..config.folds {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|i| i % config.folds == fold);
        if test.is_empty() {
            continue;
        }
        let y_train: Vec<bool> = train.iter().map(|&i| y[i]).collect();
        let p = y_train.iter().filter(|&&l| l).count();
        if p == 0 || p == y_train.len() {
            return Ok(None);
        }
        let x_train = x.select(Axis(0), &train);
        let s = Standardizer::fit(x_train.view());
        let (w, b) = fit_binary_logistic(
            s.transform(x_train.view()).view(),
            &y_train,
            config.alpha,
            100,
            1e-4,
        )?;
        let z: Array1<f64> = s.transform(x.select(Axis(0), &test).view()).dot(&w) + b;
        for (&i, &v) in test.iter().zip(z.iter()) {
            oof[i] = v;
        }
    }
    Ok(roc_auc(&oof, y))
}
