//! Candidates (`/v3/candidates`) and their child records: education
//! (`/v3/candidate_educations`), employment (`/v3/candidate_employments`) and notes
//! (`/v3/notes`).
//!
//! Candidates are people: their names and contact details are personal data. The hand-written
//! `Debug` impls here print ids, counts and presence only, so a stray `{:?}` in a log line leaks
//! nothing. A candidate carries no applications; list `/v3/applications?candidate_ids=…`.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::ids::{
    CandidateEducationId, CandidateEmploymentId, CandidateId, CustomFieldOptionId, NoteId, UserId,
};
use crate::models::custom_field_values::CustomFields;
use crate::models::support::{Redacted, null_as_default};
use crate::models::{Resource, time};

/// One contact detail of a candidate: a phone number, address, e-mail, website or social
/// profile. `Debug` hides the value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactDetail {
    /// The number, address or URL.
    pub value: String,
    /// Its kind as Greenhouse labels it (`mobile`, `work`, `personal`, …), free-form.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
}

impl fmt::Debug for ContactDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContactDetail")
            .field("value", &Redacted(&self.value))
            .field("kind", &self.kind)
            .finish()
    }
}

/// A candidate (`/v3/candidates`). `Debug` redacts personal fields.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The candidate's id.
    pub id: CandidateId,
    /// First name (personal data; `None` once anonymized).
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name (personal data).
    #[serde(default)]
    pub last_name: Option<String>,
    /// Preferred name (personal data).
    #[serde(default)]
    pub preferred_name: Option<String>,
    /// Current employer.
    #[serde(default)]
    pub company: Option<String>,
    /// Current job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Last activity on the candidate.
    #[serde(default, with = "time::rfc3339_option")]
    pub last_activity_at: Option<DateTime<Utc>>,
    /// Whether the candidate is private.
    #[serde(default, deserialize_with = "null_as_default")]
    pub private: bool,
    /// Whether the candidate agreed to be e-mailed.
    #[serde(default, deserialize_with = "null_as_default")]
    pub can_email: bool,
    /// Names of the tags applied to the candidate.
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: Vec<String>,
    /// Users linked to this candidate (an internal applicant's own account).
    #[serde(default, deserialize_with = "null_as_default")]
    pub linked_user_ids: Vec<UserId>,
    /// Phone numbers (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub phone_numbers: Vec<ContactDetail>,
    /// Postal addresses (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub addresses: Vec<ContactDetail>,
    /// E-mail addresses (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub email_addresses: Vec<ContactDetail>,
    /// Websites (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub website_addresses: Vec<ContactDetail>,
    /// Social media profiles (personal data).
    #[serde(default, deserialize_with = "null_as_default")]
    pub social_media_addresses: Vec<ContactDetail>,
    /// Candidate custom fields, keyed by `name_key`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub custom_fields: CustomFields,
    /// When the candidate was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the candidate was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Candidate")
            .field("id", &self.id)
            .field("first_name", &Redacted(&self.first_name))
            .field("last_name", &Redacted(&self.last_name))
            .field("preferred_name", &Redacted(&self.preferred_name))
            .field("company", &Redacted(&self.company))
            .field("title", &self.title)
            .field("last_activity_at", &self.last_activity_at)
            .field("private", &self.private)
            .field("can_email", &self.can_email)
            .field("tags", &Redacted(&self.tags))
            .field("linked_user_ids", &self.linked_user_ids)
            .field("phone_numbers", &Redacted(&self.phone_numbers))
            .field("addresses", &Redacted(&self.addresses))
            .field("email_addresses", &Redacted(&self.email_addresses))
            .field("website_addresses", &Redacted(&self.website_addresses))
            .field("social_media_addresses", &Redacted(&self.social_media_addresses))
            .field("custom_fields", &self.custom_fields.keys().collect::<Vec<_>>())
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// One item of a `/v3/candidates` page: a candidate, or an asynchronous-processing object
/// holding only a `message` (documented for v3; it is data, not an error).
///
/// An object with an `id` is always read as a candidate, so a broken candidate is a decode
/// error rather than a silent `Pending`; an object without `id` but with a string `message` is
/// `Pending`; anything else is a decode error.
///
/// ```
/// use greenhouse_harvest::models::CandidateListItem;
///
/// let items: Vec<CandidateListItem> =
///     serde_json::from_str(r#"[{"id": 7}, {"message": "still processing"}]"#)?;
/// assert_eq!(items[0].candidate().map(|c| c.id.get()), Some(7));
/// assert!(matches!(&items[1], CandidateListItem::Pending { .. }));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum CandidateListItem {
    /// A candidate record.
    Candidate(Box<Candidate>),
    /// A placeholder for a candidate still being processed.
    Pending {
        /// Greenhouse's message about the processing.
        message: String,
    },
}

impl CandidateListItem {
    /// The candidate, unless this item is pending.
    pub fn candidate(&self) -> Option<&Candidate> {
        match self {
            Self::Candidate(candidate) => Some(candidate),
            Self::Pending { .. } => None,
        }
    }

    /// The candidate by value, unless this item is pending.
    pub fn into_candidate(self) -> Option<Candidate> {
        match self {
            Self::Candidate(candidate) => Some(*candidate),
            Self::Pending { .. } => None,
        }
    }
}

impl<'de> Deserialize<'de> for CandidateListItem {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Which shape an item has is only known once its keys are seen, in any order, so the
        // object is buffered first. A plain untagged enum would turn a candidate with one bad
        // field into `Pending` whenever it also had a `message` key; deciding on `id` avoids it.
        // FIXME: buffering hides the path inside a candidate from an outer
        // `serde_path_to_error`, so it is carried in the message instead (`candidate.tags: …`).
        // It stays because the alternative, a streaming visitor that decides on `id`, would
        // duplicate `Candidate`'s whole field list; such a visitor would restore the full path.
        let map = Map::<String, Value>::deserialize(deserializer)?;
        if map.contains_key("id") {
            serde_path_to_error::deserialize::<_, Candidate>(Value::Object(map))
                .map(|candidate| Self::Candidate(Box::new(candidate)))
                .map_err(|err| {
                    D::Error::custom(format_args!("candidate.{}: {}", err.path(), err.inner()))
                })
        } else {
            match map.get("message") {
                Some(Value::String(message)) => Ok(Self::Pending { message: message.clone() }),
                _ => Err(D::Error::custom(
                    "candidate list item has neither an `id` nor a string `message`",
                )),
            }
        }
    }
}

impl Resource for CandidateListItem {
    const PATH: &'static str = "candidates";

    fn id(&self) -> Option<u64> {
        self.candidate().map(|candidate| candidate.id.get())
    }

    fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.candidate().and_then(|candidate| candidate.updated_at)
    }
}

/// One education entry of a candidate (`/v3/candidate_educations`).
///
/// School, degree and discipline point at custom field options (`custom_field_key` `school_name`,
/// `degree`, `discipline`); the exact field names are unconfirmed. The month and year parts are
/// inferred from the reference's "plus month and year parts" and unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateEducation {
    /// The entry's id.
    pub id: CandidateEducationId,
    /// The candidate.
    pub candidate_id: CandidateId,
    /// The school, as a custom field option.
    #[serde(default)]
    pub school_name_custom_field_option_id: Option<CustomFieldOptionId>,
    /// The degree, as a custom field option.
    #[serde(default)]
    pub degree_custom_field_option_id: Option<CustomFieldOptionId>,
    /// The discipline, as a custom field option.
    #[serde(default)]
    pub discipline_custom_field_option_id: Option<CustomFieldOptionId>,
    /// Start of the studies.
    #[serde(default, with = "time::rfc3339_option")]
    pub start_at: Option<DateTime<Utc>>,
    /// End of the studies.
    #[serde(default, with = "time::rfc3339_option")]
    pub end_at: Option<DateTime<Utc>>,
    /// Start month (1 to 12).
    #[serde(default)]
    pub start_month: Option<u32>,
    /// Start year.
    #[serde(default)]
    pub start_year: Option<i32>,
    /// End month (1 to 12).
    #[serde(default)]
    pub end_month: Option<u32>,
    /// End year.
    #[serde(default)]
    pub end_year: Option<i32>,
    /// Whether this is the candidate's latest education.
    #[serde(default)]
    pub latest: Option<bool>,
    /// When the entry was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the entry was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// One employment entry of a candidate (`/v3/candidate_employments`).
///
/// The reference lists no fields for this resource: this list is inferred from v1's employment
/// object in v3's flat style (mirroring [`CandidateEducation`]) and is unconfirmed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CandidateEmployment {
    /// The entry's id.
    pub id: CandidateEmploymentId,
    /// The candidate.
    pub candidate_id: CandidateId,
    /// The employer.
    #[serde(default)]
    pub company_name: Option<String>,
    /// The job title held.
    #[serde(default)]
    pub title: Option<String>,
    /// Start of the employment.
    #[serde(default, with = "time::rfc3339_option")]
    pub start_at: Option<DateTime<Utc>>,
    /// End of the employment; `None` while current.
    #[serde(default, with = "time::rfc3339_option")]
    pub end_at: Option<DateTime<Utc>>,
    /// Whether this is the candidate's latest employment.
    #[serde(default)]
    pub latest: Option<bool>,
    /// When the entry was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the entry was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

open_enum! {
    /// Who may read a note (`visibility`, v1's vocabulary; unconfirmed for v3).
    NoteVisibility {
        /// Site admins only.
        AdminOnly => "admin_only",
        /// The author and admins.
        Private => "private",
        /// Everyone who can see the candidate.
        Public => "public",
    }
}

/// A note on a candidate (`/v3/notes`, v3's replacement for the v1 activity feed).
///
/// The reference lists no fields for this resource: this list is inferred from v1's note object
/// in v3's flat style and is unconfirmed. `Debug` hides the body (free text).
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// The note's id.
    pub id: NoteId,
    /// The candidate the note is about.
    pub candidate_id: CandidateId,
    /// The author.
    #[serde(default)]
    pub user_id: Option<UserId>,
    /// The text (free text, may hold personal data).
    #[serde(default)]
    pub body: Option<String>,
    /// Who may read it.
    #[serde(default)]
    pub visibility: Option<NoteVisibility>,
    /// When the note was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the note was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Note")
            .field("id", &self.id)
            .field("candidate_id", &self.candidate_id)
            .field("user_id", &self.user_id)
            .field("body", &Redacted(&self.body))
            .field("visibility", &self.visibility)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

resource! {
    CandidateEducation => "candidate_educations",
    CandidateEmployment => "candidate_employments",
    Note => "notes",
}
