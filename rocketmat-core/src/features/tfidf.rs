//! TF-IDF cosine similarity between the job post and the candidate's profile text.
//!
//! A small, deterministic vectoriser written for this one feature: the model needs a single
//! similarity column, not the sparse matrix `linfa-preprocessing` would produce, and scoring
//! must stay allocation-light (job vectors are computed once per job and cached).
//!
//! Privacy: candidate text is the as-of employment titles, skill-tag names and education
//! fields only, scrubbed of e-mails, URLs, handles and phone numbers
//! ([`crate::text::scrub_pii`]). Name tokens cannot be recognised reliably in text, so the
//! vocabulary admits only terms that occur in the company's own job posts: a candidate's name
//! (or any other candidate-only word) can never become a term. Gendered words are excluded by
//! default and the vocabulary is inspectable ([`TfIdfCosine::vocabulary`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rustc_hash::FxHashMap;

use ndarray::ArrayViewMut2;
use serde::{Deserialize, Serialize};

use super::cache::JobCache;
use super::skills::{count_f64, indicator};
use super::{FeatureExtractor, InputField, Instance, check_shape, parse_state};
use crate::domain::Job;
use crate::error::{Error, Result};
use crate::text::{for_each_token, is_stop_word, scrub_pii, strip_html};

/// Words excluded from the vocabulary by default because they signal gender, not skill.
pub const DEFAULT_EXCLUDED_TERMS: &[&str] = &[
    "she",
    "he",
    "her",
    "him",
    "his",
    "hers",
    "herself",
    "himself",
    "mr",
    "mrs",
    "ms",
    "miss",
    "woman",
    "women",
    "man",
    "men",
    "female",
    "male",
    "ladies",
    "gentlemen",
    "girl",
    "girls",
    "guy",
    "guys",
    "boy",
    "boys",
    "mother",
    "father",
    "wife",
    "husband",
    "maternity",
    "paternity",
];

/// Parameters of the TF-IDF extractor.
///
/// | Name | Default | Purpose | Range |
/// |---|---|---|---|
/// | `min_df` | 2 | documents (jobs plus candidates) a term must occur in | ≥ 1 |
/// | `max_features` | 20 000 | vocabulary size cap, most frequent terms kept | ≥ 1 |
/// | `sublinear_tf` | true | use 1 + ln(tf) instead of raw counts | |
/// | `excluded_terms` | [`DEFAULT_EXCLUDED_TERMS`] | terms never admitted | |
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfIdfParams {
    /// Minimum document frequency.
    pub min_df: usize,
    /// Maximum vocabulary size.
    pub max_features: usize,
    /// Sublinear term frequency.
    pub sublinear_tf: bool,
    /// Terms never admitted (normalised, lower case).
    pub excluded_terms: Vec<String>,
}

impl Default for TfIdfParams {
    fn default() -> Self {
        Self {
            min_df: 2,
            max_features: 20_000,
            sublinear_tf: true,
            excluded_terms: DEFAULT_EXCLUDED_TERMS.iter().map(|s| (*s).to_owned()).collect(),
        }
    }
}

/// Fitted state: the vocabulary with inverse document frequencies, sorted by term.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct TfIdfState {
    params: Option<TfIdfParams>,
    terms: Vec<(String, f64)>,
}

/// A sparse, L2-normalised vector: (term index, weight), sorted by index.
type SparseVec = Vec<(u32, f64)>;

/// TF-IDF cosine between job text (title plus post) and candidate text.
///
/// | Column | Meaning |
/// |---|---|
/// | `tfidf_cosine.cosine` | cosine similarity in 0..=1; 0 when missing |
/// | `tfidf_cosine.missing` | 1 when the job has no in-vocabulary text or the candidate no text |
#[derive(Debug)]
pub struct TfIdfCosine {
    params: TfIdfParams,
    terms: Vec<(String, f64)>,
    // Fx hashing: token lookups are the hot path of scoring, and the keys come from the
    // company's own fitted vocabulary, so hash flooding is not a concern.
    index: FxHashMap<String, (u32, f64)>,
    cache: JobCache<SparseVec>,
}

impl Default for TfIdfCosine {
    fn default() -> Self {
        Self::new(TfIdfParams::default())
    }
}

impl TfIdfCosine {
    /// The extractor's name.
    pub const NAME: &'static str = "tfidf_cosine";

    /// The column holding the cosine, e.g. for a cosine-only baseline.
    pub const COSINE_COLUMN: &'static str = "tfidf_cosine.cosine";

    /// An unfitted extractor with these parameters.
    pub fn new(params: TfIdfParams) -> Self {
        Self { params, terms: Vec::new(), index: FxHashMap::default(), cache: JobCache::default() }
    }

    /// The fitted vocabulary, sorted by term, with each term's IDF.
    pub fn vocabulary(&self) -> &[(String, f64)] {
        &self.terms
    }

    fn rebuild_index(&mut self) {
        self.index = self
            .terms
            .iter()
            .enumerate()
            .filter_map(|(i, (t, idf))| Some((t.clone(), (u32::try_from(i).ok()?, *idf))))
            .collect();
        self.cache.clear();
    }

    fn admissible(&self, token: &str) -> bool {
        !is_stop_word(token) && !self.params.excluded_terms.iter().any(|t| t == token)
    }

    fn job_vector(&self, job: &Job) -> SparseVec {
        let mut hits: Vec<(u32, f64)> = Vec::new();
        for_job_tokens(job, |t| {
            if let Some(&(i, idf)) = self.index.get(t) {
                hits.push((i, idf));
            }
        });
        let mut out = Vec::new();
        self.weigh(&mut hits, &mut out);
        out
    }

    /// Turns (index, idf) occurrences into a normalised TF-IDF vector sorted by index.
    fn weigh(&self, hits: &mut [(u32, f64)], out: &mut SparseVec) {
        hits.sort_unstable_by_key(|h| h.0);
        out.clear();
        let mut i = 0;
        while i < hits.len() {
            let (idx, idf) = hits[i];
            let mut tf = 0usize;
            while i < hits.len() && hits[i].0 == idx {
                tf += 1;
                i += 1;
            }
            let tf =
                if self.params.sublinear_tf { 1.0 + count_f64(tf).ln() } else { count_f64(tf) };
            out.push((idx, tf * idf));
        }
        let norm = out.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
        if norm > 0.0 {
            for (_, w) in out.iter_mut() {
                *w /= norm;
            }
        }
    }
}

/// Calls `f` with every token of a job's text (title and stripped, scrubbed post).
fn for_job_tokens(job: &Job, mut f: impl FnMut(&str)) {
    for_each_token(&job.title, &mut f);
    let plain = strip_html(&job.requirement_text);
    for_each_token(&scrub_pii(&plain), &mut f);
}

/// Calls `f` with every token of an instance's candidate text as known at the application:
/// employment titles, tag names and education fields, each scrubbed of contact data. Returns
/// whether the candidate had any text at all.
fn for_candidate_tokens(inst: &Instance<'_>, mut f: impl FnMut(&str)) -> bool {
    let view = inst.candidate_as_of();
    let mut any = false;
    let mut piece = |text: &str| {
        if text.trim().is_empty() {
            return;
        }
        any = true;
        // Scrubbing allocates; skip it for the common short piece with nothing to scrub.
        if text.bytes().any(|b| b == b'@' || b == b'/' || b.is_ascii_digit()) {
            for_each_token(&scrub_pii(text), &mut f);
        } else {
            for_each_token(text, &mut f);
        }
    };
    for e in view.employments() {
        piece(&e.title);
    }
    for t in view.tags() {
        piece(&t.name);
    }
    for e in view.educations() {
        if let Some(field) = &e.field {
            piece(field);
        }
    }
    any
}

impl FeatureExtractor for TfIdfCosine {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        vec![Self::COSINE_COLUMN.to_owned(), format!("{}.missing", Self::NAME)]
    }

    fn fit(&mut self, instances: &[Instance<'_>]) -> Result<()> {
        if self.params.min_df == 0 || self.params.max_features == 0 {
            return Err(Error::InvalidParameter {
                name: "min_df/max_features",
                value: format!("{}/{}", self.params.min_df, self.params.max_features),
                reason: "both must be at least 1",
            });
        }
        // Documents: each distinct job once, each distinct candidate once (as first seen).
        let mut job_terms: BTreeSet<String> = BTreeSet::new();
        let mut df: BTreeMap<String, usize> = BTreeMap::new();
        let mut n_docs = 0usize;
        let mut seen_jobs = HashSet::new();
        let mut seen_candidates = HashSet::new();
        let mut doc: BTreeSet<String> = BTreeSet::new();
        for inst in instances {
            if seen_jobs.insert(inst.job.id) {
                doc.clear();
                for_job_tokens(inst.job, |t| {
                    if self.admissible(t) {
                        doc.insert(t.to_owned());
                    }
                });
                n_docs += 1;
                for t in &doc {
                    job_terms.insert(t.clone());
                    *df.entry(t.clone()).or_default() += 1;
                }
            }
            if seen_candidates.insert(inst.candidate.id) {
                doc.clear();
                for_candidate_tokens(inst, |t| {
                    if self.admissible(t) {
                        doc.insert(t.to_owned());
                    }
                });
                n_docs += 1;
                for t in &doc {
                    *df.entry(t.clone()).or_default() += 1;
                }
            }
        }
        // Only job-post terms are admitted: see the module docs on name tokens.
        let mut kept: Vec<(usize, String)> = df
            .into_iter()
            .filter(|(t, c)| *c >= self.params.min_df && job_terms.contains(t))
            .map(|(t, c)| (c, t))
            .collect();
        kept.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        kept.truncate(self.params.max_features);
        let n = count_f64(n_docs);
        let mut terms: Vec<(String, f64)> = kept
            .into_iter()
            .map(|(c, t)| (t, ((1.0 + n) / (1.0 + count_f64(c))).ln() + 1.0))
            .collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        self.terms = terms;
        self.rebuild_index();
        tracing::debug!(documents = n_docs, terms = self.terms.len(), "tf-idf vocabulary fitted");
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        check_shape(&out, instances.len(), 2)?;
        let mut hits: Vec<(u32, f64)> = Vec::with_capacity(64);
        let mut vector: SparseVec = Vec::with_capacity(64);
        let mut jobs = self.cache.batch();
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let job = jobs.get(inst.job, |j| self.job_vector(j));
            hits.clear();
            let has_text = for_candidate_tokens(inst, |t| {
                if let Some(&(i, idf)) = self.index.get(t) {
                    hits.push((i, idf));
                }
            });
            let missing = job.is_empty() || !has_text;
            let cosine = if missing {
                0.0
            } else {
                self.weigh(&mut hits, &mut vector);
                dot(&job, &vector)
            };
            row[0] = cosine.clamp(0.0, 1.0);
            row[1] = indicator(missing);
        }
        Ok(())
    }

    fn state(&self) -> serde_json::Value {
        let state = TfIdfState { params: Some(self.params.clone()), terms: self.terms.clone() };
        serde_json::to_value(state).unwrap_or(serde_json::Value::Null)
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let st: TfIdfState = parse_state(Self::NAME, state)?;
        if let Some((term, idf)) = st.terms.iter().find(|(_, idf)| !idf.is_finite() || *idf < 0.0) {
            return Err(Error::InvalidInput(format!(
                "tf-idf state: term `{term}` has invalid idf {idf}"
            )));
        }
        if let Some(params) = st.params {
            self.params = params;
        }
        self.terms = st.terms;
        self.terms.sort_by(|a, b| a.0.cmp(&b.0));
        self.terms.dedup_by(|a, b| a.0 == b.0);
        self.rebuild_index();
        Ok(())
    }

    fn width(&self) -> usize {
        2
    }

    fn inputs(&self) -> &'static [InputField] {
        &[
            InputField::JobTitle,
            InputField::JobText,
            InputField::CandidateEmploymentTitles,
            InputField::CandidateEmploymentDates,
            InputField::CandidateSkillTags,
            InputField::CandidateEducationFields,
            InputField::ApplicationCreatedAt,
        ]
    }
}

/// Dot product of two index-sorted sparse vectors.
fn dot(a: &SparseVec, b: &SparseVec) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}
