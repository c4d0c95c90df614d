//! Jobs (`/v3/jobs`) and their hiring team: owners (`/v3/job_owners`) and hiring managers
//! (`/v3/job_hiring_managers`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{DepartmentId, JobHiringManagerId, JobId, JobOwnerId, OfficeId, UserId};
use crate::models::custom_field_values::CustomFields;
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// Where a job stands (`status`).
    JobStatus {
        /// Taking applications.
        Open => "open",
        /// Not opened yet.
        Draft => "draft",
        /// Closed.
        Closed => "closed",
    }
}

open_enum! {
    /// A job owner's role (`type`).
    JobOwnerType {
        /// Recruiter.
        Recruiter => "recruiter",
        /// Coordinator.
        Coordinator => "coordinator",
        /// Sourcer.
        Sourcer => "sourcer",
    }
}

/// A job (`/v3/jobs`), what Rocketmat calls a requisition.
///
/// Confidential jobs are hidden from a token whose user is not on the job's hiring team, even a
/// Site Admin's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Job {
    /// The job's id.
    pub id: JobId,
    /// The job's name.
    pub name: String,
    /// The customer's requisition id.
    #[serde(default)]
    pub requisition_id: Option<String>,
    /// Internal notes (HTML).
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether the job is confidential.
    #[serde(default, deserialize_with = "null_as_default")]
    pub confidential: bool,
    /// Where the job stands.
    pub status: JobStatus,
    /// When the job was opened.
    #[serde(default, with = "time::rfc3339_option")]
    pub opened_at: Option<DateTime<Utc>>,
    /// When the job was closed.
    #[serde(default, with = "time::rfc3339_option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether the job is a template.
    #[serde(default)]
    pub is_template: Option<bool>,
    /// The job this one was copied from.
    #[serde(default)]
    pub copied_from_id: Option<JobId>,
    /// The job's department.
    #[serde(default)]
    pub department_id: Option<DepartmentId>,
    /// The job's offices.
    #[serde(default, deserialize_with = "null_as_default")]
    pub office_ids: Vec<OfficeId>,
    /// Job custom fields, keyed by `name_key`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom_fields: CustomFields,
    /// When the job was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the job was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A user owning a job as recruiter, coordinator or sourcer (`/v3/job_owners`).
///
/// The reference lists no fields for this resource beyond the `type` values: this list is
/// inferred from v3's flat style and is unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobOwner {
    /// The assignment's id.
    pub id: JobOwnerId,
    /// The job.
    pub job_id: JobId,
    /// The owning user.
    pub user_id: UserId,
    /// The owner's role (JSON key `type`).
    #[serde(rename = "type")]
    pub owner_type: JobOwnerType,
    /// When the assignment was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the assignment was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A hiring manager of a job (`/v3/job_hiring_managers`).
///
/// The reference lists no fields for this resource: this list is inferred from v1's hiring
/// team (`responsible`) in v3's flat style and is unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobHiringManager {
    /// The assignment's id.
    pub id: JobHiringManagerId,
    /// The job.
    pub job_id: JobId,
    /// The hiring manager.
    pub user_id: UserId,
    /// Whether this manager is the one responsible for the job.
    #[serde(default)]
    pub responsible: Option<bool>,
    /// When the assignment was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the assignment was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    Job => "jobs",
    JobOwner => "job_owners",
    JobHiringManager => "job_hiring_managers",
}
