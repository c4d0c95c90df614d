//! Counters the simulator keeps about the traffic it served, for tests and benchmarks.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the simulator served so far (`GET /_sim/stats`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Every request to `/v3`, including refused ones.
    pub requests_total: u64,
    /// Requests by endpoint, e.g. `"GET /v3/applications"` or `"POST /token"`.
    pub requests_by_endpoint: BTreeMap<String, u64>,
    /// `/v3` responses by HTTP status (dropped connections have none).
    pub responses_by_status: BTreeMap<u16, u64>,
    /// 429 answers served.
    pub rate_limited: u64,
    /// Faults injected, by kind (`http_500`, `dropped_connection`, `truncated_body`, ...).
    pub faults_injected: BTreeMap<String, u64>,
    /// Faults injected in all.
    pub faults_total: u64,
    /// Requests to `POST /token`.
    pub token_requests: u64,
    /// Access tokens issued.
    pub tokens_issued: u64,
    /// Custom field values written.
    pub writes: u64,
}
