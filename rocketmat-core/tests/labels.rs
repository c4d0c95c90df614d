//! Label policy and dataset tests: the default target, the alternatives, exclusions, the
//! dataset's order, counts, labelled subset and minimum-data check.

use chrono::{Duration, TimeZone, Utc};
use rocketmat_core::Error;
use rocketmat_core::dataset::{Dataset, MinimumData};
use rocketmat_core::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Job, JobId,
    RejectionKind, Requirements, StageEntry,
};
use rocketmat_core::labels::{Exclusion, Label, LabelPolicy, Target};

fn app(
    id: u64,
    furthest: Option<u32>,
    status: ApplicationStatus,
    rejection: Option<RejectionKind>,
) -> Application {
    let t0 = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    Application {
        id: ApplicationId(id),
        job_id: JobId(id % 3),
        candidate_id: CandidateRef(id),
        source_type: None,
        // Reverse time order, to check the dataset sorts.
        created_at: t0 - Duration::days(i64::try_from(id).unwrap_or(0)),
        stages: furthest
            .map(|f| (0..=f).map(|index| StageEntry { index, entered_at: None }).collect())
            .unwrap_or_default(),
        rejection,
        status,
        hired_at: (status == ApplicationStatus::Hired).then_some(t0),
    }
}

use ApplicationStatus::{Active, Converted, Hired, Rejected};
use RejectionKind::{ByCompany, Withdrew};

#[test]
fn default_policy_table() {
    let p = LabelPolicy::default();
    let cases = [
        (app(1, Some(0), Rejected, Some(ByCompany)), Label::Negative),
        (app(2, None, Rejected, Some(ByCompany)), Label::Negative),
        (app(3, Some(1), Rejected, Some(ByCompany)), Label::Positive),
        (app(4, Some(4), Active, None), Label::Positive),
        (app(5, Some(4), Hired, None), Label::Positive),
        (app(6, None, Hired, None), Label::Positive),
        (app(7, Some(0), Rejected, Some(Withdrew)), Label::Excluded(Exclusion::Withdrew)),
        (app(8, Some(2), Rejected, Some(Withdrew)), Label::Excluded(Exclusion::Withdrew)),
        (app(9, Some(0), Active, None), Label::Excluded(Exclusion::Undecided)),
        (app(10, Some(0), Converted, None), Label::Excluded(Exclusion::Undecided)),
        // Rejected, but by whom is unknown: no label rather than a guess.
        (app(11, Some(0), Rejected, None), Label::Excluded(Exclusion::Undecided)),
    ];
    for (a, expected) in &cases {
        assert_eq!(p.label(a), *expected, "application {}", a.id);
    }
    assert_eq!(p.target, Target::ReachedStage(1));
}

#[test]
fn withdrawn_after_advancing_can_count_as_positive() {
    let p = LabelPolicy { withdrawn_after_advancing_positive: true, ..LabelPolicy::default() };
    assert_eq!(p.label(&app(1, Some(2), Rejected, Some(Withdrew))), Label::Positive);
    assert_eq!(
        p.label(&app(2, Some(0), Rejected, Some(Withdrew))),
        Label::Excluded(Exclusion::Withdrew)
    );
}

#[test]
fn other_targets() {
    let later = LabelPolicy { target: Target::ReachedStage(3), ..LabelPolicy::default() };
    assert_eq!(later.label(&app(1, Some(2), Rejected, Some(ByCompany))), Label::Negative);
    assert_eq!(later.label(&app(2, Some(3), Rejected, Some(ByCompany))), Label::Positive);
    assert_eq!(later.label(&app(3, Some(2), Active, None)), Label::Excluded(Exclusion::Undecided));

    let hired = LabelPolicy { target: Target::Hired, ..LabelPolicy::default() };
    assert_eq!(hired.label(&app(4, Some(5), Rejected, Some(ByCompany))), Label::Negative);
    assert_eq!(hired.label(&app(5, Some(5), Hired, None)), Label::Positive);
    assert_eq!(hired.label(&app(6, Some(5), Active, None)), Label::Excluded(Exclusion::Undecided));
    assert_eq!(
        hired.label(&app(7, Some(1), Rejected, Some(Withdrew))),
        Label::Excluded(Exclusion::Withdrew)
    );
    let json = serde_json::to_string(&later).unwrap();
    assert_eq!(serde_json::from_str::<LabelPolicy>(&json).unwrap(), later);
}

fn records() -> (Vec<Job>, Vec<CandidateProfile>, Vec<Application>) {
    let jobs = (0..3)
        .map(|i| Job {
            id: JobId(i),
            title: format!("Job {i}"),
            department: None,
            location: None,
            requirement_text: String::new(),
            requirements: Requirements::default(),
        })
        .collect();
    let cands = (0..12)
        .map(|i| CandidateProfile {
            id: CandidateRef(i),
            educations: vec![],
            employments: vec![],
            tags: vec![],
        })
        .collect();
    let apps = vec![
        app(1, Some(0), Rejected, Some(ByCompany)),
        app(2, Some(2), Rejected, Some(ByCompany)),
        app(3, Some(0), Rejected, Some(ByCompany)),
        app(4, Some(0), Rejected, Some(Withdrew)),
        app(5, Some(0), Active, None),
        app(6, Some(3), Hired, None),
        // Candidate 40 is not supplied: unresolved.
        Application { candidate_id: CandidateRef(40), ..app(7, Some(0), Active, None) },
    ];
    (jobs, cands, apps)
}

#[test]
fn dataset_orders_counts_and_subsets() {
    let (jobs, cands, apps) = records();
    let d = Dataset::build(&jobs, &cands, &apps, &LabelPolicy::default()).unwrap();
    assert_eq!(d.len(), 6);
    // Oldest first: ids were created in reverse order.
    let ids: Vec<u64> = d.application_ids.iter().map(|a| a.0).collect();
    assert_eq!(ids, [6, 5, 4, 3, 2, 1]);
    assert!(d.created_at.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(d.job_ids[0], JobId(0));
    assert_eq!(d.labels, [Some(true), None, None, Some(false), Some(true), Some(false)]);
    let c = d.counts();
    assert_eq!(
        (c.total, c.labelled, c.positives, c.negatives, c.withdrew, c.undecided, c.unresolved),
        (6, 4, 2, 2, 1, 1, 1)
    );
    assert!(d.targets().is_none());
    let train = d.labelled();
    assert_eq!(train.len(), 4);
    assert_eq!(train.targets().unwrap(), [true, false, true, false]);
    let ids: Vec<u64> = train.application_ids.iter().map(|a| a.0).collect();
    assert_eq!(ids, [6, 3, 2, 1]);
    assert!(
        train.instances.iter().zip(&train.application_ids).all(|(i, id)| i.application.id == *id)
    );
    assert_eq!(d.subset(&[0, 99]).len(), 1);
}

#[test]
fn minimum_data_is_a_clear_error() {
    let (jobs, cands, apps) = records();
    let d = Dataset::build(&jobs, &cands, &apps, &LabelPolicy::default()).unwrap();
    let err = d.check_minimum(&MinimumData::default()).unwrap_err();
    assert!(matches!(err, Error::InsufficientData { labelled: 4, positives: 2, .. }), "{err}");
    d.check_minimum(&MinimumData { min_labelled: 4, min_positives: 2 }).unwrap();
    let one_class = d.subset(&[0, 4]);
    assert!(matches!(
        one_class.check_minimum(&MinimumData { min_labelled: 1, min_positives: 1 }),
        Err(Error::SingleClass { class: true })
    ));
}

#[test]
fn duplicate_ids_are_refused() {
    let (jobs, cands, mut apps) = records();
    apps.push(apps[0].clone());
    let err = Dataset::build(&jobs, &cands, &apps, &LabelPolicy::default()).unwrap_err();
    assert!(err.to_string().contains("duplicate application id 1"), "{err}");
    let (mut jobs, cands, apps) = records();
    jobs.push(jobs[0].clone());
    assert!(Dataset::build(&jobs, &cands, &apps, &LabelPolicy::default()).is_err());
}
