//! A synthetic company, deterministic for a seed: departments, offices, jobs with live posts
//! that state their requirements, candidates with educations, employments and skill tags, and
//! applications moving through interview stages over eighteen months, whose outcomes are drawn
//! from a planted fit function ([`fit`]).
//!
//! # Job posts
//!
//! Each post's HTML `content` has a short paragraph about the role, then a `<ul>` whose items
//! state the requirements in a fixed, parseable convention:
//! `<li>5+ years of professional experience</li>` (left out when no experience is required),
//! `<li>Bachelor's degree in Computer Science or equivalent</li>` (degree words High School,
//! Associate, Bachelor, Master, `PhD`; left out when no degree is required) and
//! `<li>Skills: Rust, PostgreSQL, Kubernetes</li>`, sometimes with one more item that states
//! no requirement.
//!
//! # Outcomes
//!
//! For every application the generator computes the true probability `p` of the positive
//! outcome from the candidate's facts as the records show them (skill tags, years spanned by
//! the employment history, highest degree of the education records) and the post's
//! requirements, then draws the label from `p`. A positive label moves the application past
//! Application Review; a negative one gets it rejected there with a `WE_REJECTED_THEM` reason.
//! Later stages pass with a chance that grows with `p`, offers are accepted four times in
//! five. Independently of the fit, a share of candidates withdraw at a random stage
//! (`THEY_REJECTED_US`). Applications still under review at the reference time stay
//! `in_process`: on open jobs these are the ones a matching model scores.
//!
//! # Groups
//!
//! Each candidate also gets a synthetic group label (`group_a` or `group_b`, even odds) for
//! bias-audit demos. It is drawn from a separate random stream and used nowhere in the fit or
//! in any record, so any difference in outcomes between groups is chance. Harvest v3 serves
//! no demographic data here; the label is only in the [`Truth`].

pub mod fit;
mod vocab;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Normal};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ids::{
    ApplicationId, ApplicationStageId, AppliedCandidateTagId, ApprovalFlowId, ApproverGroupId,
    ApproverId, CandidateEducationId, CandidateEmploymentId, CandidateId, CandidateTagId,
    CloseReasonId, CustomFieldId, CustomFieldOptionId, DepartmentId, InterviewKitId, JobBoardId,
    JobHiringManagerId, JobId, JobInterviewStageId, JobOwnerId, JobPostId, NoteId, OfferId,
    OfficeId, OpeningId, ReferrerId, RejectionDetailId, RejectionReasonId, RejectionReasonTypeId,
    ScorecardId, SourceId, SourceTypeId, TrackingLinkId, UserId,
};
use crate::models::{
    Application, ApplicationStage, ApplicationStatus, AppliedCandidateTag, ApprovalFlow,
    ApprovalStatus, ApprovalType, Approver, ApproverGroup, ApproverStatus, Candidate,
    CandidateEducation, CandidateEmployment, CandidateListItem, CandidateTag, CloseReason,
    ContactDetail, CustomField, CustomFieldEntry, CustomFieldOption, CustomFieldType,
    CustomFieldValueType, CustomFields, Department, Job, JobHiringManager, JobInterviewStage,
    JobOwner, JobOwnerType, JobPost, JobStatus, Note, NoteVisibility, Offer, OfferStatus, Office,
    Opening, Referrer, RejectionDetail, RejectionReason, RejectionReasonType,
    RejectionReasonTypeKey, Scorecard, ScorecardRating, ScorecardStatus, Source, SourceType,
    TrackingLink, User,
};

use super::dataset::Dataset;
use fit::{FitFunction, FitInputs, roc_auc};
use vocab::{FAMILIES, Family};

/// What to generate.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
///
/// let company = generate(&SyntheticConfig { seed: 7, applications: 300, ..SyntheticConfig::default() });
/// assert_eq!(company.dataset.applications.len(), 300);
/// assert!(company.bayes_auc > 0.6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticConfig {
    /// Seed of every random draw: the same seed gives the same company.
    pub seed: u64,
    /// Number of applications.
    pub applications: usize,
    /// Number of jobs; `None` picks one job per 50 applications (at least 6).
    pub jobs: Option<usize>,
    /// Share of jobs that are open (the rest are closed, except a few drafts).
    pub open_job_share: f64,
    /// Share of applications whose candidate withdraws at some stage, whatever the fit.
    pub withdrawal_rate: f64,
    /// Share of applications made by a candidate who applied before.
    pub reapply_rate: f64,
    /// The reference time: the company's history ends here.
    pub now: DateTime<Utc>,
    /// The planted fit function.
    pub fit: FitFunction,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            applications: 2000,
            jobs: None,
            open_job_share: 0.35,
            withdrawal_rate: 0.08,
            reapply_rate: 0.12,
            now: Utc.with_ymd_and_hms(2026, 11, 30, 12, 0, 0).single().unwrap_or_default(),
            fit: FitFunction::default(),
        }
    }
}

/// The planted truth about one application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationTruth {
    /// The application.
    pub application_id: u64,
    /// Its candidate.
    pub candidate_id: u64,
    /// Its job.
    pub job_id: u64,
    /// The true probability of the positive outcome.
    pub probability: f64,
    /// The observed label: `Some(true)` when the application advanced past Application Review
    /// (or was hired), `Some(false)` when we rejected it there, `None` when it is still under
    /// review or the candidate withdrew there.
    pub label: Option<bool>,
    /// Whether the application is in process on an open job (what a model scores).
    pub open: bool,
    /// The synthetic group label, independent of the fit (see the module docs).
    pub group: String,
    /// The facts the probability was computed from.
    pub inputs: FitInputs,
}

/// Everything the generator knows that Harvest does not serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Truth {
    /// ROC AUC of the true probabilities against the observed labels: the best a model of
    /// these facts can expect (NaN when the labels hold only one class).
    pub bayes_auc: f64,
    /// Number of applications with an observed label.
    pub labeled: usize,
    /// Share of positive labels among them.
    pub positive_rate: f64,
    /// The fit function used.
    pub fit: FitFunction,
    /// One entry per application, by application id ascending.
    pub applications: Vec<ApplicationTruth>,
}

/// A generated company: its data and the planted truth.
#[derive(Debug, Clone)]
pub struct SyntheticCompany {
    /// The records to serve.
    pub dataset: Dataset,
    /// The planted truth.
    pub truth: Truth,
    /// Same as `truth.bayes_auc`.
    pub bayes_auc: f64,
}

/// Generates a company for `config`; the same config always gives the same company.
pub fn generate(config: &SyntheticConfig) -> SyntheticCompany {
    Generator::new(config).run()
}

/// The custom fields every synthetic company has: (name, `name_key`, field type, value type,
/// active).
const CUSTOM_FIELDS: &[(&str, &str, CustomFieldType, CustomFieldValueType, bool)] = &[
    ("Rocketmat", "rocketmat", CustomFieldType::Application, CustomFieldValueType::Number, true),
    ("Degree", "degree", CustomFieldType::Candidate, CustomFieldValueType::SingleSelect, true),
    (
        "School Name",
        "school_name",
        CustomFieldType::Candidate,
        CustomFieldValueType::SingleSelect,
        true,
    ),
    (
        "Discipline",
        "discipline",
        CustomFieldType::Candidate,
        CustomFieldValueType::SingleSelect,
        true,
    ),
    (
        "Employment Type",
        "employment_type",
        CustomFieldType::Job,
        CustomFieldValueType::SingleSelect,
        true,
    ),
    (
        "Hiring Manager Notes",
        "hiring_manager_notes",
        CustomFieldType::Application,
        CustomFieldValueType::ShortText,
        true,
    ),
    (
        "Relocation Needed",
        "relocation_needed",
        CustomFieldType::Application,
        CustomFieldValueType::YesNo,
        true,
    ),
    (
        "Legacy Score",
        "legacy_score",
        CustomFieldType::Application,
        CustomFieldValueType::Number,
        false,
    ),
];

const EMPLOYMENT_TYPES: &[&str] = &["Full-time", "Part-time", "Contract"];

/// Id counters: each resource gets its own range, so an id used as the wrong kind of id finds
/// nothing rather than the wrong record.
#[derive(Debug)]
struct Counter(u64);

impl Counter {
    fn next(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}

#[derive(Debug, Clone)]
struct JobPlan {
    id: u64,
    family: usize,
    name: String,
    status: JobStatus,
    opened: DateTime<Utc>,
    closed: Option<DateTime<Utc>>,
    required_years: u32,
    required_degree: i32,
    required_skills: Vec<&'static str>,
    bar: f64,
    weight: f64,
    post_id: u64,
    stage_ids: [u64; 5],
    recruiter: u64,
    coordinator: u64,
    hiring_manager: u64,
}

#[derive(Debug, Clone)]
struct CandidatePlan {
    index: usize,
    skills: Vec<&'static str>,
    degree: i32,
    /// Start of the first employment; `None` for a candidate without work history.
    career_start: Option<DateTime<Utc>>,
    group: &'static str,
}

struct Generator<'a> {
    config: &'a SyntheticConfig,
    rng: ChaCha8Rng,
    group_rng: ChaCha8Rng,
    data: Dataset,
    start: DateTime<Utc>,
    users: Vec<u64>,
    interviewers: Vec<u64>,
    referrers: Vec<u64>,
    source_ids: Vec<u64>,
    reason_ids: Vec<(u64, &'static str, &'static str)>,
    close_reason_ids: Vec<u64>,
    degree_options: Vec<u64>,
    school_options: Vec<u64>,
    discipline_options: Vec<(u64, &'static str)>,
    tag_ids: BTreeMap<&'static str, u64>,
    ids: BTreeMap<&'static str, Counter>,
}

fn days(d: f64) -> TimeDelta {
    // Whole seconds keep timestamps tidy; the truncation loses nothing that matters here.
    #[allow(clippy::cast_possible_truncation)]
    TimeDelta::seconds((d * 86_400.0) as i64)
}

fn years_between(from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let seconds = (to - from).num_seconds() as f64;
    (seconds / (365.25 * 86_400.0)).max(0.0)
}

impl<'a> Generator<'a> {
    fn new(config: &'a SyntheticConfig) -> Self {
        let bases: [(&'static str, u64); 30] = [
            ("departments", 40_000),
            ("offices", 50_000),
            ("users", 100_000),
            ("sources", 60_000),
            ("source_types", 61_000),
            ("rejection_reasons", 70_000),
            ("rejection_reason_types", 71_000),
            ("close_reasons", 80_000),
            ("custom_fields", 90_000),
            ("custom_field_options", 91_000),
            ("candidate_tags", 95_000),
            ("referrers", 97_000),
            ("jobs", 4_000_000),
            ("job_posts", 4_500_000),
            ("job_interview_stages", 5_000_000),
            ("job_owners", 5_500_000),
            ("job_hiring_managers", 5_600_000),
            ("openings", 5_700_000),
            ("tracking_links", 5_800_000),
            ("approval_flows", 5_900_000),
            ("approver_groups", 5_950_000),
            ("approvers", 5_980_000),
            ("candidates", 10_000_000),
            ("candidate_educations", 20_000_000),
            ("candidate_employments", 30_000_000),
            ("applied_candidate_tags", 40_000_000),
            ("notes", 50_000_000),
            ("applications", 60_000_000),
            ("application_stages", 70_000_000),
            ("scorecards", 80_000_000),
        ];
        let mut ids: BTreeMap<&'static str, Counter> =
            bases.into_iter().map(|(k, base)| (k, Counter(base))).collect();
        ids.insert("rejection_details", Counter(90_000_000));
        ids.insert("offers", Counter(95_000_000));
        Self {
            config,
            rng: ChaCha8Rng::seed_from_u64(config.seed),
            // A separate stream, so group labels cannot depend on any draw of the fit.
            group_rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0x67_726f_7570),
            data: Dataset::default(),
            start: config.now - days(540.0),
            users: Vec::new(),
            interviewers: Vec::new(),
            referrers: Vec::new(),
            source_ids: Vec::new(),
            reason_ids: Vec::new(),
            close_reason_ids: Vec::new(),
            degree_options: Vec::new(),
            school_options: Vec::new(),
            discipline_options: Vec::new(),
            tag_ids: BTreeMap::new(),
            ids,
        }
    }

    fn id(&mut self, resource: &'static str) -> u64 {
        self.ids.entry(resource).or_insert(Counter(0)).next()
    }

    fn setup_time(&mut self) -> DateTime<Utc> {
        let offset = self.rng.random_range(0.0..30.0);
        self.start - days(60.0 + offset)
    }

    fn run(mut self) -> SyntheticCompany {
        self.reference_data();
        let jobs = self.jobs();
        let truth = self.applications(&jobs);
        self.remaining_openings(&jobs);
        let bayes_auc = truth.bayes_auc;
        SyntheticCompany { dataset: self.data, truth, bayes_auc }
    }

    fn reference_data(&mut self) {
        for family in FAMILIES {
            let t = self.setup_time();
            let id = self.id("departments");
            self.data.departments.push(Department {
                id: DepartmentId::new(id),
                name: family.department.to_owned(),
                parent_id: None,
                external_id: Some(format!("dept-{}", family.department.to_lowercase())),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
        for (name, city) in vocab::OFFICES {
            let t = self.setup_time();
            let id = self.id("offices");
            self.data.offices.push(Office {
                id: OfficeId::new(id),
                name: (*name).to_owned(),
                parent_id: None,
                external_id: None,
                location: json!({ "name": city }),
                primary_in_house_contact_user_id: None,
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
        self.users_and_referrers();
        for (i, (name, kind)) in vocab::SOURCES.iter().enumerate() {
            let t = self.setup_time();
            let id = self.id("sources");
            let type_id = 61_000 + i as u64 + 1;
            self.source_ids.push(id);
            self.data.sources.push(Source {
                id: SourceId::new(id),
                name: (*name).to_owned(),
                source_type: Some(SourceType {
                    id: Some(SourceTypeId::new(type_id)),
                    name: Some((*kind).to_owned()),
                }),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
        let type_keys = ["WE_REJECTED_THEM", "THEY_REJECTED_US", "NONE_SPECIFIED"];
        for (name, key) in vocab::REJECTION_REASONS {
            let t = self.setup_time();
            let id = self.id("rejection_reasons");
            let type_index = type_keys.iter().position(|k| k == key).unwrap_or(2);
            self.reason_ids.push((id, name, key));
            self.data.rejection_reasons.push(RejectionReason {
                id: RejectionReasonId::new(id),
                name: (*name).to_owned(),
                reason_type: Some(RejectionReasonType {
                    id: Some(RejectionReasonTypeId::new(71_001 + type_index as u64)),
                    key: match *key {
                        "WE_REJECTED_THEM" => RejectionReasonTypeKey::WeRejectedThem,
                        "THEY_REJECTED_US" => RejectionReasonTypeKey::TheyRejectedUs,
                        _ => RejectionReasonTypeKey::NoneSpecified,
                    },
                    name: Some(
                        ["We rejected them", "They rejected us", "None specified"][type_index]
                            .to_owned(),
                    ),
                }),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
        for name in vocab::CLOSE_REASONS {
            let t = self.setup_time();
            let id = self.id("close_reasons");
            self.close_reason_ids.push(id);
            self.data.close_reasons.push(CloseReason {
                id: CloseReasonId::new(id),
                name: (*name).to_owned(),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
        self.custom_fields();
        let mut skills: Vec<&'static str> =
            FAMILIES.iter().flat_map(|f| f.skills.iter().copied()).collect();
        skills.extend(vocab::GENERIC_SKILLS);
        skills.sort_unstable();
        skills.dedup();
        for skill in skills {
            let t = self.setup_time();
            let id = self.id("candidate_tags");
            self.tag_ids.insert(skill, id);
            self.data.candidate_tags.push(CandidateTag {
                id: CandidateTagId::new(id),
                name: skill.to_owned(),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
    }

    fn users_and_referrers(&mut self) {
        let jobs = self.job_count();
        let count = (jobs / 3).clamp(12, 600);
        for i in 0..count {
            let t = self.setup_time();
            let id = self.id("users");
            let first = *vocab::FIRST_NAMES.choose(&mut self.rng).unwrap_or(&"Alex");
            let last = *vocab::LAST_NAMES.choose(&mut self.rng).unwrap_or(&"Smith");
            // The first user is the site admin an integration authorizes as; the second is an
            // integration service account (no e-mail, hidden unless asked for); the third is a
            // plain interviewer who is not a site admin.
            let (title, admin, email) = match i {
                0 => ("Recruiting Operations Lead", true, true),
                1 => ("Integration Service Account", true, false),
                2 => ("Interviewer", false, true),
                _ if i % 5 == 0 => ("Recruiter", true, true),
                _ if i % 5 == 1 => ("Recruiting Coordinator", false, true),
                _ => ("Hiring Manager", false, true),
            };
            let primary_email = email.then(|| {
                format!("{}.{}.{id}@example.com", first.to_lowercase(), last.to_lowercase())
            });
            self.data.users.push(User {
                id: UserId::new(id),
                first_name: email.then(|| first.to_owned()),
                last_name: email.then(|| last.to_owned()),
                name: Some(if email { format!("{first} {last}") } else { title.to_owned() }),
                job_title: Some(title.to_owned()),
                emails: primary_email.iter().cloned().collect(),
                primary_email,
                deactivated: false,
                site_admin: admin,
                agency_id: None,
                employee_id: email.then(|| format!("E{id}")),
                linked_candidate_ids: Vec::new(),
                office_ids: vec![OfficeId::new(50_001 + (i % vocab::OFFICES.len()) as u64)],
                department_ids: vec![DepartmentId::new(40_001 + (i % FAMILIES.len()) as u64)],
                interviewer_tags: Vec::new(),
                created_at: Some(t),
                updated_at: Some(t),
            });
            if i != 1 {
                self.users.push(id);
                self.interviewers.push(id);
            }
        }
        for i in 0..10.min(self.users.len()) {
            let t = self.setup_time();
            let id = self.id("referrers");
            let user = self.users[(i * 7 + 3) % self.users.len()];
            let name =
                self.data.users.iter().find(|u| u.id.get() == user).and_then(|u| u.name.clone());
            self.referrers.push(id);
            self.data.referrers.push(Referrer {
                id: ReferrerId::new(id),
                name,
                user_id: Some(UserId::new(user)),
                created_at: Some(t),
                updated_at: Some(t),
            });
        }
    }

    fn custom_fields(&mut self) {
        for (name, key, field_type, value_type, active) in CUSTOM_FIELDS {
            let t = self.setup_time();
            let id = self.id("custom_fields");
            self.data.custom_fields.push(CustomField {
                id: CustomFieldId::new(id),
                name: (*name).to_owned(),
                name_key: Some((*key).to_owned()),
                field_type: field_type.clone(),
                value_type: value_type.clone(),
                private: false,
                required: false,
                internal_type: None,
                active: *active,
                created_at: Some(t),
                updated_at: Some(t),
            });
            let options: Vec<&'static str> = match *key {
                "degree" => vocab::DEGREES.to_vec(),
                "school_name" => vocab::SCHOOLS.to_vec(),
                "discipline" => vocab::DISCIPLINES.to_vec(),
                "employment_type" => EMPLOYMENT_TYPES.to_vec(),
                _ => Vec::new(),
            };
            for (order, option) in options.into_iter().enumerate() {
                let option_id = self.id("custom_field_options");
                match *key {
                    "degree" => self.degree_options.push(option_id),
                    "school_name" => self.school_options.push(option_id),
                    "discipline" => self.discipline_options.push((option_id, option)),
                    _ => {}
                }
                self.data.custom_field_options.push(CustomFieldOption {
                    id: CustomFieldOptionId::new(option_id),
                    custom_field_id: CustomFieldId::new(id),
                    name: option.to_owned(),
                    external_id: None,
                    sort_order: i64::try_from(order).ok(),
                    active: true,
                    created_at: Some(t),
                    updated_at: Some(t),
                });
            }
        }
    }

    fn job_count(&self) -> usize {
        self.config.jobs.unwrap_or(self.config.applications / 50).max(6)
    }

    fn jobs(&mut self) -> Vec<JobPlan> {
        let now = self.config.now;
        let family_weights = [0.34, 0.16, 0.12, 0.18, 0.1, 0.1];
        let popularity = LogNormal::new(0.0, 0.6).ok();
        let bar = Normal::new(0.0, self.config.fit.job_bar_sd.max(0.0)).ok();
        let mut plans = Vec::new();
        for n in 0..self.job_count() {
            let family = weighted_index(&mut self.rng, &family_weights);
            let f = &FAMILIES[family];
            let role = *f.roles.choose(&mut self.rng).unwrap_or(&"Specialist");
            let (prefix, required_years) = *vocab::LEVELS.choose(&mut self.rng).unwrap_or(&("", 2));
            let u: f64 = self.rng.random();
            let status = if u < 0.02 {
                JobStatus::Draft
            } else if u < 0.02 + self.config.open_job_share {
                JobStatus::Open
            } else {
                JobStatus::Closed
            };
            let (opened, closed) = match status {
                JobStatus::Open => (now - days(self.rng.random_range(20.0..300.0)), None),
                JobStatus::Closed => {
                    let opened = now - days(self.rng.random_range(140.0..540.0));
                    let length = self.rng.random_range(110.0..300.0);
                    let closed = (opened + days(length)).min(now - days(5.0));
                    (opened, Some(closed))
                }
                _ => (now - days(self.rng.random_range(1.0..20.0)), None),
            };
            let required_degree = {
                let academic = f.academic;
                let weights = [0.25, 0.08, 0.05, 0.62 - academic, academic * 0.75, academic * 0.25];
                i32::try_from(weighted_index(&mut self.rng, &weights)).unwrap_or(0)
            };
            let count = self.rng.random_range(3..=5).min(f.skills.len());
            let mut required_skills: Vec<&'static str> =
                f.skills.choose_multiple(&mut self.rng, count).copied().collect();
            required_skills.shuffle(&mut self.rng);
            let job_bar = bar.map_or(0.0, |b| b.sample(&mut self.rng));
            let weight = popularity.map_or(1.0, |p| p.sample(&mut self.rng));
            let id = self.id("jobs");
            let pick = |rng: &mut ChaCha8Rng, users: &[u64]| *users.choose(rng).unwrap_or(&0);
            let recruiter = pick(&mut self.rng, &self.users);
            let coordinator = pick(&mut self.rng, &self.users);
            let hiring_manager = pick(&mut self.rng, &self.users);
            let plan = JobPlan {
                id,
                family,
                name: format!("{prefix}{role}"),
                status,
                opened,
                closed,
                required_years,
                required_degree,
                required_skills,
                bar: job_bar,
                weight,
                post_id: 0,
                stage_ids: [0; 5],
                recruiter,
                coordinator,
                hiring_manager,
            };
            let plan = self.job_records(plan, n);
            plans.push(plan);
        }
        plans
    }

    // The records of one job are easiest to check side by side, so they stay in one function.
    #[allow(clippy::too_many_lines)]
    fn job_records(&mut self, mut plan: JobPlan, n: usize) -> JobPlan {
        let f = &FAMILIES[plan.family];
        let created = plan.opened - days(self.rng.random_range(1.0..14.0));
        let updated = plan.closed.unwrap_or(plan.opened);
        let office_index = self.rng.random_range(0..vocab::OFFICES.len());
        let office = 50_001 + office_index as u64;
        let employment_type = *EMPLOYMENT_TYPES.choose(&mut self.rng).unwrap_or(&"Full-time");
        let mut custom_fields = CustomFields::new();
        custom_fields.insert(
            "employment_type".into(),
            CustomFieldEntry {
                name: Some("Employment Type".into()),
                value_type: Some(CustomFieldValueType::SingleSelect),
                value: Value::String(employment_type.into()),
            },
        );
        self.data.jobs.push(Job {
            id: JobId::new(plan.id),
            name: plan.name.clone(),
            requisition_id: Some(format!("REQ-{:05}", n + 1)),
            notes: None,
            confidential: false,
            status: plan.status.clone(),
            opened_at: (plan.status != JobStatus::Draft).then_some(plan.opened),
            closed_at: plan.closed,
            is_template: Some(false),
            copied_from_id: None,
            department_id: Some(DepartmentId::new(40_001 + plan.family as u64)),
            office_ids: vec![OfficeId::new(office)],
            custom_fields,
            created_at: Some(created),
            updated_at: Some(updated),
        });
        for (order, name) in vocab::STAGES.iter().enumerate() {
            let id = self.id("job_interview_stages");
            plan.stage_ids[order] = id;
            self.data.job_interview_stages.push(JobInterviewStage {
                id: JobInterviewStageId::new(id),
                job_id: JobId::new(plan.id),
                name: (*name).to_owned(),
                sort_order: i64::try_from(order).ok(),
                active: true,
                created_at: Some(created),
                updated_at: Some(created),
            });
        }
        let post_id = self.id("job_posts");
        plan.post_id = post_id;
        let office_name = vocab::OFFICES[office_index].0;
        let content = self.post_content(&plan, f, office_name);
        let live = plan.status == JobStatus::Open;
        self.data.job_posts.push(JobPost {
            id: JobPostId::new(post_id),
            title: Some(plan.name.clone()),
            internal: false,
            active: live,
            live,
            featured: live && self.rng.random_bool(0.2),
            first_published_at: (plan.status != JobStatus::Draft).then_some(plan.opened),
            content: Some(content),
            language: Some("en".into()),
            public_url: Some(format!("https://boards.example.com/lumenworks/jobs/{post_id}")),
            demographic_question_set_id: None,
            job_id: JobId::new(plan.id),
            job_board_id: Some(JobBoardId::new(1)),
            questions: Vec::new(),
            created_at: Some(created),
            updated_at: Some(updated),
        });
        let owners = [
            (plan.recruiter, JobOwnerType::Recruiter),
            (plan.coordinator, JobOwnerType::Coordinator),
        ];
        for (user, owner_type) in owners {
            let id = self.id("job_owners");
            self.data.job_owners.push(JobOwner {
                id: JobOwnerId::new(id),
                job_id: JobId::new(plan.id),
                user_id: UserId::new(user),
                owner_type,
                created_at: Some(created),
                updated_at: Some(created),
            });
        }
        let id = self.id("job_hiring_managers");
        self.data.job_hiring_managers.push(JobHiringManager {
            id: JobHiringManagerId::new(id),
            job_id: JobId::new(plan.id),
            user_id: UserId::new(plan.hiring_manager),
            responsible: Some(true),
            created_at: Some(created),
            updated_at: Some(created),
        });
        let id = self.id("tracking_links");
        let token = format!("{:016x}", self.rng.random::<u64>());
        self.data.tracking_links.push(TrackingLink {
            id: TrackingLinkId::new(id),
            token,
            source_id: self.source_ids.first().map(|s| SourceId::new(*s)),
            referrer_id: None,
            job_id: Some(JobId::new(plan.id)),
            job_board_id: Some(JobBoardId::new(1)),
            job_post_id: Some(JobPostId::new(post_id)),
            related_post_id: None,
            link_type: Some("job_post".into()),
            created_at: Some(created),
            updated_at: Some(created),
        });
        if plan.status != JobStatus::Draft {
            self.approval_flow(plan.id, None, ApprovalType::OpenJob, created, plan.hiring_manager);
        }
        plan
    }

    /// Open jobs keep one unfilled opening; closed jobs that hired no one had theirs cancelled.
    fn remaining_openings(&mut self, jobs: &[JobPlan]) {
        let filled: std::collections::BTreeSet<u64> =
            self.data.openings.iter().map(|o| o.job_id.get()).collect();
        for job in jobs {
            let (open, closed_at, reason) = match (&job.status, job.closed) {
                (JobStatus::Open, _) => (true, None, None),
                (JobStatus::Closed, Some(closed)) if !filled.contains(&job.id) => {
                    (false, Some(closed), self.close_reason_ids.get(2).copied())
                }
                _ => continue,
            };
            let id = self.id("openings");
            self.data.openings.push(Opening {
                id: OpeningId::new(id),
                job_id: JobId::new(job.id),
                opening_id: Some(format!("OPN-{id}")),
                open,
                opened_at: Some(job.opened),
                closed_at,
                sort_order: None,
                application_id: None,
                close_reason_id: reason.map(CloseReasonId::new),
                target_start_on: None,
                created_at: Some(job.opened),
                updated_at: Some(closed_at.unwrap_or(job.opened)),
            });
        }
    }

    fn approval_flow(
        &mut self,
        job: u64,
        offer: Option<u64>,
        approval_type: ApprovalType,
        at: DateTime<Utc>,
        requested_by: u64,
    ) {
        let flow = self.id("approval_flows");
        self.data.approval_flows.push(ApprovalFlow {
            id: ApprovalFlowId::new(flow),
            job_id: JobId::new(job),
            offer_id: offer.map(OfferId::new),
            approval_type,
            sequential: true,
            version: Some(1),
            requested_by_id: Some(UserId::new(requested_by)),
            approval_status: ApprovalStatus::Approved,
            created_at: Some(at),
            updated_at: Some(at),
        });
        let group = self.id("approver_groups");
        let resolved = at + days(1.0);
        self.data.approver_groups.push(ApproverGroup {
            id: ApproverGroupId::new(group),
            approval_flow_id: ApprovalFlowId::new(flow),
            approvals_required: Some(1),
            sort_order: Some(0),
            resolved_at: Some(resolved),
            created_at: Some(at),
            updated_at: Some(resolved),
        });
        let approver = self.id("approvers");
        let user = *self.users.choose(&mut self.rng).unwrap_or(&requested_by);
        self.data.approvers.push(Approver {
            id: ApproverId::new(approver),
            approver_group_id: Some(ApproverGroupId::new(group)),
            user_id: UserId::new(user),
            status: ApproverStatus::Approved,
            request_sent_at: Some(at),
            resolved_at: Some(resolved),
            created_at: Some(at),
            updated_at: Some(resolved),
        });
    }

    fn post_content(&mut self, plan: &JobPlan, f: &Family, office: &str) -> String {
        let mut items = Vec::new();
        if plan.required_years > 0 {
            items.push(format!("{}+ years of professional experience", plan.required_years));
        }
        if plan.required_degree > 0 {
            let level = usize::try_from(plan.required_degree - 1).unwrap_or(0);
            items.push(vocab::DEGREE_PHRASES[level].replace("{d}", f.discipline));
        }
        items.push(format!("Skills: {}", plan.required_skills.join(", ")));
        if self.rng.random_bool(0.4) {
            let extra = [
                "Clear written and spoken communication",
                "Comfortable working across time zones",
                "Curiosity and a habit of sharing what you learn",
            ];
            let line = *extra.choose(&mut self.rng).unwrap_or(&extra[0]);
            let at = self.rng.random_range(0..=items.len());
            items.insert(at, line.to_owned());
        }
        let list = items.iter().fold(String::new(), |mut list, item| {
            list.push_str("<li>");
            list.push_str(item);
            list.push_str("</li>");
            list
        });
        format!(
            "<p>Lumenworks is hiring a {} for our {} team in {office}. You will {}.</p>\
             <h3>What we are looking for</h3><ul>{list}</ul>\
             <p>We offer a competitive salary, learning budget and flexible hours.</p>",
            plan.name, f.department, f.duty
        )
    }

    fn applications(&mut self, jobs: &[JobPlan]) -> Truth {
        let now = self.config.now;
        let eligible: Vec<&JobPlan> =
            jobs.iter().filter(|j| j.status != JobStatus::Draft).collect();
        let mut cumulative = Vec::with_capacity(eligible.len());
        let mut total = 0.0;
        for job in &eligible {
            total += job.weight;
            cumulative.push(total);
        }
        // Plan every application first, then materialize them in time order so ids grow with
        // creation time, as they do in Greenhouse.
        let mut plans: Vec<(DateTime<Utc>, usize)> = Vec::with_capacity(self.config.applications);
        for _ in 0..self.config.applications {
            if eligible.is_empty() {
                break;
            }
            let u = self.rng.random_range(0.0..total);
            let j = cumulative.partition_point(|c| *c <= u).min(eligible.len() - 1);
            let job = eligible[j];
            let end = match job.closed {
                Some(closed) => closed - days(80.0),
                None => now - days(0.05),
            };
            let end = end.max(job.opened + days(0.5));
            let span = (end - job.opened).num_seconds().max(1);
            let created = job.opened + TimeDelta::seconds(self.rng.random_range(0..span));
            plans.push((created, j));
        }
        plans.sort_by_key(|(t, j)| (*t, *j));
        let mut candidates: Vec<CandidatePlan> = Vec::new();
        let mut applied: Vec<Vec<u64>> = Vec::new();
        let mut truths = Vec::with_capacity(plans.len());
        for (created, j) in plans {
            let job = eligible[j];
            let reuse = !candidates.is_empty() && self.rng.random_bool(self.config.reapply_rate);
            let candidate_index = match reuse.then(|| self.rng.random_range(0..candidates.len())) {
                Some(index) if !applied[index].contains(&job.id) => index,
                _ => {
                    let plan = self.new_candidate(job, created, candidates.len());
                    candidates.push(plan);
                    applied.push(Vec::new());
                    candidates.len() - 1
                }
            };
            applied[candidate_index].push(job.id);
            let candidate = candidates[candidate_index].clone();
            truths.push(self.application(job, &candidate, created));
        }
        let labeled: Vec<(f64, bool)> =
            truths.iter().filter_map(|t| t.label.map(|l| (t.probability, l))).collect();
        let scores: Vec<f64> = labeled.iter().map(|(p, _)| *p).collect();
        let labels: Vec<bool> = labeled.iter().map(|(_, l)| *l).collect();
        let positives = labels.iter().filter(|l| **l).count();
        #[allow(clippy::cast_precision_loss)]
        let positive_rate =
            if labels.is_empty() { 0.0 } else { positives as f64 / labels.len() as f64 };
        Truth {
            bayes_auc: roc_auc(&scores, &labels).unwrap_or(f64::NAN),
            labeled: labels.len(),
            positive_rate,
            fit: self.config.fit,
            applications: truths,
        }
    }

    fn new_candidate(
        &mut self,
        job: &JobPlan,
        created: DateTime<Utc>,
        index: usize,
    ) -> CandidatePlan {
        let in_family = self.rng.random_bool(0.7);
        let family_index =
            if in_family { job.family } else { self.rng.random_range(0..FAMILIES.len()) };
        let family = &FAMILIES[family_index];
        let count = self.rng.random_range(2..=8).min(family.skills.len());
        let mut skills: Vec<&'static str> =
            family.skills.choose_multiple(&mut self.rng, count).copied().collect();
        if in_family && self.rng.random_bool(0.45) {
            // Candidates who read the post closely tend to have more of what it asks for.
            for skill in &job.required_skills {
                if !skills.contains(skill) && self.rng.random_bool(0.6) {
                    skills.push(skill);
                }
            }
        }
        for _ in 0..self.rng.random_range(0..=2) {
            let generic = *vocab::GENERIC_SKILLS.choose(&mut self.rng).unwrap_or(&"Mentoring");
            if !skills.contains(&generic) {
                skills.push(generic);
            }
        }
        let years = if in_family {
            let spread = Normal::new(f64::from(job.required_years) + 0.5, 3.2).ok();
            spread.map_or(2.0, |n| n.sample(&mut self.rng)).clamp(0.0, 35.0)
        } else {
            self.rng.random_range(0.0..15.0)
        };
        let degree = if self.rng.random_bool(0.04) {
            0
        } else {
            let weights = [0.12, 0.1, 0.48, 0.24, 0.06];
            i32::try_from(weighted_index(&mut self.rng, &weights)).unwrap_or(2) + 1
        };
        let career_start = (years >= 0.25).then(|| created - days(years * 365.25));
        let group = if self.group_rng.random_bool(0.5) { "group_a" } else { "group_b" };
        let plan = CandidatePlan { index, skills, degree, career_start, group };
        self.candidate_records(&plan, family_index, created);
        plan
    }

    /// Employment history: contiguous jobs from the career start, the last one current.
    /// Returns the current employer and title.
    fn employments(
        &mut self,
        id: u64,
        plan: &CandidatePlan,
        f: &Family,
        created: DateTime<Utc>,
        candidate_created: DateTime<Utc>,
    ) -> (Option<String>, Option<String>) {
        let mut company = None;
        let mut title = None;
        if let Some(start) = plan.career_start {
            let years = years_between(start, created);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let max_jobs = (years / 1.5).ceil().clamp(1.0, 4.0) as usize;
            let jobs = self.rng.random_range(1..=max_jobs);
            let mut cuts: Vec<f64> = (1..jobs).map(|_| self.rng.random_range(0.1..0.9)).collect();
            cuts.sort_by(f64::total_cmp);
            let total = (created - start).num_seconds();
            let mut bounds = vec![start];
            #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
            bounds.extend(
                cuts.iter().map(|c| start + TimeDelta::seconds((*c * total as f64) as i64)),
            );
            for (k, from) in bounds.iter().enumerate() {
                let current = k + 1 == bounds.len();
                let employer = format!(
                    "{} {}",
                    vocab::EMPLOYER_FIRST.choose(&mut self.rng).unwrap_or(&"Acme"),
                    vocab::EMPLOYER_SECOND.choose(&mut self.rng).unwrap_or(&"Labs")
                );
                let role = *f.roles.choose(&mut self.rng).unwrap_or(&"Specialist");
                let role =
                    if k == 0 && jobs > 1 { format!("Junior {role}") } else { role.to_owned() };
                let employment_id = self.id("candidate_employments");
                self.data.candidate_employments.push(CandidateEmployment {
                    id: CandidateEmploymentId::new(employment_id),
                    candidate_id: CandidateId::new(id),
                    company_name: Some(employer.clone()),
                    title: Some(role.clone()),
                    start_at: Some(*from),
                    end_at: if current { None } else { Some(bounds[k + 1]) },
                    latest: Some(current),
                    created_at: Some(candidate_created),
                    updated_at: Some(candidate_created),
                });
                if current {
                    company = Some(employer);
                    title = Some(role);
                }
            }
        }
        (company, title)
    }

    /// Education: the highest degree, and for master's and doctorates often a bachelor's too.
    fn educations(
        &mut self,
        id: u64,
        plan: &CandidatePlan,
        f: &Family,
        created: DateTime<Utc>,
        candidate_created: DateTime<Utc>,
    ) {
        if plan.degree > 0 {
            let end =
                plan.career_start.unwrap_or(created) - days(self.rng.random_range(10.0..200.0));
            let length = [3.0, 2.0, 4.0, 2.0, 5.0][usize::try_from(plan.degree - 1).unwrap_or(0)];
            let discipline = if self.rng.random_bool(0.7) {
                self.discipline_options.iter().find(|(_, d)| *d == f.discipline).map(|(id, _)| *id)
            } else {
                self.discipline_options.choose(&mut self.rng).map(|(id, _)| *id)
            };
            let school = self.school_options.choose(&mut self.rng).copied();
            let degree =
                self.degree_options.get(usize::try_from(plan.degree - 1).unwrap_or(0)).copied();
            self.education(
                id,
                degree,
                school,
                discipline,
                end - days(length * 365.25),
                end,
                true,
                candidate_created,
            );
            if plan.degree >= 4 && self.rng.random_bool(0.7) {
                let bachelor_end = end - days(length * 365.25 + 60.0);
                let degree = self.degree_options.get(2).copied();
                self.education(
                    id,
                    degree,
                    school,
                    discipline,
                    bachelor_end - days(4.0 * 365.25),
                    bachelor_end,
                    false,
                    candidate_created,
                );
            }
        }
    }

    fn candidate_records(&mut self, plan: &CandidatePlan, family: usize, created: DateTime<Utc>) {
        let id = self.id("candidates");
        debug_assert_eq!(self.data.candidates.len(), plan.index);
        let first = *vocab::FIRST_NAMES.choose(&mut self.rng).unwrap_or(&"Alex");
        let last = *vocab::LAST_NAMES.choose(&mut self.rng).unwrap_or(&"Smith");
        let candidate_created = created - days(self.rng.random_range(0.01..0.5));
        let f = &FAMILIES[family];
        let (company, title) = self.employments(id, plan, f, created, candidate_created);
        self.educations(id, plan, f, created, candidate_created);
        for skill in &plan.skills {
            let tag = self.tag_ids.get(skill).copied().unwrap_or(0);
            let applied_id = self.id("applied_candidate_tags");
            self.data.applied_candidate_tags.push(AppliedCandidateTag {
                id: AppliedCandidateTagId::new(applied_id),
                candidate_id: CandidateId::new(id),
                candidate_tag_id: CandidateTagId::new(tag),
                created_at: Some(candidate_created),
                updated_at: Some(candidate_created),
            });
        }
        if self.rng.random_bool(0.1) {
            let note_id = self.id("notes");
            let body = [
                "Prefers remote work; available from next month.",
                "Met at a meetup, asked to be kept in mind for senior roles.",
                "Phone screen moved at the candidate's request.",
            ];
            self.data.notes.push(Note {
                id: NoteId::new(note_id),
                candidate_id: CandidateId::new(id),
                user_id: self.users.first().map(|u| UserId::new(*u)),
                body: body.choose(&mut self.rng).map(|b| (*b).to_owned()),
                visibility: Some(NoteVisibility::Private),
                created_at: Some(created),
                updated_at: Some(created),
            });
        }
        let email = format!(
            "{}.{}.{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            id - 10_000_000
        );
        let phone = format!(
            "+1 555-01{:02} {:04}",
            self.rng.random_range(0..100),
            self.rng.random_range(0..10_000)
        );
        let city = vocab::OFFICES.choose(&mut self.rng).map_or("Anywhere", |o| o.1);
        self.data.candidates.push(CandidateListItem::Candidate(Box::new(Candidate {
            id: CandidateId::new(id),
            first_name: Some(first.to_owned()),
            last_name: Some(last.to_owned()),
            preferred_name: None,
            company,
            title,
            last_activity_at: Some(created),
            private: false,
            can_email: true,
            tags: plan.skills.iter().map(|s| (*s).to_owned()).collect(),
            linked_user_ids: Vec::new(),
            phone_numbers: vec![ContactDetail { value: phone, kind: Some("mobile".into()) }],
            addresses: vec![ContactDetail { value: city.to_owned(), kind: Some("home".into()) }],
            email_addresses: vec![ContactDetail { value: email, kind: Some("personal".into()) }],
            website_addresses: Vec::new(),
            social_media_addresses: Vec::new(),
            custom_fields: CustomFields::new(),
            created_at: Some(candidate_created),
            updated_at: Some(candidate_created),
        })));
    }

    #[allow(clippy::too_many_arguments)]
    fn education(
        &mut self,
        candidate: u64,
        degree: Option<u64>,
        school: Option<u64>,
        discipline: Option<u64>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        latest: bool,
        created: DateTime<Utc>,
    ) {
        let id = self.id("candidate_educations");
        self.data.candidate_educations.push(CandidateEducation {
            id: CandidateEducationId::new(id),
            candidate_id: CandidateId::new(candidate),
            school_name_custom_field_option_id: school.map(CustomFieldOptionId::new),
            degree_custom_field_option_id: degree.map(CustomFieldOptionId::new),
            discipline_custom_field_option_id: discipline.map(CustomFieldOptionId::new),
            start_at: Some(start),
            end_at: Some(end),
            start_month: Some(start.month()),
            start_year: Some(start.year()),
            end_month: Some(end.month()),
            end_year: Some(end.year()),
            latest: Some(latest),
            created_at: Some(created),
            updated_at: Some(created),
        });
    }

    fn reason(&mut self, key: &str, preferred: &[&str]) -> u64 {
        let matching: Vec<u64> = self
            .reason_ids
            .iter()
            .filter(|(_, name, k)| *k == key && (preferred.is_empty() || preferred.contains(name)))
            .map(|(id, _, _)| *id)
            .collect();
        matching.choose(&mut self.rng).copied().unwrap_or(0)
    }

    #[allow(clippy::too_many_lines)]
    fn application(
        &mut self,
        job: &JobPlan,
        candidate: &CandidatePlan,
        created: DateTime<Utc>,
    ) -> ApplicationTruth {
        let now = self.config.now;
        let candidate_id = 10_000_001 + candidate.index as u64;
        let tag_set = &candidate.skills;
        #[allow(clippy::cast_precision_loss)]
        let coverage = job.required_skills.iter().filter(|s| tag_set.contains(s)).count() as f64
            / job.required_skills.len().max(1) as f64;
        let years = candidate.career_start.map_or(0.0, |s| years_between(s, created));
        let inputs = FitInputs {
            coverage,
            years_gap: years - f64::from(job.required_years),
            education_gap: candidate.degree - job.required_degree,
            job_bar: job.bar,
        };
        let probability = self.config.fit.probability(&inputs);
        let advances = self.rng.random_bool(probability.clamp(0.0, 1.0));
        let withdraw_at = self
            .rng
            .random_bool(self.config.withdrawal_rate.clamp(0.0, 1.0))
            .then(|| self.rng.random_range(0..4_usize));
        let id = self.id("applications");
        let source_index = weighted_index(&mut self.rng, vocab::SOURCE_WEIGHTS);
        let source = self.source_ids.get(source_index).copied();
        let referrer = (source_index == vocab::REFERRAL_SOURCE)
            .then(|| self.referrers.choose(&mut self.rng).copied())
            .flatten();

        // Walk the stages until a decision or the reference time.
        let mut entered = vec![created];
        let mut status = ApplicationStatus::InProcess;
        let mut ended_at = None;
        let mut rejection: Option<u64> = None;
        let mut offer: Option<(DateTime<Utc>, Option<bool>, DateTime<Utc>)> = None;
        let mut interview_outcomes: Vec<(usize, bool, DateTime<Utc>)> = Vec::new();
        loop {
            let stage = entered.len() - 1;
            let t = entered[stage];
            let length = if stage == 0 {
                self.rng.random_range(1.0..45.0)
            } else {
                self.rng.random_range(3.0..14.0)
            };
            let decided = t + days(length);
            if decided > now {
                if stage == 4 {
                    offer = Some((t, None, t + days(1.0)));
                }
                break;
            }
            if withdraw_at == Some(stage) {
                status = ApplicationStatus::Rejected;
                ended_at = Some(decided);
                rejection = Some(self.reason(
                    "THEY_REJECTED_US",
                    &["Withdrew application", "Accepted another offer"],
                ));
                break;
            }
            let pass = match stage {
                0 => advances,
                1..=3 => self.rng.random_bool((0.45 + 0.4 * probability).clamp(0.0, 1.0)),
                _ => {
                    let accepted = self.rng.random_bool(0.8);
                    offer = Some((t, Some(accepted), decided));
                    ended_at = Some(decided);
                    if accepted {
                        status = ApplicationStatus::Hired;
                    } else {
                        status = ApplicationStatus::Rejected;
                        rejection = Some(self.reason(
                            "THEY_REJECTED_US",
                            &["Accepted another offer", "Compensation expectations"],
                        ));
                    }
                    break;
                }
            };
            if (1..=3).contains(&stage) {
                interview_outcomes.push((stage, pass, decided));
            }
            if !pass {
                status = ApplicationStatus::Rejected;
                ended_at = Some(decided);
                let preferred: &[&str] = if stage == 0 {
                    &["Lacking skill(s)/qualification(s)", "Not enough experience"]
                } else {
                    &["Did not pass interview", "Hired another candidate"]
                };
                rejection = Some(self.reason("WE_REJECTED_THEM", preferred));
                break;
            }
            entered.push(decided);
        }
        let reached = entered.len() - 1;
        let label = if reached >= 1 {
            Some(true)
        } else if status == ApplicationStatus::Rejected && withdraw_at != Some(0) {
            Some(false)
        } else {
            None
        };
        let last_activity = ended_at.unwrap_or(entered[reached]);

        // Stage history.
        let mut current_stage_id = 0;
        for (stage, at) in entered.iter().enumerate() {
            let stage_id = self.id("application_stages");
            let exited = entered.get(stage + 1).copied().or(ended_at);
            let current = stage == reached;
            if current {
                current_stage_id = stage_id;
            }
            #[allow(clippy::cast_precision_loss)]
            let days_in = (exited.unwrap_or(now) - *at).num_seconds() as f64 / 86_400.0;
            self.data.application_stages.push(ApplicationStage {
                id: ApplicationStageId::new(stage_id),
                application_id: ApplicationId::new(id),
                job_interview_stage_id: JobInterviewStageId::new(job.stage_ids[stage]),
                entered_at: Some(*at),
                exited_at: exited,
                days_in_stage: Some((days_in * 10.0).round() / 10.0),
                current,
                created_at: Some(*at),
                updated_at: Some(exited.unwrap_or(*at)),
            });
        }
        for (stage, pass, decided) in interview_outcomes {
            let interview_day = decided - days(1.0);
            let rating = match (pass, self.rng.random_range(0..10)) {
                (_, 0) => ScorecardRating::NoDecision,
                (true, r) if r < 7 => ScorecardRating::Yes,
                (true, _) => ScorecardRating::StrongYes,
                (false, r) if r < 6 => ScorecardRating::No,
                (false, _) => ScorecardRating::StrongNo,
            };
            let interviewer =
                *self.interviewers.choose(&mut self.rng).unwrap_or(&job.hiring_manager);
            let note = vocab::SCORECARD_NOTES.choose(&mut self.rng).map(|n| (*n).to_owned());
            let scorecard = self.id("scorecards");
            self.data.scorecards.push(Scorecard {
                id: ScorecardId::new(scorecard),
                application_id: ApplicationId::new(id),
                interview_kit_id: Some(InterviewKitId::new(job.stage_ids[stage])),
                interviewer_id: Some(UserId::new(interviewer)),
                submitter_id: Some(UserId::new(interviewer)),
                candidate_rating: Some(rating),
                status: ScorecardStatus::Complete,
                interviewed_at: Some(interview_day),
                submitted_at: Some(interview_day + days(0.3)),
                notes: note.clone(),
                notes_with_tags: note,
                private_notes: None,
                private_notes_with_tags: None,
                public_notes: None,
                public_notes_with_tags: None,
                created_at: Some(interview_day + days(0.3)),
                updated_at: Some(interview_day + days(0.3)),
            });
        }
        if let Some(reason) = rejection {
            let detail = self.id("rejection_details");
            let at = ended_at.unwrap_or(last_activity);
            self.data.rejection_details.push(RejectionDetail {
                id: RejectionDetailId::new(detail),
                application_id: ApplicationId::new(id),
                rejected_by_id: Some(UserId::new(job.recruiter)),
                rejection_reason_id: Some(RejectionReasonId::new(reason)),
                rejection_note_id: None,
                rejected_at: Some(at),
                question_custom_fields: CustomFields::new(),
                created_at: Some(at),
                updated_at: Some(at),
            });
        }
        if let Some((entered_offer, accepted, resolved)) = offer {
            let offer_id = self.id("offers");
            let opening = (accepted == Some(true)).then(|| {
                let opening = self.id("openings");
                let close =
                    self.close_reason_ids.get(usize::from(self.rng.random_bool(0.3))).copied();
                self.data.openings.push(Opening {
                    id: OpeningId::new(opening),
                    job_id: JobId::new(job.id),
                    opening_id: Some(format!("OPN-{opening}")),
                    open: false,
                    opened_at: Some(job.opened),
                    closed_at: Some(resolved),
                    sort_order: None,
                    application_id: Some(ApplicationId::new(id)),
                    close_reason_id: close.map(CloseReasonId::new),
                    target_start_on: Some((resolved + days(30.0)).date_naive()),
                    created_at: Some(job.opened),
                    updated_at: Some(resolved),
                });
                opening
            });
            let sent: NaiveDate = (entered_offer + days(1.0)).date_naive();
            self.data.offers.push(Offer {
                id: OfferId::new(offer_id),
                version: Some(1),
                application_id: ApplicationId::new(id),
                job_id: JobId::new(job.id),
                candidate_id: CandidateId::new(candidate_id),
                opening_id: opening.map(OpeningId::new),
                status: match accepted {
                    Some(true) => OfferStatus::Accepted,
                    Some(false) => OfferStatus::Rejected,
                    None => OfferStatus::Created,
                },
                starts_on: (accepted == Some(true)).then(|| (resolved + days(30.0)).date_naive()),
                sent_on: Some(sent),
                resolved_at: accepted.map(|_| resolved),
                custom_fields: CustomFields::new(),
                created_at: Some(entered_offer),
                updated_at: Some(if accepted.is_some() { resolved } else { entered_offer }),
            });
            self.approval_flow(
                job.id,
                Some(offer_id),
                ApprovalType::OfferCandidate,
                entered_offer,
                job.recruiter,
            );
        }
        let stage_name = vocab::STAGES[reached];
        self.data.applications.push(Application {
            id: ApplicationId::new(id),
            candidate_id: CandidateId::new(candidate_id),
            job_id: Some(JobId::new(job.id)),
            job_post_id: Some(JobPostId::new(job.post_id)),
            recruiter_id: Some(UserId::new(job.recruiter)),
            coordinator_id: Some(UserId::new(job.coordinator)),
            referrer_id: referrer.map(ReferrerId::new),
            source_id: source.map(SourceId::new),
            agency_note_id: None,
            stage_id: Some(ApplicationStageId::new(current_stage_id)),
            stage_name: Some(stage_name.to_owned()),
            status: status.clone(),
            needs_decision: Some(status == ApplicationStatus::InProcess),
            prospect: false,
            rejected_at: (status == ApplicationStatus::Rejected).then_some(last_activity),
            last_activity_at: Some(last_activity),
            location_address: None,
            answers: Vec::new(),
            prospective_job_ids: Vec::new(),
            custom_fields: CustomFields::new(),
            created_at: Some(created),
            updated_at: Some(last_activity),
        });
        if let Some(CandidateListItem::Candidate(c)) = self.data.candidates.get_mut(candidate.index)
            && c.last_activity_at.is_none_or(|t| t < last_activity)
        {
            c.last_activity_at = Some(last_activity);
            c.updated_at = Some(last_activity);
        }
        ApplicationTruth {
            application_id: id,
            candidate_id,
            job_id: job.id,
            probability,
            label,
            open: status == ApplicationStatus::InProcess && job.status == JobStatus::Open,
            group: candidate.group.to_owned(),
            inputs,
        }
    }
}

fn weighted_index(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().map(|w| w.max(0.0)).sum();
    if total <= 0.0 {
        return 0;
    }
    let mut u = rng.random_range(0.0..total);
    for (i, w) in weights.iter().enumerate() {
        let w = w.max(0.0);
        if u < w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}
