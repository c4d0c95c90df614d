//! Reasons an opening was closed (`/v3/close_reasons`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::CloseReasonId;
use crate::models::time;

/// Why an opening was closed (`/v3/close_reasons`). A name starting with "Hire -" counts as a
/// hire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloseReason {
    /// The reason's id.
    pub id: CloseReasonId,
    /// The reason's name.
    pub name: String,
    /// When the reason was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the reason was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl CloseReason {
    /// Whether closing with this reason counts as a hire (its name starts with "Hire -").
    pub fn is_hire(&self) -> bool {
        self.name.starts_with("Hire -")
    }
}

resource! {
    CloseReason => "close_reasons",
}
