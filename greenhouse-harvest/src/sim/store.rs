//! The simulator's in-memory tables: each record kept as its serialized v3 JSON plus a small
//! index of the fields its filters read.
//!
//! Keeping bytes rather than parsed values makes a 500-record page a concatenation, and keeps
//! a 100k-application company in a few hundred megabytes at most. Records are sorted by id,
//! descending, the order v3 lists in, so a cursor is just "the last id served".

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};

use super::error::{SimError, SimResult};
use super::spec::{self, Extract, ResourceSpec};

/// An indexed field value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Indexed {
    /// Absent or null.
    Missing,
    /// Ids (one for a scalar field).
    Ids(Box<[u64]>),
    /// Unix milliseconds.
    Time(i64),
    /// A boolean.
    Bool(bool),
    /// Lower-cased strings (one for a scalar field).
    Text(Box<[Box<str>]>),
    /// A non-null value of another shape.
    Present,
}

/// One stored record.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    /// The record's id (0 for items without one, such as pending candidate messages).
    pub(crate) id: u64,
    /// The record as v3 JSON.
    pub(crate) json: Box<[u8]>,
    /// The indexed fields, in the order of [`Table::fields`].
    pub(crate) slots: Box<[Indexed]>,
}

/// All records of one resource.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// The resource's endpoint description.
    pub(crate) spec: ResourceSpec,
    /// The indexed fields.
    pub(crate) fields: Vec<(&'static str, Extract)>,
    /// The records, by id descending.
    pub(crate) records: Vec<Record>,
}

impl Table {
    /// Builds a table from serialized records.
    pub(crate) fn from_json(
        spec: ResourceSpec,
        records: impl IntoIterator<Item = Vec<u8>>,
    ) -> SimResult<Self> {
        let fields = spec::index_fields(&spec);
        let mut out = Vec::new();
        for json in records {
            out.push(index_record(&fields, json.into_boxed_slice(), spec.path)?);
        }
        out.sort_unstable_by_key(|r| std::cmp::Reverse(r.id));
        if let Some(pair) = out.windows(2).find(|w| w[0].id == w[1].id && w[0].id != 0) {
            return Err(SimError::DuplicateId { resource: spec.path, id: pair[0].id });
        }
        Ok(Self { spec, fields, records: out })
    }

    /// Index of the first record whose id is below `id` (records are by id descending).
    pub(crate) fn position_after(&self, id: u64) -> usize {
        self.records.partition_point(|r| r.id >= id)
    }

    /// The slot position of an indexed field.
    pub(crate) fn slot(&self, field: &str) -> Option<usize> {
        self.fields.iter().position(|(f, _)| *f == field)
    }

    /// The record with `id`, if any.
    pub(crate) fn get(&self, id: u64) -> Option<&Record> {
        let pos = self.records.partition_point(|r| r.id > id);
        self.records.get(pos).filter(|r| r.id == id)
    }

    /// Replaces the JSON of an existing record (its id must not change).
    pub(crate) fn replace(&mut self, id: u64, json: Vec<u8>) -> SimResult<()> {
        let record = index_record(&self.fields, json.into_boxed_slice(), self.spec.path)?;
        let pos = self.records.partition_point(|r| r.id > id);
        match self.records.get_mut(pos) {
            Some(slot) if slot.id == id && record.id == id => {
                *slot = record;
                Ok(())
            }
            _ => Err(SimError::Config(format!("no {} record with id {id}", self.spec.path))),
        }
    }

    /// Ids of offers that are the highest version for their application (offers only).
    pub(crate) fn current_versions(&self) -> HashSet<u64> {
        let (Some(app), Some(version)) = (self.slot("application_id"), self.slot("version")) else {
            return self.records.iter().map(|r| r.id).collect();
        };
        let first = |i: &Indexed| match i {
            Indexed::Ids(ids) => ids.first().copied(),
            _ => None,
        };
        let mut best: HashMap<u64, (u64, u64)> = HashMap::new();
        for record in &self.records {
            let Some(app_id) = first(&record.slots[app]) else { continue };
            let v = first(&record.slots[version]).unwrap_or(0);
            let entry = best.entry(app_id).or_insert((v, record.id));
            if (v, record.id) > *entry {
                *entry = (v, record.id);
            }
        }
        best.values().map(|(_, id)| *id).collect()
    }
}

/// Every table, by v3 path segment.
#[derive(Debug, Clone, Default)]
pub(crate) struct Store {
    pub(crate) tables: BTreeMap<&'static str, Table>,
}

impl Store {
    /// The table of a resource.
    pub(crate) fn table(&self, path: &str) -> Option<&Table> {
        self.tables.get(path)
    }

    /// The JSON document of a whole table: a JSON array, one record per line.
    pub(crate) fn table_document(&self, path: &str) -> Vec<u8> {
        let mut out = b"[".to_vec();
        if let Some(table) = self.tables.get(path) {
            // Ascending ids read more naturally in a file, and loading sorts anyway.
            for (i, record) in table.records.iter().rev().enumerate() {
                out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                out.extend_from_slice(&record.json);
            }
        }
        out.extend_from_slice(b"\n]\n");
        out
    }
}

fn index_record(
    fields: &[(&'static str, Extract)],
    json: Box<[u8]>,
    resource: &'static str,
) -> SimResult<Record> {
    let mut de = serde_json::Deserializer::from_slice(&json);
    let (id, slots) = IndexSeed { fields }
        .deserialize(&mut de)
        .map_err(|source| SimError::Encode { resource, source })?;
    Ok(Record { id, json, slots })
}

/// Reads a record's id and indexed fields in one pass, skipping every other field.
struct IndexSeed<'a> {
    fields: &'a [(&'static str, Extract)],
}

impl<'de> DeserializeSeed<'de> for IndexSeed<'_> {
    type Value = (u64, Box<[Indexed]>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for IndexSeed<'_> {
    type Value = (u64, Box<[Indexed]>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = 0;
        let mut slots = vec![Indexed::Missing; self.fields.len()];
        while let Some(key) = map.next_key_seed(KeySeed { fields: self.fields })? {
            match key {
                Key::Id => id = map.next_value::<Option<u64>>()?.unwrap_or(0),
                Key::Slot(i) => {
                    let value: serde_json::Value = map.next_value()?;
                    slots[i] = extract(&value, self.fields[i].1);
                }
                Key::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((id, slots.into_boxed_slice()))
    }
}

enum Key {
    Id,
    Slot(usize),
    Other,
}

struct KeySeed<'a> {
    fields: &'a [(&'static str, Extract)],
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        if key == "id" {
            return Ok(Key::Id);
        }
        Ok(self.fields.iter().position(|(f, _)| *f == key).map_or(Key::Other, Key::Slot))
    }
}

/// Parses a datetime or date into Unix milliseconds.
pub(crate) fn parse_time(text: &str) -> Option<i64> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(t.timestamp_millis());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

fn extract(value: &serde_json::Value, how: Extract) -> Indexed {
    use serde_json::Value;
    if value.is_null() {
        return Indexed::Missing;
    }
    match how {
        Extract::Present => Indexed::Present,
        Extract::Ids => match value {
            Value::Number(n) => {
                n.as_u64().map_or(Indexed::Present, |n| Indexed::Ids(Box::new([n])))
            }
            Value::Array(items) => Indexed::Ids(items.iter().filter_map(Value::as_u64).collect()),
            _ => Indexed::Present,
        },
        Extract::Time => {
            value.as_str().and_then(parse_time).map_or(Indexed::Present, Indexed::Time)
        }
        Extract::Bool => value.as_bool().map_or(Indexed::Present, Indexed::Bool),
        Extract::Text => {
            let one = |v: &Value| match v {
                Value::String(s) => Some(s.to_lowercase().into_boxed_str()),
                Value::Object(o) => {
                    o.get("value").and_then(Value::as_str).map(|s| s.to_lowercase().into())
                }
                Value::Number(n) => Some(n.to_string().into_boxed_str()),
                _ => None,
            };
            match value {
                Value::Array(items) => Indexed::Text(items.iter().filter_map(one).collect()),
                other => one(other).map_or(Indexed::Present, |s| Indexed::Text(Box::new([s]))),
            }
        }
        Extract::OptionIds => {
            let mut ids = Vec::new();
            if let Value::Object(fields) = value {
                for field in fields.values() {
                    let inner = field.get("value").unwrap_or(field);
                    match inner {
                        Value::Number(n) => ids.extend(n.as_u64()),
                        Value::Array(items) => ids.extend(items.iter().filter_map(Value::as_u64)),
                        _ => {}
                    }
                }
            }
            Indexed::Ids(ids.into_boxed_slice())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(path: &str, records: &[serde_json::Value]) -> Table {
        let spec = *spec::spec_for(path).unwrap();
        Table::from_json(spec, records.iter().map(|r| serde_json::to_vec(r).unwrap())).unwrap()
    }

    #[test]
    fn records_are_sorted_by_id_descending_and_indexed() {
        let t = table(
            "applications",
            &[
                serde_json::json!({"id": 3, "job_id": 7, "status": "in_process", "created_at": "2025-01-01T00:00:00Z", "notes": {"deep": [1, 2]}}),
                serde_json::json!({"id": 9, "job_id": null, "status": "Rejected", "prospective_job_ids": [4, 5]}),
            ],
        );
        assert_eq!(t.records.iter().map(|r| r.id).collect::<Vec<_>>(), [9, 3]);
        let job = t.slot("job_id").unwrap();
        assert_eq!(t.records[1].slots[job], Indexed::Ids(Box::new([7])));
        assert_eq!(t.records[0].slots[job], Indexed::Missing);
        let status = t.slot("status").unwrap();
        assert_eq!(t.records[0].slots[status], Indexed::Text(Box::new(["rejected".into()])));
        let created = t.slot("created_at").unwrap();
        assert_eq!(t.records[1].slots[created], Indexed::Time(1_735_689_600_000));
        assert_eq!(t.position_after(9), 1);
        assert_eq!(t.position_after(3), 2);
        assert_eq!(t.get(3).unwrap().id, 3);
        assert!(t.get(4).is_none());
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let spec = *spec::spec_for("jobs").unwrap();
        let err = Table::from_json(spec, [b"{\"id\":1}".to_vec(), b"{\"id\":1}".to_vec()]);
        assert!(matches!(err, Err(SimError::DuplicateId { id: 1, .. })));
    }

    #[test]
    fn current_offer_versions() {
        let t = table(
            "offers",
            &[
                serde_json::json!({"id": 1, "application_id": 10, "version": 1}),
                serde_json::json!({"id": 2, "application_id": 10, "version": 2}),
                serde_json::json!({"id": 3, "application_id": 11, "version": 1}),
            ],
        );
        let current = t.current_versions();
        assert_eq!(current, HashSet::from([2, 3]));
    }

    #[test]
    fn dates_and_datetimes_parse() {
        assert_eq!(parse_time("2025-01-01"), Some(1_735_689_600_000));
        assert_eq!(parse_time("2025-01-01T00:00:00.000+00:00"), Some(1_735_689_600_000));
        assert_eq!(parse_time("yesterday"), None);
    }
}
