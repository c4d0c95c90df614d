//! Property tests of scoring: ratings in 0..=100, finite, deterministic, one output per input,
//! and independent of batch order and batch composition.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::cast_precision_loss,
    clippy::cast_possible_wrap,
    clippy::many_single_char_names,
    reason = "test code: panics are failures, and the numbers are small"
)]

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use ndarray::Array2;
use proptest::prelude::*;
use rocketmat_core::evaluation::EvaluationConfig;
use rocketmat_core::model::synthetic::SyntheticCompany;
use rocketmat_core::model::{CompanyModel, TrainingConfig};
use rocketmat_core::scoring::{LogisticScorer, Scorer, TrainingData};

fn company() -> &'static SyntheticCompany {
    static C: OnceLock<SyntheticCompany> = OnceLock::new();
    C.get_or_init(|| SyntheticCompany::generate(400, 6, 11))
}

fn model() -> &'static CompanyModel {
    static M: OnceLock<CompanyModel> = OnceLock::new();
    M.get_or_init(|| {
        let c = company();
        let config = TrainingConfig {
            created_at: Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
            evaluation: EvaluationConfig { folds: 0, ..EvaluationConfig::default() },
            ..TrainingConfig::default()
        };
        CompanyModel::train(&c.instances(), &c.outcomes, &config).unwrap()
    })
}

fn scorer() -> &'static LogisticScorer {
    static S: OnceLock<LogisticScorer> = OnceLock::new();
    S.get_or_init(|| {
        let n = 300;
        let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * 7 + j * 13) % 17) as f64 / 4.0);
        let y: Vec<bool> = (0..n).map(|i| x[[i, 0]] + (i % 3) as f64 > 3.0).collect();
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| (*s).to_owned()).collect();
        let groups: Vec<u64> = (0..n as u64).map(|i| i % 5).collect();
        let times: Vec<_> = (0..n as i64).map(|i| Utc.timestamp_opt(i * 60, 0).unwrap()).collect();
        let mut s = LogisticScorer::default();
        s.fit(&TrainingData::new(x.view(), &names, &y, &groups, &times).unwrap()).unwrap();
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_finite_rows_rate_in_range(rows in prop::collection::vec(
        prop::array::uniform3(-1e6f64..1e6), 0..40)) {
        let x = Array2::from_shape_fn((rows.len(), 3), |(i, j)| rows[i][j]);
        let scores = scorer().score(x.view()).unwrap();
        prop_assert_eq!(scores.len(), rows.len());
        for s in &scores {
            prop_assert!(s.rating <= 100);
            prop_assert!(s.probability.is_finite() && (0.0..=1.0).contains(&s.probability));
        }
        prop_assert_eq!(scorer().score(x.view()).unwrap(), scores);
    }

    #[test]
    fn model_scores_are_independent_of_batch_order(
        picks in prop::collection::vec(0usize..400, 1..30),
        rotate in 0usize..30,
    ) {
        let all = company().instances();
        let batch: Vec<_> = picks.iter().map(|&i| all[i]).collect();
        let mut shuffled = batch.clone();
        let r = rotate % shuffled.len();
        shuffled.rotate_left(r);
        shuffled.reverse();
        let a = model().rate(&batch).unwrap();
        let b = model().rate(&shuffled).unwrap();
        prop_assert_eq!(a.len(), batch.len());
        for (id, score) in &a {
            prop_assert!(score.rating <= 100 && score.probability.is_finite());
            let other = b.iter().find(|(j, _)| j == id).unwrap();
            prop_assert_eq!(other.1, *score);
        }
        // Scoring one at a time gives the same as in a batch, and explanations agree.
        let single = model().rate(&batch[..1]).unwrap();
        prop_assert_eq!(single[0], a[0]);
        let explained = model().score(&batch).unwrap();
        for (r, (id, s)) in explained.iter().zip(&a) {
            prop_assert_eq!(r.application_id, *id);
            prop_assert_eq!(r.rating, s.rating);
        }
    }
}
