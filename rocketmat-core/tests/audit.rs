//! Bias audit and proxy check against a small hand-computed example.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names,
    reason = "test code: panics are failures, and the numbers are small"
)]

use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rocketmat_core::audit::{
    AuditConfig, ProtectedAttribute, ProxyConfig, bias_audit, proxy_check,
};

fn attr(name: &str, values: &[Option<&str>]) -> ProtectedAttribute {
    ProtectedAttribute {
        name: name.to_owned(),
        values: values.iter().map(|v| v.map(str::to_owned)).collect(),
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-12)
}

/// Rows: sex, race, selected, score.
/// 0 M A T 9 | 1 M A T 8 | 2 M B T 2 | 3 M B F 7 | 4 F A T 6
/// 5 F B F 1 | 6 F B F 3 | 7 F B F 4 | 8 ? A F 5 | 9 X ? T 10
#[test]
fn hand_computed_rates_ratios_flags_and_exclusions() {
    let sex = attr(
        "sex",
        &[
            Some("M"),
            Some("M"),
            Some("M"),
            Some("M"),
            Some("F"),
            Some("F"),
            Some("F"),
            Some("F"),
            None,
            Some("X"),
        ],
    );
    let race = attr(
        "race",
        &[
            Some("A"),
            Some("A"),
            Some("B"),
            Some("B"),
            Some("A"),
            Some("B"),
            Some("B"),
            Some("B"),
            Some("A"),
            None,
        ],
    );
    let selected: Vec<Option<bool>> =
        [true, true, true, false, true, false, false, false, false, true].map(Some).to_vec();
    let scores: Vec<Option<f64>> =
        [9.0, 8.0, 2.0, 7.0, 6.0, 1.0, 3.0, 4.0, 5.0, 10.0].map(Some).to_vec();
    // 15% minimum share so the 10% categories (X; F × A) are left out.
    let config = AuditConfig { min_share: 0.15, ..AuditConfig::default() };
    let audit = bias_audit(&[sex, race], &selected, &scores, &config).unwrap();

    assert_eq!(audit.total, 10);
    assert!(close(audit.overall_median_score, 5.5));
    assert_eq!(audit.attributes.len(), 3);

    let sex = &audit.attributes[0];
    assert_eq!(sex.unknown, 1);
    assert_eq!(sex.excluded, vec!["X".to_owned()]);
    let get = |a: &rocketmat_core::audit::AttributeAudit, c: &str| {
        a.categories.iter().find(|x| x.category == c).cloned().unwrap()
    };
    let m = get(sex, "M");
    let f = get(sex, "F");
    let x = get(sex, "X");
    assert_eq!((m.count, m.selected, m.above_median), (4, 3, 3));
    assert!(close(m.selection_rate, 0.75) && close(m.scoring_rate, 0.75));
    assert!(close(m.selection_impact_ratio, 1.0) && !m.flagged);
    assert!(close(f.selection_rate, 0.25) && close(f.scoring_rate, 0.25));
    assert!(close(f.selection_impact_ratio, 1.0 / 3.0));
    assert!(close(f.scoring_impact_ratio, 1.0 / 3.0));
    assert!(f.flagged);
    // X has the highest raw rates (1.0) but is excluded: no ratio, and not the reference.
    assert!(x.excluded && x.selection_impact_ratio.is_none() && close(x.selection_rate, 1.0));

    let race = &audit.attributes[1];
    assert_eq!(race.unknown, 1);
    let a = get(race, "A");
    let b = get(race, "B");
    assert!(close(a.selection_rate, 0.75) && close(a.scoring_rate, 0.75));
    assert!(close(b.selection_rate, 0.2) && close(b.scoring_rate, 0.2));
    assert!(close(b.selection_impact_ratio, 0.2 / 0.75) && b.flagged);

    let both = &audit.attributes[2];
    assert_eq!(both.attribute, "sex × race");
    assert_eq!(both.unknown, 2);
    assert_eq!(both.excluded, vec!["F × A".to_owned()]);
    let ma = get(both, "M × A");
    let mb = get(both, "M × B");
    let fb = get(both, "F × B");
    assert!(close(ma.selection_rate, 1.0) && close(ma.scoring_rate, 1.0));
    assert!(close(mb.selection_impact_ratio, 0.5) && close(mb.scoring_impact_ratio, 0.5));
    assert!(close(fb.selection_impact_ratio, 0.0) && fb.flagged);
    assert!(!ma.flagged);
}

#[test]
fn default_two_percent_rule_and_shape_errors() {
    // 60 rows: one row of "Z" is 1.7% < 2%, left out but counted and named.
    let mut values = vec![Some("A"); 30];
    values.extend(vec![Some("B"); 29]);
    values.push(Some("Z"));
    let a = attr("race", &values);
    let selected = vec![Some(true); 60];
    let scores = vec![None; 60];
    let audit =
        bias_audit(std::slice::from_ref(&a), &selected, &scores, &AuditConfig::default()).unwrap();
    let race = &audit.attributes[0];
    assert_eq!(race.excluded, vec!["Z".to_owned()]);
    assert_eq!(race.categories.iter().find(|c| c.category == "Z").unwrap().count, 1);
    // No scores: no median and no scoring rates, but selection rates still.
    assert!(audit.overall_median_score.is_none());
    assert!(race.categories.iter().all(|c| c.scoring_rate.is_none()));
    assert!(bias_audit(&[a], &selected[..10], &scores[..10], &AuditConfig::default()).is_err());
}

#[test]
fn proxy_check_finds_a_planted_proxy_and_not_noise() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let n = 400;
    let mut x = Array2::<f64>::zeros((n, 3));
    let mut sex = Vec::with_capacity(n);
    let mut noise = Vec::with_capacity(n);
    for i in 0..n {
        let f = rng.random::<bool>();
        sex.push(Some(if f { "F" } else { "M" }));
        noise.push(if i % 10 == 0 {
            None
        } else {
            Some(if rng.random::<bool>() { "P" } else { "Q" })
        });
        // Column 0 leaks sex strongly; the others are noise.
        x[[i, 0]] = if f { 1.0 } else { 0.0 } + rng.random_range(-0.6..0.6);
        x[[i, 1]] = rng.random_range(-1.0..1.0);
        x[[i, 2]] = rng.random_range(-1.0..1.0);
    }
    let report =
        proxy_check(x.view(), &[attr("sex", &sex), attr("noise", &noise)], &ProxyConfig::default())
            .unwrap();
    let sex = &report[0];
    let noise = &report[1];
    assert!(sex.max_roc_auc.unwrap() > 0.9, "{sex:?}");
    assert!(sex.flagged);
    assert!(noise.max_roc_auc.unwrap() < 0.65, "{noise:?}");
    assert!(!noise.flagged);
    assert_eq!(noise.unknown, 40);
}
