//! The local store: pseudonymised, minimised Greenhouse records, sync checkpoints, model
//! artifacts, scores, push state and the hash-chained audit log.
//!
//! [`Store`] is the seam a server database would plug into; [`SqliteStore`] is the embedded
//! implementation that needs nothing installed. Every mutating method is one transaction: a
//! sync page, a training run, a scoring run, a push batch or an erasure is either fully in the
//! store or not at all, so a crash never leaves partial state.
//!
//! What goes in is already minimised by the mapping layer (no names, e-mails, phones,
//! addresses or social profiles). The store itself still treats every candidate id and
//! application id as personal data: [`Store::erase_candidate`] removes them from every table
//! and crypto-shreds them from the audit log (see [`crate::audit`]).

mod migrations;
mod sqlite;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use sqlite::{SqliteStore, Trace};

#[cfg(test)]
mod tests;

use crate::audit::{AuditEntry, AuditVerdict, NewAuditEntry};

/// Errors from the store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The file exists but is not a readable store (not SQLite, truncated, damaged).
    #[error(
        "store file {path} is corrupt or not a rocketmat store; move it aside and run `sync` \
         again to rebuild it"
    )]
    Corrupt {
        /// The file that failed.
        path: String,
        /// What SQLite said.
        #[source]
        source: rusqlite::Error,
    },
    /// The store was written by a newer rocketmat with a schema this build does not know.
    #[error("store schema version {found} is newer than this build supports ({supported})")]
    TooNew {
        /// The version found in the file.
        found: i64,
        /// The newest version this build can read.
        supported: i64,
    },
    /// The parent directory or file could not be prepared.
    #[error("cannot prepare store at {path}")]
    Io {
        /// The path involved.
        path: String,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A stored JSON document did not decode (the store was edited by hand or is damaged).
    #[error("stored {what} does not decode")]
    Decode {
        /// Which kind of record.
        what: &'static str,
        /// The serde error.
        #[source]
        source: serde_json::Error,
    },
    /// Any other SQLite failure.
    #[error("store query failed")]
    Sqlite(#[from] rusqlite::Error),
}

/// Result alias for store operations.
pub type StoreResult<T> = Result<T, StoreError>;

/// The kinds of synced records, one table each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// Jobs (requisitions).
    Job,
    /// Job posts, reduced to their requirement text.
    JobPost,
    /// A job's interview stages (the pipeline).
    JobStage,
    /// Application sources.
    Source,
    /// The company's rejection reasons.
    RejectionReason,
    /// The company's candidate tag catalogue.
    CandidateTag,
    /// Degree and discipline options (the lists candidate educations point into).
    EducationOption,
    /// Applications.
    Application,
    /// Application stage history.
    ApplicationStage,
    /// Rejection details of applications.
    RejectionDetail,
    /// Candidate educations (school and degree level, no free text).
    Education,
    /// Candidate employments (titles and dates, no employer contact data).
    Employment,
    /// Tags applied to candidates.
    AppliedTag,
}

impl RecordKind {
    /// Every kind, in the order a sync pulls them (parents before children).
    pub const ALL: [RecordKind; 13] = [
        RecordKind::Job,
        RecordKind::JobPost,
        RecordKind::JobStage,
        RecordKind::Source,
        RecordKind::RejectionReason,
        RecordKind::CandidateTag,
        RecordKind::EducationOption,
        RecordKind::Application,
        RecordKind::ApplicationStage,
        RecordKind::RejectionDetail,
        RecordKind::Education,
        RecordKind::Employment,
        RecordKind::AppliedTag,
    ];

    /// The table holding this kind.
    pub fn table(self) -> &'static str {
        match self {
            RecordKind::Job => "jobs",
            RecordKind::JobPost => "job_posts",
            RecordKind::JobStage => "job_stages",
            RecordKind::Source => "sources",
            RecordKind::RejectionReason => "rejection_reasons",
            RecordKind::CandidateTag => "candidate_tags",
            RecordKind::EducationOption => "education_options",
            RecordKind::Application => "applications",
            RecordKind::ApplicationStage => "application_stages",
            RecordKind::RejectionDetail => "rejection_details",
            RecordKind::Education => "candidate_educations",
            RecordKind::Employment => "candidate_employments",
            RecordKind::AppliedTag => "applied_candidate_tags",
        }
    }
}

/// One minimised record ready to store. `data` is the JSON of the mapping layer's type.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRecord {
    /// Which table.
    pub kind: RecordKind,
    /// Greenhouse id of the record.
    pub id: u64,
    /// The candidate it belongs to, when it belongs to one (used for erasure and tombstones).
    pub candidate_id: Option<u64>,
    /// The application it belongs to, when it belongs to one.
    pub application_id: Option<u64>,
    /// The job it belongs to, when it belongs to one.
    pub job_id: Option<u64>,
    /// Greenhouse's `updated_at`.
    pub updated_at: Option<DateTime<Utc>>,
    /// The minimised record as JSON.
    pub data: serde_json::Value,
}

/// Where a resource's sync stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checkpoint {
    /// Everything updated up to this instant has been pulled (end of the last finished window).
    pub synced_through: Option<DateTime<Utc>>,
    /// The window being pulled, when a sync is in progress.
    pub window: Option<SyncWindow>,
}

/// An `updated_at` window in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncWindow {
    /// Lower bound (inclusive), already moved back by the lookback.
    pub start: Option<DateTime<Utc>>,
    /// Upper bound (inclusive).
    pub end: DateTime<Utc>,
    /// The next page's URL exactly as Greenhouse gave it, when pages remain.
    pub next_url: Option<String>,
    /// Pages committed in this window so far.
    pub pages: u64,
}

/// One page of a sync, committed in one transaction together with its checkpoint.
#[derive(Debug, Clone)]
pub struct SyncPage {
    /// The table the records go to.
    pub kind: RecordKind,
    /// The checkpoint's resource name.
    pub resource: String,
    /// The records on the page.
    pub records: Vec<StoredRecord>,
    /// The checkpoint after this page.
    pub checkpoint: Checkpoint,
}

/// What committing a page did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageOutcome {
    /// Records inserted or updated.
    pub upserted: usize,
    /// Of those, records that were new or differed from the stored row.
    pub changed: usize,
    /// Records skipped because their candidate or application was erased.
    pub tombstoned: usize,
}

/// A saved model artifact.
#[derive(Debug, Clone)]
pub struct StoredModel {
    /// Monotonic version assigned by the store.
    pub version: i64,
    /// When it was saved.
    pub created_at: DateTime<Utc>,
    /// The serialised artifact.
    pub artifact: Vec<u8>,
    /// The evaluation, as JSON.
    pub metrics: serde_json::Value,
    /// Set when data it was trained on changed or was erased.
    pub stale: bool,
}

/// A rating with its explanation, as produced by a scoring run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreRow {
    /// The application rated.
    pub application_id: u64,
    /// Its candidate (kept for erasure only).
    pub candidate_id: u64,
    /// Its job.
    pub job_id: u64,
    /// The model version that rated it.
    pub model_version: i64,
    /// Rating 0..=100.
    pub rating: u8,
    /// SHA-256 of the feature vector.
    pub feature_hash: String,
    /// The explanation as JSON.
    pub explanation: serde_json::Value,
    /// SHA-256 of the explanation JSON.
    pub explanation_hash: String,
    /// When it was scored.
    pub scored_at: DateTime<Utc>,
}

/// The result of writing one rating to Greenhouse.
#[derive(Debug, Clone, PartialEq)]
pub struct PushResult {
    /// The score that was (or was to be) written.
    pub score: ScoreRow,
    /// Whether Greenhouse accepted it; only accepted writes move the "last pushed" rating.
    pub accepted: bool,
    /// Greenhouse's answer in short form (status, or error kind); never a body.
    pub answer: String,
}

/// What an erasure removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ErasureReport {
    /// Rows deleted across all tables.
    pub rows_deleted: usize,
    /// Applications of the candidate that were known.
    pub applications: usize,
    /// Audit entries whose subject was shredded.
    pub audit_entries_shredded: usize,
}

/// Row counts per table, for status output and tests.
pub type TableCounts = Vec<(String, i64)>;

/// The store operations the command needs.
///
/// The methods are synchronous: SQLite calls are short and the command runs one pipeline at a
/// time, so they run on the async runtime's thread between awaits.
// FIXME: a store call blocks its runtime worker for its duration (a large page commit takes a
// few milliseconds). It stays because nothing else runs concurrently with the pipeline; a
// server database behind this trait would want async methods or `spawn_blocking` wrappers.
pub trait Store {
    /// The checkpoint of a sync resource (default when never synced). A resource is usually
    /// a table name, but one table can be filled from several listings.
    ///
    /// # Errors
    /// A query failure.
    fn checkpoint(&self, resource: &str) -> StoreResult<Checkpoint>;

    /// Commits a page of records and its checkpoint in one transaction, skipping records of
    /// erased candidates and applications.
    ///
    /// # Errors
    /// A query failure; nothing of the page is kept then.
    fn commit_page(&mut self, page: &SyncPage) -> StoreResult<PageOutcome>;

    /// Saves only a checkpoint (a window opened or closed with no records).
    ///
    /// # Errors
    /// A query failure.
    fn set_checkpoint(&mut self, resource: &str, checkpoint: &Checkpoint) -> StoreResult<()>;

    /// Deletes child rows whose application is not stored (left behind by erased or deleted
    /// applications), and marks the model stale when any record changed since training.
    ///
    /// # Errors
    /// A query failure.
    fn finish_sync(&mut self, changed: bool) -> StoreResult<usize>;

    /// All records of a kind, in id order.
    ///
    /// # Errors
    /// A query failure.
    fn records(&self, kind: RecordKind) -> StoreResult<Vec<StoredRecord>>;

    /// Calls `f` with each record of a kind (its `data` left `Null`) and the record's JSON
    /// text, in id order, without holding every record in memory at once.
    ///
    /// # Errors
    /// A query failure, or the first error `f` returns.
    fn visit_records(
        &self,
        kind: RecordKind,
        f: &mut dyn FnMut(StoredRecord, &str) -> StoreResult<()>,
    ) -> StoreResult<()>;

    /// Whether a candidate was erased.
    ///
    /// # Errors
    /// A query failure.
    fn is_tombstoned(&self, candidate_id: u64) -> StoreResult<bool>;

    /// Saves a trained model (it becomes the current one, not stale) and drops older
    /// artifacts, all in one transaction. Returns the new version.
    ///
    /// # Errors
    /// A query failure.
    fn save_model(&mut self, artifact: &[u8], metrics: &serde_json::Value) -> StoreResult<i64>;

    /// The current model, if any.
    ///
    /// # Errors
    /// A query failure.
    fn current_model(&self) -> StoreResult<Option<StoredModel>>;

    /// Replaces the stored scores with a scoring run's output in one transaction.
    ///
    /// # Errors
    /// A query failure.
    fn replace_scores(&mut self, scores: &[ScoreRow]) -> StoreResult<()>;

    /// The stored score of an application.
    ///
    /// # Errors
    /// A query failure.
    fn score(&self, application_id: u64) -> StoreResult<Option<ScoreRow>>;

    /// All stored scores, by application id.
    ///
    /// # Errors
    /// A query failure.
    fn scores(&self) -> StoreResult<Vec<ScoreRow>>;

    /// Scores whose rating differs from the last one written to Greenhouse.
    ///
    /// # Errors
    /// A query failure.
    fn pending_pushes(&self) -> StoreResult<Vec<ScoreRow>>;

    /// Records a batch of writes: the accepted ones become the last pushed ratings, and every
    /// attempt gets an audit entry, in one transaction.
    ///
    /// # Errors
    /// A query failure; nothing of the batch is kept then.
    fn record_pushes(&mut self, trigger: &str, results: &[PushResult]) -> StoreResult<()>;

    /// Removes everything about a candidate, keeps a tombstone, marks the model stale and
    /// logs the erasure (without the erased data), in one transaction.
    ///
    /// # Errors
    /// A query failure; nothing is erased then.
    fn erase_candidate(&mut self, candidate_id: u64) -> StoreResult<ErasureReport>;

    /// Appends one audit entry.
    ///
    /// # Errors
    /// A query failure.
    fn append_audit(&mut self, entry: &NewAuditEntry) -> StoreResult<AuditEntry>;

    /// Checks the audit log's hash chain.
    ///
    /// # Errors
    /// A query failure (a broken chain is a verdict, not an error).
    fn verify_audit(&self) -> StoreResult<AuditVerdict>;

    /// Row counts per table.
    ///
    /// # Errors
    /// A query failure.
    fn table_counts(&self) -> StoreResult<TableCounts>;
}
