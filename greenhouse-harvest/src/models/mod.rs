//! Typed Harvest v3 resources.
//!
//! One module per resource family, all re-exported flat here, so a type reads
//! `greenhouse_harvest::models::Application`. The shapes follow Harvest v3's flat style: a
//! record carries its parents' ids (`candidate_id`, `job_id`, …), never nested objects.
//!
//! Decoding rules, shared by every model:
//! - unknown fields are ignored (Greenhouse reserves the right to add properties);
//! - a field that can be `null` or left out is an `Option` with `#[serde(default)]`; lists and
//!   maps are empty when missing or `null`; flags the API may omit are `false` when missing or
//!   `null` (required fields, such as ids and statuses, stay required);
//! - string enums are `#[non_exhaustive]` and keep a value they do not know in `Unknown(String)`,
//!   logging a `warn!` that names it, instead of failing the whole page;
//! - datetimes accept any RFC 3339 spelling ([`time`]) and `_on` fields are [`chrono::NaiveDate`];
//! - custom field values stay raw JSON behind a typed accessor
//!   ([`CustomFieldEntry::typed_value`]), because their shape depends on the field's type.
//!
//! Most field lists come from third-party descriptions of the v3 reference and are marked
//! unconfirmed there; types whose fields the reference does not list at all say so in their docs.
//!
//! ```
//! use greenhouse_harvest::models::{Application, ApplicationStatus};
//!
//! let page: Vec<Application> = serde_json::from_str(
//!     r#"[{"id": 1, "candidate_id": 2, "status": "in_process", "prospect": false,
//!          "created_at": "2024-12-15T03:55:00.000Z", "a_field_from_the_future": true}]"#,
//! )?;
//! assert_eq!(page[0].status, ApplicationStatus::InProcess);
//! assert_eq!(page[0].job_id, None);
//! # Ok::<(), serde_json::Error>(())
//! ```

#[macro_use]
mod macros;

mod applications;
mod approvals;
mod candidates;
mod close_reasons;
mod custom_field_values;
mod custom_fields;
mod job_interview_stages;
mod job_posts;
mod jobs;
mod offers;
mod offices;
mod openings;
mod rejections;
mod scorecards;
mod sources;
mod tags;
pub mod time;
mod tracking_links;
mod users;

pub use applications::{Application, ApplicationAnswer, ApplicationStage, ApplicationStatus};
pub use approvals::{
    ApprovalFlow, ApprovalStatus, ApprovalType, Approver, ApproverGroup, ApproverStatus,
};
pub use candidates::{
    Candidate, CandidateEducation, CandidateEmployment, CandidateListItem, ContactDetail, Note,
    NoteVisibility,
};
pub use close_reasons::CloseReason;
pub use custom_field_values::{CustomFieldEntry, CustomFieldValue, CustomFields, SelectedOption};
pub use custom_fields::{CustomField, CustomFieldOption, CustomFieldType, CustomFieldValueType};
pub use job_interview_stages::JobInterviewStage;
pub use job_posts::{JobPost, JobPostQuestion, QuestionAnswerType};
pub use jobs::{Job, JobHiringManager, JobOwner, JobOwnerType, JobStatus};
pub use offers::{Offer, OfferStatus};
pub use offices::{Department, Office};
pub use openings::Opening;
pub use rejections::{
    RejectionDetail, RejectionReason, RejectionReasonType, RejectionReasonTypeKey,
};
pub use scorecards::{Scorecard, ScorecardRating, ScorecardStatus};
pub use sources::{Referrer, Source, SourceType};
pub use tags::{AppliedCandidateTag, CandidateTag};
pub use tracking_links::TrackingLink;
pub use users::{InterviewerTag, User};

/// A record type served by one Harvest v3 list endpoint.
///
/// The client's generic paginator and the simulator use it to know where a type lives and how to
/// identify a record.
///
/// ```
/// use greenhouse_harvest::models::{Application, Resource};
///
/// assert_eq!(Application::PATH, "applications");
/// ```
pub trait Resource:
    serde::Serialize + serde::de::DeserializeOwned + Clone + Send + Sync + std::fmt::Debug + 'static
{
    /// The v3 path segment under /v3/, e.g. "applications" (also the simulator's data file stem).
    const PATH: &'static str;
    /// The record id, None only for an item that has no id (a pending candidate list item).
    fn id(&self) -> Option<u64>;
    /// When the record was last updated, if known (used by simulators and incremental sync).
    fn updated_at(&self) -> Option<chrono::DateTime<chrono::Utc>>;
}

/// Small serde and formatting helpers shared by the model modules.
pub(crate) mod support {
    use std::collections::HashSet;
    use std::fmt;
    use std::sync::{Mutex, OnceLock, PoisonError};

    use serde::{Deserialize, Deserializer};

    /// How many distinct unknown enum values are remembered for de-duplicating warnings; past it
    /// every hit warns again, so hostile input cannot grow the set without bound.
    const WARNED_CAPACITY: usize = 256;

    /// Reports an enum value this crate does not know: a `warn!` naming the enum and the raw
    /// value the first time each pair is seen in the process, a `debug!` after that, so a page of
    /// 500 records with one new status logs one warning rather than 500.
    pub(crate) fn warn_unknown(enum_type: &'static str, raw: &str) {
        static WARNED: OnceLock<Mutex<HashSet<(&'static str, String)>>> = OnceLock::new();
        let first_time = {
            let mut warned = WARNED
                .get_or_init(Mutex::default)
                .lock()
                // The set only de-duplicates log lines; one left by a panicking thread is fine.
                .unwrap_or_else(PoisonError::into_inner);
            if warned.contains(&(enum_type, raw.to_owned())) {
                false
            } else {
                if warned.len() < WARNED_CAPACITY {
                    warned.insert((enum_type, raw.to_owned()));
                }
                true
            }
        };
        // Enum values are API vocabulary, never personal data, so the raw value is safe to log
        // and tells an operator what to add.
        if first_time {
            tracing::warn!(enum_type, value = raw, "unknown Harvest enum value kept as Unknown");
        } else {
            tracing::debug!(enum_type, value = raw, "unknown Harvest enum value kept as Unknown");
        }
    }

    /// Deserializes `null` as the type's default, so a list or map sent as `null` is empty
    /// rather than an error. Pair it with `#[serde(default)]` for the missing case.
    pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de> + Default,
    {
        Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
    }

    /// Debug stand-in for a personal or free-text field: says whether a value is there, never
    /// what it is.
    pub(crate) struct Redacted<'a, T: ?Sized>(pub(crate) &'a T);

    impl fmt::Debug for Redacted<'_, Option<String>> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self.0 {
                Some(_) => f.write_str("Some(<redacted>)"),
                None => f.write_str("None"),
            }
        }
    }

    impl fmt::Debug for Redacted<'_, String> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("<redacted>")
        }
    }

    impl<T> fmt::Debug for Redacted<'_, Vec<T>> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "[<{} redacted>]", self.0.len())
        }
    }
}
