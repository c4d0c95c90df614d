//! Typed identifiers of Harvest records.
//!
//! Every Harvest v3 record id is a JSON integer. Wrapping each one in its own newtype keeps an
//! application id from being passed where a candidate id is expected, at no run-time cost: the
//! serde representation is the bare integer (`#[serde(transparent)]`).
//!
//! ```
//! use greenhouse_harvest::ids::ApplicationId;
//!
//! let id: ApplicationId = serde_json::from_str("123")?;
//! assert_eq!(id.get(), 123);
//! assert_eq!(id.to_string(), "123");
//! assert_eq!(serde_json::to_string(&id)?, "123");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// Declares one `u64` id newtype with its conversions.
macro_rules! id_types {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        pub struct $name(pub u64);

        impl $name {
            /// Wraps a raw id.
            pub const fn new(raw: u64) -> Self {
                Self(raw)
            }

            /// The raw integer id, as Harvest sends it.
            pub const fn get(self) -> u64 {
                self.0
            }
        }

        impl From<u64> for $name {
            fn from(raw: u64) -> Self {
                Self(raw)
            }
        }

        impl From<$name> for u64 {
            fn from(id: $name) -> u64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    )+};
}

id_types! {
    /// Id of an application (`/v3/applications`).
    ApplicationId;
    /// Id of one entry of an application's stage history (`/v3/application_stages`); also the
    /// value of `application.stage_id`.
    ApplicationStageId;
    /// Id of a rejection detail record (`/v3/rejection_details`).
    RejectionDetailId;
    /// Id of an approval flow (`/v3/approval_flows`).
    ApprovalFlowId;
    /// Id of an approver group (`/v3/approver_groups`).
    ApproverGroupId;
    /// Id of an approver (`/v3/approvers`).
    ApproverId;
    /// Id of a candidate (`/v3/candidates`).
    CandidateId;
    /// Id of a candidate's education entry (`/v3/candidate_educations`).
    CandidateEducationId;
    /// Id of a candidate's employment entry (`/v3/candidate_employments`).
    CandidateEmploymentId;
    /// Id of a note (`/v3/notes`).
    NoteId;
    /// Id of an opening close reason (`/v3/close_reasons`).
    CloseReasonId;
    /// Id of a custom field definition (`/v3/custom_fields`).
    CustomFieldId;
    /// Id of an option of a select-type custom field (`/v3/custom_field_options`).
    CustomFieldOptionId;
    /// Id of a job opening (`/v3/openings`).
    OpeningId;
    /// Id of a job post (`/v3/job_posts`).
    JobPostId;
    /// Id of a job's interview stage (`/v3/job_interview_stages`).
    JobInterviewStageId;
    /// Id of a job (`/v3/jobs`).
    JobId;
    /// Id of a job owner assignment (`/v3/job_owners`).
    JobOwnerId;
    /// Id of a job hiring-manager assignment (`/v3/job_hiring_managers`).
    JobHiringManagerId;
    /// Id of an offer (`/v3/offers`).
    OfferId;
    /// Id of an office (`/v3/offices`).
    OfficeId;
    /// Id of a department (`/v3/departments`).
    DepartmentId;
    /// Id of a rejection reason (`/v3/rejection_reasons`).
    RejectionReasonId;
    /// Id of the type of a rejection reason (`rejection_reason.type.id`).
    RejectionReasonTypeId;
    /// Id of a scorecard (`/v3/scorecards`).
    ScorecardId;
    /// Id of a candidate source (`/v3/sources`).
    SourceId;
    /// Id of the type (sourcing strategy) of a source (`source.type.id`).
    SourceTypeId;
    /// Id of a referrer (`/v3/referrers`).
    ReferrerId;
    /// Id of a candidate tag (`/v3/candidate_tags`).
    CandidateTagId;
    /// Id of a tag applied to a candidate (`/v3/applied_candidate_tags`).
    AppliedCandidateTagId;
    /// Id of a tracking link (`/v3/tracking_links`).
    TrackingLinkId;
    /// Id of a Greenhouse user (`/v3/users`).
    UserId;
    /// Id of a job board.
    JobBoardId;
    /// Id of an interview kit, the interview a scorecard was filled in for.
    InterviewKitId;
    /// Id of an agency (a user's `agency_id`).
    AgencyId;
    /// Id of a demographic question set attached to a job post.
    DemographicQuestionSetId;
    /// Id of an interviewer tag attached to a user.
    InterviewerTagId;
    /// Id of a related job post (`tracking_link.related_post_id`).
    RelatedPostId;
}
