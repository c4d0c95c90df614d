//! Requirement and skill coverage: which of the job's required skills the candidate shows in
//! skill tags or employment titles, plus overlap between the job title and past titles.

use std::collections::{BTreeMap, HashSet};

use ndarray::ArrayViewMut2;
use serde::{Deserialize, Serialize};

use super::cache::JobCache;
use super::{FeatureExtractor, InputField, Instance, check_shape, parse_state};
use crate::domain::Job;
use crate::error::{Error, Result};
use crate::text::{for_each_token, is_stop_word, normalise, normalise_into, strip_html};

/// The longest skill phrase, in tokens, looked for in job text.
const MAX_SKILL_TOKENS: usize = 3;

/// Fitted state: the company's skill vocabulary.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct SkillState {
    /// Normalised tag names seen on at least `min_candidates` candidates, sorted.
    vocabulary: Vec<String>,
}

/// The required skills of one job, normalised and de-duplicated.
#[derive(Debug)]
struct JobSkills {
    skills: Vec<String>,
    title_tokens: Vec<String>,
}

/// Requirement/skill coverage.
///
/// A job's required skills are its structured [`crate::domain::Requirements::skills`] plus
/// every skill of the company's vocabulary (tag names seen in training, see `fit`) that its
/// post mentions. A candidate has a skill when a tag applied by the application's creation
/// time, or an employment title started by then, names it (after normalisation and common
/// aliases such as "Postgres" = "`PostgreSQL`").
///
/// | Column | Meaning |
/// |---|---|
/// | `skill_coverage.ratio` | matched required skills / required skills; 0 when either side is missing |
/// | `skill_coverage.matched` | matched required skills, capped at 20 |
/// | `skill_coverage.title_overlap` | share of the job title's words found in past titles; 0 when missing |
/// | `skill_coverage.job_missing` | 1 when the job states no skills |
/// | `skill_coverage.candidate_missing` | 1 when the candidate has no tags and no titles |
#[derive(Debug)]
pub struct SkillCoverage {
    min_candidates: usize,
    max_vocabulary: usize,
    state: SkillState,
    cache: JobCache<JobSkills>,
}

impl Default for SkillCoverage {
    fn default() -> Self {
        Self::new(2, 5000)
    }
}

/// Which requirements an application meets, for explanations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillMatch {
    /// Required skills the candidate shows (normalised).
    pub matched: Vec<String>,
    /// Required skills the candidate does not show (normalised).
    pub missing: Vec<String>,
}

impl SkillCoverage {
    /// The extractor's name.
    pub const NAME: &'static str = "skill_coverage";

    /// A tag name joins the vocabulary when seen on at least `min_candidates` distinct
    /// candidates (so one-off recruiter notes stay out); at most `max_vocabulary` skills, the
    /// most frequent first.
    pub fn new(min_candidates: usize, max_vocabulary: usize) -> Self {
        Self {
            min_candidates: min_candidates.max(1),
            max_vocabulary,
            state: SkillState::default(),
            cache: JobCache::default(),
        }
    }

    /// The fitted skill vocabulary (normalised), for inspection.
    pub fn vocabulary(&self) -> &[String] {
        &self.state.vocabulary
    }

    /// The matched and missing required skills of one instance, for explanations.
    pub fn skill_match(&self, instance: &Instance<'_>) -> SkillMatch {
        let job = self.cache.get(instance.job, |j| self.compute_job_skills(j));
        let mut candidate = CandidateSkills::default();
        candidate.fill(instance);
        let mut out = SkillMatch::default();
        for skill in &job.skills {
            if candidate.has(skill) {
                out.matched.push(skill.clone());
            } else {
                out.missing.push(skill.clone());
            }
        }
        out
    }

    fn compute_job_skills(&self, job: &Job) -> JobSkills {
        let mut skills: Vec<String> = Vec::new();
        let mut seen = HashSet::new();
        for s in &job.requirements.skills {
            let n = normalise(s);
            if !n.is_empty() && seen.insert(n.clone()) {
                skills.push(n);
            }
        }
        if !self.state.vocabulary.is_empty() {
            let grams = ngrams(&strip_html(&job.requirement_text));
            for v in &self.state.vocabulary {
                if grams.contains(v.as_str()) && seen.insert(v.clone()) {
                    skills.push(v.clone());
                }
            }
        }
        let mut title_tokens = Vec::new();
        for_each_token(&job.title, |t| {
            if !is_stop_word(t) && !title_tokens.iter().any(|x: &String| x == t) {
                title_tokens.push(t.to_owned());
            }
        });
        JobSkills { skills, title_tokens }
    }
}

/// All 1- to 3-token phrases of a text, space-joined.
fn ngrams(text: &str) -> HashSet<String> {
    let mut tokens: Vec<String> = Vec::new();
    for_each_token(text, |t| tokens.push(t.to_owned()));
    let mut out = HashSet::new();
    for i in 0..tokens.len() {
        let mut phrase = String::new();
        for (k, t) in tokens[i..].iter().take(MAX_SKILL_TOKENS).enumerate() {
            if k > 0 {
                phrase.push(' ');
            }
            phrase.push_str(t);
            out.insert(normalise(&phrase));
        }
    }
    out
}

/// A candidate's skill evidence as of the application's creation, in reusable buffers so a
/// batch allocates only once. Tags and title tokens are byte ranges into one string, so
/// membership tests compare slices without splitting or searching.
#[derive(Default)]
struct CandidateSkills {
    /// Normalised tag names and title tokens, back to back.
    buf: String,
    /// Ranges of normalised tag names in `buf`.
    tags: Vec<(usize, usize)>,
    /// Ranges of single title tokens in `buf`.
    title_tokens: Vec<(usize, usize)>,
    /// Every title token sequence, space-padded, for multi-word skills:
    /// " senior rust engineer | backend dev | ".
    titles: String,
    title_count: usize,
}

impl CandidateSkills {
    fn fill(&mut self, instance: &Instance<'_>) {
        let view = instance.candidate_as_of();
        self.buf.clear();
        self.tags.clear();
        self.title_tokens.clear();
        self.titles.clear();
        self.titles.push(' ');
        self.title_count = 0;
        for t in view.tags() {
            let start = self.buf.len();
            normalise_into(&t.name, &mut self.buf);
            if self.buf.len() > start {
                self.tags.push((start, self.buf.len()));
            }
        }
        for e in view.employments() {
            let before = self.titles.len();
            for_each_token(&e.title, |t| {
                let start = self.buf.len();
                self.buf.push_str(t);
                self.title_tokens.push((start, self.buf.len()));
                self.titles.push_str(t);
                self.titles.push(' ');
            });
            if self.titles.len() > before {
                self.title_count += 1;
                self.titles.push_str("| ");
            }
        }
    }

    fn is_missing(&self) -> bool {
        self.tags.is_empty() && self.title_count == 0
    }

    fn has(&self, skill: &str) -> bool {
        if self.tags.iter().any(|&(s, e)| &self.buf[s..e] == skill) {
            return true;
        }
        if !skill.contains(' ') {
            return self.has_title_token(skill);
        }
        // A multi-word skill: whole-phrase search in titles, counting only occurrences
        // delimited by spaces.
        self.titles.match_indices(skill).any(|(i, _)| {
            let before = i > 0 && self.titles.as_bytes().get(i - 1) == Some(&b' ');
            let after = self.titles.as_bytes().get(i + skill.len()) == Some(&b' ');
            before && after
        })
    }

    fn has_title_token(&self, token: &str) -> bool {
        self.title_tokens.iter().any(|&(s, e)| &self.buf[s..e] == token)
    }
}

impl FeatureExtractor for SkillCoverage {
    fn name(&self) -> &str {
        Self::NAME
    }

    fn version(&self) -> u32 {
        1
    }

    fn feature_names(&self) -> Vec<String> {
        ["ratio", "matched", "title_overlap", "job_missing", "candidate_missing"]
            .iter()
            .map(|c| format!("{}.{c}", Self::NAME))
            .collect()
    }

    fn fit(&mut self, instances: &[Instance<'_>]) -> Result<()> {
        if self.max_vocabulary == 0 {
            return Err(Error::InvalidParameter {
                name: "max_vocabulary",
                value: "0".into(),
                reason: "must be at least 1",
            });
        }
        // Count distinct candidates per tag, using only tags known at each application.
        let mut per_tag: BTreeMap<String, HashSet<crate::domain::CandidateRef>> = BTreeMap::new();
        for inst in instances {
            for t in inst.candidate_as_of().tags() {
                let n = normalise(&t.name);
                if !n.is_empty() && n.split(' ').count() <= MAX_SKILL_TOKENS {
                    per_tag.entry(n).or_default().insert(inst.candidate.id);
                }
            }
        }
        let mut counted: Vec<(usize, String)> = per_tag
            .into_iter()
            .filter(|(_, c)| c.len() >= self.min_candidates)
            .map(|(t, c)| (c.len(), t))
            .collect();
        // Most frequent first, ties by name: deterministic.
        counted.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        counted.truncate(self.max_vocabulary);
        let mut vocabulary: Vec<String> = counted.into_iter().map(|(_, t)| t).collect();
        vocabulary.sort();
        self.state = SkillState { vocabulary };
        self.cache.clear();
        Ok(())
    }

    fn extract(&self, instances: &[Instance<'_>], mut out: ArrayViewMut2<'_, f64>) -> Result<()> {
        check_shape(&out, instances.len(), 5)?;
        let mut jobs = self.cache.batch();
        let mut candidate = CandidateSkills::default();
        for (inst, mut row) in instances.iter().zip(out.rows_mut()) {
            let job = jobs.get(inst.job, |j| self.compute_job_skills(j));
            candidate.fill(inst);
            let job_missing = job.skills.is_empty();
            let candidate_missing = candidate.is_missing();
            let matched = if candidate_missing {
                0
            } else {
                job.skills.iter().filter(|s| candidate.has(s)).count()
            };
            let ratio = if job_missing || candidate_missing {
                0.0
            } else {
                count_f64(matched) / count_f64(job.skills.len())
            };
            let title_overlap = if job.title_tokens.is_empty() || candidate.title_count == 0 {
                0.0
            } else {
                let hits = job.title_tokens.iter().filter(|t| candidate.has_title_token(t));
                count_f64(hits.count()) / count_f64(job.title_tokens.len())
            };
            row[0] = ratio;
            row[1] = count_f64(matched.min(20));
            row[2] = title_overlap;
            row[3] = indicator(job_missing);
            row[4] = indicator(candidate_missing);
        }
        Ok(())
    }

    fn state(&self) -> serde_json::Value {
        serde_json::to_value(&self.state).unwrap_or(serde_json::Value::Null)
    }

    fn load_state(&mut self, state: &serde_json::Value) -> Result<()> {
        let mut st: SkillState = parse_state(Self::NAME, state)?;
        st.vocabulary.sort();
        st.vocabulary.dedup();
        self.state = st;
        self.cache.clear();
        Ok(())
    }

    fn width(&self) -> usize {
        5
    }

    fn inputs(&self) -> &'static [InputField] {
        &[
            InputField::JobTitle,
            InputField::JobText,
            InputField::JobRequirements,
            InputField::CandidateSkillTags,
            InputField::CandidateEmploymentTitles,
            InputField::CandidateEmploymentDates,
            InputField::ApplicationCreatedAt,
        ]
    }
}

/// 1.0 for true, 0.0 for false.
pub(crate) fn indicator(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// A small count as `f64`; counts here are far below 2^52, so the conversion is exact.
#[allow(clippy::cast_precision_loss)]
pub(crate) fn count_f64(n: usize) -> f64 {
    n as f64
}
