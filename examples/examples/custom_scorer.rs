//! Adding your own scorer to Rocketmat's matching model.
//!
//! The scorer below is a diagonal linear discriminant: per feature, the gap between the mean
//! of advanced and of rejected applications, divided by the pooled variance, gives a weight;
//! the logit is the weighted sum plus the log prior odds. It is linear, so its attributions
//! are exact (weight × centred value), and it implements every part of the [`Scorer`]
//! contract: a stable name and version, `fit`, allocation-free `predict_into`, `attribute`,
//! serialisable state, and `unfitted` for cross-validation.
//!
//! The example trains it and the built-in logistic scorer on the same synthetic company,
//! prints both evaluations, explains one rating, and round-trips the artifact through
//! [`CompanyModel::from_bytes_with`], which custom components need.
//!
//! Run: `cargo run -p examples --example custom_scorer`.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and column counts stay far below 2^52, where usize -> f64 is exact"
)]

use anyhow::Context as _;
use rocketmat_core::dataset::Dataset;
use rocketmat_core::features::FeaturePipeline;
use rocketmat_core::labels::LabelPolicy;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::model::{CompanyModel, TrainingConfig};
use rocketmat_core::ndarray::{ArrayView1, ArrayView2, Axis};
use rocketmat_core::scoring::{Attribution, AttributionMethod, Scorer, TrainingData};
use rocketmat_core::{Error, Result, serde_json};

/// Fitted weights of the discriminant.
#[derive(Debug, Clone, Default)]
struct Fitted {
    centre: Vec<f64>,
    weights: Vec<f64>,
    intercept: f64,
}

/// A diagonal linear discriminant scorer.
#[derive(Debug, Clone, Default)]
struct DiagonalLda {
    fitted: Option<Fitted>,
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl DiagonalLda {
    fn fitted(&self) -> Result<&Fitted> {
        self.fitted.as_ref().ok_or(Error::NotFitted { what: "diagonal lda" })
    }
}

impl Scorer for DiagonalLda {
    fn name(&self) -> &'static str {
        "diagonal_lda"
    }

    fn version(&self) -> u32 {
        1
    }

    fn fit(&mut self, data: &TrainingData<'_>) -> Result<()> {
        let positives = data.positives();
        if positives == 0 || positives == data.len() {
            return Err(Error::SingleClass { class: positives > 0 });
        }
        let x = data.features;
        let split = |want: bool| -> Vec<usize> {
            (0..data.len()).filter(|&i| data.labels[i] == want).collect()
        };
        let (pos, neg) = (split(true), split(false));
        let mean = |rows: &[usize]| x.select(Axis(0), rows).mean_axis(Axis(0));
        let (Some(m1), Some(m0)) = (mean(&pos), mean(&neg)) else {
            return Err(Error::InvalidInput("empty class".into()));
        };
        let mut weights = Vec::with_capacity(x.ncols());
        let mut centre = Vec::with_capacity(x.ncols());
        for j in 0..x.ncols() {
            // Pooled within-class variance, floored so constant columns get weight 0.
            let var = x
                .column(j)
                .iter()
                .zip(data.labels)
                .map(|(v, &l)| {
                    let d = v - if l { m1[j] } else { m0[j] };
                    d * d
                })
                .sum::<f64>()
                / data.len() as f64;
            weights.push(if var > 1e-9 { (m1[j] - m0[j]) / var } else { 0.0 });
            centre.push(f64::midpoint(m1[j], m0[j]));
        }
        let prior = positives as f64 / data.len() as f64;
        // Features are correlated, so the naive sum over-counts evidence; shrinking the
        // weights by the number of features keeps probabilities sensible.
        let shrink = 1.0 / (x.ncols() as f64).sqrt();
        for w in &mut weights {
            *w *= shrink;
        }
        self.fitted = Some(Fitted { centre, weights, intercept: (prior / (1.0 - prior)).ln() });
        Ok(())
    }

    fn predict_into(&self, features: ArrayView2<'_, f64>, out: &mut [f64]) -> Result<()> {
        let f = self.fitted()?;
        if features.ncols() != f.weights.len() || out.len() != features.nrows() {
            return Err(Error::ShapeMismatch {
                what: "feature columns",
                expected: f.weights.len(),
                found: features.ncols(),
            });
        }
        for (row, o) in features.rows().into_iter().zip(out.iter_mut()) {
            let z = f.intercept
                + row
                    .iter()
                    .zip(&f.weights)
                    .zip(&f.centre)
                    .map(|((x, w), c)| w * (x - c))
                    .sum::<f64>();
            *o = sigmoid(z);
        }
        Ok(())
    }

    fn attribute(&self, row: ArrayView1<'_, f64>) -> Result<Attribution> {
        let f = self.fitted()?;
        let contributions: Vec<f64> =
            row.iter().zip(&f.weights).zip(&f.centre).map(|((x, w), c)| w * (x - c)).collect();
        let logit = f.intercept + contributions.iter().sum::<f64>();
        Ok(Attribution {
            method: AttributionMethod::Exact,
            base: f.intercept,
            contributions,
            logit,
            probability: sigmoid(logit),
        })
    }

    fn state(&self) -> serde_json::Value {
        match &self.fitted {
            Some(f) => serde_json::json!({
                "centre": f.centre, "weights": f.weights, "intercept": f.intercept
            }),
            None => serde_json::Value::Null,
        }
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        if state.is_null() {
            self.fitted = None;
            return Ok(());
        }
        let parse = |key: &str| -> Result<Vec<f64>> {
            serde_json::from_value(state[key].clone()).map_err(|source| Error::Serialization {
                context: format!("diagonal lda {key}"),
                source,
            })
        };
        let intercept = state["intercept"]
            .as_f64()
            .ok_or_else(|| Error::InvalidInput("diagonal lda state lacks an intercept".into()))?;
        self.fitted =
            Some(Fitted { centre: parse("centre")?, weights: parse("weights")?, intercept });
        Ok(())
    }

    fn unfitted(&self) -> Box<dyn Scorer> {
        Box::new(Self::default())
    }
}

fn main() -> anyhow::Result<()> {
    let company = SyntheticCompany::generate(3000, 20, 7);
    let data = Dataset::build(
        &company.jobs,
        &company.candidates,
        &company.applications,
        &LabelPolicy::default(),
    )?;
    let config = TrainingConfig::default();

    let custom = CompanyModel::train_with(
        FeaturePipeline::default_pipeline(),
        Box::new(DiagonalLda::default()),
        &data.instances,
        &data.labels,
        &config,
    )
    .context("training the custom scorer")?;
    let builtin = CompanyModel::train_on(&data, &config).context("training the logistic scorer")?;

    for model in [&custom, &builtin] {
        let m = &model.metadata().metrics;
        println!(
            "{:>13}: time-split ROC AUC {:.3}, PR AUC {:.3}, NDCG@10 {:.3}; CV ROC AUC {:.3}",
            m.scorer,
            m.time_split.model.roc_auc.unwrap_or(f64::NAN),
            m.time_split.model.pr_auc.unwrap_or(f64::NAN),
            m.time_split.model.ndcg.unwrap_or(f64::NAN),
            m.cross_validation.as_ref().and_then(|c| c.mean.model.roc_auc).unwrap_or(f64::NAN),
        );
    }
    if let Some(tfidf) = &builtin.metadata().metrics.time_split.tfidf_cosine {
        println!("  tfidf alone: time-split ROC AUC {:.3}", tfidf.roc_auc.unwrap_or(f64::NAN));
    }

    let rating = custom.score(&data.instances[..1])?;
    println!("\n{}", rating[0].explanation.summary);

    // Custom components load through `from_bytes_with`; `from_bytes` knows only built-ins.
    let bytes = custom.to_bytes()?;
    let reloaded = CompanyModel::from_bytes_with(
        &bytes,
        FeaturePipeline::default_pipeline(),
        Box::new(DiagonalLda::default()),
    )?;
    anyhow::ensure!(reloaded.to_bytes()? == bytes, "artifact did not round-trip");
    println!("artifact: {} bytes, reloaded identically", bytes.len());
    Ok(())
}
