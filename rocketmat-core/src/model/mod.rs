//! The per-company model: training pipeline, scoring with explanations, and the artifact.
//!
//! [`CompanyModel::train`] runs the whole path: minimum-data checks, feature pipeline fit and
//! transform, evaluation (time split and grouped cross-validation beside the baselines), scorer
//! fit, and a fingerprint of the training data. The result scores batches of applications
//! ([`CompanyModel::score`], with explanations; [`CompanyModel::rate`], the fast path) and
//! serialises to a versioned artifact ([`CompanyModel::to_bytes`]). The creation time is passed
//! in, never read from the clock, so the same data, configuration and seed give a
//! byte-identical artifact.

mod artifact;
pub mod synthetic;

use chrono::{DateTime, Utc};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use artifact::SCHEMA_VERSION;

use crate::dataset::{Dataset, MinimumData};
use crate::domain::ApplicationId;
use crate::error::{Error, Result};
use crate::evaluation::{EvaluationConfig, EvaluationReport, evaluate};
use crate::explain::{Explanation, ExplanationContext};
use crate::features::{FeatureExtractor, FeaturePipeline, Instance, SkillCoverage};
use crate::scoring::{LogisticScorer, Score, Scorer, TrainingData};

/// Training settings.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `minimum` | 200 labelled, 20 positives | below either, training is [`Error::InsufficientData`] | see [`MinimumData`] |
/// | `evaluation` | see [`EvaluationConfig`] | how the model is evaluated before it is kept | — |
/// | `created_at` | the Unix epoch | creation time written into the artifact (pass it in: never read from the clock) | — |
/// | `top_k` | `5` | contributions listed per side in each explanation | `>= 1` |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingConfig {
    /// Minimum labelled applications and positives.
    pub minimum: MinimumData,
    /// Evaluation settings.
    pub evaluation: EvaluationConfig,
    /// Creation time recorded in the artifact.
    pub created_at: DateTime<Utc>,
    /// Contributions listed per side in explanations.
    pub top_k: usize,
}

impl Default for TrainingConfig {
    fn default() -> Self {
        Self {
            minimum: MinimumData::default(),
            evaluation: EvaluationConfig::default(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            top_k: 5,
        }
    }
}

/// A component (extractor or scorer) and its version, as recorded in the artifact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// Stable name.
    pub name: String,
    /// Version.
    pub version: u32,
}

/// What the artifact says about how the model was made (the model card's facts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ModelMetadata {
    /// When the model was trained (as passed in [`TrainingConfig::created_at`]).
    pub created_at: DateTime<Utc>,
    /// Labelled applications trained on.
    pub training_rows: usize,
    /// Positives among them.
    pub training_positives: usize,
    /// Jobs represented.
    pub training_jobs: usize,
    /// SHA-256 (hex) of the sorted training application ids with their labels.
    pub training_fingerprint: String,
    /// Extractors, in pipeline order.
    pub extractors: Vec<Component>,
    /// Feature names, in column order.
    pub feature_names: Vec<String>,
    /// The scorer.
    pub scorer: Component,
    /// Evaluation results.
    pub metrics: EvaluationReport,
    /// Contributions listed per side in explanations.
    pub top_k: usize,
}

/// One application's rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The application rated.
    pub application_id: ApplicationId,
    /// 0–100.
    pub rating: u8,
    /// Calibrated probability of a positive outcome.
    pub probability: f64,
    /// Why.
    pub explanation: Explanation,
}

/// A trained per-company model.
#[derive(Debug)]
pub struct CompanyModel {
    pipeline: FeaturePipeline,
    scorer: Box<dyn Scorer>,
    metadata: ModelMetadata,
    /// The fitted skill-coverage extractor, re-created from the pipeline state, for the matched
    /// and missing requirements of explanations (`None` if the pipeline has none).
    skills: Option<SkillCoverage>,
}

/// SHA-256 over the sorted `(application id, label)` pairs: identifies the training data
/// without containing it.
pub fn training_fingerprint(pairs: &[(ApplicationId, bool)]) -> String {
    let mut sorted = pairs.to_vec();
    sorted.sort_unstable();
    let mut h = Sha256::new();
    for (id, label) in sorted {
        h.update(id.0.to_le_bytes());
        h.update([u8::from(label)]);
    }
    hex::encode(h.finalize())
}

impl CompanyModel {
    /// Trains the default model: the default feature pipeline and the logistic scorer.
    ///
    /// `labels[i]` is the training label of `instances[i]`; `None` rows (withdrawn,
    /// undecided) are left out.
    ///
    /// # Errors
    /// See [`Self::train_with`].
    ///
    /// # Examples
    /// ```
    /// use rocketmat_core::model::{CompanyModel, TrainingConfig, synthetic::SyntheticCompany};
    /// let company = SyntheticCompany::generate(400, 8, 1);
    /// let instances = company.instances();
    /// let config = TrainingConfig { evaluation: Default::default(), ..TrainingConfig::default() };
    /// let model = CompanyModel::train(&instances, &company.outcomes, &config).unwrap();
    /// let ratings = model.score(&instances[..3]).unwrap();
    /// assert!(ratings.iter().all(|r| r.rating <= 100));
    /// let bytes = model.to_bytes().unwrap();
    /// let again = CompanyModel::from_bytes(&bytes).unwrap();
    /// assert_eq!(again.to_bytes().unwrap(), bytes);
    /// ```
    pub fn train(
        instances: &[Instance<'_>],
        labels: &[Option<bool>],
        config: &TrainingConfig,
    ) -> Result<Self> {
        Self::train_with(
            FeaturePipeline::default_pipeline(),
            Box::new(LogisticScorer::default()),
            instances,
            labels,
            config,
        )
    }

    /// Trains the default model on a [`Dataset`] (its unlabelled rows are left out).
    ///
    /// # Errors
    /// See [`Self::train_with`].
    pub fn train_on(dataset: &Dataset<'_>, config: &TrainingConfig) -> Result<Self> {
        Self::train(&dataset.instances, &dataset.labels, config)
    }

    /// Trains with a given feature pipeline and scorer.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] if `labels` and `instances` differ in length;
    /// [`Error::InsufficientData`] below the configured minimums; [`Error::SingleClass`]
    /// without negatives; errors of the pipeline, the evaluation and the scorer.
    pub fn train_with(
        mut pipeline: FeaturePipeline,
        mut scorer: Box<dyn Scorer>,
        instances: &[Instance<'_>],
        labels: &[Option<bool>],
        config: &TrainingConfig,
    ) -> Result<Self> {
        if labels.len() != instances.len() {
            return Err(Error::ShapeMismatch {
                what: "labels",
                expected: instances.len(),
                found: labels.len(),
            });
        }
        if config.top_k == 0 {
            return Err(Error::InvalidParameter {
                name: "top_k",
                value: "0".into(),
                reason: "at least one contribution per side is listed",
            });
        }
        let (rows, y): (Vec<Instance<'_>>, Vec<bool>) =
            instances.iter().zip(labels).filter_map(|(i, l)| l.map(|l| (*i, l))).unzip();
        let positives = y.iter().filter(|&&l| l).count();
        let minimum = &config.minimum;
        if rows.len() < minimum.min_labelled.max(2) || positives < minimum.min_positives.max(1) {
            return Err(Error::InsufficientData {
                labelled: rows.len(),
                positives,
                min_labelled: minimum.min_labelled,
                min_positives: minimum.min_positives,
            });
        }
        if positives == rows.len() {
            return Err(Error::SingleClass { class: true });
        }

        // FIXME: the vocabulary (TF-IDF, skills) is fitted on every labelled row before the
        // evaluation splits, so test rows' words shape it. No labels leak, but the reported
        // metrics may be slightly optimistic; refitting the pipeline inside each split would
        // remove this at the cost of one pipeline fit per fold.
        pipeline.fit(&rows)?;
        let matrix = pipeline.transform(&rows)?;
        let groups: Vec<u64> = rows.iter().map(|r| r.application.job_id.0).collect();
        let times: Vec<DateTime<Utc>> = rows.iter().map(|r| r.application.created_at).collect();
        let data = TrainingData::new(matrix.values.view(), &matrix.names, &y, &groups, &times)?;

        let metrics = evaluate(&data, scorer.as_ref(), &config.evaluation)?;
        scorer.fit(&data)?;

        let pairs: Vec<(ApplicationId, bool)> =
            rows.iter().zip(&y).map(|(r, &l)| (r.application.id, l)).collect();
        let mut jobs = groups.clone();
        jobs.sort_unstable();
        jobs.dedup();
        let metadata = ModelMetadata {
            created_at: config.created_at,
            training_rows: rows.len(),
            training_positives: positives,
            training_jobs: jobs.len(),
            training_fingerprint: training_fingerprint(&pairs),
            extractors: describe(&pipeline),
            feature_names: matrix.names.clone(),
            scorer: Component { name: scorer.name().to_owned(), version: scorer.version() },
            metrics,
            top_k: config.top_k,
        };
        tracing::debug!(
            rows = metadata.training_rows,
            positives,
            jobs = metadata.training_jobs,
            "company model trained"
        );
        let skills = skill_explainer(&pipeline)?;
        Ok(Self { pipeline, scorer, metadata, skills })
    }

    /// The model's metadata (metrics, fingerprint, components).
    pub fn metadata(&self) -> &ModelMetadata {
        &self.metadata
    }

    /// The feature pipeline.
    pub fn pipeline(&self) -> &FeaturePipeline {
        &self.pipeline
    }

    /// The scorer.
    pub fn scorer(&self) -> &dyn Scorer {
        self.scorer.as_ref()
    }

    /// Rates a batch without explanations: the fast path (one feature matrix, one dot product
    /// per row). Output is in input order.
    ///
    /// # Errors
    /// Errors of the pipeline's transform and the scorer.
    pub fn rate(&self, instances: &[Instance<'_>]) -> Result<Vec<(ApplicationId, Score)>> {
        let matrix = self.pipeline.transform(instances)?;
        let scores = self.scorer.score(matrix.values.view())?;
        Ok(instances.iter().map(|i| i.application.id).zip(scores).collect())
    }

    /// Rates a batch into caller-owned buffers: `features` must have one row per instance and
    /// one column per feature; `out` receives the calibrated probabilities. Reusing both
    /// buffers across batches avoids any allocation in the scorer.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] for wrong buffer shapes; errors of the pipeline and scorer.
    pub fn rate_into(
        &self,
        instances: &[Instance<'_>],
        features: &mut Array2<f64>,
        out: &mut [f64],
    ) -> Result<()> {
        self.pipeline.transform_into(instances, features.view_mut())?;
        self.scorer.predict_into(features.view(), out)
    }

    /// Rates a batch with an explanation per application. Output is in input order.
    ///
    /// # Errors
    /// Errors of the pipeline's transform and the scorer.
    pub fn score(&self, instances: &[Instance<'_>]) -> Result<Vec<Rating>> {
        let matrix = self.pipeline.transform(instances)?;
        let mut probabilities = vec![0.0; instances.len()];
        self.scorer.predict_into(matrix.values.view(), &mut probabilities)?;
        let mut out = Vec::with_capacity(instances.len());
        for (i, instance) in instances.iter().enumerate() {
            let row = matrix.values.row(i);
            let attribution = self.scorer.attribute(row)?;
            let skill_match =
                self.skills.as_ref().map(|s| s.skill_match(instance)).unwrap_or_default();
            let values = row.to_vec();
            let mut explanation = Explanation::build(
                &attribution,
                &ExplanationContext {
                    scorer: self.scorer.name(),
                    scorer_version: self.scorer.version(),
                    names: &matrix.names,
                    values: &values,
                    matched: &skill_match.matched,
                    missing: &skill_match.missing,
                    top_k: self.metadata.top_k,
                },
            )?;
            explanation.model_id = Some(self.metadata.training_fingerprint.clone());
            let probability = probabilities[i];
            out.push(Rating {
                application_id: instance.application.id,
                rating: crate::scoring::rating_from_probability(probability),
                probability,
                explanation,
            });
        }
        Ok(out)
    }
}

fn describe(pipeline: &FeaturePipeline) -> Vec<Component> {
    pipeline.describe().into_iter().map(|(name, version)| Component { name, version }).collect()
}

/// Re-creates the fitted skill-coverage extractor from the pipeline's state, so explanations
/// can list matched and missing skills through its public API.
fn skill_explainer(pipeline: &FeaturePipeline) -> Result<Option<SkillCoverage>> {
    let serde_json::Value::Array(entries) = pipeline.state() else {
        return Ok(None);
    };
    for entry in entries {
        if entry.get("name").and_then(serde_json::Value::as_str) == Some(SkillCoverage::NAME)
            && let Some(state) = entry.get("state")
        {
            let mut skills = SkillCoverage::default();
            skills.load_state(state)?;
            return Ok(Some(skills));
        }
    }
    Ok(None)
}
