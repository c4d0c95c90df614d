//! Job openings (`/v3/openings`): the head-count slots of a job.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, CloseReasonId, JobId, OpeningId};
use crate::models::support::null_as_default;
use crate::models::time;

/// One opening of a job (`/v3/openings`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opening {
    /// The opening's id.
    pub id: OpeningId,
    /// The job.
    pub job_id: JobId,
    /// The customer's own string id for the opening (JSON `opening_id`).
    #[serde(default)]
    pub opening_id: Option<String>,
    /// Whether the opening is open.
    #[serde(default, deserialize_with = "null_as_default")]
    pub open: bool,
    /// When the opening was opened.
    #[serde(default, with = "time::rfc3339_option")]
    pub opened_at: Option<DateTime<Utc>>,
    /// When the opening was closed.
    #[serde(default, with = "time::rfc3339_option")]
    pub closed_at: Option<DateTime<Utc>>,
    /// Position among the job's openings.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// The hire that filled the opening.
    #[serde(default)]
    pub application_id: Option<ApplicationId>,
    /// Why the opening was closed.
    #[serde(default)]
    pub close_reason_id: Option<CloseReasonId>,
    /// The planned start date of the hire.
    #[serde(default)]
    pub target_start_on: Option<NaiveDate>,
    /// When the opening was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the opening was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    Opening => "openings",
}
