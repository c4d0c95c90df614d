//! Shared test harness: a wiremock server, a client pointed at it, JSON record builders and a
//! catch-all mock whose answer names the unmatched route, so a mismatch reads clearly.

#![allow(dead_code, unreachable_pub)]

use std::time::Duration;

use greenhouse_harvest::{Client, ClientBuilder, Credentials, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// The static token every test client sends.
pub const TOKEN: &str = "test-token";

/// A mock server, started.
pub async fn server() -> MockServer {
    MockServer::start().await
}

/// A builder pointed at `server` with a static token, no retries and small waits.
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(format!("{}/v3", server.uri()))
        .token_url(format!("{}/token", server.uri()))
        .credentials(Credentials::static_token(TOKEN))
        .retry_policy(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
        .rate_limit_margin(Duration::from_millis(10))
}

/// A client pointed at `server` with a static token and no retries.
pub fn client(server: &MockServer) -> Client {
    match builder(server).build() {
        Ok(client) => client,
        Err(err) => panic!("the test client does not build: {err}"),
    }
}

/// A retry policy with production shape and backoff divided by 1000; server waits up to 5 s
/// are obeyed (tests ask for fractions of a second).
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        deadline: Some(Duration::from_secs(10)),
        ..RetryPolicy::default().scaled_down(1000).with_max_wait(Duration::from_secs(5))
    }
}

/// Answers 418 with a body naming the request, at the lowest priority: mount it last.
struct CatchAll;

impl Respond for CatchAll {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        ResponseTemplate::new(418).set_body_string(format!(
            "no mock matched {} {}?{}",
            request.method,
            request.url.path(),
            request.url.query().unwrap_or("")
        ))
    }
}

/// Mount the catch-all.
pub async fn catch_all(server: &MockServer) {
    Mock::given(any()).respond_with(CatchAll).with_priority(u8::MAX).mount(server).await;
}

/// A minimal application record.
pub fn application(id: u64) -> Value {
    json!({
        "id": id,
        "candidate_id": id + 1000,
        "job_id": 7,
        "status": "in_process",
        "prospect": false,
        "created_at": "2026-01-02T03:04:05.000Z",
        "updated_at": "2026-01-03T03:04:05Z",
        "custom_fields": {}
    })
}

/// A minimal job record.
pub fn job(id: u64, status: &str) -> Value {
    json!({"id": id, "name": format!("Job {id}"), "status": status, "confidential": false})
}

/// A custom field definition.
pub fn custom_field(id: u64, name: &str, key: &str, value_type: &str, active: bool) -> Value {
    json!({
        "id": id,
        "name": name,
        "name_key": key,
        "field_type": "application",
        "value_type": value_type,
        "private": false,
        "required": false,
        "active": active
    })
}

/// A `Link` header with only a next link.
pub fn next_link(url: &str) -> String {
    format!("<{url}>; rel=\"next\"")
}

/// The requests the server received, as `path?query` strings.
pub async fn received(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| match r.url.query() {
            Some(q) => format!("{} {}?{q}", r.method, r.url.path()),
            None => format!("{} {}", r.method, r.url.path()),
        })
        .collect()
}
