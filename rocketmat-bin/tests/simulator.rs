//! End-to-end tests of the pipeline against the simulator over loopback.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::*;
use rocketmat::demo::sim_client;
use rocketmat::pipeline::run;
use rocketmat::store::{SqliteStore, Store};
use rocketmat::sync::{SyncOptions, sync};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_writes_one_rating_per_open_application_then_nothing() {
    let company = company(11);
    let open = open_applications(&company);
    assert!(!open.is_empty());
    let sim = start(company, sim_config()).await;
    let client = sim_client(&sim).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();

    let report = run(&client, &mut store, &run_options("run")).await.unwrap();
    assert!(report.trained.is_some());
    let writes = http_writes(&sim).await;
    let written: Vec<u64> = writes.iter().map(|w| w["application_id"].as_u64().unwrap()).collect();
    let unique: BTreeSet<u64> = written.iter().copied().collect();
    assert_eq!(written.len(), unique.len(), "an application was written twice");
    assert_eq!(unique, open, "exactly the open applications get a rating");
    for w in &writes {
        let v = w["value"].as_u64().expect("a number value");
        assert!(v <= 100);
        assert_eq!(w["name_key"], "rocketmat");
    }
    // The stored scores match what was written.
    let stored: BTreeMap<u64, u64> =
        store.scores().unwrap().iter().map(|s| (s.application_id, u64::from(s.rating))).collect();
    for w in &writes {
        assert_eq!(stored[&w["application_id"].as_u64().unwrap()], w["value"].as_u64().unwrap());
    }
    assert_eq!(report.push.written, open.len());

    // A second run with nothing changed writes nothing and does not retrain.
    let again = run(&client, &mut store, &run_options("run")).await.unwrap();
    assert!(again.trained.is_none(), "nothing changed, so the model is not retrained");
    assert_eq!(again.push.pending, 0);
    assert_eq!(http_writes(&sim).await.len(), writes.len());
    assert!(store.verify_audit().unwrap().is_intact());
    assert_eq!(store.verify_audit().unwrap().entries, open.len() as u64);
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupted_sync_resumes_to_the_same_content() {
    let sim = start(company(12), sim_config()).await;
    let client = sim_client(&sim).unwrap();
    let small_pages = SyncOptions { per_page: 40, ..sync_options() };

    let mut whole = SqliteStore::open_in_memory().unwrap();
    let full = sync(&client, &mut whole, small_pages.clone()).await.unwrap();
    assert!(!full.interrupted);
    assert!(full.pages() > 20, "the test needs many pages, got {}", full.pages());

    let mut resumed = SqliteStore::open_in_memory().unwrap();
    // Stop three times at different points, including inside the applications listing.
    for stop_after in [3, 9, full.pages() / 2] {
        let r = sync(
            &client,
            &mut resumed,
            SyncOptions { max_pages: Some(stop_after), ..small_pages.clone() },
        )
        .await
        .unwrap();
        assert!(r.interrupted);
    }
    let last = sync(&client, &mut resumed, small_pages.clone()).await.unwrap();
    assert!(!last.interrupted);
    assert_eq!(content(&resumed), content(&whole));
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_lose_and_duplicate_nothing() {
    let company = company(13);
    let open = open_applications(&company);
    let reference_sim = start(company.clone(), sim_config()).await;
    let mut reference = SqliteStore::open_in_memory().unwrap();
    sync(&sim_client(&reference_sim).unwrap(), &mut reference, sync_options()).await.unwrap();
    reference_sim.shutdown().await.unwrap();

    // 5% server errors, 2% dropped connections, and 429 bursts: the client's governor keeps
    // its own requests inside the budget, so a second integration on the same account (with a
    // budget of its own) spends the shared window behind its back, as happens in production.
    let config = sim_config()
        .with_rate_limit(5, std::time::Duration::from_millis(100))
        .with_faults(faults(0.05, 0.02));
    let sim = start(company, config).await;
    let client = sim_client(&sim).unwrap();
    let rival = sim_client(&sim).unwrap();
    let competitor = tokio::spawn(async move {
        // Four bursts of twice the window's budget, 900 ms apart: each burst empties the
        // shared window, so requests of the pipeline that land in it get 429s and must wait.
        for _ in 0..4 {
            let burst = (0..10).map(|_| rival.jobs().list().per_page(1).send());
            // Failures (429s, injected faults) are the point: they are not checked.
            let _ = futures::future::join_all(burst).await;
            tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        }
    });
    let mut store = SqliteStore::open_in_memory().unwrap();
    let mut options = run_options("run");
    options.sync.per_page = 100;
    // A step may still fail when every retry of one request is unlucky; running again must
    // finish the job without losing or repeating anything.
    let mut attempts = 0;
    loop {
        attempts += 1;
        match run(&client, &mut store, &options).await {
            Ok(_) => break,
            Err(e) if attempts < 5 => eprintln!("attempt {attempts} failed: {e:#}"),
            Err(e) => panic!("pipeline never completed: {e:#}"),
        }
    }
    competitor.abort();
    let stats = sim.stats();
    eprintln!(
        "{attempts} attempts, {} requests, {} faults, {} rate limited",
        stats.requests_total, stats.faults_total, stats.rate_limited
    );
    assert!(stats.faults_total > 0, "no fault was injected: {stats:?}");
    assert!(stats.rate_limited > 0, "no 429 was served: {stats:?}");
    assert_eq!(content(&store), content(&reference), "synced content differs from a clean sync");
    let writes = sim.writes();
    let mut last: BTreeMap<u64, serde_json::Value> = BTreeMap::new();
    for w in &writes {
        last.insert(w.application_id, w.value.clone());
    }
    assert_eq!(last.keys().copied().collect::<BTreeSet<_>>(), open);
    for s in store.scores().unwrap() {
        assert_eq!(last[&s.application_id], serde_json::json!(s.rating));
    }
    assert!(store.pending_pushes().unwrap().is_empty());
    assert!(store.verify_audit().unwrap().is_intact());
    sim.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn erased_candidate_leaves_no_trace_and_stays_out() {
    let company = company(14);
    let victim = company.truth.applications.iter().find(|a| a.open).unwrap().clone();
    let their_apps: Vec<u64> = company
        .truth
        .applications
        .iter()
        .filter(|a| a.candidate_id == victim.candidate_id)
        .map(|a| a.application_id)
        .collect();
    let sim = start(company, sim_config()).await;
    let client = sim_client(&sim).unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    run(&client, &mut store, &run_options("run")).await.unwrap();

    let mut ids = vec![victim.candidate_id];
    ids.extend(&their_apps);
    let before = store.find_traces(&ids).unwrap();
    let tables: BTreeSet<&str> = before.iter().map(|t| t.table.as_str()).collect();
    for t in ["applications", "scores", "pushed_ratings", "audit_log"] {
        assert!(tables.contains(t), "the candidate should be in {t} before erasure: {tables:?}");
    }

    let report = store.erase_candidate(victim.candidate_id).unwrap();
    assert_eq!(report.applications, their_apps.len());
    let after = store.find_traces(&ids).unwrap();
    assert!(after.is_empty(), "traces left after erasure: {after:?}");
    assert!(store.current_model().unwrap().unwrap().stale);
    assert!(store.verify_audit().unwrap().is_intact());

    // A sync whose window covers all history does not bring them back.
    let full = SyncOptions { lookback: chrono::Duration::days(36_500), ..sync_options() };
    let again = sync(&client, &mut store, full).await.unwrap();
    assert!(again.resources.iter().map(|r| r.tombstoned).sum::<u64>() > 0);
    let after_sync = store.find_traces(&ids).unwrap();
    assert!(after_sync.is_empty(), "the sync brought back: {after_sync:?}");
    // And the next run retrains without them and pushes nothing for them.
    let next = run(&client, &mut store, &run_options("run")).await.unwrap();
    assert!(next.trained.is_some());
    assert!(store.find_traces(&ids).unwrap().is_empty());
    sim.shutdown().await.unwrap();
}
