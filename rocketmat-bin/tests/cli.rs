//! The `rocketmat` binary on bad input: each case a clear message, a non-zero exit, and
//! nothing lost from the store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use greenhouse_harvest::models::CustomFieldValueType;
use greenhouse_harvest::sim::RunningSimulator;
use rocketmat::commands::score;
use rocketmat::demo::sim_client;
use rocketmat::store::{SqliteStore, Store};
use rocketmat::sync::sync;

fn rocketmat(args: &[&str], store: &Path, sim: Option<&RunningSimulator>, secret: &str) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rocketmat"));
    cmd.args(args)
        .arg("--store")
        .arg(store)
        .env_clear()
        .env("ROCKETMAT_LOG", "warn")
        .env("ROCKETMAT_AUTH_FILE", store.with_extension("auth.json"));
    if let Some(sim) = sim {
        cmd.env("ROCKETMAT_BASE_URL", sim.base_url())
            .env("ROCKETMAT_TOKEN_URL", sim.token_url())
            .env("GREENHOUSE_CLIENT_ID", sim.client_id())
            .env("GREENHOUSE_CLIENT_SECRET", secret)
            .env("GREENHOUSE_USER_ID", sim.admin_user_id().to_string());
    }
    cmd.output().unwrap()
}

async fn run_blocking(
    args: Vec<String>,
    store: std::path::PathBuf,
    sim: &RunningSimulator,
    secret: String,
) -> Output {
    // The binary talks to the simulator served by this runtime, so wait on another thread.
    let (base, token, id, user) =
        (sim.base_url(), sim.token_url(), sim.client_id().to_owned(), sim.admin_user_id());
    tokio::task::spawn_blocking(move || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_rocketmat"));
        cmd.args(&args)
            .arg("--store")
            .arg(&store)
            .env_clear()
            .env("ROCKETMAT_LOG", "warn")
            .env("ROCKETMAT_AUTH_FILE", store.with_extension("auth.json"))
            .env("ROCKETMAT_BASE_URL", base)
            .env("ROCKETMAT_TOKEN_URL", token)
            .env("GREENHOUSE_CLIENT_ID", id)
            .env("GREENHOUSE_CLIENT_SECRET", secret)
            .env("GREENHOUSE_USER_ID", user.to_string());
        cmd.output().unwrap()
    })
    .await
    .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A store with synced data, a model and scores, ready to push.
async fn scored_store(sim: &RunningSimulator, path: &Path) -> usize {
    let client = sim_client(sim).unwrap();
    let mut store = SqliteStore::open(path).unwrap();
    sync(&client, &mut store, sync_options()).await.unwrap();
    rocketmat::commands::train(&mut store, run_options("t").train).unwrap();
    score(&mut store).unwrap();
    store.pending_pushes().unwrap().len()
}

async fn push_with_field(
    edit: impl FnOnce(&mut greenhouse_harvest::models::CustomField),
) -> (Output, usize, usize) {
    let mut company = company(21);
    let field = company.dataset.custom_fields.iter_mut().find(|f| f.name == "Rocketmat").unwrap();
    edit(field);
    let sim = start(company, sim_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let pending = scored_store(&sim, &path).await;
    let out =
        run_blocking(vec!["push".into()], path.clone(), &sim, sim.client_secret().to_owned()).await;
    let after = SqliteStore::open(&path).unwrap().pending_pushes().unwrap().len();
    assert!(sim.writes().is_empty(), "nothing may be written");
    sim.shutdown().await.unwrap();
    (out, pending, after)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_rating_field_is_explained() {
    let (out, pending, after) = push_with_field(|f| f.name = "Something else".into()).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("Rocketmat") && err.contains("Add Field") && err.contains("Number"),
        "{err}"
    );
    assert!(pending > 0);
    assert_eq!(pending, after, "the pending ratings are kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_number_rating_field_is_explained() {
    let (out, pending, after) =
        push_with_field(|f| f.value_type = CustomFieldValueType::ShortText).await;
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("not number") && err.contains("Add Field"), "{err}");
    assert_eq!(pending, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revoked_credentials_fail_cleanly() {
    let sim = start(company(22), sim_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let pending = scored_store(&sim, &path).await;
    let before = content(&SqliteStore::open(&path).unwrap());
    for cmd in ["sync", "push"] {
        let out = run_blocking(vec![cmd.into()], path.clone(), &sim, "revoked".into()).await;
        assert!(!out.status.success(), "{cmd} succeeded with a revoked secret");
        let err = stderr(&out);
        assert!(err.contains("authentication failed"), "{cmd}: {err}");
        assert!(!err.contains("revoked"), "the secret must not be printed: {err}");
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(content(&store), before);
    assert_eq!(store.pending_pushes().unwrap().len(), pending);
    sim.shutdown().await.unwrap();
}

#[test]
fn corrupt_store_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let garbage = b"definitely not SQLite ".repeat(200);
    std::fs::write(&path, &garbage).unwrap();
    for args in [&["verify-audit"][..], &["explain", "--application", "1"], &["score"]] {
        let out = rocketmat(args, &path, None, "");
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(err.contains("corrupt"), "{args:?}: {err}");
    }
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn unknown_application_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let out = rocketmat(&["explain", "--application", "424242"], &path, None, "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no rating is stored for application 424242"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_audit_finds_an_edited_entry() {
    let sim = start(company(23), sim_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    {
        let client = sim_client(&sim).unwrap();
        let mut store = SqliteStore::open(&path).unwrap();
        rocketmat::pipeline::run(&client, &mut store, &run_options("run")).await.unwrap();
        assert!(store.verify_audit().unwrap().entries > 3);
    }
    sim.shutdown().await.unwrap();
    let ok = rocketmat(&["verify-audit"], &path, None, "");
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(String::from_utf8_lossy(&ok.stdout).contains("intact"));

    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("DROP TRIGGER audit_log_no_update").unwrap();
    conn.execute("UPDATE audit_log SET rating = (rating + 1) % 101 WHERE seq = 3", []).unwrap();
    drop(conn);
    let broken = rocketmat(&["verify-audit", "--json"], &path, None, "");
    assert!(!broken.status.success());
    assert!(stderr(&broken).contains("broken at entry 3"), "{}", stderr(&broken));
    let verdict: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    assert_eq!(verdict["broken"]["seq"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_authorization_is_kept_private_and_used() {
    let sim = start(company(24), sim_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let auth_file = path.with_extension("auth.json");
    let redirect = "http://127.0.0.1/callback";
    let code = sim.authorization_code(sim.admin_user_id(), Some(redirect));
    let (base, token, id, secret) = (
        sim.base_url(),
        sim.token_url(),
        sim.client_id().to_owned(),
        sim.client_secret().to_owned(),
    );
    let out = tokio::task::spawn_blocking(move || {
        let cmd = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_rocketmat"))
                .args(args)
                .arg("--store")
                .arg(&path)
                .env_clear()
                .env("ROCKETMAT_LOG", "warn")
                .env("ROCKETMAT_AUTH_FILE", &auth_file)
                .env("ROCKETMAT_BASE_URL", &base)
                .env("ROCKETMAT_TOKEN_URL", &token)
                .env("GREENHOUSE_CLIENT_ID", &id)
                .env("GREENHOUSE_CLIENT_SECRET", &secret)
                .output()
                .unwrap()
        };
        let authorized = cmd(&["authorize", "--code", &code, "--redirect-uri", redirect]);
        assert!(authorized.status.success(), "{}", stderr(&authorized));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&auth_file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // No user id: the sync runs on the stored (and rotated) refresh token.
        cmd(&["sync", "--json"])
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        report["resources"].as_array().unwrap().iter().any(|r| r["records"].as_u64() > Some(0))
    );
    sim.shutdown().await.unwrap();
}
