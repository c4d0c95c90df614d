//! Applications (`/v3/applications`) and their stage history (`/v3/application_stages`).
//!
//! An application joins one candidate to one job (or to no job, for a prospect). Its
//! `stage_id` is an application-stage id, not a job interview stage id: to join an application
//! to its job's stage, go through [`ApplicationStage::job_interview_stage_id`].

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    ApplicationId, ApplicationStageId, CandidateId, JobId, JobInterviewStageId, JobPostId, NoteId,
    ReferrerId, SourceId, UserId,
};
use crate::models::custom_field_values::CustomFields;
use crate::models::support::{Redacted, null_as_default};
use crate::models::time;

open_enum! {
    /// Where an application stands (`status`).
    ///
    /// Note the filter spells the first value `active` while records say `in_process`.
    ApplicationStatus {
        /// Still moving through the pipeline.
        InProcess => "in_process",
        /// Rejected.
        Rejected => "rejected",
        /// Hired.
        Hired => "hired",
        /// A prospect application converted to a candidate application.
        Converted => "converted",
    }
}

/// An application (`/v3/applications`).
///
/// `created_at` is what v1 called `applied_at`. `Debug` hides `location_address`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    /// The application's id.
    pub id: ApplicationId,
    /// The candidate who applied.
    pub candidate_id: CandidateId,
    /// The job applied to; `None` for a prospect without a job.
    #[serde(default)]
    pub job_id: Option<JobId>,
    /// The job post applied through.
    #[serde(default)]
    pub job_post_id: Option<JobPostId>,
    /// The recruiter in charge.
    #[serde(default)]
    pub recruiter_id: Option<UserId>,
    /// The coordinator in charge.
    #[serde(default)]
    pub coordinator_id: Option<UserId>,
    /// Who referred the candidate.
    #[serde(default)]
    pub referrer_id: Option<ReferrerId>,
    /// Where the application came from.
    #[serde(default)]
    pub source_id: Option<SourceId>,
    /// A note left by an agency.
    #[serde(default)]
    pub agency_note_id: Option<NoteId>,
    /// The current application stage (an [`ApplicationStageId`], not a job stage id).
    #[serde(default)]
    pub stage_id: Option<ApplicationStageId>,
    /// The current stage's name.
    #[serde(default)]
    pub stage_name: Option<String>,
    /// Where the application stands.
    pub status: ApplicationStatus,
    /// Whether a hiring decision is pending.
    #[serde(default)]
    pub needs_decision: Option<bool>,
    /// Whether this is a prospect application.
    #[serde(default, deserialize_with = "null_as_default")]
    pub prospect: bool,
    /// When the application was rejected.
    #[serde(default, with = "time::rfc3339_option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Last activity on the application.
    #[serde(default, with = "time::rfc3339_option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The candidate's location as entered on the application (personal data).
    #[serde(default)]
    pub location_address: Option<String>,
    /// Answers to the job post's application questions.
    #[serde(default, deserialize_with = "null_as_default")]
    pub answers: Vec<ApplicationAnswer>,
    /// Jobs a prospect is being considered for.
    #[serde(default, deserialize_with = "null_as_default")]
    pub prospective_job_ids: Vec<JobId>,
    /// Application custom fields, keyed by `name_key`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom_fields: CustomFields,
    /// When the candidate applied.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the application was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Application {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Application")
            .field("id", &self.id)
            .field("candidate_id", &self.candidate_id)
            .field("job_id", &self.job_id)
            .field("job_post_id", &self.job_post_id)
            .field("recruiter_id", &self.recruiter_id)
            .field("coordinator_id", &self.coordinator_id)
            .field("referrer_id", &self.referrer_id)
            .field("source_id", &self.source_id)
            .field("agency_note_id", &self.agency_note_id)
            .field("stage_id", &self.stage_id)
            .field("stage_name", &self.stage_name)
            .field("status", &self.status)
            .field("needs_decision", &self.needs_decision)
            .field("prospect", &self.prospect)
            .field("rejected_at", &self.rejected_at)
            .field("last_activity_at", &self.last_activity_at)
            .field("location_address", &Redacted(&self.location_address))
            .field("answers", &self.answers)
            .field("prospective_job_ids", &self.prospective_job_ids)
            .field("custom_fields", &self.custom_fields.keys().collect::<Vec<_>>())
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// A candidate's answer to one application question. `Debug` hides the answer (free text).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationAnswer {
    /// The question asked.
    #[serde(default)]
    pub question: Option<String>,
    /// The candidate's answer.
    #[serde(default)]
    pub answer: Option<String>,
}

impl fmt::Debug for ApplicationAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApplicationAnswer")
            .field("question", &self.question)
            .field("answer", &Redacted(&self.answer))
            .finish()
    }
}

/// One entry of an application's stage history (`/v3/application_stages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationStage {
    /// The entry's id (what `application.stage_id` points at).
    pub id: ApplicationStageId,
    /// The application.
    pub application_id: ApplicationId,
    /// The job interview stage this entry is an instance of.
    pub job_interview_stage_id: JobInterviewStageId,
    /// When the application entered the stage.
    #[serde(default, with = "time::rfc3339_option")]
    pub entered_at: Option<DateTime<Utc>>,
    /// When it left the stage; `None` while it is still there.
    #[serde(default, with = "time::rfc3339_option")]
    pub exited_at: Option<DateTime<Utc>>,
    /// Days spent in the stage (a number; whether it can be fractional is unconfirmed).
    #[serde(default)]
    pub days_in_stage: Option<f64>,
    /// Whether this is the application's current stage.
    #[serde(default, deserialize_with = "null_as_default")]
    pub current: bool,
    /// When the entry was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the entry was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    Application => "applications",
    ApplicationStage => "application_stages",
}
