//! Feature-extraction throughput of the default pipeline, on one core, on a realistic
//! synthetic company: 200 jobs with HTML posts of a few hundred words, candidates with three
//! employments, two educations and six tags. Criterion reports applications per second
//! (`Throughput::Elements`); the scoring goal is 200k applications/s including text features.
//!
//! Two measurements of the same work: wall-clock time (criterion's default) and the CPU time
//! of the benchmark thread (read from `/proc/thread-self/schedstat`, Linux only). The machine
//! is shared by several builds at once, so wall-clock figures there understate single-core
//! throughput; the CPU-time figures (`*_cpu` groups) measure exactly one core's work.
//!
//! Run: `cargo bench -p rocketmat-core --bench extract`.

#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::missing_docs_in_private_items,
    missing_docs,
    reason = "benchmark fixtures with small bounded counts"
)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rocketmat_core::domain::{
    Application, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, Education,
    EducationLevel, Employment, Job, JobId, SkillTag, StageEntry,
};
use rocketmat_core::features::{FeaturePipeline, Instance};
use rocketmat_core::ndarray::Array2;
use rocketmat_core::requirements::parse_requirements;

const SKILLS: &[&str] = &[
    "Rust",
    "Python",
    "SQL",
    "AWS",
    "Kubernetes",
    "React",
    "Go",
    "Java",
    "Terraform",
    "Spark",
    "Kafka",
    "Docker",
    "TypeScript",
    "PostgreSQL",
    "GraphQL",
    "Airflow",
    "Scala",
    "Linux",
    "TensorFlow",
    "Pandas",
    "Figma",
    "Salesforce",
    "Excel",
    "Tableau",
    "Node.js",
    "C++",
];
const TITLES: &[&str] = &[
    "Backend Engineer",
    "Data Engineer",
    "Frontend Developer",
    "Platform Engineer",
    "Data Scientist",
    "Product Designer",
    "Sales Analyst",
    "Site Reliability Engineer",
    "Engineering Manager",
    "Machine Learning Engineer",
    "Account Executive",
    "QA Engineer",
];
const FIELDS: &[&str] =
    &["Computer Science", "Mathematics", "Physics", "Economics", "Design", "Business"];
const WORDS: &[&str] = &[
    "build",
    "scalable",
    "services",
    "customers",
    "team",
    "product",
    "data",
    "platform",
    "reliable",
    "design",
    "systems",
    "collaborate",
    "ownership",
    "quality",
    "deliver",
    "pipelines",
    "growth",
    "mentor",
    "analytics",
    "cloud",
    "infrastructure",
    "security",
    "performance",
    "roadmap",
    "stakeholders",
    "experiments",
    "metrics",
    "automation",
    "testing",
    "release",
    "api",
    "distributed",
    "frontend",
    "backend",
    "mobile",
    "sales",
    "revenue",
];
const SOURCES: &[&str] = &["Referral", "Job Board", "Agencies", "Company Marketing", "Prospecting"];

struct Company {
    jobs: Vec<Job>,
    candidates: Vec<CandidateProfile>,
    applications: Vec<Application>,
}

fn sentence(rng: &mut ChaCha8Rng, words: usize) -> String {
    (0..words).map(|_| *WORDS.choose(rng).unwrap_or(&"team")).collect::<Vec<_>>().join(" ")
}

fn company(applications: usize, jobs: usize, seed: u64) -> Company {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let t0 = Utc.with_ymd_and_hms(2023, 1, 1, 9, 0, 0).single().unwrap_or_default();
    let jobs: Vec<Job> = (0..jobs)
        .map(|j| {
            let title = TITLES[j % TITLES.len()];
            let skills: Vec<&str> = SKILLS.choose_multiple(&mut rng, 5).copied().collect();
            let paragraphs: Vec<String> =
                (0..6).map(|_| format!("<p>{}.</p>", sentence(&mut rng, 40))).collect();
            let text = format!(
                "<h2>{title}</h2>{}<ul><li>{}+ years of professional experience</li>\
                 <li>Bachelor's degree in {} or equivalent</li><li>Skills: {}</li>\
                 <li>Experience with {} is a plus</li></ul>",
                paragraphs.join(""),
                rng.random_range(1..8),
                FIELDS.choose(&mut rng).unwrap_or(&"Computer Science"),
                skills[..4].join(", "),
                skills[4],
            );
            Job {
                id: JobId(j as u64),
                title: title.to_owned(),
                department: None,
                location: None,
                requirements: parse_requirements(&text),
                requirement_text: text,
            }
        })
        .collect();
    let mut candidates = Vec::with_capacity(applications);
    let mut apps = Vec::with_capacity(applications);
    for i in 0..applications {
        let created_at = t0 + Duration::minutes(i as i64);
        let day: NaiveDate = created_at.date_naive();
        let mut start = day - Duration::days(rng.random_range(400..6000));
        let mut employments = Vec::new();
        for _ in 0..3 {
            let len = rng.random_range(200..1500);
            let end = start + Duration::days(len);
            employments.push(Employment {
                title: format!(
                    "{} {}",
                    ["Senior", "Junior", "Lead", ""].choose(&mut rng).unwrap_or(&""),
                    TITLES.choose(&mut rng).unwrap_or(&"Engineer")
                ),
                start: Some(start),
                end: (end < day).then_some(end),
            });
            start = end + Duration::days(rng.random_range(0..200));
        }
        let educations = vec![
            Education {
                level: EducationLevel::Bachelor,
                field: Some((*FIELDS.choose(&mut rng).unwrap_or(&"Physics")).to_owned()),
                start: Some(day - Duration::days(6000)),
                end: Some(day - Duration::days(4600)),
            },
            Education {
                level: EducationLevel::Master,
                field: Some((*FIELDS.choose(&mut rng).unwrap_or(&"Physics")).to_owned()),
                start: Some(day - Duration::days(4600)),
                end: Some(day - Duration::days(3900)),
            },
        ];
        let tags = SKILLS
            .choose_multiple(&mut rng, 6)
            .map(|s| SkillTag {
                name: (*s).into(),
                added_at: created_at - Duration::days(rng.random_range(0..300)),
            })
            .collect();
        let candidate =
            CandidateProfile { id: CandidateRef(i as u64), educations, employments, tags };
        apps.push(Application {
            id: ApplicationId(i as u64),
            job_id: JobId(rng.random_range(0..jobs.len()) as u64),
            candidate_id: candidate.id,
            source_type: Some((*SOURCES.choose(&mut rng).unwrap_or(&"Referral")).to_owned()),
            created_at,
            stages: vec![StageEntry { index: 0, entered_at: Some(created_at) }],
            rejection: None,
            status: ApplicationStatus::Active,
            hired_at: None,
        });
        candidates.push(candidate);
    }
    Company { jobs, candidates, applications: apps }
}

fn instances(c: &Company) -> Vec<Instance<'_>> {
    c.applications
        .iter()
        .zip(&c.candidates)
        .map(|(a, cand)| Instance::new(a, &c.jobs[a.job_id.0 as usize], cand))
        .collect()
}

/// CPU time consumed by the calling thread, in nanoseconds, from the scheduler's statistics.
/// The kernel updates this figure at scheduling events, not continuously, so it is only
/// meaningful over long samples: the CPU-time groups use ten samples of about a second each
/// and leave out the single-row batch.
/// Falls back to 0 where the file is unavailable (non-Linux), which makes the CPU-time groups
/// meaningless there but never fails the run.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// Criterion measurement of thread CPU time; values are nanoseconds, formatted like wall time.
struct ThreadCpu;

static WALL: WallTime = WallTime;

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }

    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }

    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }

    fn zero(&self) -> u64 {
        0
    }

    #[allow(clippy::cast_precision_loss, reason = "nanosecond totals far below 2^52")]
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        WALL.formatter()
    }
}

fn bench_extract<M: Measurement>(crit: &mut Criterion<M>, suffix: &str) {
    let c = company(20_000, 200, 7);
    let rows = instances(&c);
    let mut pipeline = FeaturePipeline::default_pipeline();
    if let Err(e) = pipeline.fit(&rows) {
        panic!("fit failed: {e}");
    }
    let width = pipeline.feature_names().len();

    let cpu = suffix == "_cpu";
    let mut group = crit.benchmark_group(format!("extract{suffix}"));
    if cpu {
        group.sample_size(10).measurement_time(std::time::Duration::from_secs(10));
    }
    let batches: &[usize] = if cpu { &[1_000, 20_000] } else { &[1, 1_000, 20_000] };
    for &batch in batches {
        let slice = &rows[..batch];
        let mut out = Array2::<f64>::zeros((batch, width));
        group.throughput(Throughput::Elements(batch as u64));
        group.bench_with_input(BenchmarkId::new("default_pipeline", batch), &slice, |b, s| {
            b.iter(|| pipeline.transform_into(black_box(s), out.view_mut()));
        });
    }
    // One extractor at a time, to see where the time goes.
    for (i, e) in pipeline.extractors().iter().enumerate() {
        let cols = e.feature_names().len();
        let mut out = Array2::<f64>::zeros((rows.len(), cols));
        group.throughput(Throughput::Elements(rows.len() as u64));
        group.bench_function(BenchmarkId::new("extractor", format!("{i}_{}", e.name())), |b| {
            b.iter(|| e.extract(black_box(&rows), out.view_mut()));
        });
    }
    group.finish();

    let mut group = crit.benchmark_group(format!("fit{suffix}"));
    group.sample_size(10);
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("default_pipeline_20k", |b| {
        b.iter(|| {
            let mut p = FeaturePipeline::default_pipeline();
            p.fit(black_box(&rows))
        });
    });
    group.finish();
}

fn wall(crit: &mut Criterion) {
    bench_extract(crit, "");
}

fn cpu(crit: &mut Criterion<ThreadCpu>) {
    bench_extract(crit, "_cpu");
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
