//! List requests: query validation (reference §4–§5), filter matching, pages and cursors.
//!
//! A cursor is opaque to clients: URL-safe Base64 of the resource, the original filters and
//! `per_page`, the last id served and when it was issued, followed by an 8-byte tag so a
//! tampered cursor is refused rather than misread. Because the filters travel inside the
//! cursor, a request that sends a cursor may send nothing else, exactly as v3 demands. The tag
//! is a keyed `SipHash`: enough to catch an edited cursor, not a security boundary, which a local
//! simulator does not need.

use std::collections::HashSet;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::hash::{Hash, Hasher};

use super::spec::{self, FilterKind};
use super::store::{Indexed, Store, Table, parse_time};

/// Most ids one `*_ids` filter may carry.
pub(crate) const MAX_IDS: usize = 50;
/// Largest `per_page`.
pub(crate) const MAX_PER_PAGE: u32 = 500;
/// `per_page` when none is given.
pub(crate) const DEFAULT_PER_PAGE: u32 = 100;
/// The message v3 answers when a cursor comes with other parameters.
pub(crate) const CURSOR_WITH_PARAMS: &str =
    "When passing a cursor, do not include other query params.";

/// An API error answer: status and JSON body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) body: Value,
}

impl ApiError {
    /// A 422 with one `errors` item.
    pub(crate) fn unprocessable(error: Value) -> Self {
        let errors = vec![error];
        Self { status: 422, body: json!({"message": "Unprocessable Content", "errors": errors}) }
    }

    /// A 422 naming the offending parameter.
    fn param(name: &str, message: impl Into<String>) -> Self {
        Self::unprocessable(json!({ name: message.into() }))
    }

    /// A 404.
    pub(crate) fn not_found() -> Self {
        Self { status: 404, body: json!({"message": "Resource not found"}) }
    }
}

/// One compiled filter condition.
#[derive(Debug, Clone)]
enum Cond {
    /// The record id is one of these.
    IdIn(HashSet<u64>),
    /// The slot holds one of these ids.
    AnyId(usize, HashSet<u64>),
    /// The slot's time lies within the bounds (millis, inclusive flag).
    Range(usize, Option<(i64, bool)>, Option<(i64, bool)>),
    /// The slot holds this boolean.
    Bool(usize, bool),
    /// The slot holds this (lower-cased) text.
    Text(usize, String),
    /// The slot does not hold this (lower-cased) text.
    NotText(usize, String),
    /// The slot holds a value.
    Present(usize),
    /// The record id is in this set (precomputed, e.g. current offers).
    InSet(HashSet<u64>),
    /// Matches nothing (e.g. an unknown custom field key).
    Nothing,
}

impl Cond {
    fn matches(&self, id: u64, slots: &[Indexed]) -> bool {
        match self {
            Self::IdIn(ids) | Self::InSet(ids) => ids.contains(&id),
            Self::AnyId(slot, ids) => match &slots[*slot] {
                Indexed::Ids(have) => have.iter().any(|i| ids.contains(i)),
                _ => false,
            },
            Self::Range(slot, lower, upper) => match slots[*slot] {
                Indexed::Time(t) => {
                    lower.is_none_or(|(b, incl)| if incl { t >= b } else { t > b })
                        && upper.is_none_or(|(b, incl)| if incl { t <= b } else { t < b })
                }
                _ => false,
            },
            Self::Bool(slot, want) => slots[*slot] == Indexed::Bool(*want),
            Self::Text(slot, want) => match &slots[*slot] {
                Indexed::Text(have) => have.iter().any(|h| **h == **want),
                _ => false,
            },
            Self::NotText(slot, unwanted) => match &slots[*slot] {
                Indexed::Text(have) => !have.iter().any(|h| **h == **unwanted),
                _ => true,
            },
            Self::Present(slot) => !matches!(slots[*slot], Indexed::Missing),
            Self::Nothing => false,
        }
    }
}

/// What the cursor carries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct CursorState {
    /// Resource path segment.
    r: String,
    /// The original query pairs.
    q: Vec<(String, String)>,
    /// Last id served.
    a: u64,
    /// Issued at, Unix milliseconds.
    t: u64,
}

/// Encodes and checks cursors.
#[derive(Debug, Clone)]
pub(crate) struct CursorCodec {
    key: u64,
    lifetime: Option<Duration>,
}

impl CursorCodec {
    /// A codec signing with a key derived from `seed`.
    pub(crate) fn new(seed: u64, lifetime: Option<Duration>) -> Self {
        Self { key: seed ^ 0x6375_7273_6f72_2121, lifetime }
    }

    fn tag(&self, payload: &[u8]) -> [u8; 8] {
        let mut hasher = std::hash::DefaultHasher::new();
        self.key.hash(&mut hasher);
        payload.hash(&mut hasher);
        hasher.finish().to_le_bytes()
    }

    fn encode(&self, state: &CursorState) -> String {
        let mut bytes = serde_json::to_vec(state).unwrap_or_default();
        let tag = self.tag(&bytes);
        bytes.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn decode(&self, cursor: &str, now: Duration) -> Result<CursorState, ApiError> {
        let invalid = || ApiError::param("cursor", "is invalid");
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        if bytes.len() < 8 {
            return Err(invalid());
        }
        let (payload, tag) = bytes.split_at(bytes.len() - 8);
        if self.tag(payload) != tag {
            return Err(invalid());
        }
        let state: CursorState = serde_json::from_slice(payload).map_err(|_| invalid())?;
        if let Some(lifetime) = self.lifetime {
            let age = now.saturating_sub(Duration::from_millis(state.t));
            if age > lifetime {
                return Err(expired_cursor());
            }
        }
        Ok(state)
    }
}

/// The 422 for an expired cursor.
pub(crate) fn expired_cursor() -> ApiError {
    ApiError::param("cursor", "has expired; restart the listing from its first request")
}

/// A validated list request.
#[derive(Debug, Clone)]
pub(crate) struct ListRequest {
    resource: String,
    pairs: Vec<(String, String)>,
    per_page: usize,
    fields: Option<Vec<String>>,
    conds: Vec<Cond>,
    after: Option<u64>,
}

/// One page of a listing.
#[derive(Debug)]
pub(crate) struct Page {
    /// The JSON array body.
    pub(crate) body: Vec<u8>,
    /// Records in the page.
    pub(crate) count: usize,
    /// The next cursor, when more records match.
    pub(crate) next_cursor: Option<String>,
}

/// Parses a raw query string into pairs, refusing a repeated parameter.
fn pairs_of(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        if pairs.iter().any(|(seen, _)| *seen == k) {
            return Err(ApiError::param(&k, "is given more than once"));
        }
        pairs.push((k.into_owned(), v.into_owned()));
    }
    Ok(pairs)
}

/// Validates a list request on `table` against v3's rules.
pub(crate) fn parse(
    store: &Store,
    table: &Table,
    raw_query: Option<&str>,
    codec: &CursorCodec,
    now: Duration,
) -> Result<ListRequest, ApiError> {
    let pairs = pairs_of(raw_query)?;
    if let Some((_, cursor)) = pairs.iter().find(|(k, _)| k == "cursor") {
        if pairs.len() > 1 {
            return Err(ApiError::unprocessable(json!(CURSOR_WITH_PARAMS)));
        }
        let state = codec.decode(cursor, now)?;
        if state.r != table.spec.path {
            return Err(ApiError::param("cursor", "belongs to another endpoint"));
        }
        let mut request = compile(store, table, state.q)?;
        request.after = Some(state.a);
        return Ok(request);
    }
    compile(store, table, pairs)
}

fn parse_ids(name: &str, value: &str) -> Result<HashSet<u64>, ApiError> {
    let ids = value
        .split(',')
        .map(|part| part.trim().parse::<u64>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| ApiError::param(name, "must be comma-separated integer ids"))?;
    if ids.len() > MAX_IDS {
        return Err(ApiError::param(
            name,
            format!("must hold at most {MAX_IDS} ids, got {}", ids.len()),
        ));
    }
    Ok(ids.into_iter().collect())
}

fn parse_bool(name: &str, value: &str) -> Result<bool, ApiError> {
    match value {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(ApiError::param(name, format!("must be true or false, got `{value}`"))),
    }
}

type Bound = Option<(i64, bool)>;

fn parse_range(name: &str, value: &str) -> Result<(Bound, Bound), ApiError> {
    let bad = || ApiError::param(name, "must be op|datetime pairs with op one of gte, gt, lte, lt");
    let parts: Vec<&str> = value.split('|').collect();
    if parts.is_empty() || !parts.len().is_multiple_of(2) || parts.len() > 4 {
        return Err(bad());
    }
    let (mut lower, mut upper) = (None, None);
    for pair in parts.chunks(2) {
        let t = parse_time(pair[1]).ok_or_else(bad)?;
        let (slot, inclusive) = match pair[0] {
            "gte" => (&mut lower, true),
            "gt" => (&mut lower, false),
            "lte" => (&mut upper, true),
            "lt" => (&mut upper, false),
            _ => return Err(bad()),
        };
        if slot.replace((t, inclusive)).is_some() {
            return Err(bad());
        }
    }
    Ok((lower, upper))
}

// One arm per filter kind: splitting the match would scatter the v3 filter rules.
#[allow(clippy::too_many_lines)]
fn compile(
    store: &Store,
    table: &Table,
    pairs: Vec<(String, String)>,
) -> Result<ListRequest, ApiError> {
    let mut per_page = DEFAULT_PER_PAGE;
    let mut fields = None;
    let mut conds = Vec::new();
    let mut show_service_accounts = false;
    let slot = |field: &str| {
        table.slot(field).ok_or_else(|| ApiError::param(field, "cannot be filtered here"))
    };
    for (name, value) in &pairs {
        match name.as_str() {
            "per_page" => {
                let n: i64 = value.parse().map_err(|_| {
                    ApiError::param("per_page", format!("`{value}` is not an integer"))
                })?;
                if n > i64::from(MAX_PER_PAGE) {
                    return Err(ApiError::param(
                        "per_page",
                        format!("`{n}` number is greater than: {MAX_PER_PAGE}"),
                    ));
                }
                if n < 1 {
                    return Err(ApiError::param(
                        "per_page",
                        format!("`{n}` number is less than: 1"),
                    ));
                }
                per_page = u32::try_from(n).unwrap_or(MAX_PER_PAGE);
            }
            "fields" => {
                let list: Vec<String> = value
                    .split(',')
                    .map(|f| f.trim().to_owned())
                    .filter(|f| !f.is_empty())
                    .collect();
                if list.is_empty() || list.len() > 50 {
                    return Err(ApiError::param("fields", "must name between 1 and 50 fields"));
                }
                fields = Some(list);
            }
            _ => {
                let kind = spec::filter_for(&table.spec, name).ok_or_else(|| {
                    ApiError::param(
                        name,
                        format!("is not a supported filter on /v3/{}", table.spec.path),
                    )
                })?;
                match kind {
                    FilterKind::Ids("id") => conds.push(Cond::IdIn(parse_ids(name, value)?)),
                    FilterKind::Ids(field) => {
                        conds.push(Cond::AnyId(slot(field)?, parse_ids(name, value)?));
                    }
                    FilterKind::Range(field) => {
                        let (lower, upper) = parse_range(name, value)?;
                        conds.push(Cond::Range(slot(field)?, lower, upper));
                    }
                    FilterKind::Bool(field) => {
                        conds.push(Cond::Bool(slot(field)?, parse_bool(name, value)?));
                    }
                    FilterKind::Text(field) => {
                        conds.push(Cond::Text(slot(field)?, value.to_lowercase()));
                    }
                    FilterKind::Enum(field, allowed) => {
                        let mapped = allowed
                            .iter()
                            .find(|(query, _)| query.eq_ignore_ascii_case(value))
                            .map(|(_, record)| record.to_lowercase())
                            .ok_or_else(|| {
                                let names: Vec<&str> = allowed.iter().map(|(q, _)| *q).collect();
                                ApiError::param(
                                    name,
                                    format!("must be one of {}, got `{value}`", names.join(", ")),
                                )
                            })?;
                        conds.push(Cond::Text(slot(field)?, mapped));
                    }
                    FilterKind::CustomFieldOption => {
                        let id: u64 = value
                            .parse()
                            .map_err(|_| ApiError::param(name, "must be an integer id"))?;
                        conds.push(Cond::AnyId(slot("custom_fields")?, HashSet::from([id])));
                    }
                    FilterKind::CurrentOnly => {
                        if parse_bool(name, value)? {
                            conds.push(Cond::InSet(table.current_versions()));
                        }
                    }
                    FilterKind::CustomFieldKey => {
                        conds.push(custom_field_key(store, table, value)?);
                    }
                    FilterKind::ShowServiceAccounts => {
                        show_service_accounts = parse_bool(name, value)?;
                    }
                    FilterKind::JobIdsWithoutOfferCandidate => {
                        conds.push(Cond::AnyId(slot("job_id")?, parse_ids(name, value)?));
                        conds.push(Cond::NotText(slot("approval_type")?, "offer_candidate".into()));
                    }
                    FilterKind::Ignored => {}
                }
            }
        }
    }
    if table.spec.path == "users" && !show_service_accounts {
        conds.push(Cond::Present(slot("primary_email")?));
    }
    let pairs = pairs.into_iter().collect();
    Ok(ListRequest {
        resource: table.spec.path.to_owned(),
        pairs,
        per_page: per_page as usize,
        fields,
        conds,
        after: None,
    })
}

fn custom_field_key(store: &Store, table: &Table, key: &str) -> Result<Cond, ApiError> {
    let slot = table
        .slot("custom_field_id")
        .ok_or_else(|| ApiError::param("custom_field_key", "cannot be filtered here"))?;
    let Some(fields) = store.table("custom_fields") else { return Ok(Cond::Nothing) };
    let mut ids = HashSet::new();
    for record in &fields.records {
        let parsed: Value = serde_json::from_slice(&record.json).unwrap_or(Value::Null);
        if parsed
            .get("name_key")
            .and_then(Value::as_str)
            .is_some_and(|k| k.eq_ignore_ascii_case(key))
        {
            ids.insert(record.id);
        }
    }
    Ok(if ids.is_empty() { Cond::Nothing } else { Cond::AnyId(slot, ids) })
}

impl ListRequest {
    /// Whether this request continues from a cursor.
    pub(crate) fn is_continuation(&self) -> bool {
        self.after.is_some()
    }

    /// Builds the page this request asks for.
    pub(crate) fn page(&self, table: &Table, codec: &CursorCodec, now: Duration) -> Page {
        let start = self.after.map_or(0, |id| table.position_after(id));
        let mut body = b"[".to_vec();
        let mut count = 0;
        let mut last_id = None;
        let mut more = false;
        for record in &table.records[start..] {
            if !self.conds.iter().all(|c| c.matches(record.id, &record.slots)) {
                continue;
            }
            if count == self.per_page {
                more = true;
                break;
            }
            if count > 0 {
                body.push(b',');
            }
            match &self.fields {
                None => body.extend_from_slice(&record.json),
                Some(fields) => body.extend_from_slice(&project(&record.json, fields)),
            }
            count += 1;
            last_id = Some(record.id);
        }
        body.push(b']');
        let next_cursor = match (more, last_id) {
            (true, Some(a)) => Some(codec.encode(&CursorState {
                r: self.resource.clone(),
                q: self.pairs.clone(),
                a,
                t: u64::try_from(now.as_millis()).unwrap_or(u64::MAX),
            })),
            _ => None,
        };
        Page { body, count, next_cursor }
    }
}

/// Keeps only the listed fields of a record (the v3 `fields` selector).
fn project(json: &[u8], fields: &[String]) -> Vec<u8> {
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(json) else {
        return json.to_vec();
    };
    map.retain(|k, _| fields.iter().any(|f| f == k));
    serde_json::to_vec(&map).unwrap_or_else(|_| json.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::store::Table;

    #[allow(clippy::duration_suboptimal_units)] // A Unix time reads best in seconds.
    const NOW: Duration = Duration::from_secs(1_800_000_000);

    fn store() -> Store {
        let apps: Vec<Vec<u8>> = (1..=12_u64)
            .map(|i| {
                serde_json::to_vec(&json!({
                    "id": i,
                    "job_id": i % 3,
                    "status": if i % 2 == 0 { "in_process" } else { "rejected" },
                    "created_at": format!("2025-01-{i:02}T00:00:00Z"),
                    "prospect": false,
                }))
                .unwrap()
            })
            .collect();
        let mut store = Store::default();
        let spec = *spec::spec_for("applications").unwrap();
        store.tables.insert("applications", Table::from_json(spec, apps).unwrap());
        store
    }

    fn list(
        store: &Store,
        query: &str,
        codec: &CursorCodec,
    ) -> Result<(Vec<u64>, Option<String>), ApiError> {
        let table = store.table("applications").unwrap();
        let request = parse(store, table, Some(query), codec, NOW)?;
        let page = request.page(table, codec, NOW);
        let items: Vec<Value> = serde_json::from_slice(&page.body).unwrap();
        Ok((items.iter().map(|v| v["id"].as_u64().unwrap()).collect(), page.next_cursor))
    }

    #[test]
    fn pages_follow_the_cursor_newest_first() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        let (first, cursor) = list(&store, "per_page=5", &codec).unwrap();
        assert_eq!(first, [12, 11, 10, 9, 8]);
        let (second, cursor) =
            list(&store, &format!("cursor={}", cursor.unwrap()), &codec).unwrap();
        assert_eq!(second, [7, 6, 5, 4, 3]);
        let (third, cursor) = list(&store, &format!("cursor={}", cursor.unwrap()), &codec).unwrap();
        assert_eq!(third, [2, 1]);
        assert!(cursor.is_none());
    }

    #[test]
    fn an_exact_last_page_has_no_next_cursor() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        let (items, cursor) = list(&store, "per_page=12", &codec).unwrap();
        assert_eq!(items.len(), 12);
        assert!(cursor.is_none());
    }

    #[test]
    fn filters_travel_inside_the_cursor() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        let (first, cursor) = list(&store, "per_page=2&status=active&job_ids=0,1", &codec).unwrap();
        assert_eq!(first, [12, 10]);
        let (rest, _) = list(&store, &format!("cursor={}", cursor.unwrap()), &codec).unwrap();
        assert_eq!(rest, [6, 4]);
    }

    #[test]
    fn cursor_with_any_other_parameter_is_422() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        let (_, cursor) = list(&store, "per_page=5", &codec).unwrap();
        let err =
            list(&store, &format!("cursor={}&per_page=5", cursor.unwrap()), &codec).unwrap_err();
        assert_eq!(err.status, 422);
        assert_eq!(err.body["errors"][0], CURSOR_WITH_PARAMS);
    }

    #[test]
    fn tampered_and_expired_cursors_are_422() {
        let store = store();
        let codec = CursorCodec::new(1, Some(Duration::from_mins(1)));
        let (_, cursor) = list(&store, "per_page=5", &codec).unwrap();
        let mut tampered = cursor.clone().unwrap();
        tampered.replace_range(3..4, if &tampered[3..4] == "A" { "B" } else { "A" });
        assert_eq!(list(&store, &format!("cursor={tampered}"), &codec).unwrap_err().status, 422);
        let table = store.table("applications").unwrap();
        let late = NOW + Duration::from_secs(61);
        let err = parse(&store, table, Some(&format!("cursor={}", cursor.unwrap())), &codec, late)
            .unwrap_err();
        assert_eq!(err, expired_cursor());
    }

    #[test]
    fn per_page_and_ids_limits() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        for query in ["per_page=0", "per_page=501", "per_page=x"] {
            assert_eq!(list(&store, query, &codec).unwrap_err().status, 422, "{query}");
        }
        assert!(list(&store, "per_page=500", &codec).is_ok());
        let ids: Vec<String> = (1..=51).map(|i| i.to_string()).collect();
        let err = list(&store, &format!("ids={}", ids.join(",")), &codec).unwrap_err();
        assert_eq!(err.status, 422);
        let (got, _) = list(&store, &format!("ids={}", ids[..50].join(",")), &codec).unwrap();
        assert_eq!(got.len(), 12);
        assert_eq!(list(&store, "candidate_ids=1,x", &codec).unwrap_err().status, 422);
    }

    #[test]
    fn date_ranges_use_the_pipe_syntax() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        let (got, _) =
            list(&store, "created_at=gte|2025-01-03T00:00:00Z|lt|2025-01-06T00:00:00Z", &codec)
                .unwrap();
        assert_eq!(got, [5, 4, 3]);
        let (got, _) = list(&store, "updated_at=gt|2025-01-03T00:00:00Z", &codec).unwrap();
        assert!(got.is_empty(), "records without updated_at never match a range");
        for bad in [
            "created_at=gte",
            "created_at=after|2025-01-01",
            "created_at=gte|soon",
            "created_at[gte]=2025-01-01",
        ] {
            assert_eq!(list(&store, bad, &codec).unwrap_err().status, 422, "{bad}");
        }
    }

    #[test]
    fn unknown_filters_and_enum_values_are_422() {
        let store = store();
        let codec = CursorCodec::new(1, None);
        assert_eq!(list(&store, "colour=red", &codec).unwrap_err().status, 422);
        assert_eq!(list(&store, "status=in_process", &codec).unwrap_err().status, 422);
        assert_eq!(list(&store, "prospect=maybe", &codec).unwrap_err().status, 422);
        assert_eq!(list(&store, "per_page=2&per_page=3", &codec).unwrap_err().status, 422);
        let (got, _) = list(&store, "status=rejected&prospect=false&per_page=500", &codec).unwrap();
        assert_eq!(got, [11, 9, 7, 5, 3, 1]);
    }

    #[test]
    fn fields_selector_projects_records() {
        let store = store();
        let table = store.table("applications").unwrap();
        let codec = CursorCodec::new(1, None);
        let request =
            parse(&store, table, Some("fields=id,status&per_page=1"), &codec, NOW).unwrap();
        let page = request.page(table, &codec, NOW);
        let items: Vec<Value> = serde_json::from_slice(&page.body).unwrap();
        assert_eq!(items, vec![json!({"id": 12, "status": "in_process"})]);
    }
}
