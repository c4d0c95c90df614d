//! The leakage test: an application's feature row uses only what was known at its
//! `created_at`. Changing later data (stages, outcome, hire date, tags added later,
//! employments and educations starting later, the end of an employment ongoing at the time)
//! leaves the row unchanged, both with a fixed fitted state and after refitting. Scorecards and
//! offers have no field in the domain types at all, so no extractor can read them.
//!
//! A control checks the opposite: changing data known before `created_at` does change the row,
//! so the test can fail.

// Helpers outside `#[test]` functions build fixed fixtures; a panic there is a broken test.
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use rocketmat_core::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Education,
    EducationLevel, Employment, Job, JobId, RejectionKind, SkillTag, StageEntry,
};
use rocketmat_core::features::{FeatureMatrix, FeaturePipeline, Instance};
use rocketmat_core::requirements::parse_requirements;

fn created() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 3, 15, 9, 30, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn jobs() -> Vec<Job> {
    let text = "<p>Platform team.</p><ul><li>3+ years of professional experience</li>\
                <li>Master's degree in Computer Science</li>\
                <li>Skills: Rust, Kafka, Terraform</li></ul>";
    vec![Job {
        id: JobId(1),
        title: "Platform Engineer".into(),
        department: None,
        location: None,
        requirement_text: text.into(),
        requirements: parse_requirements(text),
    }]
}

fn candidates() -> Vec<CandidateProfile> {
    (0..4)
        .map(|i| CandidateProfile {
            id: CandidateRef(i),
            educations: vec![Education {
                level: EducationLevel::Bachelor,
                field: Some("Computer Science".into()),
                start: Some(day(2012, 9, 1)),
                end: Some(day(2016, 6, 1)),
            }],
            employments: vec![
                Employment {
                    title: "Platform Engineer".into(),
                    start: Some(day(2016, 9, 1)),
                    end: Some(day(2020, 1, 31)),
                },
                Employment {
                    title: "Rust Developer".into(),
                    start: Some(day(2021, 1, 1)),
                    end: None,
                },
            ],
            tags: vec![
                SkillTag { name: "Kafka".into(), added_at: created() - Duration::days(30) },
                SkillTag { name: "Rust".into(), added_at: created() - Duration::days(3) },
            ],
        })
        .collect()
}

fn applications() -> Vec<Application> {
    (0..4)
        .map(|i| Application {
            id: ApplicationId(i),
            job_id: JobId(1),
            candidate_id: CandidateRef(i),
            source_type: Some("Referral".into()),
            created_at: created() + Duration::hours(i64::try_from(i).unwrap()),
            stages: vec![StageEntry { index: 0, entered_at: Some(created()) }],
            rejection: None,
            status: ApplicationStatus::Active,
            hired_at: None,
        })
        .collect()
}

/// Target row 0; returns (matrix with a pipeline fitted on the data, the pipeline's state).
fn features(
    jobs: &[Job],
    cands: &[CandidateProfile],
    apps: &[Application],
) -> (FeatureMatrix, String) {
    let rows: Vec<Instance<'_>> = apps
        .iter()
        .map(|a| {
            let c = cands.iter().find(|c| c.id == a.candidate_id).unwrap();
            Instance::new(a, &jobs[0], c)
        })
        .collect();
    let mut p = FeaturePipeline::default_pipeline();
    p.fit(&rows).unwrap();
    (p.transform(&rows).unwrap(), serde_json::to_string(&p.state()).unwrap())
}

/// Everything about candidate 0 / application 0 that happens after application 0 was made.
fn change_later_data(cands: &mut [CandidateProfile], apps: &mut [Application], later: Duration) {
    let at = apps[0].created_at;
    let later_day = (at + later).date_naive();
    let a = &mut apps[0];
    a.stages.push(StageEntry { index: 3, entered_at: Some(at + later) });
    a.stages.push(StageEntry { index: 5, entered_at: None });
    a.status = ApplicationStatus::Hired;
    a.hired_at = Some(at + later);
    a.rejection = Some(RejectionKind::Withdrew);
    let c = &mut cands[0];
    c.tags.push(SkillTag { name: "Terraform".into(), added_at: at + later });
    c.tags.push(SkillTag { name: "Strong hire".into(), added_at: at + Duration::seconds(1) });
    c.employments.push(Employment {
        title: "Staff Platform Engineer Terraform Kafka".into(),
        start: Some(later_day.max(at.date_naive() + Duration::days(1))),
        end: None,
    });
    c.educations.push(Education {
        level: EducationLevel::Doctorate,
        field: Some("Distributed Systems".into()),
        start: Some(later_day.max(at.date_naive() + Duration::days(1))),
        end: Some(later_day + Duration::days(900)),
    });
    // The ongoing job ended later: at creation time it was still ongoing.
    c.employments[1].end = Some(later_day.max(at.date_naive()));
}

#[test]
fn later_data_leaves_the_row_unchanged() {
    let jobs = jobs();
    let (cands, apps) = (candidates(), applications());
    let (before, state_before) = features(&jobs, &cands, &apps);

    let (mut cands2, mut apps2) = (cands.clone(), apps.clone());
    change_later_data(&mut cands2, &mut apps2, Duration::days(40));
    let (after, state_after) = features(&jobs, &cands2, &apps2);
    assert_eq!(before.values.row(0), after.values.row(0));
    assert_eq!(state_before, state_after, "fitted state ignores later data too");
}

#[test]
fn control_earlier_data_changes_the_row() {
    let jobs = jobs();
    let (cands, apps) = (candidates(), applications());
    let (before, _) = features(&jobs, &cands, &apps);
    let mut cands2 = cands.clone();
    // The same tag as in the leakage test, but added before the application.
    cands2[0].tags.push(SkillTag {
        name: "Terraform".into(),
        added_at: apps[0].created_at - Duration::days(1),
    });
    let (after, _) = features(&jobs, &cands2, &apps);
    assert_ne!(before.values.row(0), after.values.row(0));
}

#[test]
fn fixed_state_scoring_ignores_later_data() {
    let jobs = jobs();
    let (cands, apps) = (candidates(), applications());
    let rows: Vec<Instance<'_>> =
        apps.iter().zip(&cands).map(|(a, c)| Instance::new(a, &jobs[0], c)).collect();
    let mut p = FeaturePipeline::default_pipeline();
    p.fit(&rows).unwrap();
    let before = p.transform(&rows[..1]).unwrap();
    let (mut cands2, mut apps2) = (cands.clone(), apps.clone());
    change_later_data(&mut cands2, &mut apps2, Duration::days(1));
    let after = p.transform(&[Instance::new(&apps2[0], &jobs[0], &cands2[0])]).unwrap();
    assert_eq!(before, after);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_later_change_leaves_the_row_unchanged(
        later_secs in 1i64..400_000_000,
        titles in prop::collection::vec("[A-Za-z ]{0,24}", 0..3),
        tag_names in prop::collection::vec("[A-Za-z]{1,10}", 0..3),
    ) {
        let jobs = jobs();
        let (cands, apps) = (candidates(), applications());
        let (before, state_before) = features(&jobs, &cands, &apps);
        let (mut cands2, mut apps2) = (cands.clone(), apps.clone());
        let later = Duration::seconds(later_secs);
        change_later_data(&mut cands2, &mut apps2, later);
        let at = apps[0].created_at;
        for t in titles {
            cands2[0].employments.push(Employment {
                title: t,
                start: Some((at + later).date_naive() + Duration::days(1)),
                end: None,
            });
        }
        for t in tag_names {
            cands2[0].tags.push(SkillTag { name: t.into(), added_at: at + later });
        }
        let (after, state_after) = features(&jobs, &cands2, &apps2);
        prop_assert_eq!(before.values.row(0), after.values.row(0));
        prop_assert_eq!(state_before, state_after);
    }
}
