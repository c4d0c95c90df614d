//! Custom-field lookups: find the application field a rating is written to.

use futures::TryStreamExt;

use super::Handler;
use crate::error::{Error, Result};
use crate::models::{CustomField, CustomFieldType, CustomFieldValueType};

impl Handler<CustomField> {
    /// Find the active application custom field whose `name_key` is `name_or_key`, or else
    /// whose name is `name_or_key` (ignoring case), and check that it holds numbers.
    ///
    /// It lists the application fields (`field_type=application`, usually one request) and
    /// matches locally, so it relies on no name filter whose exact behaviour is unconfirmed.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidRequest`] when no active application field matches, or when the field's
    /// value type is not `number`; otherwise any error of the list request.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn run(client: greenhouse_harvest::Client) -> greenhouse_harvest::Result<()> {
    /// let field = client.custom_fields().find_application_number_field("Rocketmat").await?;
    /// println!("writing to custom field {} ({:?})", field.id, field.name_key);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn find_application_number_field(&self, name_or_key: &str) -> Result<CustomField> {
        let fields: Vec<CustomField> = self
            .list()
            .field_type(CustomFieldType::Application)
            .stream()
            .try_filter(|field| {
                std::future::ready(field.field_type == CustomFieldType::Application)
            })
            .try_collect()
            .await?;
        let by_key = fields.iter().find(|f| f.name_key.as_deref() == Some(name_or_key));
        let by_name = || fields.iter().find(|f| f.name.eq_ignore_ascii_case(name_or_key));
        let Some(field) = by_key.or_else(by_name) else {
            return Err(Error::InvalidRequest(format!(
                "no application custom field has the name or name_key `{name_or_key}` \
                 ({} application fields seen)",
                fields.len()
            )));
        };
        if !field.active {
            return Err(Error::InvalidRequest(format!(
                "application custom field {} (`{name_or_key}`) is inactive",
                field.id
            )));
        }
        if field.value_type != CustomFieldValueType::Number {
            return Err(Error::InvalidRequest(format!(
                "application custom field {} (`{name_or_key}`) holds {}, not number",
                field.id, field.value_type
            )));
        }
        Ok(field.clone())
    }
}
