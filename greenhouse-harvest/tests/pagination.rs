//! Pagination against a mock server: exact next URLs, empty pages, repeated cursors, id
//! splitting, resuming from a cursor, and one page in memory at a time.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

mod common;

use std::fmt::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::{StreamExt, TryStreamExt};
use greenhouse_harvest::api::ApplicationStatusFilter;
use greenhouse_harvest::ids::{ApplicationId, CandidateId};
use greenhouse_harvest::{Cursor, DateFilter, Error};
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Serves `/v3/applications` as four pages: the first is found by its filters, the others by
/// cursor only. Page 3 is empty but has a next link.
async fn mount_four_pages(server: &MockServer) {
    let base = format!("{}/v3/applications", server.uri());
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param("status", "active"))
        .and(query_param("per_page", "2"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([common::application(9), common::application(8)]))
                .insert_header("link", common::next_link(&format!("{base}?cursor=c2"))),
        )
        .expect(1)
        .mount(server)
        .await;
    let page = |items: serde_json::Value, next: Option<&str>| {
        let template = ResponseTemplate::new(200).set_body_json(items);
        match next {
            Some(cursor) => template.insert_header(
                "link",
                format!(
                    "<{base}?cursor={cursor}>; rel=\"next\", <{base}?cursor=prev>; rel=\"prev\""
                ),
            ),
            None => template,
        }
    };
    for (cursor, items, next) in [
        ("c2", json!([common::application(7), common::application(6)]), Some("c3")),
        ("c3", json!([]), Some("c4")),
        ("c4", json!([common::application(5)]), None),
    ] {
        Mock::given(method("GET"))
            .and(path("/v3/applications"))
            .and(query_param("cursor", cursor))
            .respond_with(page(items, next))
            .expect(1)
            .mount(server)
            .await;
    }
    common::catch_all(server).await;
}

#[tokio::test]
async fn a_listing_follows_the_next_urls_exactly() {
    let server = common::server().await;
    mount_four_pages(&server).await;
    let client = common::client(&server);
    let ids: Vec<u64> = client
        .applications()
        .list()
        .status(ApplicationStatusFilter::Active)
        .per_page(2)
        .stream()
        .map_ok(|application| application.id.get())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, vec![9, 8, 7, 6, 5]);
    assert_eq!(
        common::received(&server).await,
        vec![
            "GET /v3/applications?status=active&per_page=2",
            "GET /v3/applications?cursor=c2",
            "GET /v3/applications?cursor=c3",
            "GET /v3/applications?cursor=c4",
        ]
    );
}

#[tokio::test]
async fn pages_give_cursors_to_resume_from() {
    let server = common::server().await;
    mount_four_pages(&server).await;
    let client = common::client(&server);
    let mut pages =
        client.applications().list().status(ApplicationStatusFilter::Active).per_page(2).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 2);
    let saved = first.next.clone().unwrap().to_string();
    drop(pages);
    // A restart: resume from the saved text.
    let cursor: Cursor = saved.parse().unwrap();
    let rest: Vec<_> = client.applications().resume(cursor).collect_all().await.unwrap();
    assert_eq!(rest.len(), 3);
    // The same through the list request.
    let cursor: Cursor = saved.parse().unwrap();
    let err =
        client.applications().list().cursor(cursor.clone()).per_page(10).send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn a_repeated_next_url_is_an_error_not_a_loop() {
    let server = common::server().await;
    let again = format!("{}/v3/applications?cursor=same", server.uri());
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([common::application(3)]))
                .insert_header("link", common::next_link(&again)),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param("cursor", "same"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([common::application(2)]))
                .insert_header("link", common::next_link(&again)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let results: Vec<_> = common::client(&server).applications().list().stream().collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert!(matches!(&results[2], Err(Error::InvalidRequest(m)) if m.contains("repeated")));
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .insert_header("link", common::next_link("https://evil.example/v3/jobs?cursor=x")),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).jobs().list().send().await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}

/// Answers an `ids` query with one record per id.
struct EchoIds;

impl Respond for EchoIds {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let ids = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "candidate_ids")
            .map(|(_, v)| v.split(',').map(|id| id.parse::<u64>().unwrap()).collect::<Vec<_>>())
            .unwrap_or_default();
        let items: Vec<_> = ids
            .iter()
            .map(|id| {
                let mut application = common::application(*id);
                application["candidate_id"] = json!(id);
                application
            })
            .collect();
        ResponseTemplate::new(200).set_body_json(items)
    }
}

#[tokio::test]
async fn one_hundred_twenty_ids_make_three_requests() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .respond_with(EchoIds)
        .expect(3)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let found: Vec<_> = client
        .applications()
        .list()
        .candidate_ids((1..=120).map(CandidateId))
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(found.len(), 120);
    let requests = server.received_requests().await.unwrap();
    let sizes: Vec<usize> = requests
        .iter()
        .map(|r| {
            let (_, ids) = r.url.query_pairs().find(|(k, _)| k == "candidate_ids").unwrap();
            ids.split(',').count()
        })
        .collect();
    assert_eq!(sizes, vec![50, 50, 20]);
    // `send()` cannot return several listings as one page, and says so before sending.
    let err = client
        .applications()
        .list()
        .candidate_ids((1..=51).map(CandidateId))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
}

#[tokio::test]
async fn per_page_is_checked_before_sending() {
    let server = common::server().await;
    common::catch_all(&server).await;
    let client = common::client(&server);
    for bad in [0, 501, 600] {
        let err = client.applications().list().per_page(bad).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(ref m) if m.contains("per_page")), "{err:?}");
        let first = client.applications().list().per_page(bad).stream().next().await.unwrap();
        assert!(first.is_err());
    }
    assert!(common::received(&server).await.is_empty());
}

#[tokio::test]
async fn filters_are_rendered_on_the_first_request() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param("updated_at", "gte|2026-01-01T00:00:00Z|lte|2026-01-02T00:00:00Z"))
        .and(query_param("per_page", "500"))
        .and(query_param("job_ids", "4,5"))
        .and(query_param("prospect", "false"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    common::catch_all(&server).await;
    let start: chrono::DateTime<chrono::Utc> = "2026-01-01T00:00:00Z".parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> = "2026-01-02T00:00:00Z".parse().unwrap();
    let page = common::client(&server)
        .applications()
        .list()
        .updated_at(DateFilter::between(start, end))
        .job_ids([greenhouse_harvest::ids::JobId(4), greenhouse_harvest::ids::JobId(5)])
        .prospect(false)
        .send()
        .await
        .unwrap();
    assert!(page.is_empty() && page.next.is_none());
}

#[tokio::test]
async fn get_uses_the_ids_filter() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param("ids", "42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([common::application(42)])))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .and(query_param("ids", "43"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let found = client.applications().get(ApplicationId(42)).await.unwrap().unwrap();
    assert_eq!(found.id, ApplicationId(42));
    assert!(client.applications().get(ApplicationId(43)).await.unwrap().is_none());
}

#[tokio::test]
async fn an_empty_id_list_sends_nothing() {
    let server = common::server().await;
    common::catch_all(&server).await;
    let client = common::client(&server);
    let none = client.applications().get_many(Vec::new()).await.unwrap();
    assert!(none.is_empty());
    assert!(common::received(&server).await.is_empty());
}

/// Counts live records, to check how many the paginator holds at once.
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct Tracked(#[allow(dead_code)] u64);

impl<'de> serde::Deserialize<'de> for Tracked {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        struct Raw {
            id: u64,
        }
        let raw = Raw::deserialize(deserializer)?;
        let live = LIVE.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(live, Ordering::SeqCst);
        Ok(Tracked(raw.id))
    }
}

impl Drop for Tracked {
    fn drop(&mut self) {
        LIVE.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves `total` records, `per_page` at a time, by cursor.
struct Synthetic {
    base: String,
    total: u64,
    per_page: u64,
}

impl Respond for Synthetic {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let page: u64 = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "cursor")
            .map_or(0, |(_, v)| v.parse().unwrap());
        let start = page * self.per_page;
        let end = (start + self.per_page).min(self.total);
        let mut body = String::from("[");
        for id in start..end {
            if id > start {
                body.push(',');
            }
            write!(body, "{{\"id\":{}}}", self.total - id).unwrap();
        }
        body.push(']');
        let template = ResponseTemplate::new(200).set_body_raw(body, "application/json");
        if end < self.total {
            let next = format!("{}{}?cursor={}", self.base, request.url.path(), page + 1);
            template.insert_header("link", common::next_link(&next))
        } else {
            template
        }
    }
}

#[tokio::test]
async fn listing_100k_records_keeps_one_page_in_memory() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/things"))
        .respond_with(Synthetic { base: server.uri(), total: 100_000, per_page: 500 })
        .expect(200)
        .mount(&server)
        .await;
    let client = common::client(&server);
    let mut stream = client.paginate_json::<Tracked, _>("/things", &[("a", "b")]).unwrap();
    let mut count = 0u64;
    while let Some(item) = stream.next().await {
        drop(item.unwrap());
        count += 1;
    }
    assert_eq!(count, 100_000);
    assert_eq!(LIVE.load(Ordering::SeqCst), 0);
    // One page of 500, never two.
    assert_eq!(PEAK.load(Ordering::SeqCst), 500);
    let first = &common::received(&server).await[0];
    assert_eq!(first, "GET /v3/things?a=b&per_page=500");
}

#[tokio::test]
async fn a_relative_next_link_resolves_against_the_page() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .and(query_param_is_missing("cursor"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([common::job(2, "open")]))
                .insert_header("link", "</v3/jobs?cursor=r2>; rel=next"),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .and(query_param("cursor", "r2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([common::job(1, "open")])))
        .expect(1)
        .mount(&server)
        .await;
    common::catch_all(&server).await;
    let jobs = common::client(&server).jobs().list().pages().collect_all().await.unwrap();
    assert_eq!(jobs.len(), 2);
}

#[test]
fn streams_and_clients_can_be_stored_and_spawned() {
    fn stream<T: Send + Unpin + 'static>() {}
    fn shared<T: Send + Sync + 'static>() {}
    stream::<greenhouse_harvest::Paginator<greenhouse_harvest::models::Application>>();
    stream::<greenhouse_harvest::Pages<greenhouse_harvest::models::CandidateListItem>>();
    shared::<greenhouse_harvest::Client>();
    shared::<Error>();
}
