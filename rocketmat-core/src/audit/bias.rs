//! Selection and scoring rates per protected category, as NYC Local Law 144 reports them.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One protected attribute (e.g. "sex"), with one value per application in the audited order.
/// `None` is the unknown category (not answered or declined). These values are supplied by the
/// caller for the audit only and never enter a feature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedAttribute {
    /// Attribute name, e.g. `"sex"` or `"race_ethnicity"`.
    pub name: String,
    /// Category per application; `None` = unknown.
    pub values: Vec<Option<String>>,
}

/// Audit settings.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `min_share` | `0.02` | categories below this share of the data are left out of the ratios (LL 144 allows it) but still counted and named | `[0, 1)` |
/// | `flag_below` | `0.8` | impact ratios below this are flagged (the four-fifths heuristic, not a verdict) | `(0, 1]` |
/// | `intersectional` | `true` | also audit every combination of the attributes | — |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditConfig {
    /// Minimum share of the data for a category to enter the ratios.
    pub min_share: f64,
    /// Impact ratios below this are flagged.
    pub flag_below: f64,
    /// Audit intersections of all attributes as well.
    pub intersectional: bool,
}

impl Default for AuditConfig {
    fn default() -> Self {
        Self { min_share: 0.02, flag_below: 0.8, intersectional: true }
    }
}

/// Figures of one category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryFigures {
    /// Category label (for intersections, the parts joined by `" × "`).
    pub category: String,
    /// Applications in the category.
    pub count: usize,
    /// Share of all audited applications.
    pub share: f64,
    /// Applications with a known selection outcome.
    pub decided: usize,
    /// Of those, selected (advanced or hired).
    pub selected: usize,
    /// `selected / decided`.
    pub selection_rate: Option<f64>,
    /// Selection rate over the highest included category's rate.
    pub selection_impact_ratio: Option<f64>,
    /// Applications with a score.
    pub scored: usize,
    /// Of those, scored above the overall median.
    pub above_median: usize,
    /// `above_median / scored`.
    pub scoring_rate: Option<f64>,
    /// Scoring rate over the highest included category's rate.
    pub scoring_impact_ratio: Option<f64>,
    /// Left out of the ratios because it is below `min_share` of the data.
    pub excluded: bool,
    /// An impact ratio is below `flag_below`.
    pub flagged: bool,
}

/// The audit of one attribute (or one intersection of attributes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeAudit {
    /// Attribute name (intersections: names joined by `" × "`).
    pub attribute: String,
    /// Known categories, sorted by label.
    pub categories: Vec<CategoryFigures>,
    /// Applications whose category is unknown (for an intersection: any part unknown).
    pub unknown: usize,
    /// Names of the categories left out for being under the minimum share.
    pub excluded: Vec<String>,
}

/// The bias-audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BiasAudit {
    /// Applications audited.
    pub total: usize,
    /// The median score over all scored applications (the scoring-rate threshold).
    pub overall_median_score: Option<f64>,
    /// Settings used.
    pub config: AuditConfig,
    /// One entry per attribute, then the intersection if requested and there are two or more.
    pub attributes: Vec<AttributeAudit>,
}

/// Computes selection and scoring rates, impact ratios and flags per category.
///
/// `selected[i]` is the selection outcome of application `i` (`None`: undecided, left out of
/// selection rates); `scores[i]` its score (`None`: not scored). The scoring rate is the share
/// of a category scoring strictly above the median score of the FULL sample (one median over
/// everyone, as 6 RCNY §5-301 defines it). Impact ratios divide by the highest rate among the
/// included known categories.
///
/// # Errors
/// [`Error::ShapeMismatch`] if lengths differ; [`Error::InvalidParameter`] for a bad config.
pub fn bias_audit(
    attributes: &[ProtectedAttribute],
    selected: &[Option<bool>],
    scores: &[Option<f64>],
    config: &AuditConfig,
) -> Result<BiasAudit> {
    if !(0.0..1.0).contains(&config.min_share) {
        return Err(Error::InvalidParameter {
            name: "min_share",
            value: config.min_share.to_string(),
            reason: "must lie in [0, 1)",
        });
    }
    if !(config.flag_below > 0.0 && config.flag_below <= 1.0) {
        return Err(Error::InvalidParameter {
            name: "flag_below",
            value: config.flag_below.to_string(),
            reason: "must lie in (0, 1]",
        });
    }
    let n = selected.len();
    if scores.len() != n {
        return Err(Error::ShapeMismatch { what: "scores", expected: n, found: scores.len() });
    }
    for a in attributes {
        if a.values.len() != n {
            return Err(Error::ShapeMismatch {
                what: "protected attribute values",
                expected: n,
                found: a.values.len(),
            });
        }
    }
    let median = median(scores.iter().flatten().copied().filter(|s| s.is_finite()).collect());
    let mut audits: Vec<AttributeAudit> = attributes
        .iter()
        .map(|a| audit_one(&a.name, &a.values, selected, scores, median, config))
        .collect();
    if config.intersectional && attributes.len() >= 2 {
        let name = attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(" × ");
        let values: Vec<Option<String>> = (0..n)
            .map(|i| {
                let parts: Option<Vec<&str>> =
                    attributes.iter().map(|a| a.values[i].as_deref()).collect();
                parts.map(|p| p.join(" × "))
            })
            .collect();
        audits.push(audit_one(&name, &values, selected, scores, median, config));
    }
    Ok(BiasAudit {
        total: n,
        overall_median_score: median,
        config: config.clone(),
        attributes: audits,
    })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) { f64::midpoint(v[m - 1], v[m]) } else { v[m] })
}

fn audit_one(
    name: &str,
    values: &[Option<String>],
    selected: &[Option<bool>],
    scores: &[Option<f64>],
    median: Option<f64>,
    config: &AuditConfig,
) -> AttributeAudit {
    let n = values.len();
    let mut by: BTreeMap<&str, CategoryFigures> = BTreeMap::new();
    let mut unknown = 0;
    for i in 0..n {
        let Some(cat) = values[i].as_deref() else {
            unknown += 1;
            continue;
        };
        let f = by.entry(cat).or_insert_with(|| CategoryFigures {
            category: cat.to_owned(),
            count: 0,
            share: 0.0,
            decided: 0,
            selected: 0,
            selection_rate: None,
            selection_impact_ratio: None,
            scored: 0,
            above_median: 0,
            scoring_rate: None,
            scoring_impact_ratio: None,
            excluded: false,
            flagged: false,
        });
        f.count += 1;
        if let Some(s) = selected[i] {
            f.decided += 1;
            f.selected += usize::from(s);
        }
        if let (Some(s), Some(m)) = (scores[i], median)
            && s.is_finite()
        {
            f.scored += 1;
            f.above_median += usize::from(s > m);
        }
    }
    let ratio = |a: usize, b: usize| (b > 0).then(|| a as f64 / b as f64);
    let mut categories: Vec<CategoryFigures> = by.into_values().collect();
    for f in &mut categories {
        f.share = f.count as f64 / n.max(1) as f64;
        f.excluded = f.share < config.min_share;
        f.selection_rate = ratio(f.selected, f.decided);
        f.scoring_rate = ratio(f.above_median, f.scored);
    }
    let best = |get: fn(&CategoryFigures) -> Option<f64>, cats: &[CategoryFigures]| {
        cats.iter()
            .filter(|c| !c.excluded)
            .filter_map(get)
            .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.max(r))))
    };
    let best_selection = best(|c| c.selection_rate, &categories);
    let best_scoring = best(|c| c.scoring_rate, &categories);
    for f in &mut categories {
        if f.excluded {
            continue;
        }
        let impact = |rate: Option<f64>, best: Option<f64>| match (rate, best) {
            (Some(r), Some(b)) if b > 0.0 => Some(r / b),
            _ => None,
        };
        f.selection_impact_ratio = impact(f.selection_rate, best_selection);
        f.scoring_impact_ratio = impact(f.scoring_rate, best_scoring);
        f.flagged = [f.selection_impact_ratio, f.scoring_impact_ratio]
            .iter()
            .flatten()
            .any(|&r| r < config.flag_below);
    }
    let excluded = categories.iter().filter(|c| c.excluded).map(|c| c.category.clone()).collect();
    AttributeAudit { attribute: name.to_owned(), categories, unknown, excluded }
}
