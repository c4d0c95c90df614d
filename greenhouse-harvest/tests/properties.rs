//! Property tests: the Link parser, filter rendering and id splitting, and the retry decision's
//! invariants.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use greenhouse_harvest::filters::{MAX_IDS_PER_REQUEST, Query};
use greenhouse_harvest::pagination::parse_link_header;
use greenhouse_harvest::retry::{Outcome, RetryDecision, RetryInput, StopReason, decide};
use greenhouse_harvest::{DateFilter, DateOp, RetryPolicy};
use proptest::prelude::*;
use reqwest::{Method, StatusCode};

fn uri() -> impl Strategy<Value = String> {
    // Anything but the characters that end a URI reference in a Link header.
    "https://[a-z]{1,10}\\.example/v3/[a-z_]{1,12}\\?cursor=[A-Za-z0-9_=-]{0,40}(&x=[a-z,;]{0,5})?"
}

fn rel() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("next".to_owned()),
        Just("prev".to_owned()),
        Just("last".to_owned()),
        "[a-z]{1,8}"
    ]
}

proptest! {
    #[test]
    fn link_headers_round_trip(links in proptest::collection::vec((uri(), rel(), any::<bool>(), 0usize..3), 0..5)) {
        let header = links
            .iter()
            .map(|(uri, rel, quoted, spaces)| {
                let pad = " ".repeat(*spaces);
                if *quoted {
                    format!("<{uri}>{pad};{pad}rel=\"{rel}\"")
                } else {
                    format!("<{uri}>;{pad}rel={rel}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let parsed = parse_link_header(&header);
        prop_assert_eq!(parsed.len(), links.len());
        for (link, (uri, rel, _, _)) in parsed.iter().zip(&links) {
            prop_assert_eq!(&link.uri, uri);
            prop_assert!(link.has_rel(rel));
        }
    }

    #[test]
    fn link_parser_never_panics(garbage in ".{0,200}") {
        let _ = parse_link_header(&garbage);
    }

    #[test]
    fn link_parser_never_panics_on_link_like_garbage(garbage in "[<>;,=\" a-z\\\\]{0,80}") {
        let _ = parse_link_header(&garbage);
    }

    #[test]
    fn date_filters_render_parseable_bounds(
        a in 0i64..4_000_000_000, b in 0i64..4_000_000_000, millis in 0u32..1000, day in 0u32..20_000
    ) {
        let start = DateTime::<Utc>::from_timestamp(a, millis * 1_000_000).unwrap();
        let end = DateTime::<Utc>::from_timestamp(b, 0).unwrap();
        let rendered = DateFilter::between(start, end).to_query_value();
        let parts: Vec<&str> = rendered.split('|').collect();
        prop_assert_eq!(parts.len(), 4);
        prop_assert_eq!(parts[0], "gte");
        prop_assert_eq!(parts[2], "lte");
        prop_assert_eq!(DateTime::parse_from_rfc3339(parts[1]).unwrap().to_utc(), start);
        prop_assert_eq!(DateTime::parse_from_rfc3339(parts[3]).unwrap().to_utc(), end);
        let date = NaiveDate::from_num_days_from_ce_opt(730_000 + i32::try_from(day).unwrap()).unwrap();
        let rendered = DateFilter::new(DateOp::Lt, date).to_query_value();
        prop_assert_eq!(rendered, format!("lt|{}", date.format("%Y-%m-%d")));
    }

    #[test]
    fn id_lists_split_into_chunks_of_fifty(
        ids in proptest::collection::vec(1u64..10_000, 1..400),
        other in proptest::collection::vec(1u64..100, 1..120),
    ) {
        let mut query = Query::default();
        query.set("status", "active");
        query.set_ids("ids", ids.iter().copied());
        query.set_ids("job_ids", other.iter().copied());
        let requests = query.split();
        let mut unique_ids = ids.clone();
        unique_ids.sort_unstable();
        unique_ids.dedup();
        let mut unique_other = other.clone();
        unique_other.sort_unstable();
        unique_other.dedup();
        let chunks = |n: usize| n.div_ceil(MAX_IDS_PER_REQUEST);
        prop_assert_eq!(requests.len(), chunks(unique_ids.len()) * chunks(unique_other.len()));
        // Every combination of an id and a job id is asked exactly once.
        let mut pairs = std::collections::HashSet::new();
        for request in &requests {
            prop_assert_eq!(&request[0], &("status".to_owned(), "active".to_owned()));
            let list = |name: &str| -> Vec<u64> {
                let value = &request.iter().find(|(n, _)| n == name).unwrap().1;
                if value.is_empty() { Vec::new() } else { value.split(',').map(|v| v.parse().unwrap()).collect() }
            };
            let (a, b) = (list("ids"), list("job_ids"));
            prop_assert!(a.len() <= MAX_IDS_PER_REQUEST && b.len() <= MAX_IDS_PER_REQUEST);
            for x in &a {
                for y in &b {
                    prop_assert!(pairs.insert((*x, *y)));
                }
            }
        }
        prop_assert_eq!(pairs.len(), unique_ids.len() * unique_other.len());
    }

    #[test]
    fn retry_decisions_respect_the_policy(
        attempt in 1u32..10,
        status in 100u16..600,
        post in any::<bool>(),
        retry_after_ms in proptest::option::of(0u64..200_000),
        reset_ms in proptest::option::of(0u64..200_000),
        elapsed_ms in 0u64..400_000,
        unit in 0.0f64..1.0,
        max_attempts in 1u32..6,
    ) {
        let policy = RetryPolicy { max_attempts, ..RetryPolicy::default() };
        let method = if post { Method::POST } else { Method::GET };
        let status = StatusCode::from_u16(status).unwrap();
        let input = RetryInput {
            attempt,
            method: &method,
            outcome: Outcome::Status(status),
            retry_after: retry_after_ms.map(Duration::from_millis),
            until_reset: reset_ms.map(Duration::from_millis),
            elapsed: Duration::from_millis(elapsed_ms),
        };
        match decide(&policy, &input, unit) {
            RetryDecision::Retry { after } => {
                // Within budget, within the deadline, within the caps.
                prop_assert!(attempt < policy.max_attempts);
                prop_assert!(Duration::from_millis(elapsed_ms) + after <= policy.deadline.unwrap());
                prop_assert!(after <= policy.max_wait + policy.rate_limit_jitter);
                prop_assert!(status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error());
                prop_assert!(!(post && status.is_server_error()));
                // The server's Retry-After is honoured, never cut short.
                if let Some(ms) = retry_after_ms {
                    prop_assert!(after >= Duration::from_millis(ms));
                }
                if status.is_server_error() && retry_after_ms.is_none() {
                    prop_assert!(after <= policy.max_delay);
                }
            }
            RetryDecision::Stop(StopReason::WaitTooLong { requested }) => {
                prop_assert!(requested > policy.max_wait);
            }
            RetryDecision::Stop(_) => {}
        }
    }

    #[test]
    fn backoff_stays_under_the_cap(attempt in 0u32..200, unit in -1.0f64..2.0) {
        let policy = RetryPolicy::default();
        let wait = greenhouse_harvest::retry::backoff(&policy, attempt, unit);
        prop_assert!(wait <= policy.max_delay);
    }
}
