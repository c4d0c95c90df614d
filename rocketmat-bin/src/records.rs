//! Harvest records reduced to what the model needs, before anything is stored.
//!
//! Each Harvest type maps to a small row type here through [`Minimise`]. The row types have
//! no field for a name, e-mail, phone, address, social profile, free-text answer, note or
//! custom field, so personal data cannot reach the store even by mistake: it is dropped in
//! memory, right after decoding. Job post HTML becomes plain requirement text here too.

use chrono::{DateTime, NaiveDate, Utc};
use greenhouse_harvest::models;
use serde::{Deserialize, Serialize};

use crate::store::{RecordKind, StoredRecord};

/// A Harvest record that can be reduced to a storable row.
pub trait Minimise {
    /// The table the row goes to.
    const KIND: RecordKind;
    /// The minimised row.
    fn minimise(&self) -> StoredRecord;
}

/// A job: title, status and dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobRow {
    /// The job's name (title).
    pub title: String,
    /// `open`, `closed` or `draft`.
    pub status: String,
    /// When it opened.
    pub opened_at: Option<DateTime<Utc>>,
}

/// A job post, reduced to its requirement text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobPostRow {
    /// The post's plain text (HTML stripped).
    pub requirement_text: String,
    /// Whether the post is active.
    pub active: bool,
    /// Whether it is an internal post.
    pub internal: bool,
}

/// A job interview stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobStageRow {
    /// Position in the job's pipeline as Greenhouse orders it.
    pub sort_order: Option<i64>,
}

/// A source, reduced to its type (the sourcing strategy, never a person's name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRow {
    /// The source type's name, e.g. "Referrals".
    pub source_type: Option<String>,
}

/// Who ended an application with a given rejection reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectedBy {
    /// The company.
    Company,
    /// The candidate withdrew.
    Candidate,
}

/// A rejection reason, reduced to who rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionReasonRow {
    /// Who rejected, when the reason's type says so.
    pub rejected_by: Option<RejectedBy>,
}

/// A tag of the company's catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateTagRow {
    /// The tag's name (a skill or label chosen by the company).
    pub name: String,
}

/// A degree or discipline option.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EducationOptionRow {
    /// `degree` or `discipline`.
    pub field: String,
    /// The option's name.
    pub name: String,
}

/// An application: ids, status, dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRow {
    /// `in_process`, `rejected`, `hired` or `converted`.
    pub status: String,
    /// A prospect application (no real application yet).
    pub prospect: bool,
    /// The source.
    pub source_id: Option<u64>,
    /// When it was created (v1's `applied_at`).
    pub created_at: Option<DateTime<Utc>>,
    /// When it was rejected.
    pub rejected_at: Option<DateTime<Utc>>,
    /// When a hired application was last active (the hire's best-known date); `None` for others.
    pub last_activity_at: Option<DateTime<Utc>>,
}

/// An entry of an application's stage history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationStageRow {
    /// The job interview stage.
    pub job_interview_stage_id: u64,
    /// When the application entered it.
    pub entered_at: Option<DateTime<Utc>>,
}

/// A rejection detail, reduced to the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionDetailRow {
    /// The reason.
    pub rejection_reason_id: Option<u64>,
}

/// An education: degree and discipline option ids and dates (no school, no free text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EducationRow {
    /// Degree option.
    pub degree_option_id: Option<u64>,
    /// Discipline option.
    pub discipline_option_id: Option<u64>,
    /// Start.
    pub start: Option<NaiveDate>,
    /// End.
    pub end: Option<NaiveDate>,
}

/// An employment: title and dates (no employer name).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmploymentRow {
    /// Job title held.
    pub title: Option<String>,
    /// Start.
    pub start: Option<NaiveDate>,
    /// End.
    pub end: Option<NaiveDate>,
}

/// A tag applied to a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedTagRow {
    /// The tag.
    pub tag_id: u64,
    /// When it was applied.
    pub applied_at: Option<DateTime<Utc>>,
}

fn to_json<T: Serialize>(row: &T) -> serde_json::Value {
    // Serialising these plain structs cannot fail; Null would only hide a bug in a row type.
    serde_json::to_value(row).unwrap_or(serde_json::Value::Null)
}

fn date_of(at: Option<DateTime<Utc>>, year: Option<i32>, month: Option<u32>) -> Option<NaiveDate> {
    at.map(|t| t.date_naive()).or_else(|| {
        year.and_then(|y| NaiveDate::from_ymd_opt(y, month.unwrap_or(1).clamp(1, 12), 1))
    })
}

#[derive(Clone, Copy)]
struct Ids {
    candidate: Option<u64>,
    application: Option<u64>,
    job: Option<u64>,
}

const NO_IDS: Ids = Ids { candidate: None, application: None, job: None };

fn record<T: Serialize>(
    kind: RecordKind,
    id: u64,
    ids: Ids,
    updated_at: Option<DateTime<Utc>>,
    row: &T,
) -> StoredRecord {
    StoredRecord {
        kind,
        id,
        candidate_id: ids.candidate,
        application_id: ids.application,
        job_id: ids.job,
        updated_at,
        data: to_json(row),
    }
}

impl Minimise for models::Job {
    const KIND: RecordKind = RecordKind::Job;
    fn minimise(&self) -> StoredRecord {
        let row = JobRow {
            title: self.name.clone(),
            status: self.status.as_str().to_owned(),
            opened_at: self.opened_at,
        };
        let ids = Ids { job: Some(self.id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::JobPost {
    const KIND: RecordKind = RecordKind::JobPost;
    fn minimise(&self) -> StoredRecord {
        let html = self.content.as_deref().unwrap_or_default();
        let row = JobPostRow {
            requirement_text: rocketmat_core::text::strip_html(html),
            active: self.active,
            internal: self.internal,
        };
        let ids = Ids { job: Some(self.job_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::JobInterviewStage {
    const KIND: RecordKind = RecordKind::JobStage;
    fn minimise(&self) -> StoredRecord {
        let row = JobStageRow { sort_order: self.sort_order };
        let ids = Ids { job: Some(self.job_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::Source {
    const KIND: RecordKind = RecordKind::Source;
    fn minimise(&self) -> StoredRecord {
        let row = SourceRow { source_type: self.source_type.as_ref().and_then(|t| t.name.clone()) };
        record(Self::KIND, self.id.get(), NO_IDS, self.updated_at, &row)
    }
}

impl Minimise for models::RejectionReason {
    const KIND: RecordKind = RecordKind::RejectionReason;
    fn minimise(&self) -> StoredRecord {
        let rejected_by = self.reason_type.as_ref().and_then(|t| match t.key.as_str() {
            "WE_REJECTED_THEM" => Some(RejectedBy::Company),
            "THEY_REJECTED_US" => Some(RejectedBy::Candidate),
            _ => None,
        });
        record(
            Self::KIND,
            self.id.get(),
            NO_IDS,
            self.updated_at,
            &RejectionReasonRow { rejected_by },
        )
    }
}

impl Minimise for models::CandidateTag {
    const KIND: RecordKind = RecordKind::CandidateTag;
    fn minimise(&self) -> StoredRecord {
        let row = CandidateTagRow { name: self.name.clone() };
        record(Self::KIND, self.id.get(), NO_IDS, self.updated_at, &row)
    }
}

/// A degree or discipline option with the list it came from (the option itself does not say).
#[derive(Debug, Clone)]
pub struct EducationOption<'a> {
    /// `degree` or `discipline`.
    pub field: &'static str,
    /// The option.
    pub option: &'a models::CustomFieldOption,
}

impl EducationOption<'_> {
    /// The minimised row.
    pub fn minimise(&self) -> StoredRecord {
        let row =
            EducationOptionRow { field: self.field.to_owned(), name: self.option.name.clone() };
        record(RecordKind::EducationOption, self.option.id.get(), NO_IDS, None, &row)
    }
}

impl Minimise for models::Application {
    const KIND: RecordKind = RecordKind::Application;
    fn minimise(&self) -> StoredRecord {
        let row = ApplicationRow {
            status: self.status.as_str().to_owned(),
            prospect: self.prospect,
            source_id: self.source_id.map(u64::from),
            created_at: self.created_at,
            rejected_at: self.rejected_at,
            // Only a hire's date is used; for other applications the field moves with every
            // activity (our own rating writes included) and would make unchanged rows look new.
            last_activity_at: self.last_activity_at.filter(|_| self.status.as_str() == "hired"),
        };
        let ids = Ids {
            candidate: Some(self.candidate_id.get()),
            application: Some(self.id.get()),
            job: self.job_id.map(u64::from),
        };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::ApplicationStage {
    const KIND: RecordKind = RecordKind::ApplicationStage;
    fn minimise(&self) -> StoredRecord {
        let row = ApplicationStageRow {
            job_interview_stage_id: self.job_interview_stage_id.get(),
            entered_at: self.entered_at,
        };
        let ids = Ids { application: Some(self.application_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::RejectionDetail {
    const KIND: RecordKind = RecordKind::RejectionDetail;
    fn minimise(&self) -> StoredRecord {
        let row =
            RejectionDetailRow { rejection_reason_id: self.rejection_reason_id.map(u64::from) };
        let ids = Ids { application: Some(self.application_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::CandidateEducation {
    const KIND: RecordKind = RecordKind::Education;
    fn minimise(&self) -> StoredRecord {
        let row = EducationRow {
            degree_option_id: self.degree_custom_field_option_id.map(u64::from),
            discipline_option_id: self.discipline_custom_field_option_id.map(u64::from),
            start: date_of(self.start_at, self.start_year, self.start_month),
            end: date_of(self.end_at, self.end_year, self.end_month),
        };
        let ids = Ids { candidate: Some(self.candidate_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::CandidateEmployment {
    const KIND: RecordKind = RecordKind::Employment;
    fn minimise(&self) -> StoredRecord {
        let row = EmploymentRow {
            title: self.title.clone(),
            start: self.start_at.map(|t| t.date_naive()),
            end: self.end_at.map(|t| t.date_naive()),
        };
        let ids = Ids { candidate: Some(self.candidate_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}

impl Minimise for models::AppliedCandidateTag {
    const KIND: RecordKind = RecordKind::AppliedTag;
    fn minimise(&self) -> StoredRecord {
        let row =
            AppliedTagRow { tag_id: self.candidate_tag_id.get(), applied_at: self.created_at };
        let ids = Ids { candidate: Some(self.candidate_id.get()), ..NO_IDS };
        record(Self::KIND, self.id.get(), ids, self.updated_at, &row)
    }
}
