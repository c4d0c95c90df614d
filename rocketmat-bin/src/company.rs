//! The company's history as the core sees it, rebuilt from the store's minimised rows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use rocketmat_core::domain::{
    self, ApplicationId, ApplicationStatus, CandidateProfile, CandidateRef, EducationLevel, JobId,
    RejectionKind, Requirements, SkillTag, StageEntry,
};
use rocketmat_core::features::Instance;
use serde::de::DeserializeOwned;

use crate::records::{
    ApplicationRow, ApplicationStageRow, AppliedTagRow, CandidateTagRow, EducationOptionRow,
    EducationRow, EmploymentRow, JobPostRow, JobRow, JobStageRow, RejectedBy, RejectionDetailRow,
    RejectionReasonRow, SourceRow,
};
use crate::store::{RecordKind, Store, StoreError, StoredRecord};

/// Jobs, candidates and applications of one company, plus what scoring needs to know.
#[derive(Debug, Default)]
pub struct Company {
    /// Jobs by id.
    pub jobs: HashMap<JobId, domain::Job>,
    /// Ids of open jobs.
    pub open_jobs: HashSet<JobId>,
    /// Candidate profiles by pseudonymous id.
    pub candidates: HashMap<CandidateRef, CandidateProfile>,
    /// Applications to a job, in id order (prospects without a job are left out).
    pub applications: Vec<domain::Application>,
}

/// Decodes every stored record of `kind` in id order and hands each to `f` as it is read.
///
/// Nothing is collected: a large company has millions of records, and holding a whole table's
/// decoded rows (or a JSON tree per record) before using them would multiply the peak memory.
fn each_row<T: DeserializeOwned>(
    store: &dyn Store,
    kind: RecordKind,
    mut f: impl FnMut(StoredRecord, T),
) -> anyhow::Result<()> {
    store
        .visit_records(kind, &mut |meta, text| {
            let row = serde_json::from_str(text)
                .map_err(|source| StoreError::Decode { what: kind.table(), source })?;
            f(meta, row);
            Ok(())
        })
        .with_context(|| format!("stored {} records cannot be read", kind.table()))
}

fn profile(map: &mut HashMap<CandidateRef, CandidateProfile>, id: u64) -> &mut CandidateProfile {
    map.entry(CandidateRef(id)).or_insert_with(|| CandidateProfile {
        id: CandidateRef(id),
        educations: Vec::new(),
        employments: Vec::new(),
        tags: Vec::new(),
    })
}

/// Places a degree name on the education scale. Unrecognised names are `Unknown`, which never
/// counts as meeting a requirement.
pub fn education_level(degree: &str) -> EducationLevel {
    let d = degree.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| d.contains(w));
    if has(&["phd", "ph.d", "doctor", "dphil"]) {
        EducationLevel::Doctorate
    } else if has(&["master", "mba", "msc", "m.sc", "m.s.", "meng", "m.a."]) {
        EducationLevel::Master
    } else if has(&["bachelor", "bsc", "b.sc", "b.s.", "b.a.", "beng", "ba ", "bs "]) {
        EducationLevel::Bachelor
    } else if has(&["associate"]) {
        EducationLevel::Associate
    } else if has(&["high school", "secondary", "ged", "diploma", "a-level"]) {
        EducationLevel::HighSchool
    } else {
        EducationLevel::Unknown
    }
}

impl Company {
    /// Rebuilds the company from the store.
    ///
    /// # Errors
    /// A store failure or a stored row that does not decode.
    pub fn load(store: &dyn Store) -> anyhow::Result<Self> {
        Self::load_where(store, false)
    }

    /// Rebuilds only what rating needs: every job, the applications
    /// [`open_instances`](Self::open_instances) returns, and their candidates' profiles. Scoring
    /// a large company then holds a fraction of its history in memory.
    ///
    /// # Errors
    /// A store failure or a stored row that does not decode.
    pub fn load_open(store: &dyn Store) -> anyhow::Result<Self> {
        Self::load_where(store, true)
    }

    fn load_where(store: &dyn Store, open_only: bool) -> anyhow::Result<Self> {
        let mut company = Company::default();

        company.load_jobs(store)?;
        // The candidates of open applications, read first so that no other profile is built.
        let wanted = if open_only { Some(company.open_candidates(store)?) } else { None };

        // Stage position within each job's pipeline.
        let mut stages: HashMap<u64, Vec<(Option<i64>, u64)>> = HashMap::new();
        each_row(store, RecordKind::JobStage, |r, row: JobStageRow| {
            if let Some(job) = r.job_id {
                stages.entry(job).or_default().push((row.sort_order, r.id));
            }
        })?;
        let mut stage_index: HashMap<u64, u32> = HashMap::new();
        for list in stages.values_mut() {
            list.sort_unstable();
            for (i, (_, id)) in list.iter().enumerate() {
                stage_index.insert(*id, u32::try_from(i).unwrap_or(u32::MAX));
            }
        }

        let mut sources: HashMap<u64, Option<String>> = HashMap::new();
        each_row(store, RecordKind::Source, |r, row: SourceRow| {
            sources.insert(r.id, row.source_type);
        })?;
        let mut reasons: HashMap<u64, Option<RejectedBy>> = HashMap::new();
        each_row(store, RecordKind::RejectionReason, |r, row: RejectionReasonRow| {
            reasons.insert(r.id, row.rejected_by);
        })?;
        let mut rejected_by: HashMap<u64, RejectedBy> = HashMap::new();
        each_row(store, RecordKind::RejectionDetail, |r, row: RejectionDetailRow| {
            let by = row.rejection_reason_id.and_then(|id| reasons.get(&id).copied().flatten());
            if let (Some(app), Some(by)) = (r.application_id, by) {
                rejected_by.insert(app, by);
            }
        })?;
        let mut history: HashMap<u64, Vec<StageEntry>> = HashMap::new();
        each_row(store, RecordKind::ApplicationStage, |r, row: ApplicationStageRow| {
            let (Some(app), Some(&index)) =
                (r.application_id, stage_index.get(&row.job_interview_stage_id))
            else {
                return;
            };
            history.entry(app).or_default().push(StageEntry { index, entered_at: row.entered_at });
        })?;

        company.load_candidates(store, wanted.as_ref())?;

        each_row(store, RecordKind::Application, |r, row: ApplicationRow| {
            let (Some(job), Some(candidate), Some(created_at)) =
                (r.job_id, r.candidate_id, row.created_at)
            else {
                return;
            };
            if row.prospect || (open_only && !company.is_open(job, &row)) {
                return;
            }
            let status = match row.status.as_str() {
                "in_process" => ApplicationStatus::Active,
                "rejected" => ApplicationStatus::Rejected,
                "hired" => ApplicationStatus::Hired,
                _ => ApplicationStatus::Converted,
            };
            let rejection = match (status, rejected_by.get(&r.id)) {
                (ApplicationStatus::Rejected, Some(RejectedBy::Company)) => {
                    Some(RejectionKind::ByCompany)
                }
                (ApplicationStatus::Rejected, Some(RejectedBy::Candidate)) => {
                    Some(RejectionKind::Withdrew)
                }
                _ => None,
            };
            let hired_at: Option<DateTime<Utc>> = match status {
                ApplicationStatus::Hired => row.last_activity_at,
                _ => None,
            };
            company.candidates.entry(CandidateRef(candidate)).or_insert_with(|| CandidateProfile {
                id: CandidateRef(candidate),
                educations: Vec::new(),
                employments: Vec::new(),
                tags: Vec::new(),
            });
            company.applications.push(domain::Application {
                id: ApplicationId(r.id),
                job_id: JobId(job),
                candidate_id: CandidateRef(candidate),
                source_type: row.source_id.and_then(|s| sources.get(&s).cloned().flatten()),
                created_at,
                stages: history.remove(&r.id).unwrap_or_default(),
                rejection,
                status,
                hired_at,
            });
        })?;
        // Applications at unknown jobs cannot be featurised.
        company.applications.retain(|a| company.jobs.contains_key(&a.job_id));
        Ok(company)
    }

    fn is_open(&self, job: u64, row: &ApplicationRow) -> bool {
        row.status == "in_process" && self.open_jobs.contains(&JobId(job))
    }

    fn open_candidates(&self, store: &dyn Store) -> anyhow::Result<HashSet<u64>> {
        let mut set = HashSet::new();
        each_row(store, RecordKind::Application, |r, row: ApplicationRow| {
            if let (Some(job), Some(c)) = (r.job_id, r.candidate_id)
                && self.is_open(job, &row)
            {
                set.insert(c);
            }
        })?;
        Ok(set)
    }

    fn load_jobs(&mut self, store: &dyn Store) -> anyhow::Result<()> {
        // Requirement text per job: every active post's text, internal ones last.
        let mut posts: BTreeMap<u64, Vec<JobPostRow>> = BTreeMap::new();
        each_row(store, RecordKind::JobPost, |r, row: JobPostRow| {
            if let Some(job) = r.job_id {
                posts.entry(job).or_default().push(row);
            }
        })?;
        each_row(store, RecordKind::Job, |r, row: JobRow| {
            let id = JobId(r.id);
            let mut texts = posts.remove(&r.id).unwrap_or_default();
            texts.sort_by_key(|p| (!p.active, p.internal));
            let requirement_text = texts
                .iter()
                .map(|p| p.requirement_text.as_str())
                .find(|t| !t.trim().is_empty())
                .unwrap_or_default()
                .to_owned();
            let requirements = if requirement_text.is_empty() {
                Requirements::default()
            } else {
                rocketmat_core::requirements::parse_requirements(&requirement_text)
            };
            if row.status == "open" {
                self.open_jobs.insert(id);
            }
            self.jobs.insert(
                id,
                domain::Job {
                    id,
                    title: row.title,
                    department: None,
                    location: None,
                    requirement_text,
                    requirements,
                },
            );
        })?;

        Ok(())
    }

    fn load_candidates(
        &mut self,
        store: &dyn Store,
        wanted: Option<&HashSet<u64>>,
    ) -> anyhow::Result<()> {
        let skip = |c: u64| wanted.is_some_and(|w| !w.contains(&c));
        let mut options: HashMap<u64, EducationOptionRow> = HashMap::new();
        each_row(store, RecordKind::EducationOption, |r, row: EducationOptionRow| {
            options.insert(r.id, row);
        })?;
        let mut tags: HashMap<u64, Arc<str>> = HashMap::new();
        each_row(store, RecordKind::CandidateTag, |r, row: CandidateTagRow| {
            tags.insert(r.id, row.name.into());
        })?;
        each_row(store, RecordKind::Education, |r, row: EducationRow| {
            let Some(c) = r.candidate_id.filter(|c| !skip(*c)) else { return };
            let name = |id: Option<u64>| id.and_then(|id| options.get(&id)).map(|o| o.name.clone());
            let level =
                name(row.degree_option_id).map_or(EducationLevel::Unknown, |d| education_level(&d));
            profile(&mut self.candidates, c).educations.push(domain::Education {
                level,
                field: name(row.discipline_option_id),
                start: row.start,
                end: row.end,
            });
        })?;
        each_row(store, RecordKind::Employment, |r, row: EmploymentRow| {
            let (Some(c), Some(title)) = (r.candidate_id.filter(|c| !skip(*c)), row.title) else {
                return;
            };
            profile(&mut self.candidates, c).employments.push(domain::Employment {
                title,
                start: row.start,
                end: row.end,
            });
        })?;
        each_row(store, RecordKind::AppliedTag, |r, row: AppliedTagRow| {
            let (Some(c), Some(name), Some(added_at)) = (
                r.candidate_id.filter(|c| !skip(*c)),
                tags.get(&row.tag_id),
                row.applied_at.or(r.updated_at),
            ) else {
                return;
            };
            profile(&mut self.candidates, c)
                .tags
                .push(SkillTag { name: Arc::clone(name), added_at });
        })?;
        Ok(())
    }

    /// Every application as a model instance.
    pub fn instances(&self) -> Vec<Instance<'_>> {
        self.instances_where(|_| true)
    }

    /// The applications to rate: in process, at an open job.
    pub fn open_instances(&self) -> Vec<Instance<'_>> {
        self.instances_where(|a| {
            a.status == ApplicationStatus::Active && self.open_jobs.contains(&a.job_id)
        })
    }

    fn instances_where(&self, keep: impl Fn(&domain::Application) -> bool) -> Vec<Instance<'_>> {
        self.applications
            .iter()
            .filter(|a| keep(a))
            .filter_map(|a| {
                Some(Instance::new(
                    a,
                    self.jobs.get(&a.job_id)?,
                    self.candidates.get(&a.candidate_id)?,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_names_map_to_levels() {
        assert_eq!(education_level("Bachelor of Science"), EducationLevel::Bachelor);
        assert_eq!(education_level("Master's Degree"), EducationLevel::Master);
        assert_eq!(education_level("MBA"), EducationLevel::Master);
        assert_eq!(education_level("Ph.D."), EducationLevel::Doctorate);
        assert_eq!(education_level("Associate's Degree"), EducationLevel::Associate);
        assert_eq!(education_level("High School"), EducationLevel::HighSchool);
        assert_eq!(education_level("Juris Doctor (J.D.)"), EducationLevel::Doctorate);
        assert_eq!(education_level("Other"), EducationLevel::Unknown);
    }
}
