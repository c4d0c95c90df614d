//! Candidate sources (`/v3/sources`) and referrers (`/v3/referrers`).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{ReferrerId, SourceId, SourceTypeId, UserId};
use crate::models::support::Redacted;
use crate::models::time;

/// A source's sourcing strategy (`type {id, name}`: Agencies, Referral, Third-party boards…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceType {
    /// The strategy's id.
    #[serde(default)]
    pub id: Option<SourceTypeId>,
    /// The strategy's name.
    #[serde(default)]
    pub name: Option<String>,
}

/// Where candidates come from (`/v3/sources`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The source's id.
    pub id: SourceId,
    /// The source's name.
    pub name: String,
    /// The sourcing strategy (JSON key `type`).
    #[serde(rename = "type", default)]
    pub source_type: Option<SourceType>,
    /// When the source was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the source was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A person who refers candidates (`/v3/referrers`). `Debug` hides the name (personal data).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Referrer {
    /// The referrer's id.
    pub id: ReferrerId,
    /// The referrer's name.
    #[serde(default)]
    pub name: Option<String>,
    /// The referrer's Greenhouse user, for an employee referral.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// When the referrer was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the referrer was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Referrer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Referrer")
            .field("id", &self.id)
            .field("name", &Redacted(&self.name))
            .field("user_id", &self.user_id)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

resource! {
    Source => "sources",
    Referrer => "referrers",
}
