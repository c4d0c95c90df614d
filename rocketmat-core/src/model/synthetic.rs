//! Synthetic company histories with a planted signal, for tests, benchmarks and demos.
//!
//! No real data: jobs, candidates and outcomes are drawn from a seeded generator. A candidate's
//! chance of advancing rises with the share of the job's required skills they show, with
//! meeting the required years of experience, and with a related past title, so a model that
//! learns from these histories must reach an AUC well above chance. Same seed, same history.

#![allow(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    reason = "small bounded counts and day offsets"
)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Education,
    EducationLevel, Employment, Job, JobId, RejectionKind, Requirements, SkillTag, StageEntry,
};
use crate::features::Instance;

const SKILLS: [&str; 24] = [
    "rust",
    "python",
    "sql",
    "aws",
    "kubernetes",
    "react",
    "go",
    "java",
    "terraform",
    "spark",
    "kafka",
    "docker",
    "typescript",
    "postgresql",
    "graphql",
    "airflow",
    "scala",
    "linux",
    "tensorflow",
    "pandas",
    "figma",
    "salesforce",
    "excel",
    "tableau",
];
const TITLES: [&str; 8] = [
    "Backend Engineer",
    "Data Engineer",
    "Frontend Developer",
    "Platform Engineer",
    "Data Scientist",
    "Product Designer",
    "Sales Analyst",
    "Site Reliability Engineer",
];
const OTHER_TITLES: [&str; 6] =
    ["Barista", "Teacher", "Account Manager", "Nurse", "Warehouse Associate", "Consultant"];
const SOURCES: [&str; 4] = ["Referral", "Jobs Board", "Agencies", "Company Marketing"];

/// A synthetic company: jobs, candidates and their applications, plus the planted outcome.
#[derive(Debug, Clone)]
pub struct SyntheticCompany {
    /// Jobs (requisitions).
    pub jobs: Vec<Job>,
    /// One candidate per application.
    pub candidates: Vec<CandidateProfile>,
    /// Applications, oldest first.
    pub applications: Vec<Application>,
    /// The planted outcome per application: `Some(true)` advanced, `Some(false)` rejected by
    /// the company, `None` withdrew or still undecided.
    pub outcomes: Vec<Option<bool>>,
}

impl SyntheticCompany {
    /// Generates `applications` applications over `jobs` jobs.
    ///
    /// # Examples
    /// ```
    /// use rocketmat_core::model::synthetic::SyntheticCompany;
    /// let company = SyntheticCompany::generate(200, 10, 7);
    /// assert_eq!(company.instances().len(), 200);
    /// ```
    #[allow(
        clippy::too_many_lines,
        reason = "one linear recipe; splitting it would scatter the planted signal"
    )]
    pub fn generate(applications: usize, jobs: usize, seed: u64) -> Self {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let jobs_n = jobs.max(1);
        let start = Utc.with_ymd_and_hms(2023, 1, 1, 9, 0, 0).single().unwrap_or_default();
        let jobs: Vec<Job> = (0..jobs_n)
            .map(|j| {
                let title = TITLES[j % TITLES.len()];
                let skills: Vec<String> =
                    SKILLS.choose_multiple(&mut rng, 4).map(|s| (*s).to_owned()).collect();
                let years = f64::from(rng.random_range(1..=6u8));
                let text = format!(
                    "<p>We are hiring a {title}.</p><ul><li>Experience with {}.</li>\
                     <li>{years} years of professional experience.</li>\
                     <li>Bachelor's degree or equivalent.</li></ul>",
                    skills.join(", ")
                );
                Job {
                    id: JobId(1000 + j as u64),
                    title: title.to_owned(),
                    department: Some("Engineering".to_owned()),
                    location: None,
                    requirement_text: text,
                    requirements: Requirements {
                        skills,
                        min_years: Some(years),
                        min_education: Some(EducationLevel::Bachelor),
                    },
                }
            })
            .collect();
        let mut candidates = Vec::with_capacity(applications);
        let mut apps = Vec::with_capacity(applications);
        let mut outcomes = Vec::with_capacity(applications);
        let span_minutes = 2 * 365 * 24 * 60;
        for i in 0..applications {
            let job = &jobs[rng.random_range(0..jobs.len())];
            let minutes = (i as i64 * span_minutes) / applications.max(1) as i64;
            let created_at: DateTime<Utc> = start + Duration::minutes(minutes);
            let day: NaiveDate = created_at.date_naive();
            // Skills: each required skill shown with a candidate-specific probability.
            let skill_rate: f64 = rng.random_range(0.0..1.0);
            let mut tags: Vec<SkillTag> = Vec::new();
            let mut shown = 0usize;
            for s in &job.requirements.skills {
                if rng.random::<f64>() < skill_rate {
                    shown += 1;
                    tags.push(SkillTag {
                        name: s.as_str().into(),
                        added_at: created_at - Duration::days(rng.random_range(1..400)),
                    });
                }
            }
            for _ in 0..rng.random_range(0..4) {
                let s = SKILLS.choose(&mut rng).copied().unwrap_or("excel");
                tags.push(SkillTag {
                    name: s.into(),
                    added_at: created_at - Duration::days(rng.random_range(1..400)),
                });
            }
            // Employment: years of experience and whether a past title relates to the job.
            let years: f64 = rng.random_range(0.0..12.0);
            let related = rng.random::<f64>() < 0.5;
            let title = if related {
                job.title.clone()
            } else {
                OTHER_TITLES.choose(&mut rng).copied().unwrap_or("Consultant").to_owned()
            };
            let first_start = day - Duration::days((years * 365.0) as i64);
            let employments = vec![Employment {
                title,
                start: Some(first_start),
                end: if rng.random::<f64>() < 0.7 { None } else { Some(day - Duration::days(30)) },
            }];
            let level = *[
                EducationLevel::HighSchool,
                EducationLevel::Bachelor,
                EducationLevel::Bachelor,
                EducationLevel::Master,
            ]
            .choose(&mut rng)
            .unwrap_or(&EducationLevel::Bachelor);
            let educations = vec![Education {
                level,
                field: Some("Computer Science".to_owned()),
                start: Some(first_start - Duration::days(4 * 365)),
                end: Some(first_start - Duration::days(30)),
            }];
            let candidate = CandidateProfile {
                id: CandidateRef(500_000 + i as u64),
                educations,
                employments,
                tags,
            };
            // The planted signal.
            let coverage = shown as f64 / job.requirements.skills.len().max(1) as f64;
            let meets_years = years >= job.requirements.min_years.unwrap_or(0.0);
            let z = -2.2
                + 3.0 * coverage
                + if meets_years { 0.9 } else { 0.0 }
                + if related { 0.8 } else { 0.0 }
                + rng.random_range(-0.5..0.5);
            let advanced = rng.random::<f64>() < 1.0 / (1.0 + (-z).exp());
            let fate: f64 = rng.random();
            let (outcome, stages, rejection, status) = if fate < 0.06 {
                (None, vec![0], Some(RejectionKind::Withdrew), ApplicationStatus::Rejected)
            } else if fate < 0.10 {
                (None, vec![0], None, ApplicationStatus::Active)
            } else if advanced {
                (Some(true), vec![0, 1], None, ApplicationStatus::Active)
            } else {
                (Some(false), vec![0], Some(RejectionKind::ByCompany), ApplicationStatus::Rejected)
            };
            apps.push(Application {
                id: ApplicationId(10_000_000 + i as u64),
                job_id: job.id,
                candidate_id: candidate.id,
                source_type: Some((*SOURCES.choose(&mut rng).unwrap_or(&"Referral")).to_owned()),
                created_at,
                stages: stages
                    .into_iter()
                    .map(|index| StageEntry {
                        index,
                        entered_at: Some(created_at + Duration::days(i64::from(index) * 3)),
                    })
                    .collect(),
                rejection,
                status,
                hired_at: None,
            });
            candidates.push(candidate);
            outcomes.push(outcome);
        }
        Self { jobs, candidates, applications: apps, outcomes }
    }

    /// The (application, job, candidate) rows, in application order.
    pub fn instances(&self) -> Vec<Instance<'_>> {
        self.applications
            .iter()
            .zip(&self.candidates)
            .map(|(a, c)| {
                let job = self.jobs.iter().find(|j| j.id == a.job_id).unwrap_or(&self.jobs[0]);
                Instance { application: a, job, candidate: c }
            })
            .collect()
    }
}
