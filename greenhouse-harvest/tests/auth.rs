//! Token handling against a mock token endpoint: grants, single-flight, refresh ahead of expiry
//! and on 401, refresh-token rotation, RFC 6749 errors, and secrets kept out of Debug.

// Helpers outside `#[test]` functions (responders, builders) unwrap too: a failure there is
// a test failure, which is what a panic reports.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use greenhouse_harvest::auth::{AuthorizationCode, CodeExchange, StoredTokens};
use greenhouse_harvest::{Credentials, Error, MemoryTokenStore, TokenStore};
use secrecy::ExposeSecret;
use serde_json::json;
use wiremock::matchers::{
    basic_auth, bearer_token, body_string, body_string_contains, method, path, query_param,
};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn token_body(access: &str, expires_in: u64) -> serde_json::Value {
    json!({"access_token": access, "token_type": "Bearer", "expires_in": expires_in})
}

async fn mount_jobs(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .and(bearer_token(token))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([common::job(1, "open")])))
        .expect(times)
        .mount(server)
        .await;
}

fn client_credentials(server: &MockServer) -> greenhouse_harvest::Client {
    common::builder(server)
        .credentials(Credentials::client_credentials("cid", "csecret", 42u64))
        .build()
        .unwrap()
}

#[tokio::test]
async fn client_credentials_token_is_fetched_with_basic_auth_and_sub() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(basic_auth("cid", "csecret"))
        .and(body_string("grant_type=client_credentials&sub=42"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("t1", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    mount_jobs(&server, "t1", 2).await;
    common::catch_all(&server).await;
    let client = client_credentials(&server);
    client.jobs().list().send().await.unwrap();
    // The cached token serves the second request.
    client.clone().jobs().list().send().await.unwrap();
}

#[tokio::test]
async fn twenty_concurrent_requests_cause_one_token_request() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(token_body("t1", 3600))
                .set_delay(std::time::Duration::from_millis(100)),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_jobs(&server, "t1", 20).await;
    common::catch_all(&server).await;
    let client = client_credentials(&server);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.jobs().list().send().await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn token_is_renewed_sixty_seconds_before_expiry() {
    let server = common::server().await;
    // 59 s left is inside the 60 s refresh margin: every request needs a new token.
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_body("short", 59)))
        .expect(2)
        .mount(&server)
        .await;
    mount_jobs(&server, "short", 2).await;
    common::catch_all(&server).await;
    let client = client_credentials(&server);
    client.jobs().list().send().await.unwrap();
    client.jobs().list().send().await.unwrap();
}

#[tokio::test]
async fn expires_at_is_accepted() {
    let server = common::server().await;
    let later = (chrono::Utc::now() + chrono::Duration::minutes(30)).to_rfc3339();
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "t1", "expires_at": later})),
        )
        .expect(1)
        .mount(&server)
        .await;
    mount_jobs(&server, "t1", 2).await;
    common::catch_all(&server).await;
    let client = client_credentials(&server);
    client.jobs().list().send().await.unwrap();
    client.jobs().list().send().await.unwrap();
}

/// Serves `t1`, then `t2`... on each token request.
struct Counting(Mutex<u32>);

impl Respond for Counting {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let mut n = self.0.lock().unwrap();
        *n += 1;
        ResponseTemplate::new(200).set_body_json(token_body(&format!("t{n}"), 3600))
    }
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_once() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(Counting(Mutex::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .and(bearer_token("t1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"message": "expired"})))
        .expect(1)
        .mount(&server)
        .await;
    mount_jobs(&server, "t2", 1).await;
    common::catch_all(&server).await;
    let client = client_credentials(&server);
    let page = client.jobs().list().send().await.unwrap();
    assert_eq!(page.items.len(), 1);
}

#[tokio::test]
async fn a_second_401_is_returned() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(Counting(Mutex::new(0)))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(401))
        .expect(2)
        .mount(&server)
        .await;
    let client = client_credentials(&server);
    let err = client.jobs().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_static_token_is_not_refreshed() {
    let server = common::server().await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(ResponseTemplate::new(401))
        .expect(1)
        .mount(&server)
        .await;
    let err = common::client(&server).jobs().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
}

/// A store that logs each save into a shared event log.
#[derive(Debug)]
struct LoggingStore {
    inner: MemoryTokenStore,
    log: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl TokenStore for LoggingStore {
    async fn load(&self) -> Result<Option<StoredTokens>, greenhouse_harvest::auth::StoreError> {
        self.inner.load().await
    }

    async fn save(
        &self,
        tokens: &StoredTokens,
    ) -> Result<(), greenhouse_harvest::auth::StoreError> {
        self.log.lock().unwrap().push(format!("save {}", tokens.refresh_token.expose_secret()));
        self.inner.save(tokens).await
    }
}

/// Logs each API request's bearer token into the same event log.
struct LoggingApi(Arc<Mutex<Vec<String>>>);

impl Respond for LoggingApi {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let auth = request.headers.get("authorization").unwrap().to_str().unwrap().to_owned();
        self.0.lock().unwrap().push(format!("use {}", auth.trim_start_matches("Bearer ")));
        ResponseTemplate::new(200).set_body_json(json!([]))
    }
}

#[tokio::test]
async fn the_rotated_refresh_token_is_stored_before_the_access_token_is_used() {
    let server = common::server().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(basic_auth("cid", "csecret"))
        .and(body_string("grant_type=refresh_token&refresh_token=r1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "a2", "refresh_token": "r2", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/jobs"))
        .respond_with(LoggingApi(log.clone()))
        .expect(1)
        .mount(&server)
        .await;
    common::catch_all(&server).await;
    let store = Arc::new(LoggingStore {
        inner: MemoryTokenStore::with_tokens(StoredTokens::from_refresh_token("r1")),
        log: log.clone(),
    });
    let client = common::builder(&server)
        .credentials(Credentials::refresh_token("cid", "csecret", store.clone()))
        .build()
        .unwrap();
    client.jobs().list().send().await.unwrap();
    assert_eq!(*log.lock().unwrap(), vec!["save r2".to_owned(), "use a2".to_owned()]);
    let saved = store.inner.current().unwrap();
    assert_eq!(saved.refresh_token.expose_secret(), "r2");
    assert_eq!(saved.access_token.unwrap().expose_secret(), "a2");
}

#[tokio::test]
async fn a_saved_access_token_is_reused_after_a_restart() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    mount_jobs(&server, "a1", 1).await;
    let mut tokens = StoredTokens::from_refresh_token("r1");
    tokens.access_token = Some("a1".to_owned().into());
    tokens.access_expires_at = Some(chrono::Utc::now() + chrono::Duration::minutes(30));
    let store = Arc::new(MemoryTokenStore::with_tokens(tokens));
    let client = common::builder(&server)
        .credentials(Credentials::refresh_token("cid", "csecret", store))
        .build()
        .unwrap();
    client.jobs().list().send().await.unwrap();
}

#[tokio::test]
async fn invalid_grant_says_the_customer_must_authorize_again() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"error": "invalid_grant", "error_description": "refresh token already used"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let store = Arc::new(MemoryTokenStore::with_tokens(StoredTokens::from_refresh_token(
        "old-refresh-xyz",
    )));
    let client = common::builder(&server)
        .credentials(Credentials::refresh_token("cid", "csecret", store))
        .build()
        .unwrap();
    let err = client.jobs().list().send().await.unwrap_err();
    assert!(err.requires_reauthorization(), "{err:?}");
    let Error::Auth(auth) = &err else { panic!("{err:?}") };
    let text = auth.to_string();
    assert!(
        text.contains("invalid_grant") && text.contains("authorize the integration again"),
        "{text}"
    );
    assert!(!text.contains("old-refresh-xyz"));
}

#[tokio::test]
async fn an_empty_store_asks_for_authorization() {
    let server = common::server().await;
    let client = common::builder(&server)
        .credentials(Credentials::refresh_token(
            "cid",
            "csecret",
            Arc::new(MemoryTokenStore::new()),
        ))
        .build()
        .unwrap();
    let err = client.jobs().list().send().await.unwrap_err();
    assert!(err.requires_reauthorization());
}

#[tokio::test]
async fn a_non_oauth_token_error_keeps_its_status() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_string("<html>down</html>")
                .insert_header("retry-after", "7"),
        )
        .mount(&server)
        .await;
    let err = client_credentials(&server).jobs().list().send().await.unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::SERVICE_UNAVAILABLE));
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
}

#[tokio::test]
async fn authorization_code_exchange_saves_the_tokens() {
    let server = common::server().await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(basic_auth("cid", "csecret"))
        .and(body_string_contains("grant_type=authorization_code"))
        .and(body_string_contains("code=the-code"))
        .and(body_string_contains("redirect_uri=https%3A%2F%2Fapp.example%2Fcb"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "a1", "refresh_token": "r1", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/token"))
        .and(query_param("grant_type", "authorization_code"))
        .and(query_param("code", "q-code"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "a9", "refresh_token": "r9"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let app = AuthorizationCode::new("cid", "csecret").token_url(format!("{}/token", server.uri()));
    let store = MemoryTokenStore::new();
    app.exchange_code("the-code", "https://app.example/cb", &store).await.unwrap();
    assert_eq!(store.current().unwrap().refresh_token.expose_secret(), "r1");
    let app = app.code_exchange(CodeExchange::QueryString);
    app.exchange_code("q-code", "https://app.example/cb", &store).await.unwrap();
    assert_eq!(store.current().unwrap().refresh_token.expose_secret(), "r9");

    let url = app
        .authorize_url("https://app.example/cb", &["harvest:jobs:list", "harvest:users:list"], "st")
        .unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(
        pairs,
        vec![
            ("response_type".into(), "code".into()),
            ("client_id".into(), "cid".into()),
            ("redirect_uri".into(), "https://app.example/cb".into()),
            ("scope".into(), "harvest:jobs:list harvest:users:list".into()),
            ("state".into(), "st".into()),
        ]
    );
    assert!(!format!("{app:?}").contains("csecret"));
}

#[test]
fn secrets_never_show_in_debug() {
    let credentials = Credentials::client_credentials("cid", "super-secret", 42u64);
    assert!(!format!("{credentials:?}").contains("super-secret"));
    let client = greenhouse_harvest::Client::builder()
        .credentials(Credentials::static_token("tok-123"))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("tok-123"));
    let mut tokens = StoredTokens::from_refresh_token("refresh-abc");
    tokens.access_token = Some("access-abc".to_owned().into());
    let text = format!("{tokens:?}");
    assert!(!text.contains("refresh-abc") && !text.contains("access-abc"));
}
