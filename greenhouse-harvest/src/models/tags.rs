//! Candidate tags (`/v3/candidate_tags`) and the join applying them to candidates
//! (`/v3/applied_candidate_tags`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AppliedCandidateTagId, CandidateId, CandidateTagId};
use crate::models::time;

/// A tag that can be applied to candidates (`/v3/candidate_tags`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateTag {
    /// The tag's id.
    pub id: CandidateTagId,
    /// The tag's name.
    pub name: String,
    /// When the tag was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the tag was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One tag applied to one candidate (`/v3/applied_candidate_tags`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppliedCandidateTag {
    /// The join record's id.
    pub id: AppliedCandidateTagId,
    /// The candidate.
    pub candidate_id: CandidateId,
    /// The tag.
    pub candidate_tag_id: CandidateTagId,
    /// When the tag was applied.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    CandidateTag => "candidate_tags",
    AppliedCandidateTag => "applied_candidate_tags",
}
