//! Tracking links (`/v3/tracking_links`): tokens that credit applications to a source.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{
    JobBoardId, JobId, JobPostId, ReferrerId, RelatedPostId, SourceId, TrackingLinkId,
};
use crate::models::time;

/// A tracking link (`/v3/tracking_links`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingLink {
    /// The link's id.
    pub id: TrackingLinkId,
    /// The token in the link's URL.
    pub token: String,
    /// The source credited.
    #[serde(default)]
    pub source_id: Option<SourceId>,
    /// The referrer credited.
    #[serde(default)]
    pub referrer_id: Option<ReferrerId>,
    /// The job linked to.
    #[serde(default)]
    pub job_id: Option<JobId>,
    /// The job board linked to.
    #[serde(default)]
    pub job_board_id: Option<JobBoardId>,
    /// The job post linked to.
    #[serde(default)]
    pub job_post_id: Option<JobPostId>,
    /// The related post.
    #[serde(default)]
    pub related_post_id: Option<RelatedPostId>,
    /// What the link points at (JSON key `type`; its values are not documented, so free-form).
    #[serde(rename = "type", default)]
    pub link_type: Option<String>,
    /// When the link was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the link was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    TrackingLink => "tracking_links",
}
