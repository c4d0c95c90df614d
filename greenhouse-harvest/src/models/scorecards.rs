//! Scorecards (`/v3/scorecards`): an interviewer's verdict on one interview.
//!
//! Question answers and attribute ratings are separate v3 resources and are not embedded here.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ApplicationId, InterviewKitId, ScorecardId, UserId};
use crate::models::support::Redacted;
use crate::models::time;

open_enum! {
    /// The overall recommendation (`candidate_rating`; v1's `overall_recommendation`).
    ScorecardRating {
        /// Definitely not.
        StrongNo => "strong_no",
        /// No.
        No => "no",
        /// Yes.
        Yes => "yes",
        /// Definitely yes.
        StrongYes => "strong_yes",
        /// No decision.
        NoDecision => "no_decision",
    }
}

open_enum! {
    /// Whether a scorecard was submitted (`status`).
    ScorecardStatus {
        /// Being written.
        Draft => "draft",
        /// Submitted.
        Complete => "complete",
    }
}

/// A scorecard (`/v3/scorecards`). `Debug` hides the notes (free text about a person).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// The scorecard's id.
    pub id: ScorecardId,
    /// The application interviewed for.
    pub application_id: ApplicationId,
    /// The interview kit (the interview) the scorecard is for.
    #[serde(default)]
    pub interview_kit_id: Option<InterviewKitId>,
    /// Who interviewed.
    #[serde(default)]
    pub interviewer_id: Option<UserId>,
    /// Who submitted the scorecard.
    #[serde(default)]
    pub submitter_id: Option<UserId>,
    /// The overall recommendation.
    #[serde(default)]
    pub candidate_rating: Option<ScorecardRating>,
    /// Whether it was submitted.
    pub status: ScorecardStatus,
    /// When the interview took place.
    #[serde(default, with = "time::rfc3339_option")]
    pub interviewed_at: Option<DateTime<Utc>>,
    /// When the scorecard was submitted.
    #[serde(default, with = "time::rfc3339_option")]
    pub submitted_at: Option<DateTime<Utc>>,
    /// General notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// General notes with tags kept.
    #[serde(default)]
    pub notes_with_tags: Option<String>,
    /// Private notes.
    #[serde(default)]
    pub private_notes: Option<String>,
    /// Private notes with tags kept.
    #[serde(default)]
    pub private_notes_with_tags: Option<String>,
    /// Notes visible to the hiring team.
    #[serde(default)]
    pub public_notes: Option<String>,
    /// Public notes with tags kept.
    #[serde(default)]
    pub public_notes_with_tags: Option<String>,
    /// When the scorecard was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the scorecard was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Scorecard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scorecard")
            .field("id", &self.id)
            .field("application_id", &self.application_id)
            .field("interview_kit_id", &self.interview_kit_id)
            .field("interviewer_id", &self.interviewer_id)
            .field("submitter_id", &self.submitter_id)
            .field("candidate_rating", &self.candidate_rating)
            .field("status", &self.status)
            .field("interviewed_at", &self.interviewed_at)
            .field("submitted_at", &self.submitted_at)
            .field("notes", &Redacted(&self.notes))
            .field("notes_with_tags", &Redacted(&self.notes_with_tags))
            .field("private_notes", &Redacted(&self.private_notes))
            .field("private_notes_with_tags", &Redacted(&self.private_notes_with_tags))
            .field("public_notes", &Redacted(&self.public_notes))
            .field("public_notes_with_tags", &Redacted(&self.public_notes_with_tags))
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

resource! {
    Scorecard => "scorecards",
}
