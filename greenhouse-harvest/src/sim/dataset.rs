//! The simulator's data: one typed list per v3 resource, loaded from and dumped to a directory
//! holding one JSON array file per resource (`applications.json`, `jobs.json`, ...).
//!
//! Files are decoded through the crate's models, so a bad file is refused with the file and the
//! JSON path of the first problem, and whatever the simulator serves is something the client's
//! models accept.

use std::collections::BTreeMap;
use std::path::Path;

use crate::models::{
    Application, ApplicationStage, AppliedCandidateTag, ApprovalFlow, Approver, ApproverGroup,
    CandidateEducation, CandidateEmployment, CandidateListItem, CandidateTag, CloseReason,
    CustomField, CustomFieldOption, Department, Job, JobHiringManager, JobInterviewStage, JobOwner,
    JobPost, Note, Offer, Office, Opening, Referrer, RejectionDetail, RejectionReason, Resource,
    Scorecard, Source, TrackingLink, User,
};

use super::error::{SimError, SimResult};
use super::spec::{self, ResourceSpec};
use super::store::{Store, Table};

macro_rules! dataset {
    ($($(#[$doc:meta])* $field:ident: $ty:ty,)+) => {
        /// Every resource the simulator serves, as typed records.
        ///
        /// # Examples
        ///
        /// ```
        /// use greenhouse_harvest::sim::Dataset;
        ///
        /// let dir = tempfile::tempdir()?;
        /// std::fs::write(dir.path().join("jobs.json"), r#"[{"id": 7, "name": "Engineer", "status": "open"}]"#)?;
        /// let data = Dataset::load_dir(dir.path())?;
        /// assert_eq!(data.jobs.len(), 1);
        /// assert!(data.applications.is_empty()); // a missing file is an empty resource
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Default)]
        pub struct Dataset {
            $($(#[$doc])* pub $field: Vec<$ty>,)+
        }

        impl Dataset {
            /// Loads every `<resource>.json` file of `dir`; a missing file is an empty resource.
            ///
            /// # Errors
            ///
            /// [`SimError::Io`] when `dir` or a file cannot be read, [`SimError::Decode`] naming
            /// the file and the JSON path when a file is not an array of valid v3 objects.
            pub fn load_dir(dir: &Path) -> SimResult<Self> {
                let meta = std::fs::metadata(dir)
                    .map_err(|source| SimError::Io { path: dir.to_owned(), source })?;
                if !meta.is_dir() {
                    return Err(SimError::Io {
                        path: dir.to_owned(),
                        source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
                    });
                }
                Ok(Self { $($field: load_file::<$ty>(dir)?,)+ })
            }

            /// Writes one `<resource>.json` file per resource into `dir` (created if missing).
            ///
            /// # Errors
            ///
            /// [`SimError::Io`] when a file cannot be written, [`SimError::Encode`] when a
            /// record cannot be serialized.
            pub fn dump_dir(&self, dir: &Path) -> SimResult<()> {
                std::fs::create_dir_all(dir)
                    .map_err(|source| SimError::Io { path: dir.to_owned(), source })?;
                $(dump_file(dir, &self.$field)?;)+
                Ok(())
            }

            /// Number of records per resource, by v3 path segment.
            pub fn counts(&self) -> BTreeMap<&'static str, usize> {
                BTreeMap::from([$((<$ty as Resource>::PATH, self.$field.len()),)+])
            }

            /// Serializes and indexes every record for serving, freeing each typed list as
            /// soon as its table is built, so the typed and served copies of a large company
            /// are never both whole in memory.
            pub(crate) fn into_store(self) -> SimResult<Store> {
                let mut store = Store::default();
                $(
                    insert_table(&mut store, &self.$field)?;
                    drop(self.$field);
                )+
                Ok(store)
            }

            /// Decodes the served records back into typed lists.
            pub(crate) fn from_store(store: &Store) -> SimResult<Self> {
                Ok(Self { $($field: from_table::<$ty>(store)?,)+ })
            }
        }
    };
}

dataset! {
    /// `/v3/applications`.
    applications: Application,
    /// `/v3/application_stages`.
    application_stages: ApplicationStage,
    /// `/v3/rejection_details`.
    rejection_details: RejectionDetail,
    /// `/v3/approval_flows`.
    approval_flows: ApprovalFlow,
    /// `/v3/approver_groups`.
    approver_groups: ApproverGroup,
    /// `/v3/approvers`.
    approvers: Approver,
    /// `/v3/candidates`.
    candidates: CandidateListItem,
    /// `/v3/candidate_educations`.
    candidate_educations: CandidateEducation,
    /// `/v3/candidate_employments`.
    candidate_employments: CandidateEmployment,
    /// `/v3/notes`.
    notes: Note,
    /// `/v3/close_reasons`.
    close_reasons: CloseReason,
    /// `/v3/custom_fields`.
    custom_fields: CustomField,
    /// `/v3/custom_field_options`.
    custom_field_options: CustomFieldOption,
    /// `/v3/openings`.
    openings: Opening,
    /// `/v3/job_posts`.
    job_posts: JobPost,
    /// `/v3/job_interview_stages`.
    job_interview_stages: JobInterviewStage,
    /// `/v3/jobs`.
    jobs: Job,
    /// `/v3/job_owners`.
    job_owners: JobOwner,
    /// `/v3/job_hiring_managers`.
    job_hiring_managers: JobHiringManager,
    /// `/v3/offers`.
    offers: Offer,
    /// `/v3/offices`.
    offices: Office,
    /// `/v3/departments`.
    departments: Department,
    /// `/v3/rejection_reasons`.
    rejection_reasons: RejectionReason,
    /// `/v3/scorecards`.
    scorecards: Scorecard,
    /// `/v3/sources`.
    sources: Source,
    /// `/v3/referrers`.
    referrers: Referrer,
    /// `/v3/candidate_tags`.
    candidate_tags: CandidateTag,
    /// `/v3/applied_candidate_tags`.
    applied_candidate_tags: AppliedCandidateTag,
    /// `/v3/tracking_links`.
    tracking_links: TrackingLink,
    /// `/v3/users`.
    users: User,
}

fn file_of<T: Resource>(dir: &Path) -> std::path::PathBuf {
    dir.join(format!("{}.json", T::PATH))
}

fn load_file<T: Resource>(dir: &Path) -> SimResult<Vec<T>> {
    let path = file_of::<T>(dir);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(SimError::Io { path, source }),
    };
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let records: Vec<T> = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let json_path = e.path().to_string();
        SimError::Decode { path: path.clone(), json_path, source: e.into_inner() }
    })?;
    de.end().map_err(|source| SimError::Decode { path, json_path: ".".into(), source })?;
    Ok(records)
}

fn dump_file<T: Resource>(dir: &Path, records: &[T]) -> SimResult<()> {
    let mut out = b"[".to_vec();
    for (i, record) in records.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut out, record)
            .map_err(|source| SimError::Encode { resource: T::PATH, source })?;
    }
    out.extend_from_slice(b"\n]\n");
    let path = file_of::<T>(dir);
    std::fs::write(&path, out).map_err(|source| SimError::Io { path, source })
}

fn spec_of<T: Resource>() -> ResourceSpec {
    spec::spec_for(T::PATH).copied().unwrap_or(ResourceSpec { path: T::PATH, filters: &[] })
}

fn insert_table<T: Resource>(store: &mut Store, records: &[T]) -> SimResult<()> {
    let json = records
        .iter()
        .map(|r| {
            serde_json::to_vec(r).map_err(|source| SimError::Encode { resource: T::PATH, source })
        })
        .collect::<SimResult<Vec<_>>>()?;
    store.tables.insert(T::PATH, Table::from_json(spec_of::<T>(), json)?);
    Ok(())
}

fn from_table<T: Resource>(store: &Store) -> SimResult<Vec<T>> {
    let Some(table) = store.table(T::PATH) else { return Ok(Vec::new()) };
    table
        .records
        .iter()
        .rev()
        .enumerate()
        .map(|(i, record)| {
            let mut de = serde_json::Deserializer::from_slice(&record.json);
            serde_path_to_error::deserialize(&mut de).map_err(|e| SimError::Decode {
                path: format!("<served {}>", T::PATH).into(),
                json_path: format!("[{i}].{}", e.path()),
                source: e.into_inner(),
            })
        })
        .collect()
}

/// Writes the served records, one `<resource>.json` per table, into `dir`.
pub(crate) fn dump_store(store: &Store, dir: &Path) -> SimResult<()> {
    std::fs::create_dir_all(dir).map_err(|source| SimError::Io { path: dir.to_owned(), source })?;
    for path in store.tables.keys() {
        let file = dir.join(format!("{path}.json"));
        std::fs::write(&file, store.table_document(path))
            .map_err(|source| SimError::Io { path: file, source })?;
    }
    Ok(())
}
