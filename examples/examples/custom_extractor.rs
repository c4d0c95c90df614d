//! Adding your own feature extractor to Rocketmat's matching model.
//!
//! The extractor below compares the seniority named in the job title ("Junior", "Senior",
//! "Lead"...) with the seniority of the candidate's most recent title *as known when the
//! application was created*. It follows the [`FeatureExtractor`] contract:
//!
//! - it reads the candidate only through `Instance::candidate_as_of`, so no later data leaks in;
//! - it declares the allow-listed inputs it reads ([`InputField`]), which the pipeline checks;
//! - missing data (no seniority word on either side) sets `seniority.missing` and leaves the
//!   match column at 0: missing never counts as a match;
//! - its feature names are stable and prefixed by its name.
//!
//! It is then appended to the default pipeline, a model is trained on a synthetic company
//! history, a few applications are scored with explanations, and the artifact is saved and
//! reloaded into a pipeline that includes the custom extractor again.
//!
//! Run: `cargo run -p examples --example custom_extractor`.

use anyhow::Context as _;
use rocketmat_core::dataset::{Dataset, MinimumData};
use rocketmat_core::features::{
    FeatureExtractor, FeaturePipeline, InputField, Instance, check_shape,
};
use rocketmat_core::labels::LabelPolicy;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::model::{CompanyModel, TrainingConfig};
use rocketmat_core::ndarray::ArrayViewMut2;
use rocketmat_core::scoring::LogisticScorer;
use rocketmat_core::text::for_each_token;

/// Seniority words and their level; the first match in a title wins.
const LEVELS: &[(&str, f64)] = &[
    ("intern", 0.0),
    ("junior", 1.0),
    ("associate", 1.0),
    ("senior", 3.0),
    ("staff", 4.0),
    ("lead", 4.0),
    ("principal", 5.0),
    ("head", 5.0),
];

/// The seniority level named in a title, if any.
fn seniority(title: &str) -> Option<f64> {
    let mut found = None;
    for_each_token(title, |t| {
        if found.is_none() {
            found = LEVELS.iter().find(|(w, _)| *w == t).map(|(_, l)| *l);
        }
    });
    found
}

/// Seniority of the job title against the candidate's most recent title.
#[derive(Debug, Default)]
struct SeniorityMatch;

impl SeniorityMatch {
    /// Stable name, the prefix of every column.
    const NAME: &'static str = "seniority";
}

impl FeatureExtractor for SeniorityMatch {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        vec!["seniority.meets".into(), "seniority.difference".into(), "seniority.missing".into()]
    }

    // Nothing to learn per company.
    fn fit(&mut self, _instances: &[Instance<'_>]) -> rocketmat_core::Result<()> {
        Ok(())
    }

    fn extract(
        &self,
        instances: &[Instance<'_>],
        mut out: ArrayViewMut2<'_, f64>,
    ) -> rocketmat_core::Result<()> {
        check_shape(&out, instances.len(), 3)?;
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let wanted = seniority(&inst.job.title);
            // The latest employment that had started when the candidate applied.
            let view = inst.candidate_as_of();
            let latest = view.employments().filter(|e| e.start.is_some()).max_by_key(|e| e.start);
            let held = latest.and_then(|e| seniority(&e.title));
            if let (Some(w), Some(h)) = (wanted, held) {
                row[0] = if h >= w { 1.0 } else { 0.0 };
                row[1] = ((h - w) / 5.0).clamp(-1.0, 1.0);
                row[2] = 0.0;
            } else {
                // Missing on either side: flagged, and never a match.
                row[0] = 0.0;
                row[1] = 0.0;
                row[2] = 1.0;
            }
        }
        Ok(())
    }

    // Nothing is fitted, so `state` and `load_state` keep the trait's stateless defaults.

    fn inputs(&self) -> &'static [InputField] {
        &[
            InputField::JobTitle,
            InputField::CandidateEmploymentTitles,
            InputField::CandidateEmploymentDates,
            InputField::ApplicationCreatedAt,
        ]
    }
}

/// The default pipeline plus the custom extractor; used both to train and to reload.
fn pipeline() -> FeaturePipeline {
    let mut p = FeaturePipeline::default_pipeline();
    p.push(Box::new(SeniorityMatch));
    p
}

fn main() -> anyhow::Result<()> {
    // A seeded, synthetic company history (no real data).
    let company = SyntheticCompany::generate(3_000, 12, 42);
    let data = Dataset::build(
        &company.jobs,
        &company.candidates,
        &company.applications,
        &LabelPolicy::default(),
    )?;
    let counts = data.counts();
    println!(
        "{} applications: {} labelled ({} positive), {} withdrew, {} undecided",
        counts.total, counts.labelled, counts.positives, counts.withdrew, counts.undecided
    );
    data.check_minimum(&MinimumData::default()).context("not enough history to train")?;

    let config = TrainingConfig::default();
    let model = CompanyModel::train_with(
        pipeline(),
        Box::new(LogisticScorer::default()),
        &data.instances,
        &data.labels,
        &config,
    )?;
    println!("extractors: {:?}", model.pipeline().describe());

    for rating in model.score(&data.instances[..3])? {
        println!("application {}: {}/100", rating.application_id, rating.rating);
        println!("  {}", rating.explanation.summary);
        for c in &rating.explanation.top_positive {
            println!(
                "  + {:<32} value {:>6.2}  contribution {:+.3}",
                c.feature, c.value, c.contribution
            );
        }
    }

    // Reloading an artifact needs the same extractors: pass the custom pipeline back in.
    let bytes = model.to_bytes()?;
    let reloaded =
        CompanyModel::from_bytes_with(&bytes, pipeline(), Box::new(LogisticScorer::default()))?;
    assert_eq!(reloaded.to_bytes()?, bytes, "the artifact round-trips byte for byte");
    // The default pipeline lacks `seniority`, so loading into it is a clear error.
    if let Err(e) = CompanyModel::from_bytes(&bytes) {
        println!("loading without the custom extractor fails as expected: {e}");
    }
    Ok(())
}
