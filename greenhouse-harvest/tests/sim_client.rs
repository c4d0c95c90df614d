//! The typed client against the simulator over real loopback HTTP: a full listing of every
//! resource, no 429 from clones listing at once, every record exactly once under 5%
//! faults, and the custom field write.
#![cfg(feature = "sim")]
// Helpers outside #[test] functions unwrap too: a failure there is a test failure.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt as _;
use greenhouse_harvest::api::UpdateCustomFields;
use greenhouse_harvest::models::Resource;
use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
use greenhouse_harvest::sim::{FaultConfig, RunningSimulator, SimConfig, Simulator};
use greenhouse_harvest::{Client, Credentials, RetryPolicy};

async fn start(applications: usize, config: SimConfig) -> RunningSimulator {
    let company =
        generate(&SyntheticConfig { seed: 5, applications, ..SyntheticConfig::default() });
    Simulator::start_synthetic(company, config).await.unwrap()
}

fn client(sim: &RunningSimulator) -> Client {
    Client::builder()
        .base_url(sim.base_url())
        .token_url(sim.token_url())
        .credentials(Credentials::client_credentials(
            sim.client_id(),
            sim.client_secret(),
            sim.admin_user_id(),
        ))
        // Test windows last a second; keep the governor's safety margin in proportion.
        .rate_limit_margin(Duration::from_millis(50))
        .retry_policy(RetryPolicy::default().scaled_down(20))
        .build()
        .unwrap()
}

fn ids<T: Resource>(items: &[T]) -> Vec<u64> {
    let mut ids: Vec<u64> = items.iter().filter_map(Resource::id).collect();
    ids.sort_unstable();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_resource_lists_in_full() {
    let sim =
        start(300, SimConfig::default().with_rate_limit(10_000, Duration::from_secs(1))).await;
    let client = client(&sim);
    let data = sim.dataset().unwrap();
    macro_rules! check {
        ($($resource:ident),+ $(,)?) => {$(
            let listed: Vec<_> = client.$resource().list().per_page(500).stream().try_collect().await.unwrap();
            assert_eq!(ids(&listed), ids(&data.$resource), stringify!($resource));
            assert!(!listed.is_empty(), stringify!($resource));
        )+};
    }
    check!(
        applications,
        application_stages,
        rejection_details,
        approval_flows,
        approver_groups,
        approvers,
        candidates,
        candidate_educations,
        candidate_employments,
        notes,
        close_reasons,
        custom_fields,
        custom_field_options,
        openings,
        job_posts,
        job_interview_stages,
        jobs,
        job_owners,
        job_hiring_managers,
        offers,
        offices,
        departments,
        rejection_reasons,
        scorecards,
        sources,
        referrers,
        candidate_tags,
        applied_candidate_tags,
        tracking_links,
    );
    // Users hide the integration service account, as v3 does.
    let users: Vec<_> = client.users().list().stream().try_collect().await.unwrap();
    assert_eq!(users.len(), data.users.len() - 1);
    // Typed records come back equal to what the simulator holds.
    let first = data.applications.last().unwrap();
    assert_eq!(client.applications().get(first.id).await.unwrap().as_ref(), Some(first));
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_clones_share_the_budget_without_a_429() {
    // Harvest's 75 requests per window, with the window scaled from 30 s down to 1 s.
    let sim = start(1000, SimConfig::default().with_rate_limit(75, Duration::from_secs(1))).await;
    let client = client(&sim);
    let data = sim.dataset().unwrap();
    // Four listings at once on clones of one client, about 280 requests over several windows:
    // their responses come back out of order, and none may lift the shared budget back up.
    let applications = tokio::spawn({
        let client = client.clone();
        async move { client.applications().list().per_page(10).stream().try_collect::<Vec<_>>().await }
    });
    let stages = tokio::spawn({
        let client = client.clone();
        async move {
            client.application_stages().list().per_page(25).stream().try_collect::<Vec<_>>().await
        }
    });
    let candidates = tokio::spawn({
        let client = client.clone();
        async move { client.candidates().list().per_page(20).stream().try_collect::<Vec<_>>().await }
    });
    let notes = tokio::spawn({
        let client = client.clone();
        async move { client.notes().list().per_page(20).stream().try_collect::<Vec<_>>().await }
    });
    let applications = applications.await.unwrap().unwrap();
    let stages = stages.await.unwrap().unwrap();
    let candidates = candidates.await.unwrap().unwrap();
    let notes = notes.await.unwrap().unwrap();
    assert_eq!(ids(&applications), ids(&data.applications));
    assert_eq!(ids(&stages), ids(&data.application_stages));
    assert_eq!(ids(&candidates), ids(&data.candidates));
    assert_eq!(ids(&notes), ids(&data.notes));
    let stats = sim.stats();
    assert!(stats.requests_total > 150, "the listings span several windows: {stats:?}");
    assert_eq!(stats.rate_limited, 0, "{stats:?}");
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_percent_faults_lose_and_duplicate_nothing() {
    let faults = FaultConfig {
        error_rate: 0.03,
        drop_rate: 0.01,
        truncate_rate: 0.01,
        ..FaultConfig::none()
    };
    let config = SimConfig::default()
        .with_rate_limit(10_000, Duration::from_secs(1))
        .with_faults(faults)
        .with_seed(99);
    let sim = start(1500, config).await;
    let client = client(&sim);
    let data = sim.dataset().unwrap();
    let applications: Vec<_> =
        client.applications().list().per_page(10).stream().try_collect().await.unwrap();
    let listed = ids(&applications);
    assert_eq!(listed.iter().collect::<BTreeSet<_>>().len(), listed.len(), "no duplicates");
    assert_eq!(listed, ids(&data.applications), "nothing lost");
    let candidates: Vec<_> =
        client.candidates().list().per_page(25).stream().try_collect().await.unwrap();
    assert_eq!(ids(&candidates), ids(&data.candidates));
    let stats = sim.stats();
    assert!(stats.faults_total >= 5, "faults were injected: {stats:?}");
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rating_write_reaches_the_simulator() {
    let sim =
        start(100, SimConfig::default().with_rate_limit(10_000, Duration::from_secs(1))).await;
    let client = client(&sim);
    let field = client.custom_fields().find_application_number_field("Rocketmat").await.unwrap();
    let key = field.name_key.clone().unwrap();
    let application = sim.dataset().unwrap().applications[3].id;
    let update = UpdateCustomFields::new().set_by_name_key(key, 87);
    client.applications().update_custom_fields(application, &update).await.unwrap();
    let writes = sim.writes();
    assert_eq!(writes.len(), 1);
    assert_eq!(writes[0].application_id, application.get());
    assert_eq!(writes[0].name_key, "rocketmat");
    assert_eq!(writes[0].value, serde_json::json!(87));
    let read = client.applications().get(application).await.unwrap().unwrap();
    assert_eq!(read.custom_fields["rocketmat"].value, serde_json::json!(87));
    sim.shutdown().await.unwrap();
}
