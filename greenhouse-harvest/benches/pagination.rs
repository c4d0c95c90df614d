//! Paginator throughput against a local mock server, and the cost of parsing `Link` headers.
//!
//! Run: `cargo bench -p greenhouse-harvest --bench pagination`. The listing benchmark streams
//! 20 pages of 500 small records (10,000 records) through the whole client: token, governor,
//! retry loop, body read, typed decode, next-link parsing.

use criterion::{Criterion, Throughput, criterion_main};
use futures::TryStreamExt as _;
use greenhouse_harvest::pagination::parse_link_header;
use greenhouse_harvest::{Client, Credentials, RetryPolicy};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const PAGES: u64 = 20;
const PER_PAGE: u64 = 500;

/// Serves `PAGES` pages of `PER_PAGE` records by cursor.
struct Pages {
    base: String,
}

impl Respond for Pages {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "cursor")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let items: Vec<serde_json::Value> = (0..PER_PAGE)
            .map(|i| serde_json::json!({"id": page * PER_PAGE + i, "name": "Engineering", "parent_id": null}))
            .collect();
        let template = ResponseTemplate::new(200).set_body_json(items);
        if page + 1 < PAGES {
            let next = format!("<{}/v3/departments?cursor={}>; rel=\"next\"", self.base, page + 1);
            template.insert_header("link", next)
        } else {
            template
        }
    }
}

fn listing(c: &mut Criterion) {
    let Ok(runtime) = tokio::runtime::Runtime::new() else { return };
    let (server, client) = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v3/departments"))
            .respond_with(Pages { base: server.uri() })
            .mount(&server)
            .await;
        let client = Client::builder()
            .base_url(format!("{}/v3", server.uri()))
            .credentials(Credentials::static_token("bench"))
            .retry_policy(RetryPolicy::none())
            .build();
        (server, client)
    });
    let Ok(client) = client else { return };
    let mut group = c.benchmark_group("paginator");
    group.sample_size(10);
    group.throughput(Throughput::Elements(PAGES * PER_PAGE));
    group.bench_function("10k departments in 20 pages", |b| {
        b.to_async(&runtime).iter(|| async {
            let count = client
                .departments()
                .list()
                .stream()
                .try_fold(0u64, |n, _| async move { Ok(n + 1) })
                .await;
            assert_eq!(count.ok(), Some(PAGES * PER_PAGE));
        });
    });
    group.finish();
    drop(server);
}

fn link_parsing(c: &mut Criterion) {
    let header = "<https://harvest.greenhouse.io/v3/applications?cursor=eyJpZCI6MTIzNDU2Nzg5LCJ1cGRhdGVkX2F0IjoiMjAyNi0xMi0wMyJ9>; rel=\"next\", <https://harvest.greenhouse.io/v3/applications?cursor=cHJldg>; rel=\"prev\"";
    c.bench_function("parse a two-link header", |b| {
        b.iter(|| parse_link_header(std::hint::black_box(header)));
    });
}

// criterion's macros generate undocumented public functions.
#[allow(missing_docs)]
mod harness {
    criterion::criterion_group!(benches, super::listing, super::link_parsing);
}

criterion_main!(harness::benches);
