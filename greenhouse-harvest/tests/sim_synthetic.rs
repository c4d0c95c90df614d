//! The synthetic company: deterministic per seed, realistic in shape, with outcomes drawn from
//! the planted fit function and a learnable but imperfect Bayes-optimal AUC.
#![cfg(feature = "sim")]
// Helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet, HashMap};

use greenhouse_harvest::models::{ApplicationStatus, JobStatus, RejectionReasonTypeKey};
use greenhouse_harvest::sim::synthetic::fit::FitFunction;
use greenhouse_harvest::sim::synthetic::{SyntheticCompany, SyntheticConfig, generate};

fn company(seed: u64, applications: usize) -> SyntheticCompany {
    generate(&SyntheticConfig { seed, applications, ..SyntheticConfig::default() })
}

fn dump(company: &SyntheticCompany) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    company.dataset.dump_dir(dir.path()).unwrap();
    std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_company() {
    let a = company(21, 400);
    let b = company(21, 400);
    assert_eq!(dump(&a), dump(&b));
    assert_eq!(a.truth, b.truth);
    let c = company(22, 400);
    assert_ne!(dump(&a)["applications.json"], dump(&c)["applications.json"]);
}

#[test]
fn the_bayes_auc_is_learnable_but_not_perfect() {
    for seed in [1, 2, 3] {
        let company = company(seed, 4000);
        let auc = company.bayes_auc;
        eprintln!(
            "seed {seed}: Bayes AUC {auc:.3}, positive rate {:.3}",
            company.truth.positive_rate
        );
        assert!((0.75..=0.85).contains(&auc), "seed {seed}: Bayes AUC {auc}");
        assert_eq!(company.truth.bayes_auc.to_bits(), auc.to_bits());
        let rate = company.truth.positive_rate;
        assert!((0.2..=0.6).contains(&rate), "seed {seed}: positive rate {rate}");
    }
}

#[test]
fn records_hang_together() {
    let company = company(4, 1500);
    let data = &company.dataset;
    assert_eq!(data.applications.len(), 1500);
    let jobs: HashMap<u64, _> = data.jobs.iter().map(|j| (j.id.get(), j)).collect();
    let candidates: HashMap<u64, _> =
        data.candidates.iter().filter_map(|c| c.candidate()).map(|c| (c.id.get(), c)).collect();
    // Every application points at a real job and candidate, and has a stage history that starts
    // at Application Review.
    let mut history: HashMap<u64, Vec<_>> = HashMap::new();
    for stage in &data.application_stages {
        history.entry(stage.application_id.get()).or_default().push(stage);
    }
    let stage_order: HashMap<u64, (i64, &str)> = data
        .job_interview_stages
        .iter()
        .map(|s| (s.id.get(), (s.sort_order.unwrap(), s.name.as_str())))
        .collect();
    for app in &data.applications {
        let job = jobs[&app.job_id.unwrap().get()];
        assert_ne!(job.status, JobStatus::Draft);
        assert!(candidates.contains_key(&app.candidate_id.get()));
        let stages = &history[&app.id.get()];
        assert_eq!(stage_order[&stages[0].job_interview_stage_id.get()], (0, "Application Review"));
        assert_eq!(stages.iter().filter(|s| s.current).count(), 1);
        assert!(app.created_at.unwrap() <= app.updated_at.unwrap());
    }
    // Every job has the five stages in order.
    for job in &data.jobs {
        let names: Vec<&str> = data
            .job_interview_stages
            .iter()
            .filter(|s| s.job_id == job.id)
            .map(|s| s.name.as_str())
            .collect();
        assert_eq!(
            names,
            ["Application Review", "Phone Screen", "Technical Interview", "Onsite", "Offer"]
        );
    }
    // Both kinds of rejection, offers, hires, scorecards and open applications on open jobs.
    let reasons: HashMap<u64, RejectionReasonTypeKey> = data
        .rejection_reasons
        .iter()
        .map(|r| (r.id.get(), r.reason_type.as_ref().unwrap().key.clone()))
        .collect();
    let kinds: BTreeSet<String> = data
        .rejection_details
        .iter()
        .map(|d| reasons[&d.rejection_reason_id.unwrap().get()].to_string())
        .collect();
    assert!(kinds.contains("WE_REJECTED_THEM") && kinds.contains("THEY_REJECTED_US"), "{kinds:?}");
    assert!(!data.offers.is_empty() && !data.scorecards.is_empty());
    assert!(data.applications.iter().any(|a| a.status == ApplicationStatus::Hired));
    let open = company.truth.applications.iter().filter(|t| t.open).count();
    assert!(open >= 20, "{open} open applications to score");
    for truth in company.truth.applications.iter().filter(|t| t.open) {
        assert_eq!(jobs[&truth.job_id].status, JobStatus::Open);
    }
    // Contact details are present (fake), so privacy code has something to drop.
    let candidate = candidates.values().next().unwrap();
    assert!(candidate.first_name.is_some() && candidate.last_name.is_some());
    assert!(candidate.email_addresses[0].value.ends_with("@example.com"));
    assert!(!candidate.phone_numbers.is_empty());
}

#[test]
fn job_posts_state_requirements_in_the_parseable_convention() {
    let company = company(6, 600);
    let degree_words = ["High School", "Associate", "Bachelor", "Master", "PhD"];
    let tags: BTreeSet<&str> =
        company.dataset.candidate_tags.iter().map(|t| t.name.as_str()).collect();
    let mut saw_years = false;
    let mut saw_degree = false;
    for post in &company.dataset.job_posts {
        let content = post.content.as_deref().unwrap();
        assert!(content.starts_with("<p>"), "a prose paragraph first");
        let items: Vec<&str> =
            content.split("<li>").skip(1).map(|rest| rest.split("</li>").next().unwrap()).collect();
        let skills = items.iter().find_map(|i| i.strip_prefix("Skills: ")).unwrap();
        for skill in skills.split(", ") {
            assert!(tags.contains(skill), "skill {skill} is also a tag name");
        }
        for item in &items {
            if let Some(years) = item.strip_suffix("+ years of professional experience") {
                years.parse::<u32>().unwrap();
                saw_years = true;
            }
            if degree_words.iter().any(|w| item.starts_with(w)) {
                saw_degree = true;
            }
        }
    }
    assert!(saw_years && saw_degree);
}

#[test]
fn labels_follow_the_records_and_tags_predate_applications() {
    let company = company(8, 1200);
    let data = &company.dataset;
    let apps: HashMap<u64, _> = data.applications.iter().map(|a| (a.id.get(), a)).collect();
    let mut reached: HashMap<u64, usize> = HashMap::new();
    for stage in &data.application_stages {
        *reached.entry(stage.application_id.get()).or_default() += 1;
    }
    let we_rejected: BTreeSet<u64> = data
        .rejection_reasons
        .iter()
        .filter(|r| r.reason_type.as_ref().unwrap().key == RejectionReasonTypeKey::WeRejectedThem)
        .map(|r| r.id.get())
        .collect();
    let rejected_by_us: BTreeSet<u64> = data
        .rejection_details
        .iter()
        .filter(|d| we_rejected.contains(&d.rejection_reason_id.unwrap().get()))
        .map(|d| d.application_id.get())
        .collect();
    for truth in &company.truth.applications {
        let app = apps[&truth.application_id];
        match truth.label {
            Some(true) => assert!(reached[&truth.application_id] >= 2),
            Some(false) => {
                assert_eq!(reached[&truth.application_id], 1);
                assert_eq!(app.status, ApplicationStatus::Rejected);
                assert!(rejected_by_us.contains(&truth.application_id));
            }
            None => assert_eq!(reached[&truth.application_id], 1),
        }
        assert!((0.0..=1.0).contains(&truth.probability));
    }
    // Skill tags are applied before the candidate's first application.
    let mut first_applied: HashMap<u64, chrono::DateTime<chrono::Utc>> = HashMap::new();
    for app in &data.applications {
        let t = app.created_at.unwrap();
        first_applied.entry(app.candidate_id.get()).and_modify(|f| *f = (*f).min(t)).or_insert(t);
    }
    for tag in &data.applied_candidate_tags {
        assert!(tag.created_at.unwrap() < first_applied[&tag.candidate_id.get()]);
    }
}

#[test]
fn groups_are_independent_of_the_fit() {
    let base = SyntheticConfig { seed: 9, applications: 800, ..SyntheticConfig::default() };
    let a = generate(&base);
    let flat = FitFunction { coverage_weight: 0.0, intercept: 2.0, ..FitFunction::default() };
    let b = generate(&SyntheticConfig { fit: flat, ..base });
    let groups = |c: &SyntheticCompany| -> Vec<(u64, String)> {
        c.truth.applications.iter().map(|t| (t.candidate_id, t.group.clone())).collect()
    };
    let mut ga = groups(&a);
    let mut gb = groups(&b);
    ga.dedup();
    gb.dedup();
    // Changing the fit changes outcomes but no candidate's group.
    let by_candidate: HashMap<u64, String> = gb.into_iter().collect();
    for (candidate, group) in &ga {
        if let Some(other) = by_candidate.get(candidate) {
            assert_eq!(group, other);
        }
    }
    let kinds: BTreeSet<&str> = a.truth.applications.iter().map(|t| t.group.as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["group_a", "group_b"]));
}
