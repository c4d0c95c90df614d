//! Train/test splits that respect how the model is used.
//!
//! A model trained on last year's applications scores this year's, so the honest split is by
//! time (train older, test newer); and applicants to one job share its text and its recruiter,
//! so cross-validation keeps every job's applications in one fold. Both splits are
//! deterministic: same input, same folds.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// Row indices of one train/test split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Rows to fit on.
    pub train: Vec<usize>,
    /// Rows to evaluate on.
    pub test: Vec<usize>,
}

/// Splits rows by time: the oldest `1 - test_fraction` train, the newest `test_fraction` test.
/// Ties in time are broken by row index so the split is deterministic.
///
/// # Errors
/// [`Error::InvalidParameter`] if `test_fraction` is not in `(0, 1)`; [`Error::InvalidInput`]
/// if either side would be empty.
///
/// # Examples
/// ```
/// use chrono::{TimeZone, Utc};
/// use rocketmat_core::evaluation::split::time_split;
/// let t: Vec<_> = (0..5).rev().map(|d| Utc.timestamp_opt(d * 86_400, 0).unwrap()).collect();
/// let s = time_split(&t, 0.4).unwrap();
/// assert_eq!(s.test, vec![1, 0]); // the two newest rows
/// ```
pub fn time_split(times: &[DateTime<Utc>], test_fraction: f64) -> Result<Split> {
    if !(test_fraction > 0.0 && test_fraction < 1.0) {
        return Err(Error::InvalidParameter {
            name: "test_fraction",
            value: test_fraction.to_string(),
            reason: "must lie strictly between 0 and 1",
        });
    }
    let n = times.len();
    let order = time_order(times);
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n_test = ((n as f64) * test_fraction).round() as usize;
    if n_test == 0 || n_test >= n {
        return Err(Error::InvalidInput(format!(
            "time split of {n} rows with test fraction {test_fraction} leaves an empty side"
        )));
    }
    let (train, test) = order.split_at(n - n_test);
    Ok(Split { train: train.to_vec(), test: test.to_vec() })
}

/// Row indices ordered by time, ties by index.
pub fn time_order(times: &[DateTime<Utc>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..times.len()).collect();
    order.sort_by_key(|&i| (times[i], i));
    order
}

/// Grouped k-fold cross-validation: every group (job) lands in exactly one test fold. Groups are
/// dealt largest first to the currently smallest fold (ties: lowest group id, lowest fold), which
/// balances fold sizes deterministically.
///
/// # Errors
/// [`Error::InvalidParameter`] if `k < 2`; [`Error::InvalidInput`] if there are fewer distinct
/// groups than folds.
///
/// # Examples
/// ```
/// use rocketmat_core::evaluation::split::group_k_fold;
/// let folds = group_k_fold(&[7, 7, 8, 9, 9, 9], 2).unwrap();
/// assert_eq!(folds[0].test, vec![3, 4, 5]); // job 9, the largest
/// assert_eq!(folds[1].test, vec![0, 1, 2]); // jobs 7 and 8
/// ```
pub fn group_k_fold(groups: &[u64], k: usize) -> Result<Vec<Split>> {
    if k < 2 {
        return Err(Error::InvalidParameter {
            name: "folds",
            value: k.to_string(),
            reason: "cross-validation needs at least 2 folds",
        });
    }
    let mut sizes: BTreeMap<u64, usize> = BTreeMap::new();
    for &g in groups {
        *sizes.entry(g).or_default() += 1;
    }
    if sizes.len() < k {
        return Err(Error::InvalidInput(format!(
            "{} distinct jobs cannot fill {k} cross-validation folds",
            sizes.len()
        )));
    }
    let mut by_size: Vec<(u64, usize)> = sizes.into_iter().collect();
    by_size.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut fold_sizes = vec![0usize; k];
    let mut fold_of: BTreeMap<u64, usize> = BTreeMap::new();
    for (group, size) in by_size {
        let fold = (0..k).min_by_key(|&f| (fold_sizes[f], f)).unwrap_or(0);
        fold_sizes[fold] += size;
        fold_of.insert(group, fold);
    }
    Ok((0..k)
        .map(|f| {
            let (test, train): (Vec<usize>, Vec<usize>) =
                (0..groups.len()).partition(|&i| fold_of.get(&groups[i]) == Some(&f));
            Split { train, test }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn time_split_trains_on_older_rows() {
        let times: Vec<_> =
            [3, 1, 4, 1, 5].iter().map(|&d| Utc.timestamp_opt(d * 86_400, 0).unwrap()).collect();
        let s = time_split(&times, 0.4).unwrap();
        assert_eq!(s.train, vec![1, 3, 0]);
        assert_eq!(s.test, vec![2, 4]);
        assert!(time_split(&times, 1.0).is_err());
        assert!(time_split(&times[..1], 0.5).is_err());
    }

    #[test]
    fn group_folds_never_share_a_job() {
        let groups = [1, 2, 3, 1, 2, 3, 4, 4, 4, 5];
        let folds = group_k_fold(&groups, 3).unwrap();
        let mut seen = vec![0; groups.len()];
        for f in &folds {
            for &i in &f.test {
                seen[i] += 1;
                assert!(f.train.iter().all(|&j| groups[j] != groups[i]));
            }
            assert_eq!(f.train.len() + f.test.len(), groups.len());
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert!(group_k_fold(&groups, 6).is_err());
        assert!(group_k_fold(&groups, 1).is_err());
    }
}
