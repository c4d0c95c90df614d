//! The interview stages of a job (`/v3/job_interview_stages`, v1's "job stages").
//!
//! Interview steps are a separate resource in v3 and are not embedded here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{JobId, JobInterviewStageId};
use crate::models::support::null_as_default;
use crate::models::time;

/// One stage of a job's pipeline (`/v3/job_interview_stages`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobInterviewStage {
    /// The stage's id.
    pub id: JobInterviewStageId,
    /// The job.
    pub job_id: JobId,
    /// The stage's name.
    pub name: String,
    /// Position in the pipeline: Application Review is 0, Offer is last.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Whether the stage is in use.
    #[serde(default, deserialize_with = "null_as_default")]
    pub active: bool,
    /// When the stage was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the stage was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    JobInterviewStage => "job_interview_stages",
}
