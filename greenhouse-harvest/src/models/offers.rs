//! Offers (`/v3/offers`). Each change to an offer makes a new version; filter with
//! `current_only=true` for the latest version of each.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, CandidateId, JobId, OfferId, OpeningId};
use crate::models::custom_field_values::CustomFields;
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// Where an offer stands (`status`; Harvest capitalizes these values).
    OfferStatus {
        /// Drafted, not resolved.
        Created => "Created",
        /// Accepted by the candidate.
        Accepted => "Accepted",
        /// Rejected by the candidate.
        Rejected => "Rejected",
        /// Replaced by a newer version.
        Deprecated => "Deprecated",
    }
}

/// One version of an offer (`/v3/offers`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// The offer version's id.
    pub id: OfferId,
    /// The version number.
    #[serde(default)]
    pub version: Option<u64>,
    /// The application the offer answers.
    pub application_id: ApplicationId,
    /// The job.
    pub job_id: JobId,
    /// The candidate.
    pub candidate_id: CandidateId,
    /// The opening the offer would fill.
    #[serde(default)]
    pub opening_id: Option<OpeningId>,
    /// Where the offer stands.
    pub status: OfferStatus,
    /// The proposed start date.
    #[serde(default)]
    pub starts_on: Option<NaiveDate>,
    /// When the offer was sent.
    #[serde(default)]
    pub sent_on: Option<NaiveDate>,
    /// When the offer was accepted or rejected.
    #[serde(default, with = "time::rfc3339_option")]
    pub resolved_at: Option<DateTime<Utc>>,
    /// Offer custom fields, keyed by `name_key`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom_fields: CustomFields,
    /// When the offer was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the offer was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    Offer => "offers",
}
