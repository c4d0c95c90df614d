//! Property tests: extractors and text tools never panic on arbitrary text and dates, the
//! pipeline returns one finite row per input row, extraction is deterministic and a row does
//! not depend on the rest of its batch.

#![allow(clippy::cast_possible_truncation, reason = "ids below 8 index small fixture vectors")]

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use rocketmat_core::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Education,
    EducationLevel, Employment, Job, JobId, RejectionKind, Requirements, SkillTag, StageEntry,
};
use rocketmat_core::features::{FeaturePipeline, Instance};
use rocketmat_core::requirements::{MAX_SKILLS, parse_requirements, skills_in_text};
use rocketmat_core::text::{normalise, scrub_pii, strip_html};

/// Free text: arbitrary Unicode, HTML-ish fragments, and words the parsers look for.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,80}",
        prop::collection::vec(
            prop_oneof![
                Just("<li>".to_owned()),
                Just("</li>".to_owned()),
                Just("Skills:".to_owned()),
                Just("5+ years".to_owned()),
                Just("Bachelor's".to_owned()),
                Just("PhD".to_owned()),
                Just("&amp;".to_owned()),
                Just("&#x1F600;".to_owned()),
                Just("<script>".to_owned()),
                Just("Rust".to_owned()),
                Just("a@b.c".to_owned()),
                Just("+1 555 123 4567".to_owned()),
                "[a-zA-Z0-9 ,.;:/<>&#+-]{0,12}",
            ],
            0..20,
        )
        .prop_map(|v| v.join(" ")),
    ]
}

/// Any representable date, with extremes weighted in.
fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        1 => Just(NaiveDate::MIN),
        1 => Just(NaiveDate::MAX),
        8 => (1i32..=800_000).prop_map(|d| {
            NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN)
        }),
    ]
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    prop_oneof![
        1 => Just(DateTime::<Utc>::MIN_UTC),
        1 => Just(DateTime::<Utc>::MAX_UTC),
        8 => (-2_000_000_000i64..5_000_000_000).prop_map(|s| {
            DateTime::from_timestamp(s, 0).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
        }),
    ]
}

fn level() -> impl Strategy<Value = EducationLevel> {
    prop::sample::select(vec![
        EducationLevel::Unknown,
        EducationLevel::HighSchool,
        EducationLevel::Associate,
        EducationLevel::Bachelor,
        EducationLevel::Master,
        EducationLevel::Doctorate,
    ])
}

fn candidate(id: u64) -> impl Strategy<Value = CandidateProfile> {
    (
        prop::collection::vec(
            (level(), prop::option::of(text()), prop::option::of(date()), prop::option::of(date())),
            0..3,
        ),
        prop::collection::vec((text(), prop::option::of(date()), prop::option::of(date())), 0..4),
        prop::collection::vec((text(), instant()), 0..4),
    )
        .prop_map(move |(edu, emp, tags)| CandidateProfile {
            id: CandidateRef(id),
            educations: edu
                .into_iter()
                .map(|(level, field, start, end)| Education { level, field, start, end })
                .collect(),
            employments: emp
                .into_iter()
                .map(|(title, start, end)| Employment { title, start, end })
                .collect(),
            tags: tags
                .into_iter()
                .map(|(name, added_at)| SkillTag { name: name.into(), added_at })
                .collect(),
        })
}

fn job(id: u64) -> impl Strategy<Value = Job> {
    (text(), text(), prop::option::of(0.0f64..100.0), prop::option::of(level()), any::<bool>())
        .prop_map(move |(title, body, years, edu, parse)| {
            let mut requirements =
                if parse { parse_requirements(&body) } else { Requirements::default() };
            if !parse {
                requirements.min_years = years;
                requirements.min_education = edu;
                requirements.skills = vec![title.clone()];
            }
            Job {
                id: JobId(id),
                title,
                department: None,
                location: None,
                requirement_text: body,
                requirements,
            }
        })
}

fn application(id: u64, job: u64, cand: u64) -> impl Strategy<Value = Application> {
    (
        prop::option::of(text()),
        instant(),
        prop::collection::vec((0u32..6, prop::option::of(instant())), 0..3),
    )
        .prop_map(move |(source_type, created_at, stages)| Application {
            id: ApplicationId(id),
            job_id: JobId(job),
            candidate_id: CandidateRef(cand),
            source_type,
            created_at,
            stages: stages
                .into_iter()
                .map(|(index, entered_at)| StageEntry { index, entered_at })
                .collect(),
            rejection: Some(RejectionKind::ByCompany),
            status: ApplicationStatus::Rejected,
            hired_at: None,
        })
}

/// A small company: 2 jobs, 4 candidates, 6 applications.
fn company() -> impl Strategy<Value = (Vec<Job>, Vec<CandidateProfile>, Vec<Application>)> {
    (
        (job(0), job(1)),
        (candidate(0), candidate(1), candidate(2), candidate(3)),
        prop::collection::vec((0u64..2, 0u64..4), 1..7),
    )
        .prop_flat_map(|((j0, j1), (c0, c1, c2, c3), pairs)| {
            let apps: Vec<_> =
                pairs.iter().enumerate().map(|(i, (j, c))| application(i as u64, *j, *c)).collect();
            (Just(vec![j0, j1]), Just(vec![c0, c1, c2, c3]), apps)
        })
}

fn instances<'a>(
    jobs: &'a [Job],
    cands: &'a [CandidateProfile],
    apps: &'a [Application],
) -> Vec<Instance<'a>> {
    apps.iter()
        .map(|a| Instance::new(a, &jobs[a.job_id.0 as usize], &cands[a.candidate_id.0 as usize]))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn pipeline_never_panics_and_is_deterministic((jobs, cands, apps) in company()) {
        let rows = instances(&jobs, &cands, &apps);
        let mut p = FeaturePipeline::default_pipeline();
        p.fit(&rows).unwrap();
        let m = p.transform(&rows).unwrap();
        prop_assert_eq!(m.values.nrows(), rows.len());
        prop_assert_eq!(m.values.ncols(), p.feature_names().len());
        prop_assert!(m.values.iter().all(|v| v.is_finite()));

        // Same rows, fresh pipeline: same state and same matrix.
        let mut q = FeaturePipeline::default_pipeline();
        q.fit(&rows).unwrap();
        prop_assert_eq!(
            serde_json::to_string(&p.state()).unwrap(),
            serde_json::to_string(&q.state()).unwrap()
        );
        prop_assert_eq!(&q.transform(&rows).unwrap(), &m);

        // A row does not depend on its batch: extract each alone, and in reverse order.
        for (i, row) in rows.iter().enumerate() {
            let alone = p.transform(std::slice::from_ref(row)).unwrap();
            prop_assert_eq!(alone.values.row(0), m.values.row(i));
        }
        let reversed: Vec<_> = rows.iter().rev().copied().collect();
        let r = p.transform(&reversed).unwrap();
        for i in 0..rows.len() {
            prop_assert_eq!(r.values.row(rows.len() - 1 - i), m.values.row(i));
        }
    }

    #[test]
    fn text_tools_never_panic(s in text()) {
        let _ = strip_html(&s);
        let _ = scrub_pii(&s);
        let n = normalise(&s);
        prop_assert!(!n.starts_with(' ') && !n.ends_with(' '));
        let r = parse_requirements(&s);
        prop_assert!(r.skills.len() <= MAX_SKILLS);
        prop_assert!(r.min_years.is_none_or(|y| y > 0.0 && y <= 40.0));
        let _ = skills_in_text(&s, &[n]);
    }

    #[test]
    fn scrubbed_text_has_no_email_or_url(local in "[a-z]{1,8}", domain in "[a-z]{1,8}", s in text()) {
        let input = format!("{s} {local}@{domain}.com https://{domain}.io/{local} {s}");
        let out = scrub_pii(&input);
        let email = format!("{local}@{domain}.com");
        prop_assert!(!out.contains(&email));
        prop_assert!(!out.contains("https://"));
    }
}
