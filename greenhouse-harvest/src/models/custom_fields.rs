//! Custom field definitions (`/v3/custom_fields`) and their options
//! (`/v3/custom_field_options`).
//!
//! A definition says where a field applies (`field_type`) and what its values look like
//! (`value_type`); `name_key` is the stable key under which records carry the value.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{CustomFieldId, CustomFieldOptionId};
use crate::models::support::null_as_default;
use crate::models::time;

open_enum! {
    /// Which kind of record a custom field belongs to (`field_type`).
    CustomFieldType {
        /// A job field.
        Job => "job",
        /// A job opening field.
        Opening => "opening",
        /// A standard field.
        Standard => "standard",
        /// An offer field.
        Offer => "offer",
        /// A compensation-frequency field.
        CompensationFrequency => "compensation_frequency",
        /// A candidate field.
        Candidate => "candidate",
        /// A referral question.
        ReferralQuestion => "referral_question",
        /// An application field (where Rocketmat writes its rating).
        Application => "application",
        /// A rejection question.
        RejectionQuestion => "rejection_question",
        /// A form field.
        Form => "form",
        /// An agency question.
        AgencyQuestion => "agency_question",
        /// A user attribute.
        UserAttribute => "user_attribute",
    }
}

open_enum! {
    /// The shape of a custom field's values (`value_type` on a definition, `type` on a value).
    ///
    /// The list is not exhaustive; the masked `*_hris` variants land in `Unknown`.
    CustomFieldValueType {
        /// One line of text.
        ShortText => "short_text",
        /// Free text.
        LongText => "long_text",
        /// Yes or no.
        YesNo => "yes_no",
        /// Yes or no, as v1-style payloads name it.
        Boolean => "boolean",
        /// One option of a list.
        SingleSelect => "single_select",
        /// Several options of a list.
        MultiSelect => "multi_select",
        /// An amount of money with its currency.
        Currency => "currency",
        /// A range of amounts of money.
        CurrencyRange => "currency_range",
        /// A number.
        Number => "number",
        /// A range of numbers.
        NumberRange => "number_range",
        /// A calendar date.
        Date => "date",
        /// A URL.
        Url => "url",
        /// A Greenhouse user.
        User => "user",
    }
}

/// A custom field definition (`/v3/custom_fields`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomField {
    /// The field's id.
    pub id: CustomFieldId,
    /// Display name.
    pub name: String,
    /// Stable lower-case key; records key their `custom_fields` by it.
    #[serde(default)]
    pub name_key: Option<String>,
    /// Which kind of record the field belongs to.
    pub field_type: CustomFieldType,
    /// The shape of the field's values.
    pub value_type: CustomFieldValueType,
    /// Visible only to users with the "View Private" permission.
    #[serde(default, deserialize_with = "null_as_default")]
    pub private: bool,
    /// Whether a value is required.
    #[serde(default, deserialize_with = "null_as_default")]
    pub required: bool,
    /// Greenhouse's internal type for built-in fields, when set.
    #[serde(default)]
    pub internal_type: Option<String>,
    /// Whether the field is active (an inactive field takes no writes).
    pub active: bool,
    /// When the definition was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the definition was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// An option of a select-type custom field (`/v3/custom_field_options`); also the v3 home of
/// the degree, discipline and school lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldOption {
    /// The option's id.
    pub id: CustomFieldOptionId,
    /// The field the option belongs to.
    pub custom_field_id: CustomFieldId,
    /// The option's name (what a candidate or user sees).
    pub name: String,
    /// The customer's own id for the option.
    #[serde(default)]
    pub external_id: Option<String>,
    /// Position in the list.
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// Whether the option is still offered (deleting archives it).
    pub active: bool,
    /// When the option was created.
    #[serde(default, with = "time::rfc3339_option")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the option was last updated.
    #[serde(default, with = "time::rfc3339_option")]
    pub updated_at: Option<DateTime<Utc>>,
}

resource! {
    CustomField => "custom_fields",
    CustomFieldOption => "custom_field_options",
}
