//! Rejection reasons (`/v3/rejection_reasons`) and per-application rejection details
//! (`/v3/rejection_details`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    ApplicationId, NoteId, RejectionDetailId, RejectionReasonId, RejectionReasonTypeId, UserId,
};
use crate::models::custom_field_values::CustomFields;
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// Which side ended the process (`rejection_reason.type.key`).
    RejectionReasonTypeKey {
        /// The company rejected the candidate.
        WeRejectedThem => "WE_REJECTED_THEM",
        /// The candidate withdrew or declined.
        TheyRejectedUs => "THEY_REJECTED_US",
        /// Not said.
        NoneSpecified => "NONE_SPECIFIED",
        /// A security concern.
        SecurityConcern => "SECURITY_CONCERN",
    }
}

/// The type of a rejection reason (`type {id, key, name}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionReasonType {
    /// The type's id.
    #[serde(default)]
    pub id: Option<RejectionReasonTypeId>,
    /// The type's key.
    pub key: RejectionReasonTypeKey,
    /// The type's display name.
    #[serde(default)]
    pub name: Option<String>,
}

/// A rejection reason (`/v3/rejection_reasons`). Built-in reasons are listed only with
/// `include_defaults=true`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionReason {
    /// The reason's id.
    pub id: RejectionReasonId,
    /// The reason's name.
    pub name: String,
    /// The reason's type (JSON key `type`).
    #[serde(rename = "type", default)]
    pub reason_type: Option<RejectionReasonType>,
    /// When the reason was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the reason was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// How one application was rejected (`/v3/rejection_details`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectionDetail {
    /// The record's id.
    pub id: RejectionDetailId,
    /// The rejected application.
    pub application_id: ApplicationId,
    /// Who rejected it.
    #[serde(default)]
    pub rejected_by_id: Option<UserId>,
    /// The reason given.
    #[serde(default)]
    pub rejection_reason_id: Option<RejectionReasonId>,
    /// The note left with the rejection.
    #[serde(default)]
    pub rejection_note_id: Option<NoteId>,
    /// When the application was rejected.
    #[serde(default, with = "time::rfc3339_option")]
    pub rejected_at: Option<DateTime<Utc>>,
    /// Answers to rejection-question custom fields, keyed by `name_key` (assumed to have the
    /// records' `custom_fields` shape; unconfirmed).
    #[serde(default, deserialize_with = "null_as_default")]
    pub question_custom_fields: CustomFields,
    /// When the record was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    RejectionReason => "rejection_reasons",
    RejectionDetail => "rejection_details",
}
