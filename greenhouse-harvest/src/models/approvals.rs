//! Approvals: flows (`/v3/approval_flows`), their groups (`/v3/approver_groups`) and the
//! approvers in them (`/v3/approvers`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApprovalFlowId, ApproverGroupId, ApproverId, JobId, OfferId, UserId};
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// What an approval flow approves (`approval_type`).
    ApprovalType {
        /// Opening a job.
        OpenJob => "open_job",
        /// The offer terms of a job.
        OfferJob => "offer_job",
        /// An offer to one candidate.
        OfferCandidate => "offer_candidate",
    }
}

open_enum! {
    /// Where an approval flow stands (`approval_status`).
    ApprovalStatus {
        /// Waiting for approvers.
        Pending => "pending",
        /// Rejected by an approver.
        Rejected => "rejected",
        /// Approved.
        Approved => "approved",
    }
}

open_enum! {
    /// Where one approver stands (`status`).
    ApproverStatus {
        /// Not asked yet (an earlier group in a sequential flow is pending).
        Waiting => "waiting",
        /// Asked, answer due.
        Due => "due",
        /// Approved.
        Approved => "approved",
        /// Rejected.
        Rejected => "rejected",
    }
}

/// An approval flow (`/v3/approval_flows`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApprovalFlow {
    /// The flow's id.
    pub id: ApprovalFlowId,
    /// The job concerned.
    pub job_id: JobId,
    /// The offer concerned, for offer flows.
    #[serde(default)]
    pub offer_id: Option<OfferId>,
    /// What the flow approves.
    pub approval_type: ApprovalType,
    /// Whether groups approve one after another.
    #[serde(default, deserialize_with = "null_as_default")]
    pub sequential: bool,
    /// The flow's version number.
    #[serde(default)]
    pub version: Option<u64>,
    /// Who requested the approvals.
    #[serde(default)]
    pub requested_by_id: Option<UserId>,
    /// Where the flow stands.
    pub approval_status: ApprovalStatus,
    /// When the flow was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the flow was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A group of approvers within a flow (`/v3/approver_groups`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApproverGroup {
    /// The group's id.
    pub id: ApproverGroupId,
    /// The flow the group belongs to.
    pub approval_flow_id: ApprovalFlowId,
    /// How many approvals the group needs.
    #[serde(default)]
    pub approvals_required: Option<u32>,
    /// Position in the flow.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// When the group reached its decision.
    #[serde(default, with = "time::rfc3339_option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// When the group was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the group was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One approver in a group (`/v3/approvers`).
///
/// `approver_group_id` is not in the reference's field list; it is inferred from v3's flat
/// style (children carry their parent's id) and unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Approver {
    /// The approver record's id.
    pub id: ApproverId,
    /// The group the approver belongs to (inferred, unconfirmed).
    #[serde(default)]
    pub approver_group_id: Option<ApproverGroupId>,
    /// The approving user.
    pub user_id: UserId,
    /// Where this approver stands.
    pub status: ApproverStatus,
    /// When the request reached the approver.
    #[serde(default, with = "time::rfc3339_option")]
    pub request_sent_at: Option<DateTime<Utc>>,
    /// When the approver decided.
    #[serde(default, with = "time::rfc3339_option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// When the record was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    ApprovalFlow => "approval_flows",
    ApproverGroup => "approver_groups",
    Approver => "approvers",
}
