//! Lenient RFC 3339 datetimes for serde.
//!
//! Harvest documents its datetimes as ISO 8601 in UTC with milliseconds
//! (`2024-12-15T03:55:00.000Z`), but pins no pattern, and clients in the wild meet other
//! spellings. These helpers accept every RFC 3339 `date-time`: any offset (converted to UTC),
//! lower-case `t` and `z`, any number of fraction digits or none, and the space separator that
//! RFC 3339 §5.6 allows in place of `T`. They always write the canonical form back: `Z`, and as
//! many fraction digits as needed (none, 3, 6 or 9).
//!
//! Use them with `#[serde(with = "...")]`:
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use serde::Deserialize;
//!
//! #[derive(Deserialize)]
//! struct Event {
//!     #[serde(with = "greenhouse_harvest::models::time::rfc3339")]
//!     at: DateTime<Utc>,
//! }
//!
//! let event: Event = serde_json::from_str(r#"{"at": "2024-12-15 05:55:00+02:00"}"#)?;
//! assert_eq!(event.at.to_rfc3339(), "2024-12-15T03:55:00+00:00");
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::de::{self, Visitor};
use serde::{Deserializer, Serializer};

/// Parses one RFC 3339 `date-time` in any of its spellings and converts it to UTC.
///
/// # Errors
///
/// Returns chrono's parse error when `text` is not an RFC 3339 `date-time`.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::models::time::parse_rfc3339;
///
/// let a = parse_rfc3339("2024-12-15T03:55:00.000Z")?;
/// let b = parse_rfc3339("2024-12-14t22:55:00-05:00")?;
/// assert_eq!(a, b);
/// # Ok::<(), chrono::ParseError>(())
/// ```
pub fn parse_rfc3339(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    // chrono's RFC 3339 parser already accepts `T`, `t` and a space as the separator and
    // `Z`/`z` or a numeric offset, which is exactly the grammar plus the §5.6 note.
    DateTime::parse_from_rfc3339(text).map(|parsed| parsed.with_timezone(&Utc))
}

/// Writes a datetime in the canonical form these helpers emit (`Z`, minimal fraction digits).
pub fn format_rfc3339(value: &DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Visitor reading a datetime from a borrowed or owned string without allocating.
struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 datetime string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        parse_rfc3339(text).map_err(|err| E::custom(format_args!("invalid datetime: {err}")))
    }
}

/// serde helpers for a required `DateTime<Utc>` field.
pub mod rfc3339 {
    use super::{DateTime, DateTimeVisitor, Deserializer, Serializer, Utc, format_rfc3339};

    /// Serializes in the canonical RFC 3339 form.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_rfc3339(value))
    }

    /// Deserializes any RFC 3339 spelling.
    ///
    /// # Errors
    ///
    /// When the value is not a string or not an RFC 3339 datetime.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

/// serde helpers for an optional `DateTime<Utc>` field (`null` or missing is `None`).
///
/// Pair it with `#[serde(default)]` so a missing field decodes as `None`.
pub mod rfc3339_option {
    use std::fmt;

    use serde::de::{self, Visitor};

    use super::{DateTime, DateTimeVisitor, Deserializer, Serializer, Utc, format_rfc3339};

    /// Serializes `None` as `null`, `Some` in the canonical RFC 3339 form.
    ///
    /// # Errors
    ///
    /// Only the serializer's own errors.
    // serde's `with` protocol hands the field by reference, hence `&Option`.
    #[allow(clippy::ref_option)]
    pub fn serialize<S: Serializer>(
        value: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_str(&format_rfc3339(value)),
            None => serializer.serialize_none(),
        }
    }

    /// Deserializes `null` as `None` and any RFC 3339 spelling as `Some`.
    ///
    /// # Errors
    ///
    /// When the value is neither `null` nor an RFC 3339 datetime string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        deserializer.deserialize_option(OptionVisitor)
    }

    /// Visitor for the `null`-or-string shape.
    struct OptionVisitor;

    impl<'de> Visitor<'de> for OptionVisitor {
        type Value = Option<DateTime<Utc>>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or an RFC 3339 datetime string")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_str(DateTimeVisitor).map(Some)
        }
    }
}
