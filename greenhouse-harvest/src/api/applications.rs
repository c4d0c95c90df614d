//! Writing custom field values on an application (`PATCH /v3/applications/{id}`).
//!
//! The element shape of `custom_fields` in this request body is not shown in Greenhouse's public
//! v3 reference. [`UpdateCustomFields::to_body`] is the ONE place that decides it, so a sandbox
//! finding changes one function:
//!
//! - [`CustomFieldsShape::List`] (the default, following v1's documented form):
//!   `{"custom_fields": [{"name_key": "rocketmat", "value": 87}]}`, or `{"id": 123, ...}` for a
//!   field addressed by id, with `unit` added for currency values;
//! - [`CustomFieldsShape::KeyedMap`], the main alternative, mirroring how v3 *responses* key
//!   custom fields: `{"custom_fields": {"rocketmat": 87}}` (name keys only).
//!
//! Also unconfirmed: whether a number field takes a JSON number or a string (both are possible
//! here, the value is any JSON), and whether the PATCH answers with the application or 204.

use std::fmt;

use serde_json::{Map, Value, json};

use super::Handler;
use crate::client::RequestOptions;
use crate::error::{Error, Result};
use crate::ids::{ApplicationId, CustomFieldId};
use crate::models::Application;

/// How a custom field is addressed in a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomFieldKey {
    /// By its stable lower-case key (preferred).
    NameKey(String),
    /// By its id.
    Id(CustomFieldId),
}

/// One custom field value to write.
#[derive(Clone, PartialEq)]
pub struct CustomFieldWrite {
    /// Which field.
    pub key: CustomFieldKey,
    /// The value: a number, a string, an option id, a list of option ids...
    pub value: Value,
    /// The ISO 4217 currency of a currency value.
    pub unit: Option<String>,
}

impl fmt::Debug for CustomFieldWrite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A value may be free text: show its kind only.
        let kind = match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        f.debug_struct("CustomFieldWrite")
            .field("key", &self.key)
            .field("value", &kind)
            .field("unit", &self.unit)
            .finish()
    }
}

/// The element shape of `custom_fields` in the request body (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CustomFieldsShape {
    /// `[{"name_key": ..., "value": ...}]` (v1's form; the default).
    #[default]
    List,
    /// `{"<name_key>": <value>}`.
    KeyedMap,
}

/// A typed `PATCH /v3/applications/{id}` body carrying custom field values.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::api::UpdateCustomFields;
///
/// let update = UpdateCustomFields::new().set_by_name_key("rocketmat", 87);
/// assert_eq!(
///     update.to_body()?,
///     serde_json::json!({"custom_fields": [{"name_key": "rocketmat", "value": 87}]})
/// );
/// # Ok::<(), greenhouse_harvest::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[must_use]
pub struct UpdateCustomFields {
    writes: Vec<CustomFieldWrite>,
    shape: CustomFieldsShape,
}

impl UpdateCustomFields {
    /// An empty update.
    pub fn new() -> Self {
        UpdateCustomFields::default()
    }

    /// Set the field with this `name_key`.
    pub fn set_by_name_key(mut self, name_key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.writes.push(CustomFieldWrite {
            key: CustomFieldKey::NameKey(name_key.into()),
            value: value.into(),
            unit: None,
        });
        self
    }

    /// Set the field with this id.
    pub fn set_by_id(mut self, id: CustomFieldId, value: impl Into<Value>) -> Self {
        self.writes.push(CustomFieldWrite {
            key: CustomFieldKey::Id(id),
            value: value.into(),
            unit: None,
        });
        self
    }

    /// Add a fully described write (e.g. a currency value with its unit).
    pub fn push(mut self, write: CustomFieldWrite) -> Self {
        self.writes.push(write);
        self
    }

    /// Send the values in another body shape.
    pub fn shape(mut self, shape: CustomFieldsShape) -> Self {
        self.shape = shape;
        self
    }

    /// The values to write.
    pub fn writes(&self) -> &[CustomFieldWrite] {
        &self.writes
    }

    /// The JSON body as sent. This function is the one place that knows the body shape.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when there is nothing to write, or when the keyed-map shape
    /// is asked for a field addressed by id or with a currency unit (that shape has room for
    /// neither).
    pub fn to_body(&self) -> Result<Value> {
        if self.writes.is_empty() {
            return Err(Error::InvalidRequest("no custom field value to write".to_owned()));
        }
        let custom_fields = match self.shape {
            CustomFieldsShape::List => Value::Array(
                self.writes
                    .iter()
                    .map(|write| {
                        let mut item = Map::new();
                        match &write.key {
                            CustomFieldKey::NameKey(key) => {
                                item.insert("name_key".to_owned(), json!(key));
                            }
                            CustomFieldKey::Id(id) => {
                                item.insert("id".to_owned(), json!(id.get()));
                            }
                        }
                        item.insert("value".to_owned(), write.value.clone());
                        if let Some(unit) = &write.unit {
                            item.insert("unit".to_owned(), json!(unit));
                        }
                        Value::Object(item)
                    })
                    .collect(),
            ),
            CustomFieldsShape::KeyedMap => {
                let mut map = Map::new();
                for write in &self.writes {
                    let CustomFieldKey::NameKey(key) = &write.key else {
                        return Err(Error::InvalidRequest(
                            "the keyed-map body shape addresses fields by name_key only".to_owned(),
                        ));
                    };
                    if write.unit.is_some() {
                        return Err(Error::InvalidRequest(
                            "the keyed-map body shape has no room for a currency unit".to_owned(),
                        ));
                    }
                    map.insert(key.clone(), write.value.clone());
                }
                Value::Object(map)
            }
        };
        Ok(json!({ "custom_fields": custom_fields }))
    }
}

impl Handler<Application> {
    /// Write custom field values on one application: `PATCH /v3/applications/{id}`.
    ///
    /// Returns the updated application when Harvest sends it back, `None` on an empty answer
    /// (204). The write is attributed to the token's user or service account. PATCH is retried
    /// on 5xx and timeouts like other idempotent requests: writing the same value twice is
    /// harmless.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] for an empty update; [`Error::Api`] when Harvest refuses it
    /// (404 unknown application, 422 bad value); [`Error::Decode`] when the write succeeded but
    /// the answer is not an application (its status is in the error).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: greenhouse_harvest::Client) -> greenhouse_harvest::Result<()> {
    /// use greenhouse_harvest::api::UpdateCustomFields;
    /// use greenhouse_harvest::ids::ApplicationId;
    ///
    /// let update = UpdateCustomFields::new().set_by_name_key("rocketmat", 87);
    /// client.applications().update_custom_fields(ApplicationId(1), &update).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn update_custom_fields(
        &self,
        id: ApplicationId,
        update: &UpdateCustomFields,
    ) -> Result<Option<Application>> {
        let body = update.to_body()?;
        tracing::debug!(
            application_id = id.get(),
            fields = update.writes.len(),
            "writing custom fields"
        );
        self.client
            .send_json(
                reqwest::Method::PATCH,
                &format!("applications/{}", id.get()),
                &body,
                RequestOptions::default(),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_shapes() {
        let update = UpdateCustomFields::new()
            .set_by_name_key("rocketmat", 87)
            .set_by_id(CustomFieldId(12), "high")
            .push(CustomFieldWrite {
                key: CustomFieldKey::NameKey("salary".to_owned()),
                value: json!(1000),
                unit: Some("EUR".to_owned()),
            });
        assert_eq!(
            update.to_body().unwrap(),
            json!({"custom_fields": [
                {"name_key": "rocketmat", "value": 87},
                {"id": 12, "value": "high"},
                {"name_key": "salary", "value": 1000, "unit": "EUR"},
            ]})
        );
        assert!(update.clone().shape(CustomFieldsShape::KeyedMap).to_body().is_err());
        let keyed = UpdateCustomFields::new()
            .set_by_name_key("rocketmat", 87)
            .shape(CustomFieldsShape::KeyedMap);
        assert_eq!(keyed.to_body().unwrap(), json!({"custom_fields": {"rocketmat": 87}}));
        assert!(UpdateCustomFields::new().to_body().is_err());
        assert!(!format!("{update:?}").contains("high"));
    }
}
