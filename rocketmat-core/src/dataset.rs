//! A company's training set: applications joined to their jobs and candidates, in time
//! order, with labels from a [`LabelPolicy`].
//!
//! [`Dataset::build`] resolves every application's job and candidate, orders rows by
//! `(created_at, application id)` (so time splits and fingerprints are deterministic), and
//! labels each row. All rows are kept, labelled or not: unlabelled rows are still useful for
//! fitting vocabularies and for scoring. **To train, take the labelled subset with
//! [`Dataset::labelled`]**, whose [`Dataset::targets`] are then all present; or pass
//! `instances` and `labels` as they are to a trainer that skips `None` labels.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Application, ApplicationId, CandidateProfile, CandidateRef, Job, JobId};
use crate::error::{Error, Result};
use crate::features::Instance;
use crate::labels::{Exclusion, Label, LabelPolicy};

/// Label counts of a dataset, for the minimum-data check and the model card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelCounts {
    /// Rows (applications resolved to a job and a candidate).
    pub total: usize,
    /// Rows with a label.
    pub labelled: usize,
    /// Positive labels.
    pub positives: usize,
    /// Negative labels.
    pub negatives: usize,
    /// Rows left out because the candidate withdrew.
    pub withdrew: usize,
    /// Rows left out as undecided.
    pub undecided: usize,
    /// Applications dropped at build time because their job or candidate was not supplied.
    pub unresolved: usize,
}

/// Minimum data needed to train: below it, training refuses with
/// [`Error::InsufficientData`] rather than produce a poor model.
///
/// | Name | Default | Purpose |
/// |---|---|---|
/// | `min_labelled` | 200 | labelled applications |
/// | `min_positives` | 20 | positive labels |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinimumData {
    /// Minimum labelled applications.
    pub min_labelled: usize,
    /// Minimum positive labels.
    pub min_positives: usize,
}

impl Default for MinimumData {
    fn default() -> Self {
        Self { min_labelled: 200, min_positives: 20 }
    }
}

/// Rows of one company's history, in `(created_at, application id)` order. The vectors are
/// parallel: entry `i` of each describes row `i`.
#[derive(Debug, Clone)]
pub struct Dataset<'a> {
    /// The rows, for feature extraction.
    pub instances: Vec<Instance<'a>>,
    /// Application id of each row.
    pub application_ids: Vec<ApplicationId>,
    /// Job id of each row: the group for grouped cross-validation.
    pub job_ids: Vec<JobId>,
    /// Creation time of each row: the key for time-based splits.
    pub created_at: Vec<DateTime<Utc>>,
    /// Label of each row; `None` when left out of training.
    pub labels: Vec<Option<bool>>,
    counts: LabelCounts,
}

impl<'a> Dataset<'a> {
    /// Joins applications to their jobs and candidates and labels them.
    ///
    /// Applications whose job or candidate is not among the given records are dropped and
    /// counted in [`LabelCounts::unresolved`] (e.g. prospects with no job).
    ///
    /// # Errors
    /// [`Error::InvalidInput`] when an application, job or candidate id occurs twice.
    ///
    /// # Examples
    /// ```
    /// use rocketmat_core::dataset::Dataset;
    /// use rocketmat_core::labels::LabelPolicy;
    ///
    /// let data = Dataset::build(&[], &[], &[], &LabelPolicy::default())?;
    /// assert!(data.is_empty());
    /// let train = data.labelled(); // the labelled subset, for training
    /// assert_eq!(train.counts().labelled, 0);
    /// # Ok::<(), rocketmat_core::Error>(())
    /// ```
    pub fn build(
        jobs: &'a [Job],
        candidates: &'a [CandidateProfile],
        applications: &'a [Application],
        policy: &LabelPolicy,
    ) -> Result<Self> {
        let mut job_by_id: HashMap<JobId, &'a Job> = HashMap::with_capacity(jobs.len());
        for j in jobs {
            if job_by_id.insert(j.id, j).is_some() {
                return Err(Error::InvalidInput(format!("duplicate job id {}", j.id)));
            }
        }
        let mut cand_by_id: HashMap<CandidateRef, &'a CandidateProfile> =
            HashMap::with_capacity(candidates.len());
        for c in candidates {
            if cand_by_id.insert(c.id, c).is_some() {
                return Err(Error::InvalidInput(format!("duplicate candidate id {}", c.id)));
            }
        }
        let mut seen = HashSet::with_capacity(applications.len());
        let mut rows: Vec<(Instance<'a>, Label)> = Vec::with_capacity(applications.len());
        let mut unresolved = 0;
        for a in applications {
            if !seen.insert(a.id) {
                return Err(Error::InvalidInput(format!("duplicate application id {}", a.id)));
            }
            match (job_by_id.get(&a.job_id), cand_by_id.get(&a.candidate_id)) {
                (Some(job), Some(candidate)) => {
                    rows.push((Instance::new(a, job, candidate), policy.label(a)));
                }
                _ => unresolved += 1,
            }
        }
        rows.sort_by_key(|(i, _)| (i.application.created_at, i.application.id));
        let mut data = Self::from_rows(rows.iter().map(|(i, l)| (*i, l.as_bool())));
        for (_, l) in &rows {
            match l {
                Label::Excluded(Exclusion::Withdrew) => data.counts.withdrew += 1,
                Label::Excluded(Exclusion::Undecided) => data.counts.undecided += 1,
                _ => {}
            }
        }
        data.counts.unresolved = unresolved;
        tracing::debug!(
            rows = data.len(),
            labelled = data.counts.labelled,
            positives = data.counts.positives,
            unresolved,
            "dataset built"
        );
        Ok(data)
    }

    fn from_rows(rows: impl Iterator<Item = (Instance<'a>, Option<bool>)>) -> Self {
        let mut d = Self {
            instances: Vec::new(),
            application_ids: Vec::new(),
            job_ids: Vec::new(),
            created_at: Vec::new(),
            labels: Vec::new(),
            counts: LabelCounts::default(),
        };
        for (inst, label) in rows {
            d.application_ids.push(inst.application.id);
            d.job_ids.push(inst.application.job_id);
            d.created_at.push(inst.application.created_at);
            d.instances.push(inst);
            d.labels.push(label);
            d.counts.total += 1;
            match label {
                Some(true) => d.counts.positives += 1,
                Some(false) => d.counts.negatives += 1,
                None => {}
            }
        }
        d.counts.labelled = d.counts.positives + d.counts.negatives;
        d
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.instances.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    /// Label counts. The reasons for exclusion (`withdrew`, `undecided`) and `unresolved` are
    /// known only to the dataset [`Self::build`] made; they read 0 on a [`Self::subset`].
    pub fn counts(&self) -> LabelCounts {
        self.counts
    }

    /// The labelled subset, in the same order: every label is `Some`. This is the training
    /// set.
    #[must_use]
    pub fn labelled(&self) -> Self {
        let rows: Vec<usize> = (0..self.len()).filter(|&i| self.labels[i].is_some()).collect();
        self.subset(&rows)
    }

    /// The rows at `indices`, in that order (indices out of range are skipped).
    #[must_use]
    pub fn subset(&self, indices: &[usize]) -> Self {
        let mut d = Self::from_rows(
            indices
                .iter()
                .filter(|&&i| i < self.len())
                .map(|&i| (self.instances[i], self.labels[i])),
        );
        d.counts.withdrew = 0;
        d.counts.undecided = 0;
        d
    }

    /// The labels as plain booleans, or `None` if any row is unlabelled (call
    /// [`Self::labelled`] first).
    pub fn targets(&self) -> Option<Vec<bool>> {
        self.labels.iter().copied().collect()
    }

    /// Refuses to train on too little data.
    ///
    /// # Errors
    /// [`Error::InsufficientData`] with the counts when there are fewer labelled rows or
    /// positives than `minimum` asks, or [`Error::SingleClass`] when all labels agree.
    pub fn check_minimum(&self, minimum: &MinimumData) -> Result<()> {
        let c = self.counts;
        if c.labelled < minimum.min_labelled || c.positives < minimum.min_positives {
            return Err(Error::InsufficientData {
                labelled: c.labelled,
                positives: c.positives,
                min_labelled: minimum.min_labelled,
                min_positives: minimum.min_positives,
            });
        }
        if c.labelled > 0 && (c.positives == 0 || c.negatives == 0) {
            return Err(Error::SingleClass { class: c.positives > 0 });
        }
        Ok(())
    }
}
