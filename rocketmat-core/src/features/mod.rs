//! Feature extraction: turning (application, job, candidate) rows into a numeric matrix.
//!
//! A [`FeatureExtractor`] reads a batch of [`Instance`]s and fills its own block of columns of
//! an `Array2<f64>`; a [`FeaturePipeline`] runs an ordered list of them and returns a
//! [`FeatureMatrix`] whose column names explain every number. The numeric path is synchronous
//! and pure: no I/O, no clock, no randomness, so the same rows and fitted state always give
//! the same matrix.
//!
//! Invariants every extractor keeps (and the tests check):
//! - **No look-ahead.** A row uses only what was known at its application's `created_at`: the
//!   candidate is read through [`CandidateProfile::as_of`], and the application's stages,
//!   rejection, status and hire date are never read.
//! - **Missing never matches.** A missing requirement or missing candidate data sets an explicit
//!   `*.missing` indicator column and contributes 0, never 1, to the match columns.
//! - **Allow-listed inputs.** Each extractor declares the [`InputField`]s it reads; the
//!   pipeline checks them against its [`AllowList`] at fit and at transform. The enum has no
//!   variant for contact details, names, demographics or free-text "about me", so no extractor
//!   can even declare them.
//! - **Finite, stable, deterministic.** Values are finite, feature names are stable and
//!   prefixed by the extractor's name, and the fitted state serialises deterministically.
//!
//! Extractors are stateless except for per-company state learnt in `fit` (a TF-IDF vocabulary,
//! the company's skill vocabulary, the seen source types), which goes into the model artifact
//! through `state`/`load_state`.

mod cache;
mod education;
mod employment_gaps;
mod experience;
mod skills;
mod source;
mod tfidf;

use std::collections::BTreeSet;
use std::fmt;

use ndarray::{Array2, ArrayViewMut2, Axis, Slice};
use serde::{Deserialize, Serialize};

use crate::domain::{Application, CandidateProfile, Job};
use crate::error::{Error, Result};

pub use education::EducationMatch;
pub use employment_gaps::EmploymentGaps;
pub use experience::ExperienceMatch;
pub use skills::{SkillCoverage, SkillMatch};
pub use source::{DEFAULT_SOURCE_TYPES, SourceTypeOneHot};
pub use tfidf::{DEFAULT_EXCLUDED_TERMS, TfIdfCosine, TfIdfParams};

/// A batch row: one application with its job and candidate, as known at
/// `application.created_at`.
#[derive(Debug, Clone, Copy)]
pub struct Instance<'a> {
    /// The application (only `id`, `job_id`, `candidate_id`, `source_type` and `created_at`
    /// may be read by extractors).
    pub application: &'a Application,
    /// The job applied to.
    pub job: &'a Job,
    /// The candidate; read through [`CandidateProfile::as_of`] at `application.created_at`.
    pub candidate: &'a CandidateProfile,
}

impl<'a> Instance<'a> {
    /// Bundles one row.
    pub fn new(
        application: &'a Application,
        job: &'a Job,
        candidate: &'a CandidateProfile,
    ) -> Self {
        Self { application, job, candidate }
    }

    /// The candidate as known when the application was created.
    pub fn candidate_as_of(&self) -> crate::domain::AsOf<'a> {
        self.candidate.as_of(self.application.created_at)
    }
}

/// An input an extractor may read. This is the feature allow-list's vocabulary: only
/// job-related inputs exist here, so protected attributes and contact details cannot be
/// declared, and a deployer can narrow the list further with an [`AllowList`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputField {
    /// The job title.
    JobTitle,
    /// The job post text.
    JobText,
    /// The job's structured requirements.
    JobRequirements,
    /// Candidate education levels and dates.
    CandidateEducationLevels,
    /// Candidate fields of study.
    CandidateEducationFields,
    /// Candidate employment titles.
    CandidateEmploymentTitles,
    /// Candidate employment dates.
    CandidateEmploymentDates,
    /// Candidate skill tags.
    CandidateSkillTags,
    /// The application's sourcing strategy (source type, never the source's or referrer's
    /// name).
    ApplicationSourceType,
    /// The application's creation time (the as-of instant).
    ApplicationCreatedAt,
}

impl InputField {
    /// Every input field, in a stable order.
    pub const ALL: [Self; 10] = [
        Self::JobTitle,
        Self::JobText,
        Self::JobRequirements,
        Self::CandidateEducationLevels,
        Self::CandidateEducationFields,
        Self::CandidateEmploymentTitles,
        Self::CandidateEmploymentDates,
        Self::CandidateSkillTags,
        Self::ApplicationSourceType,
        Self::ApplicationCreatedAt,
    ];
}

impl fmt::Display for InputField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The serde name is the stable, documented spelling.
        let name = match self {
            Self::JobTitle => "job_title",
            Self::JobText => "job_text",
            Self::JobRequirements => "job_requirements",
            Self::CandidateEducationLevels => "candidate_education_levels",
            Self::CandidateEducationFields => "candidate_education_fields",
            Self::CandidateEmploymentTitles => "candidate_employment_titles",
            Self::CandidateEmploymentDates => "candidate_employment_dates",
            Self::CandidateSkillTags => "candidate_skill_tags",
            Self::ApplicationSourceType => "application_source_type",
            Self::ApplicationCreatedAt => "application_created_at",
        };
        f.write_str(name)
    }
}

/// The set of inputs a pipeline lets its extractors read. Defaults to every [`InputField`];
/// a deployer may remove some (e.g. the source type) and the pipeline then refuses any
/// extractor that reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllowList(BTreeSet<InputField>);

impl Default for AllowList {
    fn default() -> Self {
        Self(InputField::ALL.into_iter().collect())
    }
}

impl AllowList {
    /// An allow-list of exactly these fields.
    pub fn only(fields: impl IntoIterator<Item = InputField>) -> Self {
        Self(fields.into_iter().collect())
    }

    /// This list without `field`.
    #[must_use]
    pub fn without(mut self, field: InputField) -> Self {
        self.0.remove(&field);
        self
    }

    /// Whether `field` is allowed.
    pub fn allows(&self, field: InputField) -> bool {
        self.0.contains(&field)
    }

    /// The allowed fields, in stable order.
    pub fn fields(&self) -> impl Iterator<Item = InputField> + '_ {
        self.0.iter().copied()
    }
}

/// Turns a batch of instances into a block of feature columns.
///
/// Implementations must keep the invariants listed in the [module docs](self): read the
/// candidate only through [`Instance::candidate_as_of`], never the application's stages or
/// outcome; write finite values; mark missing data in a `*.missing` column and never count it
/// as a match; keep names stable for a given version and fitted state.
pub trait FeatureExtractor: Send + Sync + fmt::Debug {
    /// Stable name, e.g. `"skill_coverage"`; prefixes every feature name.
    fn name(&self) -> &str;

    /// Version; bump when the meaning of a column changes, so old artifacts are refused.
    fn version(&self) -> u32;

    /// Column names, each prefixed by `name()` and a dot, e.g. `"skill_coverage.ratio"`.
    fn feature_names(&self) -> Vec<String>;

    /// Learns per-company state (vocabularies...) from training rows; a no-op for most.
    ///
    /// # Errors
    /// Implementation-specific; built-ins fail only on invalid parameters.
    fn fit(&mut self, instances: &[Instance<'_>]) -> Result<()>;

    /// Fills `out` (one row per instance, `feature_names().len()` columns).
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `out` has the wrong shape, [`Error::NotFitted`] when the
    /// extractor needs fitted state it does not have.
    fn extract(&self, instances: &[Instance<'_>], out: ArrayViewMut2<'_, f64>) -> Result<()>;

    /// The fitted state, for the model artifact; deterministic (sorted maps, no floats that
    /// depend on iteration order). Stateless extractors keep the default, `null`.
    fn state(&self) -> serde_json::Value {
        serde_json::Value::Null
    }

    /// Restores state produced by [`Self::state`]. Stateless extractors keep the default,
    /// which accepts anything and changes nothing.
    ///
    /// # Errors
    /// [`Error::Serialization`] or [`Error::InvalidInput`] when the state is malformed.
    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let _ = state;
        Ok(())
    }

    /// The allow-listed inputs this extractor reads.
    fn inputs(&self) -> &'static [InputField];

    /// Number of columns, `feature_names().len()`; override it to spare the pipeline
    /// building the names on every batch.
    fn width(&self) -> usize {
        self.feature_names().len()
    }
}

/// Checks that `out` has `rows` rows and `cols` columns; extractors call it first.
///
/// # Errors
/// [`Error::ShapeMismatch`] naming the mismatching dimension.
pub fn check_shape(out: &ArrayViewMut2<'_, f64>, rows: usize, cols: usize) -> Result<()> {
    if out.nrows() != rows {
        return Err(Error::ShapeMismatch {
            what: "feature rows",
            expected: rows,
            found: out.nrows(),
        });
    }
    if out.ncols() != cols {
        return Err(Error::ShapeMismatch {
            what: "feature columns",
            expected: cols,
            found: out.ncols(),
        });
    }
    Ok(())
}

/// A feature matrix with its column names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureMatrix {
    /// Column names, in column order.
    pub names: Vec<String>,
    /// One row per instance, in input order.
    pub values: Array2<f64>,
}

impl FeatureMatrix {
    /// Index of the column called `name`.
    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.values.nrows()
    }
}

/// One extractor's entry in a serialised pipeline state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ExtractorState {
    name: String,
    version: u32,
    state: serde_json::Value,
}

/// An ordered list of extractors producing one [`FeatureMatrix`].
///
/// # Examples
/// ```
/// use rocketmat_core::features::FeaturePipeline;
///
/// let pipeline = FeaturePipeline::default_pipeline();
/// assert!(pipeline.feature_names().iter().any(|n| n == "tfidf_cosine.cosine"));
/// // Fit on a company's training rows, then transform any batch:
/// // pipeline.fit(&instances)?; let matrix = pipeline.transform(&instances)?;
/// ```
#[derive(Debug)]
pub struct FeaturePipeline {
    extractors: Vec<Box<dyn FeatureExtractor>>,
    allow: AllowList,
}

impl FeaturePipeline {
    /// A pipeline of these extractors, in this order, with the default allow-list.
    pub fn new(extractors: Vec<Box<dyn FeatureExtractor>>) -> Self {
        Self { extractors, allow: AllowList::default() }
    }

    /// The built-in extractors: skill coverage, TF-IDF cosine, experience, education,
    /// employment gaps and source type, each with default parameters.
    pub fn default_pipeline() -> Self {
        Self::new(vec![
            Box::new(SkillCoverage::default()),
            Box::new(TfIdfCosine::default()),
            Box::new(ExperienceMatch),
            Box::new(EducationMatch),
            Box::new(EmploymentGaps),
            Box::new(SourceTypeOneHot::default()),
        ])
    }

    /// Replaces the allow-list; checked at every fit and transform.
    #[must_use]
    pub fn with_allow_list(mut self, allow: AllowList) -> Self {
        self.allow = allow;
        self
    }

    /// The allow-list in force.
    pub fn allow_list(&self) -> &AllowList {
        &self.allow
    }

    /// Appends an extractor.
    pub fn push(&mut self, extractor: Box<dyn FeatureExtractor>) {
        self.extractors.push(extractor);
    }

    /// The extractors, in order.
    pub fn extractors(&self) -> &[Box<dyn FeatureExtractor>] {
        &self.extractors
    }

    /// All column names, in column order.
    pub fn feature_names(&self) -> Vec<String> {
        self.extractors.iter().flat_map(|e| e.feature_names()).collect()
    }

    /// `(name, version)` of every extractor, in order, for the artifact and the model card.
    pub fn describe(&self) -> Vec<(String, u32)> {
        self.extractors.iter().map(|e| (e.name().to_owned(), e.version())).collect()
    }

    /// Refuses extractors reading a field outside the allow-list, and duplicate names.
    fn check(&self) -> Result<()> {
        let mut seen = BTreeSet::new();
        for e in &self.extractors {
            if !seen.insert(e.name()) {
                return Err(Error::InvalidInput(format!(
                    "duplicate extractor name `{}` in pipeline",
                    e.name()
                )));
            }
            if let Some(field) = e.inputs().iter().find(|f| !self.allow.allows(**f)) {
                return Err(Error::InputNotAllowed {
                    extractor: e.name().to_owned(),
                    input: field.to_string(),
                });
            }
        }
        Ok(())
    }

    /// Fits every extractor on the training rows, in order.
    ///
    /// Column names of extractors with fitted vocabularies (e.g. the source type) are known
    /// only after this: read [`Self::feature_names`] afterwards.
    ///
    /// # Errors
    /// [`Error::InputNotAllowed`] when an extractor reads a field outside the allow-list;
    /// any error of an extractor's `fit`.
    pub fn fit(&mut self, instances: &[Instance<'_>]) -> Result<()> {
        self.check()?;
        for e in &mut self.extractors {
            e.fit(instances)?;
        }
        tracing::debug!(
            rows = instances.len(),
            columns = self.feature_names().len(),
            "feature pipeline fitted"
        );
        Ok(())
    }

    /// Extracts the feature matrix of a batch: one row per instance, in order.
    ///
    /// # Errors
    /// [`Error::InputNotAllowed`] as for [`Self::fit`]; an extractor's error; [`Error::NonFinite`]
    /// if an extractor wrote NaN or an infinity.
    pub fn transform(&self, instances: &[Instance<'_>]) -> Result<FeatureMatrix> {
        let names = self.feature_names();
        let mut values = Array2::<f64>::zeros((instances.len(), names.len()));
        self.transform_into(instances, values.view_mut())?;
        Ok(FeatureMatrix { names, values })
    }

    /// Like [`Self::transform`] into a caller-owned buffer (to reuse it across batches).
    ///
    /// # Errors
    /// As [`Self::transform`], plus [`Error::ShapeMismatch`] when `out` has the wrong shape.
    pub fn transform_into(
        &self,
        instances: &[Instance<'_>],
        mut out: ArrayViewMut2<'_, f64>,
    ) -> Result<()> {
        self.check()?;
        let widths: Vec<usize> = self.extractors.iter().map(|e| e.width()).collect();
        check_shape(&out, instances.len(), widths.iter().sum())?;
        let mut start = 0;
        for (e, width) in self.extractors.iter().zip(widths) {
            // `slice_axis_mut`, not the `s!` macro: the macro expands to an `allow(unsafe_code)`
            // that the workspace's `forbid` rejects.
            let block = out.slice_axis_mut(Axis(1), Slice::from(start..start + width));
            e.extract(instances, block)?;
            start += width;
        }
        if let Some((row, _)) =
            out.rows().into_iter().enumerate().find(|(_, r)| r.iter().any(|v| !v.is_finite()))
        {
            return Err(Error::NonFinite { what: "feature matrix", row });
        }
        Ok(())
    }

    /// The fitted state of every extractor, in order, tagged with names and versions.
    pub fn state(&self) -> serde_json::Value {
        let states: Vec<ExtractorState> = self
            .extractors
            .iter()
            .map(|e| ExtractorState {
                name: e.name().to_owned(),
                version: e.version(),
                state: e.state(),
            })
            .collect();
        serde_json::to_value(states).unwrap_or(serde_json::Value::Null)
    }

    /// Restores state produced by [`Self::state`] into a pipeline with the same extractors.
    ///
    /// # Errors
    /// [`Error::Serialization`] when the state is malformed; [`Error::UnknownComponent`] when
    /// an entry names an extractor or version this pipeline does not have at that position;
    /// [`Error::ShapeMismatch`] when the number of extractors differs.
    pub fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let states: Vec<ExtractorState> =
            serde_json::from_value(state.clone()).map_err(|source| Error::Serialization {
                context: "feature pipeline state".into(),
                source,
            })?;
        if states.len() != self.extractors.len() {
            return Err(Error::ShapeMismatch {
                what: "extractors in pipeline state",
                expected: self.extractors.len(),
                found: states.len(),
            });
        }
        for (e, st) in self.extractors.iter_mut().zip(&states) {
            if e.name() != st.name || e.version() != st.version {
                return Err(Error::UnknownComponent { name: st.name.clone(), version: st.version });
            }
            e.load_state(&st.state)?;
        }
        Ok(())
    }
}

/// Deserialises an extractor's state, wrapping the serde error with the extractor's name.
pub(crate) fn parse_state<T: serde::de::DeserializeOwned>(
    extractor: &str,
    state: &serde_json::Value,
) -> Result<T> {
    serde_json::from_value(state.clone()).map_err(|source| Error::Serialization {
        context: format!("state of extractor `{extractor}`"),
        source,
    })
}
