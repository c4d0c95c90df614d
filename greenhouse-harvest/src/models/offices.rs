//! Offices (`/v3/offices`) and departments (`/v3/departments`): the two trees a job hangs from.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::ids::{DepartmentId, OfficeId, UserId};
use crate::models::time;

/// An office (`/v3/offices`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Office {
    /// The office's id.
    pub id: OfficeId,
    /// The office's name.
    pub name: String,
    /// The parent office.
    #[serde(default)]
    pub parent_id: Option<OfficeId>,
    /// The customer's own id for the office.
    #[serde(default)]
    pub external_id: Option<String>,
    /// The office's location, raw: v1 sent `{"name": …}` and the v3 shape is unconfirmed, so it
    /// is kept as JSON; [`Office::location_name`] reads both a string and an object.
    #[serde(default)]
    pub location: Value,
    /// The office's main in-house contact.
    #[serde(default)]
    pub primary_in_house_contact_user_id: Option<UserId>,
    /// When the office was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the office was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl Office {
    /// The location's name, from a plain string or a `{"name": …}` object.
    pub fn location_name(&self) -> Option<&str> {
        match &self.location {
            Value::String(name) => Some(name),
            Value::Object(map) => map.get("name").and_then(Value::as_str),
            _ => None,
        }
    }
}

/// A department (`/v3/departments`).
///
/// The reference lists no fields for this resource: this list is inferred from v1's department
/// object in v3's flat style (mirroring [`Office`]) and is unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    /// The department's id.
    pub id: DepartmentId,
    /// The department's name.
    pub name: String,
    /// The parent department.
    #[serde(default)]
    pub parent_id: Option<DepartmentId>,
    /// The customer's own id for the department.
    #[serde(default)]
    pub external_id: Option<String>,
    /// When the department was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the department was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    Office => "offices",
    Department => "departments",
}
