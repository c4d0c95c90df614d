//! The simulator enforces Harvest v3's rules, checked over real loopback HTTP with a plain HTTP
//! client (no `greenhouse-harvest` client), so a rule cannot pass because both sides share a
//! bug.
#![cfg(feature = "sim")]
// Helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use base64::Engine as _;
use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{
    CustomFieldWrite, Dataset, FaultConfig, RunningSimulator, SimConfig, SimError, Simulator, Stats,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A company small enough to start in milliseconds.
fn small_company() -> greenhouse_harvest::sim::synthetic::SyntheticCompany {
    generate(&SyntheticConfig { seed: 11, applications: 240, ..SyntheticConfig::default() })
}

/// A generous limit, so rule tests never meet a 429 they did not ask for.
fn roomy() -> SimConfig {
    SimConfig::default().with_rate_limit(10_000, Duration::from_secs(1))
}

async fn start(config: SimConfig) -> RunningSimulator {
    Simulator::start_synthetic(small_company(), config).await.unwrap()
}

fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn basic(id: &str, secret: &str) -> String {
    format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}")))
}

async fn token_request(sim: &RunningSimulator, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http()
        .post(sim.token_url())
        .header("authorization", basic(sim.client_id(), sim.client_secret()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

async fn access_token(sim: &RunningSimulator) -> String {
    let sub = sim.admin_user_id().to_string();
    let (status, body) =
        token_request(sim, &[("grant_type", "client_credentials"), ("sub", &sub)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn get(sim: &RunningSimulator, token: &str, path_and_query: &str) -> reqwest::Response {
    let base = sim.base_url();
    let url = if path_and_query.starts_with("http") {
        path_and_query.to_owned()
    } else {
        format!("{base}{path_and_query}")
    };
    http().get(url).bearer_auth(token).send().await.unwrap()
}

fn next_link(response: &reqwest::Response) -> Option<String> {
    let link = response.headers().get("link")?.to_str().unwrap().to_owned();
    assert!(link.ends_with("; rel=\"next\""), "only rel=next is served: {link}");
    assert!(!link.contains("prev") && !link.contains("last"));
    Some(link.trim_start_matches('<').split('>').next().unwrap().to_owned())
}

async fn list_all(sim: &RunningSimulator, token: &str, first: &str) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut url = first.to_owned();
    let mut requests = 0;
    loop {
        let response = get(sim, token, &url).await;
        requests += 1;
        assert_eq!(response.status(), StatusCode::OK);
        let next = next_link(&response);
        let page: Vec<Value> = response.json().await.unwrap();
        items.extend(page);
        match next {
            Some(next) => url = next,
            None => return (items, requests),
        }
    }
}

async fn stats_over_http(sim: &RunningSimulator) -> Stats {
    let url = sim.base_url().replace("/v3", "/_sim/stats");
    http().get(url).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn client_credentials_grant_and_client_authentication() {
    let sim = start(roomy()).await;
    let sub = sim.admin_user_id().to_string();
    let (status, body) =
        token_request(&sim, &[("grant_type", "client_credentials"), ("sub", &sub)]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(chrono::DateTime::parse_from_rfc3339(body["expires_at"].as_str().unwrap()).is_ok());
    assert!(body.get("refresh_token").is_none());

    let wrong = http()
        .post(sim.token_url())
        .header("authorization", basic(sim.client_id(), "not-the-secret"))
        .form(&[("grant_type", "client_credentials"), ("sub", sub.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json::<Value>().await.unwrap()["error"], "invalid_client");
    let anonymous = http()
        .post(sim.token_url())
        .form(&[("grant_type", "client_credentials"), ("sub", sub.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    let (status, body) = token_request(&sim, &[("grant_type", "client_credentials")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_request"))
    );
    let (status, body) = token_request(&sim, &[("grant_type", "password")]).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("unsupported_grant_type"))
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn authorization_code_then_rotating_refresh_tokens() {
    let sim = start(roomy()).await;
    let redirect = "https://app.example.com/oauth/callback";
    let authorize = http()
        .get(sim.authorize_url())
        .query(&[
            ("response_type", "code"),
            ("client_id", sim.client_id()),
            ("redirect_uri", redirect),
            ("scope", "harvest:applications:list harvest:applications:update"),
            ("state", "xyz"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(authorize.status(), StatusCode::FOUND);
    let location = url::Url::parse(authorize.headers()["location"].to_str().unwrap()).unwrap();
    assert!(location.as_str().starts_with(redirect));
    let pairs: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(pairs["state"], "xyz");
    let code = pairs["code"].clone();

    // The exchange may carry its parameters in the query string, as the partner guide's
    // examples do.
    let exchange = http()
        .post(sim.token_url())
        .header("authorization", basic(sim.client_id(), sim.client_secret()))
        .query(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", redirect)])
        .send()
        .await
        .unwrap();
    assert_eq!(exchange.status(), StatusCode::OK);
    let first: Value = exchange.json().await.unwrap();
    let access = first["access_token"].as_str().unwrap();
    assert_eq!(get(&sim, access, "/jobs?per_page=1").await.status(), StatusCode::OK);

    // A code is single-use.
    let (status, body) = token_request(
        &sim,
        &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", redirect)],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));

    // Refresh tokens rotate; reusing one is invalid_grant.
    let r1 = first["refresh_token"].as_str().unwrap().to_owned();
    let (status, second) =
        token_request(&sim, &[("grant_type", "refresh_token"), ("refresh_token", &r1)]).await;
    assert_eq!(status, StatusCode::OK);
    let r2 = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(r1, r2);
    assert_ne!(first["access_token"], second["access_token"]);
    let (status, reused) =
        token_request(&sim, &[("grant_type", "refresh_token"), ("refresh_token", &r1)]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reused["error"], "invalid_grant");
    let (status, _) =
        token_request(&sim, &[("grant_type", "refresh_token"), ("refresh_token", &r2)]).await;
    assert_eq!(status, StatusCode::OK);

    // A code issued through the library works the same way, and checks the redirect URI.
    let code = sim.authorization_code(sim.admin_user_id(), Some(redirect));
    let (status, body) = token_request(
        &sim,
        &[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", "https://evil")],
    )
    .await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_grant")));
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn access_tokens_expire_and_bad_tokens_are_401() {
    let config = SimConfig { token_lifetime: Duration::from_millis(300), ..roomy() };
    let sim = start(config).await;
    let token = access_token(&sim).await;
    assert_eq!(get(&sim, &token, "/jobs").await.status(), StatusCode::OK);
    let missing = http().get(format!("{}/jobs", sim.base_url())).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    assert!(missing.headers().contains_key("www-authenticate"));
    assert_eq!(get(&sim, "forged", "/jobs").await.status(), StatusCode::UNAUTHORIZED);
    tokio::time::sleep(Duration::from_millis(350)).await;
    let expired = get(&sim, &token, "/jobs").await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(expired.json::<Value>().await.unwrap()["message"], "Access token expired");
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn list_endpoints_need_a_site_admin() {
    let company = small_company();
    let plain = company.dataset.users.iter().find(|u| !u.site_admin).unwrap().id.get();
    let sim = Simulator::start_synthetic(company, roomy()).await.unwrap();
    let sub = plain.to_string();
    let (_, body) =
        token_request(&sim, &[("grant_type", "client_credentials"), ("sub", &sub)]).await;
    let token = body["access_token"].as_str().unwrap();
    assert_eq!(get(&sim, token, "/applications").await.status(), StatusCode::FORBIDDEN);
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn listing_is_bare_arrays_newest_first_with_next_links_only() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    let data = sim.dataset().unwrap();
    let (items, requests) = list_all(&sim, &token, "/applications?per_page=50").await;
    assert_eq!(requests, data.applications.len().div_ceil(50));
    let ids: Vec<u64> = items.iter().map(|a| a["id"].as_u64().unwrap()).collect();
    let mut expected: Vec<u64> = data.applications.iter().map(|a| a.id.get()).collect();
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, expected, "every application once, by id descending");

    // Default page size is 100; the last page carries no Link header.
    let first = get(&sim, &token, "/applications").await;
    assert!(next_link(&first).is_some());
    assert_eq!(first.json::<Vec<Value>>().await.unwrap().len(), 100);
    let all = get(&sim, &token, "/applications?per_page=500").await;
    assert!(all.headers().get("link").is_none());

    // Every resource answers with an array; unknown ones with 404.
    for (resource, count) in data.counts() {
        let (items, _) = list_all(&sim, &token, &format!("/{resource}?per_page=500")).await;
        let expected = if resource == "users" {
            data.users.iter().filter(|u| u.primary_email.is_some()).count()
        } else {
            count
        };
        assert_eq!(items.len(), expected, "{resource}");
    }
    assert_eq!(get(&sim, &token, "/widgets").await.status(), StatusCode::NOT_FOUND);
    sim.shutdown().await.unwrap();
}

async fn assert_422(sim: &RunningSimulator, token: &str, query: &str) -> Value {
    let response = get(sim, token, query).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{query}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn query_rules_answer_422() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    let body = assert_422(&sim, &token, "/applications?per_page=600").await;
    assert_eq!(body["errors"][0]["per_page"], "`600` number is greater than: 500");
    assert_422(&sim, &token, "/applications?per_page=0").await;
    assert_eq!(get(&sim, &token, "/applications?per_page=500").await.status(), StatusCode::OK);

    let ids: Vec<String> = (1..=51).map(|i| i.to_string()).collect();
    assert_422(&sim, &token, &format!("/applications?candidate_ids={}", ids.join(","))).await;
    assert_422(&sim, &token, &format!("/applications?ids={}", ids.join(","))).await;
    let fifty = get(&sim, &token, &format!("/applications?ids={}", ids[..50].join(","))).await;
    assert_eq!(fifty.status(), StatusCode::OK);

    // A cursor tolerates no other parameter.
    let first = get(&sim, &token, "/applications?per_page=10").await;
    let next = next_link(&first).unwrap();
    for extra in ["&per_page=10", "&status=active", "&created_at=gte|2020-01-01T00:00:00Z"] {
        let body = assert_422(&sim, &token, &format!("{next}{extra}")).await;
        assert_eq!(body["errors"][0], "When passing a cursor, do not include other query params.");
    }
    assert_422(&sim, &token, "/applications?cursor=bm90LWEtY3Vyc29y").await;

    // Unsupported filters, bad values, bracket syntax.
    assert_422(&sim, &token, "/scorecards?job_ids=1").await;
    assert_422(&sim, &token, "/rejection_details?job_ids=1").await;
    assert_422(&sim, &token, "/applications?status=in_process").await;
    assert_422(&sim, &token, "/applications?prospect=yes").await;
    assert_422(&sim, &token, "/applications?created_at[gte]=2025-01-01T00:00:00Z").await;
    assert_422(&sim, &token, "/applications?created_at=after|2025-01-01T00:00:00Z").await;
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn filters_select_the_right_records() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    let data = sim.dataset().unwrap();
    let ids_of = |items: &[Value]| -> BTreeSet<u64> {
        items.iter().map(|a| a["id"].as_u64().unwrap()).collect()
    };

    // Two-sided created_at window, across pages.
    let mut times: Vec<_> = data.applications.iter().filter_map(|a| a.created_at).collect();
    times.sort();
    let (lo, hi) = (times[times.len() / 4], times[3 * times.len() / 4]);
    let fmt =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let query = format!("/applications?per_page=20&created_at=gte|{}|lt|{}", fmt(lo), fmt(hi));
    let (items, _) = list_all(&sim, &token, &query).await;
    let expected: BTreeSet<u64> = data
        .applications
        .iter()
        .filter(|a| a.created_at.is_some_and(|t| t >= lo && t < hi))
        .map(|a| a.id.get())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(ids_of(&items), expected);

    // status=active means in_process.
    let (items, _) = list_all(&sim, &token, "/applications?per_page=500&status=active").await;
    assert!(!items.is_empty());
    assert!(items.iter().all(|a| a["status"] == "in_process"));
    let in_process = data
        .applications
        .iter()
        .filter(|a| a.status == greenhouse_harvest::models::ApplicationStatus::InProcess)
        .count();
    assert_eq!(items.len(), in_process);

    // Parent ids, booleans and custom field keys.
    let job = data.jobs[0].id.get();
    let (items, _) = list_all(&sim, &token, &format!("/job_interview_stages?job_ids={job}")).await;
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|s| s["job_id"] == job));
    let (items, _) = list_all(&sim, &token, "/job_posts?live=true").await;
    assert!(items.iter().all(|p| p["live"] == true));
    let (items, _) = list_all(&sim, &token, "/custom_field_options?custom_field_key=degree").await;
    let names: Vec<&str> = items.iter().map(|o| o["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 5);
    for degree in
        ["High School", "Associate's Degree", "Bachelor's Degree", "Master's Degree", "PhD"]
    {
        assert!(names.contains(&degree), "{degree}");
    }
    let (items, _) =
        list_all(&sim, &token, "/custom_fields?field_type=application&name_key=rocketmat").await;
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["value_type"], "number");

    // Users hide service accounts unless asked.
    let (hidden, _) = list_all(&sim, &token, "/users").await;
    let (shown, _) = list_all(&sim, &token, "/users?show_service_accounts=true").await;
    assert_eq!(shown.len(), hidden.len() + 1);

    // Approval flows filtered by job leave out offer_candidate flows.
    let flow_job = data
        .approval_flows
        .iter()
        .find(|f| f.approval_type == greenhouse_harvest::models::ApprovalType::OfferCandidate)
        .map(|f| f.job_id.get());
    if let Some(job) = flow_job {
        let (items, _) = list_all(&sim, &token, &format!("/approval_flows?job_ids={job}")).await;
        assert!(!items.is_empty());
        assert!(items.iter().all(|f| f["approval_type"] != "offer_candidate"));
    }

    // The fields selector.
    let response = get(&sim, &token, "/applications?per_page=3&fields=id,status").await;
    let items: Vec<Value> = response.json().await.unwrap();
    assert!(items.iter().all(|a| a.as_object().unwrap().len() == 2));
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn rate_limit_headers_and_429() {
    let sim = start(SimConfig::default().with_rate_limit(5, Duration::from_secs(1))).await;
    let token = access_token(&sim).await;
    // Start at the beginning of a window so all six requests share one.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    tokio::time::sleep(Duration::from_millis(1005 - u64::from(now.subsec_millis()))).await;
    let mut reset = None;
    for expected_remaining in (0..5).rev() {
        let response = get(&sim, &token, "/jobs?per_page=1").await;
        assert_eq!(response.status(), StatusCode::OK);
        let header =
            |name: &str| response.headers()[name].to_str().unwrap().parse::<u64>().unwrap();
        assert_eq!(header("x-ratelimit-limit"), 5);
        assert_eq!(header("x-ratelimit-remaining"), expected_remaining);
        let this_reset = header("x-ratelimit-reset");
        assert!(reset.is_none_or(|r| r == this_reset), "one window, one reset time");
        reset = Some(this_reset);
    }
    let refused = get(&sim, &token, "/jobs?per_page=1").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(refused.headers()["x-ratelimit-remaining"], "0");
    let reset = reset.unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    assert!(reset > now.as_secs() && reset <= now.as_secs() + 1, "reset is the window's end");
    // The next window has a fresh budget.
    tokio::time::sleep(Duration::from_millis(1005 - u64::from(now.subsec_millis()))).await;
    assert_eq!(get(&sim, &token, "/jobs?per_page=1").await.status(), StatusCode::OK);
    assert_eq!(sim.stats().rate_limited, 1);
    assert_eq!(stats_over_http(&sim).await.rate_limited, 1);
    sim.shutdown().await.unwrap();
}

async fn patch(sim: &RunningSimulator, token: &str, id: u64, body: &str) -> (StatusCode, Value) {
    let response = http()
        .patch(format!("{}/applications/{id}", sim.base_url()))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn custom_field_writes_are_validated_applied_and_recorded() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    let data = sim.dataset().unwrap();
    let app = &data.applications[0];
    let id = app.id.get();
    let rocketmat =
        data.custom_fields.iter().find(|f| f.name_key.as_deref() == Some("rocketmat")).unwrap();

    let (status, updated) =
        patch(&sim, &token, id, r#"{"custom_fields": [{"name_key": "rocketmat", "value": 87}]}"#)
            .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["custom_fields"]["rocketmat"]["value"], 87);
    assert_eq!(updated["custom_fields"]["rocketmat"]["type"], "number");
    let stamped =
        chrono::DateTime::parse_from_rfc3339(updated["updated_at"].as_str().unwrap()).unwrap();
    assert!(Some(stamped.to_utc()) > app.updated_at, "a write moves updated_at");
    let by_id =
        format!(r#"{{"custom_fields": [{{"id": {}, "value": "42.5"}}]}}"#, rocketmat.id.get());
    assert_eq!(patch(&sim, &token, id, &by_id).await.0, StatusCode::OK);
    let keyed = r#"{"custom_fields": {"rocketmat": 12}}"#;
    assert_eq!(patch(&sim, &token, data.applications[1].id.get(), keyed).await.0, StatusCode::OK);

    for bad in [
        r#"{"custom_fields": [{"name_key": "rocketmat", "value": "high"}]}"#,
        r#"{"custom_fields": [{"name_key": "nope", "value": 1}]}"#,
        r#"{"custom_fields": [{"name_key": "degree", "value": 1}]}"#,
        r#"{"custom_fields": [{"name_key": "legacy_score", "value": 1}]}"#,
        r#"{"custom_fields": [{"name_key": "relocation_needed", "value": "yes"}]}"#,
        r#"{"custom_fields": [{"value": 1}]}"#,
        r#"{"source_id": 1, "custom_fields": []}"#,
        r#"{"nothing": true}"#,
        "[1, 2]",
    ] {
        let (status, body) = patch(&sim, &token, id, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    assert_eq!(patch(&sim, &token, id, "{not json").await.0, StatusCode::BAD_REQUEST);
    assert_eq!(patch(&sim, &token, 1, keyed).await.0, StatusCode::NOT_FOUND);
    let huge = format!(
        r#"{{"custom_fields": [{{"name_key": "hiring_manager_notes", "value": "{}"}}]}}"#,
        "x".repeat(2_000_000)
    );
    assert_eq!(patch(&sim, &token, id, &huge).await.0, StatusCode::PAYLOAD_TOO_LARGE);

    let writes = sim.writes();
    let summary: Vec<(u64, u64, &str, Value)> = writes
        .iter()
        .map(|w| (w.sequence, w.application_id, w.name_key.as_str(), w.value.clone()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (1, id, "rocketmat", json!(87)),
            (2, id, "rocketmat", json!(42.5)),
            (3, data.applications[1].id.get(), "rocketmat", json!(12)),
        ]
    );
    let url = sim.base_url().replace("/v3", "/_sim/writes");
    let served: Vec<CustomFieldWrite> = http().get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(served, writes);
    let read_back = get(&sim, &token, &format!("/applications?ids={id}")).await;
    let read_back: Vec<Value> = read_back.json().await.unwrap();
    assert_eq!(read_back[0]["custom_fields"]["rocketmat"]["value"], 42.5);
    // The typed snapshot decodes the written value too.
    let snapshot = sim.dataset().unwrap();
    let written = snapshot.applications.iter().find(|a| a.id.get() == id).unwrap();
    assert_eq!(
        written.custom_fields["rocketmat"].typed_value(),
        greenhouse_harvest::models::CustomFieldValue::Number(42.5)
    );
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn injected_faults() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    let only = |faults: FaultConfig| sim.set_faults(faults).unwrap();

    only(FaultConfig { error_rate: 1.0, ..FaultConfig::none() });
    for _ in 0..6 {
        let status = get(&sim, &token, "/jobs").await.status();
        assert!([500, 502, 503].contains(&status.as_u16()), "{status}");
    }

    only(FaultConfig { drop_rate: 1.0, ..FaultConfig::none() });
    let dropped = http().get(format!("{}/jobs", sim.base_url())).bearer_auth(&token).send().await;
    assert!(dropped.is_err(), "the connection closes before any response");

    only(FaultConfig { truncate_rate: 1.0, ..FaultConfig::none() });
    let truncated = get(&sim, &token, "/jobs?per_page=50").await;
    assert_eq!(truncated.status(), StatusCode::OK);
    assert!(truncated.bytes().await.is_err(), "the body ends before Content-Length");

    only(FaultConfig { expire_cursor_rate: 1.0, ..FaultConfig::none() });
    let first = get(&sim, &token, "/applications?per_page=10").await;
    assert_eq!(first.status(), StatusCode::OK, "a first page has no cursor to expire");
    let next = next_link(&first).unwrap();
    assert_eq!(get(&sim, &token, &next).await.status(), StatusCode::UNPROCESSABLE_ENTITY);

    only(FaultConfig { revoke_token_rate: 1.0, ..FaultConfig::none() });
    assert_eq!(get(&sim, &token, "/jobs").await.status(), StatusCode::UNAUTHORIZED);
    only(FaultConfig::none());
    let revoked = get(&sim, &token, "/jobs").await;
    assert_eq!(revoked.status(), StatusCode::UNAUTHORIZED, "a revoked token stays revoked");
    assert_eq!(revoked.json::<Value>().await.unwrap()["message"], "Access token revoked");
    let fresh = access_token(&sim).await;
    assert_eq!(get(&sim, &fresh, "/jobs").await.status(), StatusCode::OK);

    only(FaultConfig {
        latency_rate: 1.0,
        latency: Duration::from_millis(120),
        ..FaultConfig::none()
    });
    let started = std::time::Instant::now();
    assert_eq!(get(&sim, &fresh, "/jobs").await.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(120));

    let stats = sim.stats();
    assert_eq!(stats.faults_injected.get("dropped_connection"), Some(&1));
    assert_eq!(stats.faults_injected.get("truncated_body"), Some(&1));
    assert_eq!(stats.faults_injected.get("expired_cursor"), Some(&1));
    assert_eq!(stats.faults_injected.get("revoked_token"), Some(&1));
    let server_errors: u64 = ["http_500", "http_502", "http_503"]
        .iter()
        .filter_map(|k| stats.faults_injected.get(*k))
        .sum();
    assert_eq!(server_errors, 6);
    assert_eq!(stats.faults_total, 10);
    assert!(sim.set_faults(FaultConfig { error_rate: 1.5, ..FaultConfig::none() }).is_err());
    sim.shutdown().await.unwrap();
}

#[tokio::test]
async fn stats_and_truth_endpoints() {
    let sim = start(roomy()).await;
    let token = access_token(&sim).await;
    get(&sim, &token, "/jobs").await;
    get(&sim, &token, "/jobs").await;
    get(&sim, &token, "/applications?per_page=2").await;
    let stats = stats_over_http(&sim).await;
    assert_eq!(stats.requests_by_endpoint["GET /v3/jobs"], 2);
    assert_eq!(stats.requests_by_endpoint["GET /v3/applications"], 1);
    assert_eq!(stats.requests_by_endpoint["POST /token"], 1);
    assert_eq!(stats.tokens_issued, 1);
    assert_eq!(stats.responses_by_status[&200], 3);

    let url = sim.base_url().replace("/v3", "/_sim/truth");
    let truth: Value = http().get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(truth["applications"].as_array().unwrap().len(), 240);
    assert!(truth["bayes_auc"].as_f64().unwrap() > 0.5);
    sim.shutdown().await.unwrap();

    let plain = Simulator::start(Dataset::default(), roomy()).await.unwrap();
    let url = plain.base_url().replace("/v3", "/_sim/truth");
    assert_eq!(http().get(url).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    plain.shutdown().await.unwrap();
}

#[tokio::test]
async fn data_directories_load_dump_and_refuse_bad_files() {
    let company = small_company();
    let dir = tempfile::tempdir().unwrap();
    company.dataset.dump_dir(dir.path()).unwrap();
    let loaded = Dataset::load_dir(dir.path()).unwrap();
    assert_eq!(loaded.counts(), company.dataset.counts());
    assert_eq!(loaded.applications, company.dataset.applications);

    // Serve it, write, dump the live state: the write is in the dump.
    let sim = Simulator::start(loaded, roomy()).await.unwrap();
    let token = access_token(&sim).await;
    let id = company.dataset.applications[5].id.get();
    let (status, _) =
        patch(&sim, &token, id, r#"{"custom_fields": [{"name_key": "rocketmat", "value": 64}]}"#)
            .await;
    assert_eq!(status, StatusCode::OK);
    let after = tempfile::tempdir().unwrap();
    sim.dump_dir(after.path()).unwrap();
    sim.shutdown().await.unwrap();
    let reloaded = Dataset::load_dir(after.path()).unwrap();
    let app = reloaded.applications.iter().find(|a| a.id.get() == id).unwrap();
    assert_eq!(app.custom_fields["rocketmat"].value, json!(64));

    // A bad file names the file and the JSON path.
    std::fs::write(dir.path().join("jobs.json"), r#"[{"id": 1, "name": "A", "status": "open"}, {"id": "two", "name": "B", "status": "open"}]"#).unwrap();
    let err = Dataset::load_dir(dir.path()).unwrap_err();
    match &err {
        SimError::Decode { path, json_path, .. } => {
            assert!(path.ends_with("jobs.json"));
            assert_eq!(json_path, "[1].id");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("jobs.json") && err.to_string().contains("[1].id"));
    std::fs::write(dir.path().join("jobs.json"), "{}").unwrap();
    assert!(matches!(Dataset::load_dir(dir.path()), Err(SimError::Decode { .. })));
    std::fs::write(dir.path().join("jobs.json"), "[] trailing").unwrap();
    assert!(matches!(Dataset::load_dir(dir.path()), Err(SimError::Decode { .. })));
    assert!(matches!(Dataset::load_dir(&dir.path().join("missing")), Err(SimError::Io { .. })));
    // Duplicate ids cannot be served.
    let twice = Dataset {
        jobs: vec![company.dataset.jobs[0].clone(), company.dataset.jobs[0].clone()],
        ..Dataset::default()
    };
    assert!(matches!(
        Simulator::start(twice, roomy()).await,
        Err(SimError::DuplicateId { resource: "jobs", .. })
    ));
}

#[test]
fn the_binary_prints_where_it_listens() {
    use std::io::{BufRead as _, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_harvest-sim"))
        .args(["--synthetic", "--seed", "3", "--applications", "60", "--port", "0"])
        .args(["--client-id", "bin-id", "--client-secret", "bin-secret"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.strip_prefix("listening on ").unwrap().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{first}");
    assert_eq!(lines.next().unwrap().unwrap(), "client id: bin-id");
    assert_eq!(lines.next().unwrap().unwrap(), "client secret: bin-secret");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let status = runtime.block_on(async {
        http()
            .post(format!("{url}/token"))
            .header("authorization", basic("bin-id", "bin-secret"))
            .form(&[("grant_type", "client_credentials"), ("sub", "1")])
            .send()
            .await
            .unwrap()
            .status()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, StatusCode::OK);
}

#[test]
fn the_binary_refuses_bad_data_with_file_and_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("applications.json"),
        r#"[{"id": 1, "candidate_id": 2, "status": 7}]"#,
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_harvest-sim"))
        .arg("--data")
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("applications.json") && stderr.contains("[0].status"), "{stderr}");
}
