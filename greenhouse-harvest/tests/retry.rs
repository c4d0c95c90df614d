//! Retries and rate limits against a mock server, with waits scaled down to milliseconds.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use greenhouse_harvest::{Error, RetryPolicy};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn retrying(server: &MockServer) -> greenhouse_harvest::Client {
    common::builder(server).retry_policy(common::fast_retries()).build().unwrap()
}

async fn mount_ok(server: &MockServer, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([common::job(1, "open")])))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_succeeds() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0.2"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_ok(&server, 1).await;
    let started = Instant::now();
    let page = retrying(&server).jobs().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert!(started.elapsed() >= Duration::from_millis(200), "{:?}", started.elapsed());
}

#[tokio::test]
async fn a_429_without_retry_after_waits_for_the_reset() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(429).insert_header("x-ratelimit-reset", "0.15"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_ok(&server, 1).await;
    let started = Instant::now();
    retrying(&server).jobs().list().send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn a_longer_wait_than_allowed_returns_the_error_at_once() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "120"))
        .expect(1)
        .mount(&server)
        .await;
    let client = retrying(&server);
    let started = Instant::now();
    let err = client.jobs().list().send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(matches!(err, Error::RateLimited { .. }), "{err:?}");
    assert_eq!(err.retry_after(), Some(Duration::from_mins(2)));
    assert_eq!(err.status(), Some(StatusCode::TOO_MANY_REQUESTS));
    assert!(err.is_retryable());
    // The whole client now knows the budget is spent: the next call fails fast too, without
    // sending (the mock expects one request only) and without sleeping two minutes.
    let again = client.jobs().list().send().await.unwrap_err();
    assert!(matches!(again, Error::RateLimited { .. }), "{again:?}");
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    mount_ok(&server, 1).await;
    retrying(&server).jobs().list().send().await.unwrap();
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>bad gateway</html>"))
        .expect(4)
        .mount(&server)
        .await;
    let err = retrying(&server).jobs().list().send().await.unwrap_err();
    // The HTML body did not hide the status.
    assert_eq!(err.status(), Some(StatusCode::BAD_GATEWAY));
}

#[tokio::test]
async fn post_is_not_retried_after_a_server_error() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/v3/applications/1/hire"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let err = retrying(&server)
        .post_json::<serde_json::Value, _>("/applications/1/hire", &json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
}

#[tokio::test]
async fn post_is_not_retried_after_a_timeout_but_get_is() {
    let server = common::server().await;
    let slow =
        ResponseTemplate::new(200).set_body_json(json!([])).set_delay(Duration::from_millis(500));
    Mock::given(method("POST"))
        .and(path("/v3/notes"))
        .respond_with(slow.clone())
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(slow)
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_ok(&server, 1).await;
    let client = common::builder(&server)
        .retry_policy(common::fast_retries())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client
        .post_json::<serde_json::Value, _>("/notes", &json!({"body": "x"}))
        .await
        .unwrap_err();
    let Error::Transport { source, .. } = &err else { panic!("{err:?}") };
    assert!(source.is_timeout());
    client.jobs().list().send().await.unwrap();
}

#[tokio::test]
async fn patch_is_retried_after_a_server_error() {
    let server = common::server().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/5"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/5"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let update = greenhouse_harvest::api::UpdateCustomFields::new().set_by_name_key("rocketmat", 1);
    let answer = retrying(&server)
        .applications()
        .update_custom_fields(greenhouse_harvest::ids::ApplicationId(5), &update)
        .await
        .unwrap();
    assert!(answer.is_none());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener: nothing answers on that port.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let client = greenhouse_harvest::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}/v3"))
        .credentials(greenhouse_harvest::Credentials::static_token("t"))
        .retry_policy(RetryPolicy { max_attempts: 2, ..common::fast_retries() })
        .build()
        .unwrap();
    let err = client.jobs().list().send().await.unwrap_err();
    let Error::Transport { source, .. } = &err else { panic!("{err:?}") };
    assert!(source.is_connect());
    assert!(err.is_retryable());
    // The error names the path but no query value.
    assert!(!format!("{err:?}").contains("per_page=500"));
}

/// A fixed-window limiter: `limit` requests per `window`, 429 beyond, headers on every answer.
struct Window {
    limit: u32,
    length: Duration,
    state: Mutex<(Instant, u32, u32)>, // (window start, used, total 429s)
}

impl Respond for Window {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let now = Instant::now();
        if now.duration_since(state.0) >= self.length {
            *state = (now, 0, state.2);
        }
        let reset = self.length.saturating_sub(now.duration_since(state.0)).as_secs_f64();
        let headers = |t: ResponseTemplate, remaining: u32| {
            t.insert_header("x-ratelimit-limit", self.limit.to_string())
                .insert_header("x-ratelimit-remaining", remaining.to_string())
                .insert_header("x-ratelimit-reset", format!("{reset:.3}"))
        };
        if state.1 >= self.limit {
            state.2 += 1;
            return headers(ResponseTemplate::new(429), 0);
        }
        state.1 += 1;
        headers(ResponseTemplate::new(200).set_body_json(json!([])), self.limit - state.1)
    }
}

/// Lets several mocks, and the test, see one limiter.
struct Shared(std::sync::Arc<Window>);

impl Respond for Shared {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.0.respond(request)
    }
}

#[tokio::test]
async fn the_governor_spaces_a_steady_sync_so_it_meets_no_429() {
    let server = common::server().await;
    let limiter = std::sync::Arc::new(Window {
        limit: 3,
        length: Duration::from_millis(300),
        state: Mutex::new((Instant::now(), 0, 0)),
    });
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(Shared(limiter.clone()))
        .expect(10)
        .mount(&server)
        .await;
    // No retries: a single 429 would fail the sync.
    let client = common::client(&server);
    let clone = client.clone();
    for i in 0..10 {
        // Alternate clones: the budget is shared.
        let c = if i % 2 == 0 { &client } else { &clone };
        c.jobs().list().send().await.unwrap();
    }
    assert_eq!(limiter.state.lock().unwrap().2, 0, "the server served a 429");
    assert_eq!(client.rate_limit().limit, Some(3));
}

#[tokio::test]
async fn concurrent_clones_share_one_budget() {
    let server = common::server().await;
    let limiter = std::sync::Arc::new(Window {
        limit: 4,
        length: Duration::from_millis(250),
        state: Mutex::new((Instant::now(), 0, 0)),
    });
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(Shared(limiter.clone()))
        .mount(&server)
        .await;
    let client = common::builder(&server).retry_policy(common::fast_retries()).build().unwrap();
    // Learn the limit first, then run 12 requests from 4 tasks at once.
    client.jobs().list().send().await.unwrap();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..3 {
                    client.jobs().list().send().await?;
                }
                Ok::<_, Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(limiter.state.lock().unwrap().2, 0, "the server served a 429");
}
