//! Query filters and how they are written on the wire.
//!
//! Harvest v3 writes date ranges as pipe-separated operator/value pairs
//! (`updated_at=gte|2026-01-01T00:00:00Z|lte|2026-01-02T00:00:00Z`), never in bracket form, and
//! id lists as comma-separated values with at most [`MAX_IDS_PER_REQUEST`] ids. [`Query`] keeps
//! plain parameters and id lists apart so that a long id list can be split into several
//! requests ([`Query::split`]) without the caller noticing.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// The most ids Harvest accepts in one `ids` or `*_ids` filter.
pub const MAX_IDS_PER_REQUEST: usize = 50;

/// The largest `per_page` Harvest accepts.
pub const MAX_PER_PAGE: u32 = 500;

/// A comparison in a date filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOp {
    /// On or after.
    Gte,
    /// Strictly after.
    Gt,
    /// On or before.
    Lte,
    /// Strictly before.
    Lt,
}

impl DateOp {
    /// The operator as Harvest spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            DateOp::Gte => "gte",
            DateOp::Gt => "gt",
            DateOp::Lte => "lte",
            DateOp::Lt => "lt",
        }
    }
}

/// One bound of a [`DateFilter`]: a UTC datetime (`*_at` fields) or a day (`*_on` fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateBound {
    /// A datetime, written in RFC 3339 with a `Z`.
    At(DateTime<Utc>),
    /// A day, written `YYYY-MM-DD`.
    Day(NaiveDate),
}

impl From<DateTime<Utc>> for DateBound {
    fn from(at: DateTime<Utc>) -> Self {
        DateBound::At(at)
    }
}

impl From<NaiveDate> for DateBound {
    fn from(day: NaiveDate) -> Self {
        DateBound::Day(day)
    }
}

impl DateBound {
    fn render(self) -> String {
        match self {
            DateBound::At(at) => at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            DateBound::Day(day) => day.format("%Y-%m-%d").to_string(),
        }
    }
}

/// A filter on a datetime field (`created_at`, `updated_at`, `last_activity_at`...) or a day
/// field (`sent_on`, `starts_on`): one or two bounds, rendered in Harvest's pipe syntax.
///
/// # Examples
///
/// ```
/// use greenhouse_harvest::DateFilter;
///
/// let start: chrono::DateTime<chrono::Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
/// let end: chrono::DateTime<chrono::Utc> = "2026-01-02T00:00:00Z".parse().unwrap();
/// assert_eq!(
///     DateFilter::between(start, end).to_query_value(),
///     "gte|2026-01-01T00:00:00Z|lte|2026-01-02T00:00:00Z"
/// );
/// let day = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
/// assert_eq!(DateFilter::since(day).to_query_value(), "gte|2026-05-01");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DateFilter {
    bounds: Vec<(DateOp, DateBound)>,
}

impl DateFilter {
    /// Records at or after `start`.
    pub fn since(start: impl Into<DateBound>) -> Self {
        DateFilter { bounds: vec![(DateOp::Gte, start.into())] }
    }

    /// Records strictly before `end`.
    pub fn before(end: impl Into<DateBound>) -> Self {
        DateFilter { bounds: vec![(DateOp::Lt, end.into())] }
    }

    /// Records from `start` to `end`, both included: the window an incremental sync needs,
    /// because results are ordered by id and not by the filtered date.
    pub fn between(start: impl Into<DateBound>, end: impl Into<DateBound>) -> Self {
        DateFilter { bounds: vec![(DateOp::Gte, start.into()), (DateOp::Lte, end.into())] }
    }

    /// A single bound with any operator.
    pub fn new(op: DateOp, at: impl Into<DateBound>) -> Self {
        DateFilter { bounds: vec![(op, at.into())] }
    }

    /// Add another bound.
    #[must_use]
    pub fn and(mut self, op: DateOp, at: impl Into<DateBound>) -> Self {
        self.bounds.push((op, at.into()));
        self
    }

    /// The bounds, in order.
    pub fn bounds(&self) -> &[(DateOp, DateBound)] {
        &self.bounds
    }

    /// The value of the query parameter, e.g. `gte|2026-01-01T00:00:00Z`.
    pub fn to_query_value(&self) -> String {
        let mut parts = Vec::with_capacity(self.bounds.len() * 2);
        for (op, at) in &self.bounds {
            parts.push(op.as_str().to_owned());
            parts.push(at.render());
        }
        parts.join("|")
    }
}

/// The query of a list request, before it is split into requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    params: Vec<(&'static str, String)>,
    id_lists: Vec<(&'static str, Vec<u64>)>,
}

impl Query {
    /// Set a plain parameter, replacing an earlier value.
    pub fn set(&mut self, name: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.params.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.params.push((name, value)),
        }
    }

    /// Set an id-list parameter, replacing an earlier list. Duplicates are dropped.
    pub fn set_ids(&mut self, name: &'static str, ids: impl IntoIterator<Item = u64>) {
        let mut list = Vec::new();
        for id in ids {
            if !list.contains(&id) {
                list.push(id);
            }
        }
        match self.id_lists.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = list,
            None => self.id_lists.push((name, list)),
        }
    }

    /// The value of a plain parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Whether no parameter at all is set.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty() && self.id_lists.is_empty()
    }

    /// Whether an id list was set but holds no id: such a request can only match nothing.
    pub fn has_empty_id_list(&self) -> bool {
        self.id_lists.iter().any(|(_, ids)| ids.is_empty())
    }

    /// The parameter pairs of each request this query needs: one request when every id list
    /// holds at most [`MAX_IDS_PER_REQUEST`] ids, otherwise one per combination of chunks.
    pub fn split(&self) -> Vec<Vec<(String, String)>> {
        let mut requests: Vec<Vec<(String, String)>> =
            vec![self.params.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect()];
        for (name, ids) in &self.id_lists {
            let chunks: Vec<String> = ids
                .chunks(MAX_IDS_PER_REQUEST)
                .map(|chunk| chunk.iter().map(u64::to_string).collect::<Vec<_>>().join(","))
                .collect();
            requests = requests
                .into_iter()
                .flat_map(|pairs| {
                    chunks.iter().map(move |chunk| {
                        let mut pairs = pairs.clone();
                        pairs.push(((*name).to_owned(), chunk.clone()));
                        pairs
                    })
                })
                .collect();
        }
        requests
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_long_id_lists() {
        let mut query = Query::default();
        query.set("status", "active");
        query.set_ids("ids", 1..=120);
        let requests = query.split();
        assert_eq!(requests.len(), 3);
        assert_eq!(requests[0][0], ("status".to_owned(), "active".to_owned()));
        assert_eq!(
            requests[2][1].1,
            (101..=120).map(|i| i.to_string()).collect::<Vec<_>>().join(",")
        );
        query.set_ids("job_ids", 1..=51);
        assert_eq!(query.split().len(), 6);
    }

    #[test]
    fn dates_render_in_pipe_syntax() {
        let at: DateTime<Utc> = "2026-03-04T05:06:07.250Z".parse().unwrap();
        assert_eq!(DateFilter::since(at).to_query_value(), "gte|2026-03-04T05:06:07.250Z");
        assert_eq!(
            DateFilter::new(DateOp::Gt, at).and(DateOp::Lt, at).to_query_value(),
            "gt|2026-03-04T05:06:07.250Z|lt|2026-03-04T05:06:07.250Z"
        );
    }
}
