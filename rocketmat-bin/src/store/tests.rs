//! Store unit tests: pages and checkpoints, pushes, erasure (scanning every table), audit
//! tamper detection, corrupt files.

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::audit::sha256_hex;

fn rec(
    kind: RecordKind,
    id: u64,
    candidate: Option<u64>,
    application: Option<u64>,
    job: Option<u64>,
) -> StoredRecord {
    StoredRecord {
        kind,
        id,
        candidate_id: candidate,
        application_id: application,
        job_id: job,
        updated_at: Some(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
        data: json!({"id": id, "candidate_id": candidate, "application_id": application}),
    }
}

fn page(kind: RecordKind, records: Vec<StoredRecord>) -> SyncPage {
    SyncPage { kind, resource: kind.table().to_owned(), records, checkpoint: Checkpoint::default() }
}

fn score(app: u64, cand: u64, rating: u8) -> ScoreRow {
    let explanation = json!({"summary": "matches 3 of 4 requirements", "application": app});
    ScoreRow {
        application_id: app,
        candidate_id: cand,
        job_id: 900_001,
        model_version: 1,
        rating,
        feature_hash: sha256_hex(format!("features {app}").as_bytes()),
        explanation_hash: sha256_hex(explanation.to_string().as_bytes()),
        explanation,
        scored_at: Utc::now(),
    }
}

/// Two candidates with an application each, every record kind filled, scored, pushed.
fn populated() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    s.commit_page(&page(RecordKind::Job, vec![rec(RecordKind::Job, 900_001, None, None, None)]))
        .unwrap();
    for (cand, app) in [(500_001, 700_001), (500_002, 700_002)] {
        s.commit_page(&page(
            RecordKind::Application,
            vec![rec(RecordKind::Application, app, Some(cand), None, Some(900_001))],
        ))
        .unwrap();
        for (kind, id) in [
            (RecordKind::ApplicationStage, app + 10_000),
            (RecordKind::RejectionDetail, app + 20_000),
        ] {
            s.commit_page(&page(kind, vec![rec(kind, id, None, Some(app), None)])).unwrap();
        }
        for (kind, id) in [
            (RecordKind::Education, cand + 10_000),
            (RecordKind::Employment, cand + 20_000),
            (RecordKind::AppliedTag, cand + 30_000),
        ] {
            s.commit_page(&page(kind, vec![rec(kind, id, Some(cand), None, None)])).unwrap();
        }
    }
    s.save_model(b"artifact", &json!({"auc": 0.8})).unwrap();
    s.replace_scores(&[score(700_001, 500_001, 80), score(700_002, 500_002, 40)]).unwrap();
    let pending = s.pending_pushes().unwrap();
    let results: Vec<_> = pending
        .into_iter()
        .map(|score| PushResult { score, accepted: true, answer: "200".into() })
        .collect();
    s.record_pushes("push", &results).unwrap();
    s
}

#[test]
fn schema_migrates_once_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/store.db");
    {
        let mut s = SqliteStore::open(&path).unwrap();
        s.commit_page(&page(RecordKind::Job, vec![rec(RecordKind::Job, 1, None, None, None)]))
            .unwrap();
    }
    let s = SqliteStore::open(&path).unwrap();
    let versions: i64 =
        s.connection().query_row("SELECT COUNT(*) FROM schema_version", [], |r| r.get(0)).unwrap();
    assert_eq!(versions, migrations::latest());
    assert_eq!(s.records(RecordKind::Job).unwrap().len(), 1);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute("INSERT INTO schema_version (version) VALUES (999)", []).unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::TooNew { found: 999, .. }), "{err:?}");
}

#[test]
fn corrupt_file_is_a_clear_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let garbage =
        b"this is not a database, just some bytes that look nothing like SQLite".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("corrupt"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage, "the file must not be touched");
}

#[test]
fn page_upserts_and_checkpoint_round_trips() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let end = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
    let cp = Checkpoint {
        synced_through: Some(Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap()),
        window: Some(SyncWindow {
            start: Some(Utc.with_ymd_and_hms(2026, 1, 31, 23, 0, 0).unwrap()),
            end,
            next_url: Some("http://127.0.0.1:1/v3/jobs?cursor=abc".into()),
            pages: 3,
        }),
    };
    let mut p = page(RecordKind::Job, vec![rec(RecordKind::Job, 1, None, None, None)]);
    p.checkpoint = cp.clone();
    assert_eq!(s.commit_page(&p).unwrap().changed, 1);
    // The same record again changes nothing; an edited one is an update, not a duplicate.
    let same =
        s.commit_page(&page(RecordKind::Job, vec![rec(RecordKind::Job, 1, None, None, None)]));
    assert_eq!(same.unwrap(), PageOutcome { upserted: 1, changed: 0, tombstoned: 0 });
    let mut again = rec(RecordKind::Job, 1, None, None, None);
    again.data = json!({"title_changed": true});
    s.commit_page(&page(RecordKind::Job, vec![again.clone()])).unwrap();
    let jobs = s.records(RecordKind::Job).unwrap();
    assert_eq!(jobs, vec![again]);
    assert_eq!(s.checkpoint("jobs").unwrap(), Checkpoint::default());
    s.set_checkpoint("jobs", &cp).unwrap();
    assert_eq!(s.checkpoint("jobs").unwrap(), cp);
    assert_eq!(s.checkpoint("sources").unwrap(), Checkpoint::default());
}

#[test]
fn only_changed_ratings_are_pending_and_failures_stay_pending() {
    let mut s = populated();
    assert!(s.pending_pushes().unwrap().is_empty());
    s.replace_scores(&[score(700_001, 500_001, 81), score(700_002, 500_002, 40)]).unwrap();
    let pending = s.pending_pushes().unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].application_id, 700_001);
    s.record_pushes(
        "push",
        &[PushResult { score: pending[0].clone(), accepted: false, answer: "error 500".into() }],
    )
    .unwrap();
    assert_eq!(s.pending_pushes().unwrap().len(), 1, "a failed write stays pending");
    assert!(s.verify_audit().unwrap().is_intact());
    assert_eq!(s.verify_audit().unwrap().entries, 3);
}

#[test]
fn erasure_leaves_no_trace_in_any_table() {
    let mut s = populated();
    let ids = [500_001, 700_001];
    let before = s.find_traces(&ids).unwrap();
    // The scan must see the candidate everywhere it was stored, or it proves nothing.
    for table in [
        "applications",
        "application_stages",
        "rejection_details",
        "candidate_educations",
        "candidate_employments",
        "applied_candidate_tags",
        "scores",
        "pushed_ratings",
        "audit_log",
    ] {
        assert!(before.iter().any(|t| t.table == table), "scan missed {table}: {before:?}");
    }
    let report = s.erase_candidate(500_001).unwrap();
    assert_eq!(report.applications, 1);
    assert_eq!(report.audit_entries_shredded, 1);
    let after = s.find_traces(&ids).unwrap();
    assert!(after.is_empty(), "traces left: {after:?}");
    // The other candidate is untouched.
    assert!(!s.find_traces(&[500_002, 700_002]).unwrap().is_empty());
    assert_eq!(s.scores().unwrap().len(), 1);
    // The model is marked for retraining, the chain still verifies, the erasure is logged.
    assert!(s.current_model().unwrap().unwrap().stale);
    let verdict = s.verify_audit().unwrap();
    assert!(verdict.is_intact(), "{verdict:?}");
    let event: String = s
        .connection()
        .query_row("SELECT event FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(event, "erase");
}

#[test]
fn tombstones_keep_erased_records_out() {
    let mut s = populated();
    s.erase_candidate(500_001).unwrap();
    assert!(s.is_tombstoned(500_001).unwrap());
    assert!(!s.is_tombstoned(500_002).unwrap());
    let outcome = s
        .commit_page(&page(
            RecordKind::Application,
            vec![
                rec(RecordKind::Application, 700_001, Some(500_001), None, Some(900_001)),
                rec(RecordKind::Application, 700_003, Some(500_001), None, Some(900_001)),
            ],
        ))
        .unwrap();
    assert_eq!(outcome, PageOutcome { upserted: 0, changed: 0, tombstoned: 2 });
    let stage = rec(RecordKind::ApplicationStage, 710_001, None, Some(700_001), None);
    let outcome = s.commit_page(&page(RecordKind::ApplicationStage, vec![stage])).unwrap();
    assert_eq!(outcome.tombstoned, 1);
    assert!(s.find_traces(&[500_001, 700_001]).unwrap().is_empty());
}

#[test]
fn orphan_children_are_dropped_at_sync_end() {
    let mut s = populated();
    let orphan = rec(RecordKind::ApplicationStage, 1, None, Some(123_456_789), None);
    s.commit_page(&page(RecordKind::ApplicationStage, vec![orphan])).unwrap();
    assert_eq!(s.finish_sync(false).unwrap(), 1);
}

#[test]
fn changed_pages_mark_the_model_stale_and_unchanged_ones_do_not() {
    let mut s = populated();
    let job = rec(RecordKind::Job, 900_001, None, None, None);
    s.commit_page(&page(RecordKind::Job, vec![job.clone()])).unwrap();
    assert!(!s.current_model().unwrap().unwrap().stale);
    let mut edited = job;
    edited.data = json!({"title": "changed"});
    s.commit_page(&page(RecordKind::Job, vec![edited])).unwrap();
    assert!(s.current_model().unwrap().unwrap().stale);
}

#[test]
fn saving_a_model_keeps_only_the_newest() {
    let mut s = populated();
    let v2 = s.save_model(b"second", &json!({"auc": 0.9})).unwrap();
    let m = s.current_model().unwrap().unwrap();
    assert_eq!((m.version, m.artifact.as_slice(), m.stale), (v2, &b"second"[..], false));
    let n: i64 =
        s.connection().query_row("SELECT COUNT(*) FROM model_artifacts", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
}

#[test]
fn audit_log_refuses_edits_through_sql() {
    let s = populated();
    let c = s.connection();
    assert!(c.execute("DELETE FROM audit_log WHERE seq = 1", []).is_err());
    assert!(c.execute("UPDATE audit_log SET rating = 1 WHERE seq = 1", []).is_err());
    assert!(c.execute("UPDATE audit_log SET application_id = 5 WHERE seq = 1", []).is_err());
}

#[test]
fn audit_tampering_is_located() {
    let mut s = populated();
    for _ in 0..3 {
        s.append_audit(&NewAuditEntry {
            event: Some(crate::audit::AuditEvent::DryRun),
            trigger: "push".into(),
            application_id: Some(700_002),
            job_id: Some(900_001),
            rating: Some(10),
            answer: "dry-run".into(),
            ..NewAuditEntry::default()
        })
        .unwrap();
    }
    assert!(s.verify_audit().unwrap().is_intact());
    // Someone with the file drops the guard and rewrites a rating.
    let c = s.connection();
    c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;").unwrap();
    c.execute("UPDATE audit_log SET rating = 99 WHERE seq = 3", []).unwrap();
    let v = s.verify_audit().unwrap();
    assert_eq!(v.broken.as_ref().unwrap().seq, 3, "{v:?}");
    c.execute("UPDATE audit_log SET rating = 10 WHERE seq = 3", []).unwrap();
    assert!(s.verify_audit().unwrap().is_intact());
    // Deleting an entry in the middle breaks the chain at the gap.
    c.execute("DELETE FROM audit_log WHERE seq = 2", []).unwrap();
    assert_eq!(s.verify_audit().unwrap().broken.unwrap().seq, 3);
}

#[test]
fn table_counts_cover_every_table() {
    let s = populated();
    let counts = s.table_counts().unwrap();
    for kind in RecordKind::ALL {
        assert!(counts.iter().any(|(t, _)| t == kind.table()), "{kind:?}");
    }
    let apps = counts.iter().find(|(t, _)| t == "applications").unwrap().1;
    assert_eq!(apps, 2);
}
