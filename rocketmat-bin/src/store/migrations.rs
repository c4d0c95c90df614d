//! Schema migrations: an ordered list of SQL scripts and a `schema_version` table.
//!
//! Each script runs once, in its own transaction together with the version bump, so a crash
//! mid-migration leaves the previous schema intact. Scripts are append-only: a released one is
//! never edited, a change is a new script.

use std::fmt::Write as _;

use rusqlite::Connection;

use super::{RecordKind, StoreError, StoreResult};

/// The record tables share one shape: the ids used for joins and erasure, and the minimised
/// record as JSON.
fn record_tables() -> String {
    let mut sql = String::new();
    for kind in RecordKind::ALL {
        let t = kind.table();
        // Writing to a String cannot fail.
        let _ = write!(
            sql,
            "CREATE TABLE {t} (
                id INTEGER PRIMARY KEY,
                candidate_id INTEGER,
                application_id INTEGER,
                job_id INTEGER,
                updated_at TEXT,
                data TEXT NOT NULL
            );
            CREATE INDEX {t}_candidate ON {t}(candidate_id);
            CREATE INDEX {t}_application ON {t}(application_id);\n"
        );
    }
    sql
}

const V1_REST: &str = "
CREATE TABLE sync_checkpoints (
    resource TEXT PRIMARY KEY,
    synced_through TEXT,
    window_start TEXT,
    window_end TEXT,
    next_url TEXT,
    pages INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tombstones (
    digest TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    erased_at TEXT NOT NULL
);
CREATE TABLE model_artifacts (
    version INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    artifact BLOB NOT NULL,
    metrics TEXT NOT NULL,
    stale INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE scores (
    application_id INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    model_version INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    feature_hash TEXT NOT NULL,
    explanation TEXT NOT NULL,
    explanation_hash TEXT NOT NULL,
    scored_at TEXT NOT NULL
);
CREATE INDEX scores_candidate ON scores(candidate_id);
CREATE TABLE pushed_ratings (
    application_id INTEGER PRIMARY KEY,
    candidate_id INTEGER NOT NULL,
    rating INTEGER NOT NULL,
    pushed_at TEXT NOT NULL
);
CREATE INDEX pushed_candidate ON pushed_ratings(candidate_id);
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    event TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    application_id INTEGER,
    subject_salt TEXT,
    subject_commit TEXT,
    job_id INTEGER,
    model_version INTEGER,
    feature_hash TEXT,
    rating INTEGER,
    explanation_hash TEXT,
    answer TEXT NOT NULL,
    at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_application ON audit_log(application_id);
-- Append-only: no deletes, and the only update allowed is shredding an erased subject.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NEW.application_id IS NOT NULL OR NEW.subject_salt IS NOT NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.event IS NOT OLD.event
  OR NEW.trigger_name IS NOT OLD.trigger_name OR NEW.subject_commit IS NOT OLD.subject_commit
  OR NEW.job_id IS NOT OLD.job_id OR NEW.model_version IS NOT OLD.model_version
  OR NEW.feature_hash IS NOT OLD.feature_hash OR NEW.rating IS NOT OLD.rating
  OR NEW.explanation_hash IS NOT OLD.explanation_hash OR NEW.answer IS NOT OLD.answer
  OR NEW.at IS NOT OLD.at OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
";

/// The migrations, in order; index + 1 is the version.
fn migrations() -> Vec<String> {
    vec![format!("{}{V1_REST}", record_tables())]
}

/// The newest schema version this build knows.
pub(super) fn latest() -> i64 {
    i64::try_from(migrations().len()).unwrap_or(i64::MAX)
}

/// Brings the schema up to date.
pub(super) fn migrate(conn: &mut Connection) -> StoreResult<()> {
    conn.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let current: i64 =
        conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_version", [], |r| r.get(0))?;
    let supported = latest();
    if current > supported {
        return Err(StoreError::TooNew { found: current, supported });
    }
    for (i, script) in migrations().iter().enumerate() {
        let version = i64::try_from(i).unwrap_or(i64::MAX) + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(script)?;
        tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [version])?;
        tx.commit()?;
        tracing::info!(version, "store schema migrated");
    }
    Ok(())
}
