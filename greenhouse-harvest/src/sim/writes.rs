//! `PATCH /v3/applications/{id}` with `custom_fields`: validation, application and the record
//! of every write.
//!
//! The v3 body shape is unconfirmed (reference §9.2), so the simulator accepts the three
//! candidates the reference lists: an array of `{name_key, value}`, an array of `{id, value}`,
//! and a map from `name_key` to value. Each field must exist, be an application field, be
//! active, and the value must fit its `value_type`. The application's `custom_fields` then holds
//! `{name, type, value}` under the field's `name_key`, as v3 responses do, and its `updated_at`
//! moves to the time of the write so incremental syncs see it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::query::ApiError;
use super::store::Store;

/// One custom field value written to an application, as received (after validation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomFieldWrite {
    /// Order of arrival, from 1.
    pub sequence: u64,
    /// The application written to.
    pub application_id: u64,
    /// The custom field's id.
    pub custom_field_id: u64,
    /// The custom field's `name_key`.
    pub name_key: String,
    /// The value stored (a number for number fields; `null` when the value was cleared).
    pub value: Value,
    /// When the simulator received the write.
    pub received_at: DateTime<Utc>,
}

/// One requested change, before it is checked.
#[derive(Debug, Clone)]
struct Requested {
    key: FieldRef,
    value: Value,
    unit: Option<String>,
    delete: bool,
}

#[derive(Debug, Clone)]
enum FieldRef {
    Id(u64),
    Key(String),
}

/// A validated change.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub(crate) custom_field_id: u64,
    pub(crate) name_key: String,
    pub(crate) name: String,
    pub(crate) value_type: String,
    pub(crate) value: Value,
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::unprocessable(json!({ "custom_fields": message.into() }))
}

/// Parses and validates a PATCH body against the custom fields in `store`.
pub(crate) fn validate(store: &Store, body: &[u8]) -> Result<Vec<Change>, ApiError> {
    let body: Value = serde_json::from_slice(body).map_err(|e| ApiError {
        status: 400,
        body: json!({"message": "Bad Request", "errors": [format!("body is not valid JSON: {e}")]}),
    })?;
    let Value::Object(mut top) = body else {
        return Err(ApiError::unprocessable(json!("the body must be a JSON object")));
    };
    let fields = top.remove("custom_fields").ok_or_else(|| invalid("is required"))?;
    if let Some(other) = top.keys().next() {
        // FIXME: only custom fields can be updated; the other writable application attributes
        // (source_id, recruiter_id, ...) are refused because nothing in this project writes
        // them. Applying them would need a validated setter per attribute.
        return Err(ApiError::unprocessable(json!({
            other.as_str(): "cannot be updated by the simulator, only custom_fields"
        })));
    }
    let requested = requested_changes(fields)?;
    requested.into_iter().map(|r| check(store, r)).collect()
}

fn requested_changes(fields: Value) -> Result<Vec<Requested>, ApiError> {
    match fields {
        Value::Array(items) => items
            .into_iter()
            .map(|item| {
                let Value::Object(mut item) = item else {
                    return Err(invalid("each item must be an object with name_key or id"));
                };
                let key = match (item.remove("name_key"), item.remove("id")) {
                    (Some(Value::String(k)), None) => FieldRef::Key(k),
                    (None, Some(id)) => {
                        FieldRef::Id(id.as_u64().ok_or_else(|| invalid("id must be an integer"))?)
                    }
                    _ => return Err(invalid("each item needs exactly one of name_key or id")),
                };
                let delete = match item.remove("delete_value") {
                    None => false,
                    Some(Value::String(s)) if s == "true" => true,
                    Some(Value::Bool(b)) => b,
                    Some(_) => return Err(invalid("delete_value must be \"true\"")),
                };
                let unit = match item.remove("unit") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(u)) => Some(u),
                    Some(_) => return Err(invalid("unit must be a currency code")),
                };
                let value = item.remove("value").unwrap_or(Value::Null);
                if let Some(extra) = item.keys().next() {
                    return Err(invalid(format!("unknown item key {extra:?}")));
                }
                if !delete && value.is_null() {
                    return Err(invalid("value is required (use delete_value to clear)"));
                }
                Ok(Requested { key, value, unit, delete })
            })
            .collect(),
        Value::Object(map) => Ok(map
            .into_iter()
            .map(|(k, value)| Requested {
                key: FieldRef::Key(k),
                delete: value.is_null(),
                value,
                unit: None,
            })
            .collect()),
        _ => Err(invalid("must be an array of {name_key, value} or an object")),
    }
}

fn check(store: &Store, requested: Requested) -> Result<Change, ApiError> {
    let fields = store.table("custom_fields");
    let field = fields
        .into_iter()
        .flat_map(|t| t.records.iter())
        .filter_map(|r| serde_json::from_slice::<Map<String, Value>>(&r.json).ok())
        .find(|f| match &requested.key {
            FieldRef::Id(id) => f.get("id").and_then(Value::as_u64) == Some(*id),
            FieldRef::Key(k) => f.get("name_key").and_then(Value::as_str) == Some(k.as_str()),
        })
        .ok_or_else(|| {
            invalid(match &requested.key {
                FieldRef::Id(id) => format!("no custom field with id {id}"),
                FieldRef::Key(k) => format!("no custom field with name_key {k:?}"),
            })
        })?;
    let text = |k: &str| field.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let (name_key, name, value_type) = (text("name_key"), text("name"), text("value_type"));
    let custom_field_id = field.get("id").and_then(Value::as_u64).unwrap_or_default();
    if text("field_type") != "application" {
        return Err(invalid(format!("{name_key} is not an application custom field")));
    }
    if field.get("active").and_then(Value::as_bool) == Some(false) {
        return Err(invalid(format!("{name_key} is not active")));
    }
    let value = if requested.delete {
        Value::Null
    } else {
        coerce(store, custom_field_id, &name_key, &value_type, requested.value, requested.unit)?
    };
    Ok(Change { custom_field_id, name_key, name, value_type, value })
}

fn coerce(
    store: &Store,
    field_id: u64,
    key: &str,
    value_type: &str,
    value: Value,
    unit: Option<String>,
) -> Result<Value, ApiError> {
    let wrong = |what: &str| invalid(format!("{key} takes {what}, got {value}"));
    match value_type {
        "number" => {
            let n = match &value {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse::<f64>().ok(),
                _ => None,
            };
            match n.filter(|n| n.is_finite()) {
                Some(_) if value.is_number() => Ok(value),
                Some(n) => Ok(json!(n)),
                None => Err(wrong("a number")),
            }
        }
        "short_text" | "long_text" => match &value {
            Value::String(s) if value_type == "long_text" || s.chars().count() <= 255 => Ok(value),
            _ => Err(wrong("text (at most 255 characters for short_text)")),
        },
        "yes_no" => match value {
            Value::Bool(_) => Ok(value),
            _ => Err(wrong("true or false")),
        },
        "date" => match &value {
            Value::String(s) if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() => {
                Ok(value)
            }
            _ => Err(wrong("a YYYY-MM-DD date")),
        },
        "url" => match &value {
            Value::String(s)
                if url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) =>
            {
                Ok(value)
            }
            _ => Err(wrong("an http or https URL")),
        },
        "currency" => match (&value, unit) {
            (Value::Number(_), Some(unit))
                if unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase()) =>
            {
                Ok(json!({"value": value, "unit": unit}))
            }
            _ => Err(wrong("a number with a three-letter unit")),
        },
        "single_select" => option_name(store, field_id, &value)
            .map(Value::String)
            .ok_or_else(|| wrong("one of its option ids or names")),
        "multi_select" => match &value {
            Value::Array(items) => items
                .iter()
                .map(|item| option_name(store, field_id, item).map(Value::String))
                .collect::<Option<Vec<_>>>()
                .map(Value::Array)
                .ok_or_else(|| wrong("an array of its option ids")),
            _ => Err(wrong("an array of its option ids")),
        },
        other => Err(invalid(format!(
            "{key} has value type {other:?}, which the simulator cannot write"
        ))),
    }
}

fn option_name(store: &Store, field_id: u64, wanted: &Value) -> Option<String> {
    store
        .table("custom_field_options")?
        .records
        .iter()
        .filter_map(|r| serde_json::from_slice::<Map<String, Value>>(&r.json).ok())
        .filter(|o| o.get("custom_field_id").and_then(Value::as_u64) == Some(field_id))
        .find(|o| match wanted {
            Value::Number(n) => o.get("id").and_then(Value::as_u64) == n.as_u64(),
            Value::String(s) => o.get("name").and_then(Value::as_str) == Some(s.as_str()),
            _ => false,
        })
        .and_then(|o| o.get("name").and_then(Value::as_str).map(str::to_owned))
}

/// Applies validated changes to an application's JSON and returns the new JSON.
pub(crate) fn apply(
    application: &[u8],
    changes: &[Change],
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let broken = || ApiError {
        status: 500,
        body: json!({"message": "stored application is not an object"}),
    };
    let Ok(Value::Object(mut app)) = serde_json::from_slice::<Value>(application) else {
        return Err(broken());
    };
    let fields = app.entry("custom_fields").or_insert_with(|| Value::Object(Map::new()));
    if !fields.is_object() {
        *fields = Value::Object(Map::new());
    }
    if let Value::Object(fields) = fields {
        for change in changes {
            fields.insert(
                change.name_key.clone(),
                json!({"name": change.name, "type": change.value_type, "value": change.value}),
            );
        }
    }
    app.insert(
        "updated_at".into(),
        json!(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    );
    serde_json::to_vec(&app).map_err(|_| broken())
}
