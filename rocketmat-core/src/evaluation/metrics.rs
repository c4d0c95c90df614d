//! Ranking and calibration metrics for binary outcomes.
//!
//! linfa 0.8.1 offers ROC AUC only as an `f32` on its own dataset types and no NDCG, so these are
//! written here on plain slices, each checked against hand-computed values in the tests below.
//! Scores may tie; every metric treats tied scores as one group instead of an arbitrary order,
//! so the result never depends on the order of the input.

#![allow(
    clippy::cast_precision_loss,
    reason = "row and category counts stay far below 2^52, where usize -> f64 is exact"
)]

use std::collections::BTreeMap;

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, ties counting one half (the Mann–Whitney statistic with mid-ranks).
///
/// Returns `None` when either class is absent, because the AUC is then undefined.
///
/// # Examples
/// ```
/// use rocketmat_core::evaluation::metrics::roc_auc;
/// let auc = roc_auc(&[0.9, 0.1, 0.5, 0.5], &[true, false, true, false]).unwrap();
/// assert!((auc - 0.875).abs() < 1e-12);
/// ```
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let n = scores.len().min(labels.len());
    let positives = labels[..n].iter().filter(|&&l| l).count();
    let negatives = n - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let order = sorted_ascending(&scores[..n]);
    // Sum of mid-ranks of the positives, walking groups of tied scores.
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[order[j + 1]].total_cmp(&scores[order[i]]).is_eq() {
            j += 1;
        }
        // Ranks are 1-based: the group spans ranks i+1..=j+1, mid-rank (i+j)/2 + 1.
        let mid_rank = (i + j) as f64 / 2.0 + 1.0;
        let group_positives = order[i..=j].iter().filter(|&&k| labels[k]).count();
        rank_sum += mid_rank * group_positives as f64;
        i = j + 1;
    }
    let p = positives as f64;
    let u = rank_sum - p * (p + 1.0) / 2.0;
    Some(u / (p * negatives as f64))
}

/// Average precision (area under the precision–recall curve, step-wise as scikit-learn's
/// `average_precision_score`): the sum over distinct score thresholds of the recall gained times
/// the precision at that threshold. Tied scores enter together.
///
/// Returns `None` when there is no positive.
///
/// # Examples
/// ```
/// use rocketmat_core::evaluation::metrics::average_precision;
/// let ap = average_precision(&[0.9, 0.8, 0.7], &[true, false, true]).unwrap();
/// assert!((ap - (0.5 * 1.0 + 0.5 * (2.0 / 3.0))).abs() < 1e-12);
/// ```
pub fn average_precision(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let n = scores.len().min(labels.len());
    let positives = labels[..n].iter().filter(|&&l| l).count();
    if positives == 0 {
        return None;
    }
    let mut order = sorted_ascending(&scores[..n]);
    order.reverse();
    let (mut tp, mut seen, mut ap) = (0usize, 0usize, 0.0);
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[order[j + 1]].total_cmp(&scores[order[i]]).is_eq() {
            j += 1;
        }
        let group_tp = order[i..=j].iter().filter(|&&k| labels[k]).count();
        tp += group_tp;
        seen += j - i + 1;
        if group_tp > 0 {
            ap += (group_tp as f64 / positives as f64) * (tp as f64 / seen as f64);
        }
        i = j + 1;
    }
    Some(ap)
}

/// Mean Brier score: the mean squared difference between the predicted probability and the
/// outcome (1 for positive). Lower is better; `None` for empty input.
///
/// # Examples
/// ```
/// use rocketmat_core::evaluation::metrics::brier_score;
/// assert_eq!(brier_score(&[1.0, 0.5], &[true, false]), Some(0.125));
/// ```
pub fn brier_score(probabilities: &[f64], labels: &[bool]) -> Option<f64> {
    let n = probabilities.len().min(labels.len());
    if n == 0 {
        return None;
    }
    let sum: f64 = probabilities[..n]
        .iter()
        .zip(labels)
        .map(|(&p, &y)| {
            let d = p - f64::from(u8::from(y));
            d * d
        })
        .sum();
    Some(sum / n as f64)
}

/// NDCG@k of one ranked list with binary relevance: DCG of the top `k` by score over the DCG of
/// an ideal order. Tied scores share the mean of the gains their positions would give, so the
/// result does not depend on input order. `None` when the list has no positive.
///
/// # Examples
/// ```
/// use rocketmat_core::evaluation::metrics::ndcg_at_k;
/// // The only positive is ranked second: 1/log2(3) over the ideal 1/log2(2).
/// let v = ndcg_at_k(&[0.9, 0.5, 0.1], &[false, true, false], 10).unwrap();
/// assert!((v - 1.0 / 3f64.log2()).abs() < 1e-12);
/// ```
pub fn ndcg_at_k(scores: &[f64], labels: &[bool], k: usize) -> Option<f64> {
    let n = scores.len().min(labels.len());
    let positives = labels[..n].iter().filter(|&&l| l).count();
    if positives == 0 || k == 0 {
        return None;
    }
    let discount = |pos: usize| if pos < k { 1.0 / ((pos + 2) as f64).log2() } else { 0.0 };
    let mut order = sorted_ascending(&scores[..n]);
    order.reverse();
    let mut dcg = 0.0;
    let mut i = 0;
    while i < n && i < k {
        let mut j = i;
        while j + 1 < n && scores[order[j + 1]].total_cmp(&scores[order[i]]).is_eq() {
            j += 1;
        }
        let group_len = (j - i + 1) as f64;
        let group_positives = order[i..=j].iter().filter(|&&x| labels[x]).count() as f64;
        let mean_discount: f64 = (i..=j).map(discount).sum::<f64>() / group_len;
        dcg += group_positives * mean_discount;
        i = j + 1;
    }
    let ideal: f64 = (0..positives.min(k)).map(discount).sum();
    Some(dcg / ideal)
}

/// Mean NDCG@k over groups (one group per job): each job ranks its own applicants, which is how
/// a recruiter reads the rating. Jobs without a positive are skipped (their NDCG is undefined);
/// `None` when no job has one.
pub fn mean_ndcg_at_k(scores: &[f64], labels: &[bool], groups: &[u64], k: usize) -> Option<f64> {
    let mut by_group: BTreeMap<u64, (Vec<f64>, Vec<bool>)> = BTreeMap::new();
    for ((&s, &l), &g) in scores.iter().zip(labels).zip(groups) {
        let entry = by_group.entry(g).or_default();
        entry.0.push(s);
        entry.1.push(l);
    }
    let values: Vec<f64> = by_group.values().filter_map(|(s, l)| ndcg_at_k(s, l, k)).collect();
    if values.is_empty() { None } else { Some(values.iter().sum::<f64>() / values.len() as f64) }
}

/// Indices sorted by ascending score (NaN last, by `total_cmp`), stable.
fn sorted_ascending(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    order
}

#[cfg(test)]
#[allow(clippy::manual_midpoint, reason = "hand-computed values read as written")]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-12
    }

    #[test]
    fn auc_perfect_inverted_and_undefined() {
        assert_eq!(roc_auc(&[0.1, 0.9], &[false, true]), Some(1.0));
        assert_eq!(roc_auc(&[0.9, 0.1], &[false, true]), Some(0.0));
        assert_eq!(roc_auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(roc_auc(&[0.5, 0.7], &[true, true]), None);
    }

    #[test]
    fn auc_hand_computed_with_ties() {
        // Positives: 0.8, 0.4, 0.4. Negatives: 0.4, 0.2.
        // Pairs: 0.8 beats both (2); each 0.4 ties one (0.5) and beats one (1) => 1.5 each.
        // Total 5 of 6 pairs.
        let auc = roc_auc(&[0.8, 0.4, 0.4, 0.4, 0.2], &[true, true, true, false, false]);
        assert!(close(auc.unwrap(), 5.0 / 6.0));
    }

    #[test]
    fn auc_is_order_independent() {
        let s = [0.3, 0.7, 0.7, 0.1, 0.9];
        let l = [false, true, false, false, true];
        let a = roc_auc(&s, &l).unwrap();
        let (mut s2, mut l2) = (s, l);
        s2.reverse();
        l2.reverse();
        assert!(close(a, roc_auc(&s2, &l2).unwrap()));
    }

    #[test]
    fn average_precision_hand_computed() {
        // Ranked: + (P=1), - , + (P=2/3), - ; recall steps 0.5 each.
        let ap = average_precision(&[0.9, 0.8, 0.7, 0.1], &[true, false, true, false]).unwrap();
        assert!(close(ap, 0.5 + 0.5 * 2.0 / 3.0));
        // A tie between a positive and a negative at the top: precision 1/2 for that group.
        let ap = average_precision(&[0.5, 0.5], &[true, false]).unwrap();
        assert!(close(ap, 0.5));
        assert_eq!(average_precision(&[0.5], &[false]), None);
    }

    #[test]
    fn brier_hand_computed() {
        let b = brier_score(&[0.9, 0.2, 0.6], &[true, false, false]).unwrap();
        assert!(close(b, (0.01 + 0.04 + 0.36) / 3.0));
        assert_eq!(brier_score(&[], &[]), None);
    }

    #[test]
    fn ndcg_hand_computed() {
        // Positives at ranks 1 and 3: DCG = 1 + 1/log2(4) = 1.5; ideal 1 + 1/log2(3).
        let v = ndcg_at_k(&[0.9, 0.8, 0.7, 0.1], &[true, false, true, false], 10).unwrap();
        assert!(close(v, 1.5 / (1.0 + 1.0 / 3f64.log2())));
        // Cut at k = 1: only rank 1 counts; ideal is 1.
        assert!(close(ndcg_at_k(&[0.9, 0.8], &[false, true], 1).unwrap(), 0.0));
        // Tied pair at the top, one positive: mean of the two discounts.
        let v = ndcg_at_k(&[0.5, 0.5], &[true, false], 10).unwrap();
        assert!(close(v, (1.0 + 1.0 / 3f64.log2()) / 2.0));
        assert_eq!(ndcg_at_k(&[0.5], &[false], 10), None);
    }

    #[test]
    fn mean_ndcg_skips_jobs_without_positives() {
        let scores = [0.9, 0.1, 0.2, 0.8, 0.3];
        let labels = [true, false, true, false, false];
        let groups = [1, 1, 2, 2, 3];
        // Job 1: perfect (1.0). Job 2: positive second => 1/log2(3). Job 3: skipped.
        let v = mean_ndcg_at_k(&scores, &labels, &groups, 10).unwrap();
        assert!(close(v, (1.0 + 1.0 / 3f64.log2()) / 2.0));
    }
}
