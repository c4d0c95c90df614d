//! Greenhouse users (`/v3/users`): the customer's staff and service accounts.
//!
//! Names and e-mail addresses are personal data; `User`'s hand-written `Debug` hides them.
//! Service accounts appear only with `show_service_accounts=true` and have no `primary_email`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AgencyId, CandidateId, DepartmentId, InterviewerTagId, OfficeId, UserId};
use crate::models::support::{Redacted, null_as_default};
use crate::models::time;

/// An interviewer tag on a user (`{id, name}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterviewerTag {
    /// The tag's id.
    pub id: InterviewerTagId,
    /// The tag's name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A Greenhouse user (`/v3/users`). `Debug` redacts names, e-mails and the employee id.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct User {
    /// The user's id.
    pub id: UserId,
    /// First name (personal data).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name (personal data).
    #[serde(default)]
    pub last_name: Option<String>,
    /// Full name (personal data).
    #[serde(default)]
    pub name: Option<String>,
    /// Job title.
    #[serde(default)]
    pub job_title: Option<String>,
    /// Primary e-mail address (personal data; `None` for service accounts).
    #[serde(default)]
    pub primary_email: Option<String>,
    /// All e-mail addresses (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub emails: Vec<String>,
    /// Whether the user is deactivated.
    #[serde(default, deserialize_with = "null_as_default")]
    pub deactivated: bool,
    /// Whether the user is a Site Admin.
    #[serde(default, deserialize_with = "null_as_default")]
    pub site_admin: bool,
    /// The agency the user belongs to, for agency recruiters.
    #[serde(default)]
    pub agency_id: Option<AgencyId>,
    /// The customer's employee id for the user.
    #[serde(default)]
    pub employee_id: Option<String>,
    /// Candidates linked to this user (the user's own applications).
    #[serde(default, deserialize_with = "null_as_default")]
    pub linked_candidate_ids: Vec<CandidateId>,
    /// The user's offices.
    #[serde(default, deserialize_with = "null_as_default")]
    pub office_ids: Vec<OfficeId>,
    /// The user's departments.
    #[serde(default, deserialize_with = "null_as_default")]
    pub department_ids: Vec<DepartmentId>,
    /// Interviewer tags.
    #[serde(default, deserialize_with = "null_as_default")]
    pub interviewer_tags: Vec<InterviewerTag>,
    /// When the user was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the user was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for User {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("first_name", &Redacted(&self.first_name))
            .field("last_name", &Redacted(&self.last_name))
            .field("name", &Redacted(&self.name))
            .field("job_title", &self.job_title)
            .field("primary_email", &Redacted(&self.primary_email))
            .field("emails", &Redacted(&self.emails))
            .field("deactivated", &self.deactivated)
            .field("site_admin", &self.site_admin)
            .field("agency_id", &self.agency_id)
            .field("employee_id", &Redacted(&self.employee_id))
            .field("linked_candidate_ids", &self.linked_candidate_ids)
            .field("office_ids", &self.office_ids)
            .field("department_ids", &self.department_ids)
            .field("interviewer_tags", &self.interviewer_tags)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

resource! {
    User => "users",
}
