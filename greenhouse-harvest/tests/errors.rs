//! Error shapes: both Harvest error bodies, HTML errors, decode paths, empty successes and
//! oversized bodies.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

mod common;

use greenhouse_harvest::Error;
use greenhouse_harvest::models::CandidateListItem;
use reqwest::StatusCode;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

#[tokio::test]
async fn a_422_with_string_errors_is_parsed() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Unprocessable Content",
            "errors": ["When passing a cursor, do not include other query params."]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).applications().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::UNPROCESSABLE_ENTITY));
    assert!(!err.is_retryable());
    let body = err.api_body().unwrap();
    assert_eq!(body.message.as_deref(), Some("Unprocessable Content"));
    assert_eq!(
        body.error_messages(),
        vec!["When passing a cursor, do not include other query params."]
    );
    let text = err.to_string();
    assert!(text.starts_with("GET /v3/applications answered 422"), "{text}");
    assert!(text.contains("do not include other query params"));
}

#[tokio::test]
async fn a_422_with_field_map_errors_is_parsed() {
    let server = common::server().await;
    Mock::given(method("PATCH"))
        .and(path("/v3/applications/3"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "message": "Validation error",
            "errors": [{"custom_fields": "rocketmat must be a number"}, "and a string"]
        })))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server)
        .patch_json::<serde_json::Value, _>("/applications/3", &json!({"custom_fields": []}))
        .await
        .unwrap_err();
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert_eq!(api.method, reqwest::Method::PATCH);
    assert_eq!(api.path, "/v3/applications/3");
    let body = api.body.as_ref().unwrap();
    assert_eq!(body.errors.len(), 2);
    assert!(body.errors[0].is_object());
    assert_eq!(
        body.error_messages(),
        vec!["custom_fields: rocketmat must be a number", "and a string"]
    );
    assert!(api.raw_body.contains("rocketmat must be a number"));
}

#[tokio::test]
async fn an_html_server_error_keeps_its_status_and_body() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(
            ResponseTemplate::new(504).set_body_string("<html><h1>Gateway Timeout</h1></html>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).jobs().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::GATEWAY_TIMEOUT));
    assert!(err.is_retryable());
    let Error::Api(api) = &err else { panic!("{err:?}") };
    assert!(api.body.is_none());
    assert!(api.raw_body.contains("Gateway Timeout"));
}

#[tokio::test]
async fn a_404_is_an_api_error() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/bulk_requests/abc"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "Resource not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server)
        .get_json::<serde_json::Value, _>("/bulk_requests/abc", &())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(err.api_body().unwrap().message.as_deref(), Some("Resource not found"));
}

#[tokio::test]
async fn a_decode_error_names_the_json_path() {
    let server = common::server().await;
    let mut bad = common::application(2);
    bad["candidate_id"] = json!("not a number");
    Mock::given(method("GET"))
        .and(path("/v3/applications"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([common::application(1), bad])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).applications().list().send().await.unwrap_err();
    let Error::Decode { endpoint, path, status, body, .. } = &err else { panic!("{err:?}") };
    assert_eq!(endpoint, "GET /v3/applications");
    assert_eq!(path, "[1].candidate_id");
    assert_eq!(*status, StatusCode::OK);
    assert!(body.contains("not a number"));
    assert!(err.to_string().contains("[1].candidate_id"));
}

#[tokio::test]
async fn garbage_json_is_a_decode_error() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("[{\"id\": 1,", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).jobs().list().send().await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn pending_candidates_are_items_not_errors() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/candidates"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": 5, "first_name": "A", "last_name": "B"},
            {"message": "The candidate is being processed"}
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let page = common::client(&server).candidates().list().send().await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert!(page.items[0].candidate().is_some());
    assert!(matches!(page.items[1], CandidateListItem::Pending { .. }));
}

#[tokio::test]
async fn a_204_is_a_success_without_body() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/v3/applications/9/hire"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer = common::client(&server)
        .post_json::<serde_json::Value, _>("/applications/9/hire", &json!({}))
        .await
        .unwrap();
    assert!(answer.is_none());
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("[{}]", " ".repeat(5000))))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server).max_body_bytes(1024).build().unwrap();
    let err = client.jobs().list().send().await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { limit: 1024, .. }), "{err}");
}

#[tokio::test]
async fn paths_outside_the_base_url_are_refused() {
    let server = common::server().await;
    common::catch_all(&server).await;
    let client = common::client(&server);
    for bad in ["https://elsewhere.example/x", "../token", "a/../../token"] {
        let err = client.get_json::<serde_json::Value, _>(bad, &()).await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{bad}: {err:?}");
    }
    assert!(common::received(&server).await.is_empty());
}

#[test]
fn a_bad_base_url_is_a_config_error() {
    let err = greenhouse_harvest::Client::builder()
        .base_url("not a url")
        .credentials(greenhouse_harvest::Credentials::static_token("t"))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    let err = greenhouse_harvest::Client::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config(ref m) if m.contains("credentials")));
}
