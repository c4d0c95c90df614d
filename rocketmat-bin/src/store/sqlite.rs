//! The embedded SQLite implementation of [`Store`].

use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};

use super::{
    Checkpoint, ErasureReport, PageOutcome, PushResult, RecordKind, ScoreRow, Store, StoreError,
    StoreResult, StoredModel, StoredRecord, SyncPage, SyncWindow, TableCounts, migrations,
};
use crate::audit::{
    self, AuditEntry, AuditEvent, AuditVerdict, GENESIS_HASH, NewAuditEntry, sha256_hex,
};

/// A store in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn parse_ts(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

/// SQLite stores integers as i64; Greenhouse ids fit (they are far below 2^63).
fn sql_id(id: u64) -> i64 {
    i64::try_from(id).unwrap_or(i64::MAX)
}

fn opt_id(id: Option<u64>) -> Option<i64> {
    id.map(sql_id)
}

fn from_sql_id(v: Option<i64>) -> Option<u64> {
    v.and_then(|v| u64::try_from(v).ok())
}

/// The tombstone digest of a candidate or application id: recomputable from the id (so a
/// later sync recognises it) without storing the id itself.
pub(crate) fn tombstone_digest(kind: &str, id: u64) -> String {
    sha256_hex(format!("rocketmat-tombstone:{kind}:{id}").as_bytes())
}

fn is_corruption(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
    )
}

impl SqliteStore {
    /// Opens (creating if needed) the store at `path` and migrates its schema. The file is
    /// created readable by its owner only.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when the file is not a readable store, [`StoreError::TooNew`]
    /// for a newer schema, [`StoreError::Io`] when the directory cannot be made.
    pub fn open(path: &Path) -> StoreResult<Self> {
        let shown = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| StoreError::Io { path: dir.display().to_string(), source })?;
        }
        let existed = path.exists();
        let corrupt = |source| StoreError::Corrupt { path: shown.clone(), source };
        let conn = Connection::open(path)
            .map_err(|e| if is_corruption(&e) { corrupt(e) } else { StoreError::Sqlite(e) })?;
        if !existed {
            restrict_permissions(path)
                .map_err(|source| StoreError::Io { path: shown.clone(), source })?;
        }
        let mut store = Self { conn };
        store.init().map_err(|e| match e {
            StoreError::Sqlite(e) if is_corruption(&e) => corrupt(e),
            other => other,
        })?;
        Ok(store)
    }

    /// Opens a private in-memory store (tests, dry runs).
    ///
    /// # Errors
    /// A SQLite failure.
    ///
    /// # Examples
    /// ```
    /// use rocketmat::store::{SqliteStore, Store};
    ///
    /// let mut store = SqliteStore::open_in_memory()?;
    /// let report = store.erase_candidate(42)?;
    /// assert_eq!(report.applications, 0);
    /// assert!(store.is_tombstoned(42)?);
    /// // The erasure itself is logged, and the chain verifies.
    /// let verdict = store.verify_audit()?;
    /// assert!(verdict.is_intact());
    /// assert_eq!(verdict.entries, 1);
    /// # Ok::<(), rocketmat::store::StoreError>(())
    /// ```
    pub fn open_in_memory() -> StoreResult<Self> {
        let mut store = Self { conn: Connection::open_in_memory()? };
        store.init()?;
        Ok(store)
    }

    fn init(&mut self) -> StoreResult<()> {
        // WAL keeps readers off the writer's back; `synchronous=NORMAL` is durable at every
        // commit boundary in WAL mode, which is the unit the store promises.
        self.conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        )?;
        migrations::migrate(&mut self.conn)
    }

    /// The raw connection, for tests that inspect or tamper with the file.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Finds every place an id still appears: every column of every table, as an integer
    /// equal to the id or as text or bytes containing it as a whole number. Used to prove an
    /// erasure left no trace.
    ///
    /// # Errors
    /// A query failure.
    pub fn find_traces(&self, ids: &[u64]) -> StoreResult<Vec<Trace>> {
        let tables: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut traces = Vec::new();
        for table in tables {
            let mut stmt = self.conn.prepare(&format!("SELECT * FROM \"{table}\""))?;
            let columns: Vec<String> = stmt.column_names().into_iter().map(str::to_owned).collect();
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for (i, column) in columns.iter().enumerate() {
                    let hit = match row.get_ref(i)? {
                        rusqlite::types::ValueRef::Integer(v) => {
                            ids.iter().copied().find(|id| sql_id(*id) == v)
                        }
                        rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                            ids.iter().copied().find(|id| contains_number(b, *id))
                        }
                        _ => None,
                    };
                    if let Some(id) = hit {
                        traces.push(Trace { table: table.clone(), column: column.clone(), id });
                    }
                }
            }
        }
        Ok(traces)
    }

    /// Runs SQLite's integrity check.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`]-like failures surface as SQLite errors.
    pub fn integrity_ok(&self) -> StoreResult<bool> {
        let r: String = self.conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
        Ok(r == "ok")
    }
}

/// Where an id was found by [`SqliteStore::find_traces`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    /// The table.
    pub table: String,
    /// The column.
    pub column: String,
    /// The id found.
    pub id: u64,
}

/// Whether `haystack` holds `id` as a whole decimal number (not as part of a longer one).
fn contains_number(haystack: &[u8], id: u64) -> bool {
    let needle = id.to_string();
    let needle = needle.as_bytes();
    haystack.windows(needle.len()).enumerate().any(|(i, w)| {
        w == needle
            && (i == 0 || !haystack[i - 1].is_ascii_digit())
            && haystack.get(i + needle.len()).is_none_or(|c| !c.is_ascii_digit())
    })
}

#[cfg(unix)]
fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
}

#[cfg(not(unix))]
fn restrict_permissions(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

fn write_checkpoint(tx: &Transaction<'_>, resource: &str, cp: &Checkpoint) -> StoreResult<()> {
    let (start, end, next, pages) = match &cp.window {
        Some(w) => (
            w.start.map(ts),
            Some(ts(w.end)),
            w.next_url.clone(),
            i64::try_from(w.pages).unwrap_or(i64::MAX),
        ),
        None => (None, None, None, 0),
    };
    tx.execute(
        "INSERT INTO sync_checkpoints (resource, synced_through, window_start, window_end,
            next_url, pages) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT(resource) DO UPDATE SET synced_through = excluded.synced_through,
            window_start = excluded.window_start, window_end = excluded.window_end,
            next_url = excluded.next_url, pages = excluded.pages",
        params![resource, cp.synced_through.map(ts), start, end, next, pages],
    )?;
    Ok(())
}

fn score_from_row(r: &Row<'_>) -> rusqlite::Result<(ScoreRow, String)> {
    let scored_at: String = r.get(8)?;
    let explanation: String = r.get(6)?;
    Ok((
        ScoreRow {
            application_id: from_sql_id(r.get(0)?).unwrap_or_default(),
            candidate_id: from_sql_id(r.get(1)?).unwrap_or_default(),
            job_id: from_sql_id(r.get(2)?).unwrap_or_default(),
            model_version: r.get(3)?,
            rating: u8::try_from(r.get::<_, i64>(4)?).unwrap_or(u8::MAX),
            feature_hash: r.get(5)?,
            explanation: serde_json::Value::Null,
            explanation_hash: r.get(7)?,
            scored_at: parse_ts(&scored_at).unwrap_or_default(),
        },
        explanation,
    ))
}

const SCORE_COLUMNS: &str = "s.application_id, s.candidate_id, s.job_id, s.model_version, \
    s.rating, s.feature_hash, s.explanation, s.explanation_hash, s.scored_at";

fn decode_scores(rows: Vec<(ScoreRow, String)>) -> StoreResult<Vec<ScoreRow>> {
    rows.into_iter()
        .map(|(mut s, text)| {
            s.explanation = serde_json::from_str(&text)
                .map_err(|source| StoreError::Decode { what: "explanation", source })?;
            Ok(s)
        })
        .collect()
}

fn audit_from_row(r: &Row<'_>) -> rusqlite::Result<AuditEntry> {
    let at: String = r.get(12)?;
    Ok(AuditEntry {
        seq: r.get(0)?,
        event: r.get(1)?,
        trigger: r.get(2)?,
        application_id: from_sql_id(r.get(3)?),
        subject_salt: r.get(4)?,
        subject_commit: r.get(5)?,
        job_id: from_sql_id(r.get(6)?),
        model_version: r.get(7)?,
        feature_hash: r.get(8)?,
        rating: r.get::<_, Option<i64>>(9)?.and_then(|v| u8::try_from(v).ok()),
        explanation_hash: r.get(10)?,
        answer: r.get(11)?,
        // An unparseable time cannot match its hash, so verification reports it.
        at: parse_ts(&at).unwrap_or_default(),
        prev_hash: r.get(13)?,
        hash: r.get(14)?,
    })
}

fn append_audit_tx(tx: &Transaction<'_>, new: &NewAuditEntry) -> StoreResult<AuditEntry> {
    let last: Option<(i64, String)> = tx
        .query_row("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, GENESIS_HASH.to_owned()),
    };
    let salt = new.application_id.map(|_| audit::new_salt());
    let commit = match (new.application_id, &salt) {
        (Some(id), Some(salt)) => Some(audit::subject_commit(salt, id)),
        _ => None,
    };
    let mut entry = AuditEntry {
        seq,
        event: new.event.unwrap_or(AuditEvent::Push).as_str().to_owned(),
        trigger: new.trigger.clone(),
        application_id: new.application_id,
        subject_salt: salt,
        subject_commit: commit,
        job_id: new.job_id,
        model_version: new.model_version,
        feature_hash: new.feature_hash.clone(),
        rating: new.rating,
        explanation_hash: new.explanation_hash.clone(),
        answer: new.answer.clone(),
        // Truncated to what the stored text keeps, so the hash recomputes from the file.
        at: parse_ts(&ts(Utc::now())).unwrap_or_default(),
        prev_hash,
        hash: String::new(),
    };
    entry.hash = audit::entry_hash(&entry);
    tx.execute(
        "INSERT INTO audit_log (seq, event, trigger_name, application_id, subject_salt,
            subject_commit, job_id, model_version, feature_hash, rating, explanation_hash,
            answer, at, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        params![
            entry.seq,
            entry.event,
            entry.trigger,
            opt_id(entry.application_id),
            entry.subject_salt,
            entry.subject_commit,
            opt_id(entry.job_id),
            entry.model_version,
            entry.feature_hash,
            entry.rating,
            entry.explanation_hash,
            entry.answer,
            ts(entry.at),
            entry.prev_hash,
            entry.hash,
        ],
    )?;
    Ok(entry)
}

impl Store for SqliteStore {
    fn checkpoint(&self, resource: &str) -> StoreResult<Checkpoint> {
        let row = self
            .conn
            .query_row(
                "SELECT synced_through, window_start, window_end, next_url, pages
                 FROM sync_checkpoints WHERE resource = ?1",
                [resource],
                |r| {
                    Ok((
                        r.get::<_, Option<String>>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, Option<String>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        let Some((through, start, end, next_url, pages)) = row else {
            return Ok(Checkpoint::default());
        };
        let window = end.as_deref().and_then(parse_ts).map(|end| SyncWindow {
            start: start.as_deref().and_then(parse_ts),
            end,
            next_url,
            pages: u64::try_from(pages).unwrap_or_default(),
        });
        Ok(Checkpoint { synced_through: through.as_deref().and_then(parse_ts), window })
    }

    fn commit_page(&mut self, page: &SyncPage) -> StoreResult<PageOutcome> {
        let tx = self.conn.transaction()?;
        let mut outcome = PageOutcome::default();
        {
            let mut tomb = tx.prepare_cached("SELECT 1 FROM tombstones WHERE digest = ?1")?;
            let sql = format!(
                "INSERT INTO {} (id, candidate_id, application_id, job_id, updated_at, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(id) DO UPDATE SET candidate_id = excluded.candidate_id,
                   application_id = excluded.application_id, job_id = excluded.job_id,
                   updated_at = excluded.updated_at, data = excluded.data
                 WHERE data IS NOT excluded.data OR candidate_id IS NOT excluded.candidate_id
                   OR application_id IS NOT excluded.application_id
                   OR job_id IS NOT excluded.job_id",
                page.kind.table()
            );
            let mut upsert = tx.prepare_cached(&sql)?;
            for rec in &page.records {
                let erased = match rec.candidate_id {
                    Some(c) => tomb.exists([tombstone_digest("candidate", c)])?,
                    None => false,
                } || match rec.application_id {
                    Some(a) => tomb.exists([tombstone_digest("application", a)])?,
                    None => false,
                } || (rec.kind == RecordKind::Application
                    && tomb.exists([tombstone_digest("application", rec.id)])?);
                if erased {
                    outcome.tombstoned += 1;
                    continue;
                }
                outcome.changed += upsert.execute(params![
                    sql_id(rec.id),
                    opt_id(rec.candidate_id),
                    opt_id(rec.application_id),
                    opt_id(rec.job_id),
                    rec.updated_at.map(ts),
                    rec.data.to_string(),
                ])?;
                outcome.upserted += 1;
            }
        }
        if outcome.changed > 0 {
            // The model learnt from data that has since changed.
            tx.execute("UPDATE model_artifacts SET stale = 1 WHERE stale = 0", [])?;
        }
        write_checkpoint(&tx, &page.resource, &page.checkpoint)?;
        tx.commit()?;
        Ok(outcome)
    }

    fn set_checkpoint(&mut self, resource: &str, checkpoint: &Checkpoint) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        write_checkpoint(&tx, resource, checkpoint)?;
        tx.commit()?;
        Ok(())
    }

    fn finish_sync(&mut self, changed: bool) -> StoreResult<usize> {
        let tx = self.conn.transaction()?;
        let mut removed = 0;
        for kind in [RecordKind::ApplicationStage, RecordKind::RejectionDetail] {
            removed += tx.execute(
                &format!(
                    "DELETE FROM {} WHERE application_id IS NOT NULL
                     AND application_id NOT IN (SELECT id FROM applications)",
                    kind.table()
                ),
                [],
            )?;
        }
        if changed {
            tx.execute("UPDATE model_artifacts SET stale = 1", [])?;
        }
        tx.commit()?;
        Ok(removed)
    }

    fn records(&self, kind: RecordKind) -> StoreResult<Vec<StoredRecord>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, candidate_id, application_id, job_id, updated_at, data FROM {} ORDER BY id",
            kind.table()
        ))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<i64>>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, cand, app, job, updated, data)| {
                Ok(StoredRecord {
                    kind,
                    id: from_sql_id(Some(id)).unwrap_or_default(),
                    candidate_id: from_sql_id(cand),
                    application_id: from_sql_id(app),
                    job_id: from_sql_id(job),
                    updated_at: updated.as_deref().and_then(parse_ts),
                    data: serde_json::from_str(&data)
                        .map_err(|source| StoreError::Decode { what: kind.table(), source })?,
                })
            })
            .collect()
    }

    fn visit_records(
        &self,
        kind: RecordKind,
        f: &mut dyn FnMut(StoredRecord, &str) -> StoreResult<()>,
    ) -> StoreResult<()> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, candidate_id, application_id, job_id, updated_at, data FROM {} ORDER BY id",
            kind.table()
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let updated: Option<String> = r.get(4)?;
            let meta = StoredRecord {
                kind,
                id: from_sql_id(Some(r.get(0)?)).unwrap_or_default(),
                candidate_id: from_sql_id(r.get(1)?),
                application_id: from_sql_id(r.get(2)?),
                job_id: from_sql_id(r.get(3)?),
                updated_at: updated.as_deref().and_then(parse_ts),
                data: serde_json::Value::Null,
            };
            let text: &str = r.get_ref(5)?.as_str().map_err(rusqlite::Error::from)?;
            f(meta, text)?;
        }
        Ok(())
    }

    fn is_tombstoned(&self, candidate_id: u64) -> StoreResult<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM tombstones WHERE digest = ?1")?
            .exists([tombstone_digest("candidate", candidate_id)])?)
    }

    fn save_model(&mut self, artifact: &[u8], metrics: &serde_json::Value) -> StoreResult<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO model_artifacts (created_at, artifact, metrics, stale)
             VALUES (?1, ?2, ?3, 0)",
            params![ts(Utc::now()), artifact, metrics.to_string()],
        )?;
        let version = tx.last_insert_rowid();
        // Older artifacts may hold traces of since-erased candidates (vocabulary, training
        // fingerprint); only the current model is kept.
        tx.execute("DELETE FROM model_artifacts WHERE version < ?1", [version])?;
        tx.commit()?;
        Ok(version)
    }

    fn current_model(&self) -> StoreResult<Option<StoredModel>> {
        let row = self
            .conn
            .query_row(
                "SELECT version, created_at, artifact, metrics, stale FROM model_artifacts
                 ORDER BY version DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Vec<u8>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, bool>(4)?,
                    ))
                },
            )
            .optional()?;
        row.map(|(version, created, artifact, metrics, stale)| {
            Ok(StoredModel {
                version,
                created_at: parse_ts(&created).unwrap_or_default(),
                artifact,
                metrics: serde_json::from_str(&metrics)
                    .map_err(|source| StoreError::Decode { what: "model metrics", source })?,
                stale,
            })
        })
        .transpose()
    }

    fn replace_scores(&mut self, scores: &[ScoreRow]) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM scores", [])?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT INTO scores (application_id, candidate_id, job_id, model_version, rating,
                   feature_hash, explanation, explanation_hash, scored_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            for s in scores {
                ins.execute(params![
                    sql_id(s.application_id),
                    sql_id(s.candidate_id),
                    sql_id(s.job_id),
                    s.model_version,
                    s.rating,
                    s.feature_hash,
                    s.explanation.to_string(),
                    s.explanation_hash,
                    ts(s.scored_at),
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn score(&self, application_id: u64) -> StoreResult<Option<ScoreRow>> {
        let row = self
            .conn
            .query_row(
                &format!("SELECT {SCORE_COLUMNS} FROM scores s WHERE s.application_id = ?1"),
                [sql_id(application_id)],
                score_from_row,
            )
            .optional()?;
        Ok(decode_scores(row.into_iter().collect())?.pop())
    }

    fn scores(&self) -> StoreResult<Vec<ScoreRow>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {SCORE_COLUMNS} FROM scores s ORDER BY s.application_id"))?;
        let rows = stmt.query_map([], score_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        decode_scores(rows)
    }

    fn pending_pushes(&self) -> StoreResult<Vec<ScoreRow>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {SCORE_COLUMNS} FROM scores s
             LEFT JOIN pushed_ratings p ON p.application_id = s.application_id
             WHERE p.rating IS NULL OR p.rating != s.rating ORDER BY s.application_id"
        ))?;
        let rows = stmt.query_map([], score_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        decode_scores(rows)
    }

    fn record_pushes(&mut self, trigger: &str, results: &[PushResult]) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        let now = ts(Utc::now());
        for r in results {
            let s = &r.score;
            if r.accepted {
                tx.execute(
                    "INSERT INTO pushed_ratings (application_id, candidate_id, rating, pushed_at)
                     VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT(application_id) DO UPDATE SET rating = excluded.rating,
                       pushed_at = excluded.pushed_at",
                    params![sql_id(s.application_id), sql_id(s.candidate_id), s.rating, now],
                )?;
            }
            append_audit_tx(
                &tx,
                &NewAuditEntry {
                    event: Some(AuditEvent::Push),
                    trigger: trigger.to_owned(),
                    application_id: Some(s.application_id),
                    job_id: Some(s.job_id),
                    model_version: Some(s.model_version),
                    feature_hash: Some(s.feature_hash.clone()),
                    rating: Some(s.rating),
                    explanation_hash: Some(s.explanation_hash.clone()),
                    answer: r.answer.clone(),
                },
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn erase_candidate(&mut self, candidate_id: u64) -> StoreResult<ErasureReport> {
        let tx = self.conn.transaction()?;
        let cid = sql_id(candidate_id);
        // Every application id known for the candidate, from every table that names both.
        let mut apps: Vec<i64> = Vec::new();
        for sql in [
            "SELECT id FROM applications WHERE candidate_id = ?1",
            "SELECT application_id FROM scores WHERE candidate_id = ?1",
            "SELECT application_id FROM pushed_ratings WHERE candidate_id = ?1",
        ] {
            let mut stmt = tx.prepare(sql)?;
            for id in stmt.query_map([cid], |r| r.get::<_, i64>(0))? {
                let id = id?;
                if !apps.contains(&id) {
                    apps.push(id);
                }
            }
        }
        let mut rows_deleted = 0;
        let mut shredded = 0;
        for kind in RecordKind::ALL {
            rows_deleted += tx
                .execute(&format!("DELETE FROM {} WHERE candidate_id = ?1", kind.table()), [cid])?;
        }
        rows_deleted += tx.execute("DELETE FROM scores WHERE candidate_id = ?1", [cid])?;
        rows_deleted += tx.execute("DELETE FROM pushed_ratings WHERE candidate_id = ?1", [cid])?;
        for &app in &apps {
            for kind in RecordKind::ALL {
                rows_deleted += tx.execute(
                    &format!("DELETE FROM {} WHERE application_id = ?1", kind.table()),
                    [app],
                )?;
            }
            rows_deleted += tx.execute("DELETE FROM applications WHERE id = ?1", [app])?;
            rows_deleted += tx.execute("DELETE FROM scores WHERE application_id = ?1", [app])?;
            rows_deleted +=
                tx.execute("DELETE FROM pushed_ratings WHERE application_id = ?1", [app])?;
            shredded += tx.execute(
                "UPDATE audit_log SET application_id = NULL, subject_salt = NULL
                 WHERE application_id = ?1",
                [app],
            )?;
            let digest = tombstone_digest("application", u64::try_from(app).unwrap_or_default());
            tx.execute(
                "INSERT OR IGNORE INTO tombstones (digest, kind, erased_at) VALUES (?1, ?2, ?3)",
                params![digest, "application", ts(Utc::now())],
            )?;
        }
        tx.execute(
            "INSERT OR IGNORE INTO tombstones (digest, kind, erased_at) VALUES (?1, ?2, ?3)",
            params![tombstone_digest("candidate", candidate_id), "candidate", ts(Utc::now())],
        )?;
        tx.execute("UPDATE model_artifacts SET stale = 1", [])?;
        let report = ErasureReport {
            rows_deleted,
            applications: apps.len(),
            audit_entries_shredded: shredded,
        };
        append_audit_tx(
            &tx,
            &NewAuditEntry {
                event: Some(AuditEvent::Erase),
                trigger: "erase".to_owned(),
                answer: format!(
                    "erased {} rows, {} applications, {} audit subjects shredded",
                    report.rows_deleted, report.applications, report.audit_entries_shredded
                ),
                ..NewAuditEntry::default()
            },
        )?;
        tx.commit()?;
        Ok(report)
    }

    fn append_audit(&mut self, entry: &NewAuditEntry) -> StoreResult<AuditEntry> {
        let tx = self.conn.transaction()?;
        let e = append_audit_tx(&tx, entry)?;
        tx.commit()?;
        Ok(e)
    }

    fn verify_audit(&self) -> StoreResult<AuditVerdict> {
        let mut stmt = self.conn.prepare(
            "SELECT seq, event, trigger_name, application_id, subject_salt, subject_commit,
               job_id, model_version, feature_hash, rating, explanation_hash, answer, at,
               prev_hash, hash FROM audit_log ORDER BY seq",
        )?;
        let entries = stmt.query_map([], audit_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(audit::verify_chain(&entries))
    }

    fn table_counts(&self) -> StoreResult<TableCounts> {
        let names: Vec<String> = self
            .conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        names
            .into_iter()
            .map(|n| {
                let c: i64 =
                    self.conn
                        .query_row(&format!("SELECT COUNT(*) FROM \"{n}\""), [], |r| r.get(0))?;
                Ok((n, c))
            })
            .collect()
    }
}
