//! Per-job caches for extractors whose job-side work (parsing, vectorising the post) is far
//! costlier than the candidate side: the job side is computed once per job and reused.
//!
//! Two levels: a shared cache keyed by job id and validated by a fingerprint of the job's
//! text (so an edited post is recomputed, never served stale), and a per-batch memo keyed by
//! the job's address, which spares even the fingerprint for the many rows of a batch that
//! share a job. Addresses are stable and unique for the duration of a batch because the
//! batch borrows the jobs immutably.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, RwLock};

use rustc_hash::{FxHashMap, FxHasher};

use crate::domain::{Job, JobId};

/// Jobs cached at most; the cache is emptied when full (a company has far fewer open jobs).
const JOB_CACHE_LIMIT: usize = 4096;

/// A shared, thread-safe cache of per-job values.
#[derive(Debug)]
pub(crate) struct JobCache<T> {
    map: RwLock<HashMap<JobId, (u64, Arc<T>)>>,
}

impl<T> Default for JobCache<T> {
    fn default() -> Self {
        Self { map: RwLock::new(HashMap::new()) }
    }
}

/// A fingerprint of the job fields extractors derive state from. Fx hashing is fast on long
/// posts, and only tells one version of the same job's post from another, so its weak
/// mixing is harmless here.
fn fingerprint(job: &Job) -> u64 {
    let mut h = FxHasher::default();
    job.title.hash(&mut h);
    job.requirement_text.hash(&mut h);
    job.requirements.skills.hash(&mut h);
    h.finish()
}

impl<T> JobCache<T> {
    /// Drops every entry (after a refit changed what the values depend on).
    pub(crate) fn clear(&self) {
        if let Ok(mut map) = self.map.write() {
            map.clear();
        }
    }

    /// The value for `job`, computed with `compute` when absent or stale.
    pub(crate) fn get(&self, job: &Job, compute: impl FnOnce(&Job) -> T) -> Arc<T> {
        let fp = fingerprint(job);
        if let Ok(map) = self.map.read()
            && let Some((_, hit)) = map.get(&job.id).filter(|(f, _)| *f == fp)
        {
            return Arc::clone(hit);
        }
        let value = Arc::new(compute(job));
        if let Ok(mut map) = self.map.write() {
            if map.len() >= JOB_CACHE_LIMIT {
                map.clear();
            }
            map.insert(job.id, (fp, Arc::clone(&value)));
        }
        value
    }

    /// A memo for one batch in front of this cache.
    pub(crate) fn batch(&self) -> BatchJobs<'_, T> {
        BatchJobs { cache: self, seen: FxHashMap::default() }
    }
}

/// The per-batch memo: one lookup per distinct job in the batch.
#[derive(Debug)]
pub(crate) struct BatchJobs<'c, T> {
    cache: &'c JobCache<T>,
    seen: FxHashMap<usize, Arc<T>>,
}

impl<T> BatchJobs<'_, T> {
    /// The value for `job`; see [`JobCache::get`].
    pub(crate) fn get(&mut self, job: &Job, compute: impl FnOnce(&Job) -> T) -> Arc<T> {
        let key = std::ptr::from_ref(job) as usize;
        if let Some(hit) = self.seen.get(&key) {
            return Arc::clone(hit);
        }
        let value = self.cache.get(job, compute);
        self.seen.insert(key, Arc::clone(&value));
        value
    }
}
