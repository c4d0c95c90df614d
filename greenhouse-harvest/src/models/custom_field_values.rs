//! Custom field values as they appear on records.
//!
//! Applications, candidates, jobs and offers carry `custom_fields`: an object keyed by the field's
//! `name_key`, each entry `{name, type, value}`. The JSON shape of `value` depends on `type`
//! (a number, a string, a boolean, an option, a list of options, a currency object…) and is not
//! pinned down for v3, so an entry keeps the raw JSON and [`CustomFieldEntry::typed_value`]
//! interprets it. That interpretation never fails: a shape it does not expect comes back as
//! [`CustomFieldValue::Other`] with the raw JSON.
//!
//! ```
//! use greenhouse_harvest::models::{CustomFieldValue, CustomFields};
//!
//! let fields: CustomFields = serde_json::from_str(
//!     r#"{"rocketmat": {"name": "Rocketmat", "type": "number", "value": 87}}"#,
//! )?;
//! assert_eq!(fields["rocketmat"].typed_value(), CustomFieldValue::Number(87.0));
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::ids::CustomFieldOptionId;
use crate::models::custom_fields::CustomFieldValueType;

/// The `custom_fields` object of a record: `name_key` to entry.
pub type CustomFields = BTreeMap<String, CustomFieldEntry>;

/// One custom field value on a record, as Harvest sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldEntry {
    /// The field's display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The field's value type (JSON key `type`), which decides how `value` reads.
    #[serde(rename = "type", default)]
    pub value_type: Option<CustomFieldValueType>,
    /// The raw value; `null` when the field is empty.
    #[serde(default)]
    pub value: Value,
}

impl CustomFieldEntry {
    /// Builds an entry from a typed value, e.g. for a simulator or a test.
    pub fn new(
        name: Option<String>,
        value_type: CustomFieldValueType,
        value: &CustomFieldValue,
    ) -> Self {
        Self { name, value_type: Some(value_type), value: value.to_json() }
    }

    /// The value read according to the entry's type.
    ///
    /// `null` (and an empty string for a non-text type) is [`CustomFieldValue::Empty`]; a value
    /// whose shape does not match the type, or an entry of a type without a typed reading, is
    /// [`CustomFieldValue::Other`] with the raw JSON.
    pub fn typed_value(&self) -> CustomFieldValue {
        CustomFieldValue::from_json(self.value_type.as_ref(), &self.value)
    }
}

/// An option chosen in a select-type field.
///
/// Harvest may send an option as its name, its id, or an object with both; at least one of the
/// two is always set in a value this crate builds from JSON.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SelectedOption {
    /// The option's id (`/v3/custom_field_options`), when known.
    #[serde(default)]
    pub id: Option<CustomFieldOptionId>,
    /// The option's name, when known.
    #[serde(default)]
    pub name: Option<String>,
}

impl SelectedOption {
    /// Reads an option from a JSON string (name), integer (id) or `{id, name}` object.
    fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::String(name) => Some(Self { id: None, name: Some(name.clone()) }),
            Value::Number(number) => {
                number.as_u64().map(|id| Self { id: Some(id.into()), name: None })
            }
            Value::Object(map) => {
                let id = map.get("id").and_then(Value::as_u64).map(CustomFieldOptionId::from);
                // v1 option objects use `name`; some payloads use `value` for the label.
                let name = map
                    .get("name")
                    .or_else(|| map.get("value"))
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                (id.is_some() || name.is_some()).then_some(Self { id, name })
            }
            _ => None,
        }
    }

    /// The write form: the id when known (stable), else the exact option name.
    fn to_json(&self) -> Value {
        match (&self.id, &self.name) {
            (Some(id), _) => Value::from(id.get()),
            (None, Some(name)) => Value::from(name.as_str()),
            (None, None) => Value::Null,
        }
    }
}

/// A custom field value read according to its type.
///
/// It serializes to the JSON a write would send (see [`CustomFieldValue::to_json`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CustomFieldValue {
    /// A `number` field.
    Number(f64),
    /// A `short_text` or `long_text` field.
    Text(String),
    /// A `yes_no` (v1: `boolean`) field.
    YesNo(bool),
    /// A `date` field.
    Date(NaiveDate),
    /// A `url` field.
    Url(String),
    /// A `single_select` field.
    SingleSelect(SelectedOption),
    /// A `multi_select` field.
    MultiSelect(Vec<SelectedOption>),
    /// A `currency` field.
    Currency {
        /// The amount, in `unit`.
        amount: f64,
        /// The ISO 4217 currency code, when given.
        unit: Option<String>,
    },
    /// No value (`null`, or an empty string where text is not expected).
    Empty,
    /// A value of another type or of an unexpected shape, kept as raw JSON.
    Other(Value),
}

impl CustomFieldValue {
    /// Interprets a raw value according to a value type; never fails.
    ///
    /// ```
    /// use greenhouse_harvest::models::{CustomFieldValue, CustomFieldValueType};
    /// use serde_json::json;
    ///
    /// let yes = CustomFieldValue::from_json(Some(&CustomFieldValueType::YesNo), &json!(true));
    /// assert_eq!(yes, CustomFieldValue::YesNo(true));
    /// let odd = CustomFieldValue::from_json(Some(&CustomFieldValueType::Number), &json!([1]));
    /// assert_eq!(odd, CustomFieldValue::Other(json!([1])));
    /// ```
    pub fn from_json(value_type: Option<&CustomFieldValueType>, value: &Value) -> Self {
        use CustomFieldValueType as Type;

        let is_text = matches!(value_type, Some(Type::ShortText | Type::LongText));
        match value {
            Value::Null => return Self::Empty,
            Value::String(text) if text.is_empty() && !is_text => return Self::Empty,
            _ => {}
        }
        let typed = match value_type {
            Some(Type::Number) => number(value).map(Self::Number),
            Some(Type::ShortText | Type::LongText) => value.as_str().map(|s| Self::Text(s.into())),
            Some(Type::YesNo | Type::Boolean) => yes_no(value).map(Self::YesNo),
            Some(Type::Date) => value
                .as_str()
                .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
                .map(Self::Date),
            Some(Type::Url) => value.as_str().map(|s| Self::Url(s.into())),
            Some(Type::SingleSelect) => SelectedOption::from_json(value).map(Self::SingleSelect),
            Some(Type::MultiSelect) => value
                .as_array()
                .and_then(|items| items.iter().map(SelectedOption::from_json).collect())
                .map(Self::MultiSelect),
            Some(Type::Currency) => currency(value),
            _ => None,
        };
        typed.unwrap_or_else(|| Self::Other(value.clone()))
    }

    /// The number, for a `Number` value (how Rocketmat reads back its rating).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Self::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// Whether the field holds no value.
    pub fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The JSON a write sends for this value.
    ///
    /// A select option is written as its id when known, else as its name; a non-finite number
    /// is written as `null`, because JSON has no NaN or infinity.
    pub fn to_json(&self) -> Value {
        match self {
            Self::Number(number) => Value::from(*number),
            Self::Text(text) | Self::Url(text) => Value::from(text.as_str()),
            Self::YesNo(flag) => Value::Bool(*flag),
            Self::Date(date) => Value::from(date.format("%Y-%m-%d").to_string()),
            Self::SingleSelect(option) => option.to_json(),
            Self::MultiSelect(options) => options.iter().map(SelectedOption::to_json).collect(),
            Self::Currency { amount, unit } => {
                serde_json::json!({ "amount": amount, "unit": unit })
            }
            Self::Empty => Value::Null,
            Self::Other(raw) => raw.clone(),
        }
    }
}

impl Serialize for CustomFieldValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// A finite number from a JSON number or a numeric string (v1 sent some numbers as strings).
fn number(value: &Value) -> Option<f64> {
    let parsed = match value {
        Value::Number(number) => number.as_f64(),
        Value::String(text) => text.trim().parse::<f64>().ok(),
        _ => None,
    };
    parsed.filter(|number| number.is_finite())
}

/// A yes/no answer from a boolean or its common string spellings.
fn yes_no(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::String(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" => Some(true),
            "false" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A currency value from `{amount, unit}`; the amount may be a number or a numeric string.
fn currency(value: &Value) -> Option<CustomFieldValue> {
    let map = value.as_object()?;
    let amount = number(map.get("amount")?)?;
    let unit = match map.get("unit") {
        None | Some(Value::Null) => None,
        Some(Value::String(unit)) => Some(unit.clone()),
        Some(_) => return None,
    };
    Some(CustomFieldValue::Currency { amount, unit })
}
