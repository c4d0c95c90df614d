//! Unit tests of each built-in extractor and of the pipeline: values on hand-made rows,
//! missing data setting the indicator and leaving match columns at 0, allow-list checks,
//! state round trips.

#![allow(
    clippy::float_cmp,
    clippy::many_single_char_names,
    clippy::unwrap_used,
    reason = "expected values are exact (indicators, ratios of small counts); fixture helpers \
              outside #[test] fns may panic"
)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rocketmat_core::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Education,
    EducationLevel, Employment, Job, JobId, Requirements, SkillTag,
};
use rocketmat_core::features::{
    AllowList, EducationMatch, EmploymentGaps, ExperienceMatch, FeatureExtractor, FeaturePipeline,
    InputField, Instance, SkillCoverage, SourceTypeOneHot, TfIdfCosine,
};
use rocketmat_core::ndarray::Array2;
use rocketmat_core::requirements::parse_requirements;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 6, 1, 12, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn job(id: u64, text: &str) -> Job {
    Job {
        id: JobId(id),
        title: "Senior Backend Engineer".into(),
        department: Some("Engineering".into()),
        location: None,
        requirement_text: text.into(),
        requirements: parse_requirements(text),
    }
}

fn rust_job() -> Job {
    job(
        1,
        "<p>Build services in Rust.</p><ul><li>5+ years of professional experience</li>\
         <li>Bachelor's degree in Computer Science or equivalent</li>\
         <li>Skills: Rust, PostgreSQL, Kubernetes</li></ul>",
    )
}

fn empty_job() -> Job {
    Job {
        id: JobId(2),
        title: String::new(),
        department: None,
        location: None,
        requirement_text: String::new(),
        requirements: Requirements::default(),
    }
}

fn app(id: u64, job: &Job, candidate: &CandidateProfile, source: Option<&str>) -> Application {
    Application {
        id: ApplicationId(id),
        job_id: job.id,
        candidate_id: candidate.id,
        source_type: source.map(str::to_owned),
        created_at: at(),
        stages: vec![],
        rejection: None,
        status: ApplicationStatus::Active,
        hired_at: None,
    }
}

fn strong_candidate(id: u64) -> CandidateProfile {
    CandidateProfile {
        id: CandidateRef(id),
        educations: vec![Education {
            level: EducationLevel::Master,
            field: Some("Computer Science".into()),
            start: Some(day(2010, 9, 1)),
            end: Some(day(2012, 6, 1)),
        }],
        employments: vec![
            Employment {
                title: "Backend Engineer".into(),
                start: Some(day(2012, 9, 1)),
                end: Some(day(2016, 9, 1)),
            },
            Employment {
                title: "Senior Rust Engineer".into(),
                start: Some(day(2017, 9, 1)),
                end: None,
            },
        ],
        tags: vec![
            SkillTag { name: "Postgres".into(), added_at: at() },
            SkillTag { name: "Kubernetes".into(), added_at: at() },
        ],
    }
}

fn empty_candidate(id: u64) -> CandidateProfile {
    CandidateProfile { id: CandidateRef(id), educations: vec![], employments: vec![], tags: vec![] }
}

fn extract(e: &dyn FeatureExtractor, rows: &[Instance<'_>]) -> Array2<f64> {
    let mut out = Array2::zeros((rows.len(), e.feature_names().len()));
    e.extract(rows, out.view_mut()).unwrap();
    out
}

fn col(e: &dyn FeatureExtractor, m: &Array2<f64>, row: usize, name: &str) -> f64 {
    let full = format!("{}.{name}", e.name());
    let i = e.feature_names().iter().position(|n| *n == full).unwrap_or_else(|| panic!("{full}"));
    m[[row, i]]
}

#[test]
fn skill_coverage_matches_tags_and_titles() {
    let j = rust_job();
    let c = strong_candidate(1);
    let a = app(1, &j, &c, None);
    let rows = [Instance::new(&a, &j, &c)];
    let e = SkillCoverage::default();
    let m = extract(&e, &rows);
    // Rust via the title, PostgreSQL via the "Postgres" alias, Kubernetes via a tag.
    assert_eq!(col(&e, &m, 0, "ratio"), 1.0);
    assert_eq!(col(&e, &m, 0, "matched"), 3.0);
    assert_eq!(col(&e, &m, 0, "job_missing"), 0.0);
    assert_eq!(col(&e, &m, 0, "candidate_missing"), 0.0);
    // "senior", "backend", "engineer" all appear in past titles.
    assert_eq!(col(&e, &m, 0, "title_overlap"), 1.0);
    let detail = e.skill_match(&rows[0]);
    assert_eq!(detail.matched.len(), 3);
    assert!(detail.missing.is_empty());
}

#[test]
fn skill_coverage_partial_and_vocabulary_from_text() {
    let j = job(3, "<p>You will write Go and Terraform daily.</p>");
    let c1 = CandidateProfile {
        tags: vec![SkillTag { name: "Go".into(), added_at: at() }],
        ..empty_candidate(1)
    };
    let c2 = CandidateProfile {
        tags: vec![
            SkillTag { name: "golang".into(), added_at: at() },
            SkillTag { name: "Terraform".into(), added_at: at() },
        ],
        ..empty_candidate(2)
    };
    let c3 = CandidateProfile {
        tags: vec![SkillTag { name: "Terraform".into(), added_at: at() }],
        ..empty_candidate(3)
    };
    let (a1, a2, a3) = (app(1, &j, &c1, None), app(2, &j, &c2, None), app(3, &j, &c3, None));
    let rows =
        [Instance::new(&a1, &j, &c1), Instance::new(&a2, &j, &c2), Instance::new(&a3, &j, &c3)];
    let mut e = SkillCoverage::default();
    // Before fitting, the post states no skills: missing, and nothing matches.
    let m = extract(&e, &rows);
    assert_eq!(col(&e, &m, 0, "job_missing"), 1.0);
    assert_eq!(col(&e, &m, 0, "ratio"), 0.0);
    e.fit(&rows).unwrap();
    assert_eq!(e.vocabulary(), ["go", "terraform"]);
    let m = extract(&e, &rows);
    assert_eq!(col(&e, &m, 0, "ratio"), 0.5);
    assert_eq!(col(&e, &m, 1, "ratio"), 1.0);
    assert_eq!(col(&e, &m, 2, "ratio"), 0.5);
}

#[test]
fn skill_coverage_missing_never_matches() {
    let j = rust_job();
    let c = empty_candidate(9);
    let a = app(1, &j, &c, None);
    let e = SkillCoverage::default();
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "candidate_missing"), 1.0);
    for name in ["ratio", "matched", "title_overlap"] {
        assert_eq!(col(&e, &m, 0, name), 0.0, "{name}");
    }
    let j = empty_job();
    let c = strong_candidate(1);
    let a = app(2, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "job_missing"), 1.0);
    assert_eq!(col(&e, &m, 0, "ratio"), 0.0);
}

#[test]
fn experience_years_union_and_requirement() {
    let j = rust_job();
    let c = strong_candidate(1);
    let a = app(1, &j, &c, None);
    let e = ExperienceMatch;
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    // 2012-09 .. 2016-09 (4 y) + 2017-09 .. 2024-06-01 (~6.75 y).
    let years = col(&e, &m, 0, "years");
    assert!((years - 10.75).abs() < 0.05, "{years}");
    assert_eq!(col(&e, &m, 0, "meets"), 1.0);
    assert!((col(&e, &m, 0, "ratio") - years / 5.0).abs() < 1e-9);
    assert_eq!(col(&e, &m, 0, "required_missing"), 0.0);

    // Overlapping jobs count once.
    let c2 = CandidateProfile {
        employments: vec![
            Employment {
                title: "a".into(),
                start: Some(day(2020, 1, 1)),
                end: Some(day(2022, 1, 1)),
            },
            Employment {
                title: "b".into(),
                start: Some(day(2021, 1, 1)),
                end: Some(day(2022, 1, 1)),
            },
        ],
        ..empty_candidate(2)
    };
    let a2 = app(2, &j, &c2, None);
    let m = extract(&e, &[Instance::new(&a2, &j, &c2)]);
    assert!((col(&e, &m, 0, "years") - 2.0).abs() < 0.01);
    assert_eq!(col(&e, &m, 0, "meets"), 0.0);
}

#[test]
fn experience_missing_never_matches() {
    let e = ExperienceMatch;
    let j = rust_job();
    let c = CandidateProfile {
        employments: vec![Employment { title: "x".into(), start: None, end: None }],
        ..empty_candidate(1)
    };
    let a = app(1, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "candidate_missing"), 1.0);
    assert_eq!(col(&e, &m, 0, "meets"), 0.0);
    assert_eq!(col(&e, &m, 0, "ratio"), 0.0);
    let j = empty_job();
    let c = strong_candidate(2);
    let a = app(2, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "required_missing"), 1.0);
    assert_eq!(col(&e, &m, 0, "meets"), 0.0);
    assert!(col(&e, &m, 0, "years") > 0.0);
}

#[test]
fn education_levels_and_missing() {
    let e = EducationMatch;
    let j = rust_job();
    let c = strong_candidate(1);
    let a = app(1, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "level"), 0.8);
    assert_eq!(col(&e, &m, 0, "meets"), 1.0);
    assert!((col(&e, &m, 0, "difference") - 0.2).abs() < 1e-12);

    // An unplaceable degree and a degree still in progress are both missing, never a match.
    let c = CandidateProfile {
        educations: vec![
            Education { level: EducationLevel::Unknown, field: None, start: None, end: None },
            Education {
                level: EducationLevel::Doctorate,
                field: None,
                start: Some(day(2022, 1, 1)),
                end: Some(day(2026, 1, 1)),
            },
        ],
        ..empty_candidate(2)
    };
    let a = app(2, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "candidate_missing"), 1.0);
    assert_eq!(col(&e, &m, 0, "meets"), 0.0);
    assert_eq!(col(&e, &m, 0, "level"), 0.0);
    assert_eq!(col(&e, &m, 0, "difference"), 0.0);
}

#[test]
fn employment_gaps_measured_in_months() {
    let e = EmploymentGaps;
    let j = rust_job();
    let c = CandidateProfile {
        employments: vec![
            Employment {
                title: "a".into(),
                start: Some(day(2018, 1, 1)),
                end: Some(day(2020, 1, 1)),
            },
            Employment {
                title: "b".into(),
                start: Some(day(2021, 1, 1)),
                end: Some(day(2023, 6, 1)),
            },
        ],
        ..empty_candidate(1)
    };
    let a = app(1, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert!((col(&e, &m, 0, "longest_months") - 12.0).abs() < 0.1);
    assert!((col(&e, &m, 0, "current_months") - 12.0).abs() < 0.1);
    assert_eq!(col(&e, &m, 0, "missing"), 0.0);
    let c = empty_candidate(2);
    let a = app(2, &j, &c, None);
    let m = extract(&e, &[Instance::new(&a, &j, &c)]);
    assert_eq!(col(&e, &m, 0, "missing"), 1.0);
}

#[test]
fn source_type_one_hot_over_allow_listed_vocabulary() {
    let j = rust_job();
    let c = strong_candidate(1);
    let sources =
        ["Referral", "Referral", "Agencies", "Agencies", "Jobs Page", "Mystery", "Mystery"];
    let apps: Vec<Application> =
        sources.iter().enumerate().map(|(i, s)| app(i as u64, &j, &c, Some(s))).collect();
    let mut apps = apps;
    apps.push(app(99, &j, &c, None));
    let rows: Vec<Instance<'_>> = apps.iter().map(|a| Instance::new(a, &j, &c)).collect();
    let mut e =
        SourceTypeOneHot::new(&["Referral".into(), "Agencies".into(), "Jobs page".into()], 2);
    e.fit(&rows).unwrap();
    assert_eq!(
        e.feature_names(),
        [
            "source_type.agencies",
            "source_type.referral",
            "source_type.other",
            "source_type.missing"
        ]
    );
    let m = extract(&e, &rows);
    assert_eq!(m.row(0).to_vec(), [0.0, 1.0, 0.0, 0.0]);
    assert_eq!(m.row(2).to_vec(), [1.0, 0.0, 0.0, 0.0]);
    // Seen once only (below min count) and not allow-listed both go to "other".
    assert_eq!(m.row(4).to_vec(), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(m.row(5).to_vec(), [0.0, 0.0, 1.0, 0.0]);
    assert_eq!(m.row(7).to_vec(), [0.0, 0.0, 0.0, 1.0]);
    // Every row is one-hot.
    assert!(m.rows().into_iter().all(|r| r.sum() == 1.0));
}

#[test]
fn tfidf_cosine_ranks_related_text_higher_and_keeps_names_out() {
    let j1 = rust_job();
    let j2 = job(2, "<p>Recruit nurses for the hospital ward. Contact jane.doe@example.com</p>");
    let rel = CandidateProfile {
        employments: vec![Employment {
            title: "Rust services engineer Zebulon".into(),
            start: Some(day(2015, 1, 1)),
            end: None,
        }],
        ..empty_candidate(1)
    };
    let unrel = CandidateProfile {
        employments: vec![Employment {
            title: "Hospital ward nurse".into(),
            start: Some(day(2015, 1, 1)),
            end: None,
        }],
        ..empty_candidate(2)
    };
    let (a1, a2, a3, a4) = (
        app(1, &j1, &rel, None),
        app(2, &j1, &unrel, None),
        app(3, &j2, &rel, None),
        app(4, &j2, &unrel, None),
    );
    let rows = [
        Instance::new(&a1, &j1, &rel),
        Instance::new(&a2, &j1, &unrel),
        Instance::new(&a3, &j2, &rel),
        Instance::new(&a4, &j2, &unrel),
    ];
    let mut e = TfIdfCosine::default();
    e.fit(&rows).unwrap();
    let vocab: Vec<&str> = e.vocabulary().iter().map(|(t, _)| t.as_str()).collect();
    assert!(vocab.contains(&"rust"));
    assert!(!vocab.contains(&"zebulon"), "candidate-only tokens never enter the vocabulary");
    assert!(!vocab.iter().any(|t| t.contains("jane") || t.contains("example")));
    let m = extract(&e, &rows);
    assert!(m[[0, 0]] > m[[1, 0]]);
    assert!(m[[3, 0]] > m[[2, 0]]);
    assert!(m.column(0).iter().all(|v| (0.0..=1.0).contains(v)));
    // State round trip gives the same numbers.
    let mut e2 = TfIdfCosine::default();
    e2.load_state(&e.state()).unwrap();
    assert_eq!(extract(&e2, &rows), m);
}

#[test]
fn tfidf_missing_text_is_flagged_and_zero() {
    let j = rust_job();
    let c = empty_candidate(1);
    let a = app(1, &j, &c, None);
    let rows = [Instance::new(&a, &j, &c)];
    let mut e = TfIdfCosine::default();
    e.fit(&rows).unwrap();
    let m = extract(&e, &rows);
    assert_eq!(m.row(0).to_vec(), [0.0, 1.0]);
}

#[test]
fn pipeline_names_shape_and_state_round_trip() {
    let j = rust_job();
    let cands: Vec<CandidateProfile> = (0..6).map(strong_candidate).collect();
    let apps: Vec<Application> =
        cands.iter().enumerate().map(|(i, c)| app(i as u64, &j, c, Some("Referral"))).collect();
    let rows: Vec<Instance<'_>> =
        apps.iter().zip(&cands).map(|(a, c)| Instance::new(a, &j, c)).collect();
    let mut p = FeaturePipeline::default_pipeline();
    p.fit(&rows).unwrap();
    let m = p.transform(&rows).unwrap();
    assert_eq!(m.values.nrows(), rows.len());
    assert_eq!(m.values.ncols(), m.names.len());
    assert_eq!(m.names, p.feature_names());
    assert!(m.names.contains(&"source_type.referral".to_owned()));
    let unique: std::collections::BTreeSet<&String> = m.names.iter().collect();
    assert_eq!(unique.len(), m.names.len(), "feature names are unique");
    let described: Vec<String> = p.describe().into_iter().map(|(n, _)| n).collect();
    assert!(m.names.iter().all(|n| described.iter().any(|d| n.starts_with(&format!("{d}.")))));

    for e in p.extractors() {
        assert_eq!(e.width(), e.feature_names().len(), "{}", e.name());
    }

    let state = p.state();
    let mut q = FeaturePipeline::default_pipeline();
    q.load_state(&state).unwrap();
    assert_eq!(q.transform(&rows).unwrap(), m);
    assert_eq!(serde_json::to_string(&q.state()).unwrap(), serde_json::to_string(&state).unwrap());

    // A state from another pipeline shape is refused.
    let mut short = FeaturePipeline::new(vec![Box::new(ExperienceMatch)]);
    assert!(short.load_state(&state).is_err());
    assert!(q.load_state(&serde_json::json!({"not": "a list"})).is_err());
}

#[test]
fn allow_list_is_enforced_at_fit_and_transform() {
    let j = rust_job();
    let c = strong_candidate(1);
    let a = app(1, &j, &c, Some("Referral"));
    let rows = [Instance::new(&a, &j, &c)];
    let mut p = FeaturePipeline::default_pipeline()
        .with_allow_list(AllowList::default().without(InputField::ApplicationSourceType));
    let err = p.fit(&rows).unwrap_err();
    assert!(err.to_string().contains("source_type"), "{err}");
    assert!(p.transform(&rows).is_err());
    let mut ok = FeaturePipeline::new(vec![Box::new(ExperienceMatch), Box::new(EducationMatch)])
        .with_allow_list(AllowList::default().without(InputField::ApplicationSourceType));
    ok.fit(&rows).unwrap();
    assert_eq!(ok.transform(&rows).unwrap().nrows(), 1);
}

#[test]
fn wrong_output_shape_is_an_error_not_a_panic() {
    let j = rust_job();
    let c = strong_candidate(1);
    let a = app(1, &j, &c, None);
    let rows = [Instance::new(&a, &j, &c)];
    let mut out = Array2::zeros((2, 5));
    assert!(ExperienceMatch.extract(&rows, out.view_mut()).is_err());
    let mut out = Array2::zeros((1, 4));
    assert!(EducationMatch.extract(&rows, out.view_mut()).is_err());
}

#[test]
fn duplicate_extractor_names_are_refused() {
    let p = FeaturePipeline::new(vec![Box::new(ExperienceMatch), Box::new(ExperienceMatch)]);
    assert!(p.transform(&[]).is_err());
}
