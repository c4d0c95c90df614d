//! The append-only, hash-chained audit log: one entry per rating written to Greenhouse (and
//! one per erasure), holding ids and hashes only.
//!
//! Each entry's hash covers the previous entry's hash, so editing, inserting or deleting an
//! entry in the middle breaks the chain at that point and [`verify_chain`] names it.
//!
//! The application id is personal data, but the log must outlive an erasure (it is kept for
//! accountability). The chain therefore covers a *commitment* to the application id,
//! `sha256(salt || id)` with a random per-entry salt, rather than the id itself. The plain id
//! and the salt sit beside the entry; erasing a candidate deletes both, which leaves the
//! commitment unlinkable while every hash in the chain still verifies.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash that precedes the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditEvent {
    /// A rating written (or attempted) to Greenhouse.
    Push,
    /// A rating that a dry run would have written.
    DryRun,
    /// A candidate erased from the store.
    Erase,
}

impl AuditEvent {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuditEvent::Push => "push",
            AuditEvent::DryRun => "dry_run",
            AuditEvent::Erase => "erase",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "push" => Some(AuditEvent::Push),
            "dry_run" => Some(AuditEvent::DryRun),
            "erase" => Some(AuditEvent::Erase),
            _ => None,
        }
    }
}

/// An entry to append; the store adds sequence number, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewAuditEntry {
    /// What happened.
    pub event: Option<AuditEvent>,
    /// What started it (`push`, `run`, `demo`, `erase`).
    pub trigger: String,
    /// The application, when the entry is about one.
    pub application_id: Option<u64>,
    /// The application's job.
    pub job_id: Option<u64>,
    /// The model version that produced the rating.
    pub model_version: Option<i64>,
    /// SHA-256 of the feature vector.
    pub feature_hash: Option<String>,
    /// The rating.
    pub rating: Option<u8>,
    /// SHA-256 of the explanation.
    pub explanation_hash: Option<String>,
    /// Greenhouse's answer in short form (or, for an erasure, counts only).
    pub answer: String,
}

/// A stored audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// What happened.
    pub event: String,
    /// What started it.
    pub trigger: String,
    /// The application id; `None` once its candidate was erased.
    pub application_id: Option<u64>,
    /// The per-entry salt of the subject commitment; `None` once erased.
    pub subject_salt: Option<String>,
    /// `sha256(salt || application id)`, covered by the chain.
    pub subject_commit: Option<String>,
    /// The job id.
    pub job_id: Option<u64>,
    /// The model version.
    pub model_version: Option<i64>,
    /// SHA-256 of the features.
    pub feature_hash: Option<String>,
    /// The rating.
    pub rating: Option<u8>,
    /// SHA-256 of the explanation.
    pub explanation_hash: Option<String>,
    /// Greenhouse's answer.
    pub answer: String,
    /// When it was appended.
    pub at: DateTime<Utc>,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

/// Where and why the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// The first entry that does not verify.
    pub seq: i64,
    /// Why.
    pub reason: String,
}

/// The outcome of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerdict {
    /// Entries read.
    pub entries: u64,
    /// The last entry's hash: keep it elsewhere to detect truncation of the log's tail.
    pub head: Option<String>,
    /// The first break, if any.
    pub broken: Option<AuditBreak>,
}

impl AuditVerdict {
    /// Whether the whole chain verifies.
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The commitment to an application id under a salt.
pub fn subject_commit(salt: &str, application_id: u64) -> String {
    sha256_hex(format!("rocketmat-audit-subject:{salt}:{application_id}").as_bytes())
}

/// A fresh random salt for a subject commitment.
pub fn new_salt() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The hash of an entry: every field the chain protects, in a fixed order, plus the
/// previous hash. The plain application id and salt are left out on purpose (see the module
/// docs); they are checked against the commitment instead.
pub fn entry_hash(entry: &AuditEntry) -> String {
    let canonical = serde_json::json!([
        entry.seq,
        entry.event,
        entry.trigger,
        entry.subject_commit,
        entry.job_id,
        entry.model_version,
        entry.feature_hash,
        entry.rating,
        entry.explanation_hash,
        entry.answer,
        entry.at.to_rfc3339_opts(SecondsFormat::Micros, true),
        entry.prev_hash,
    ]);
    sha256_hex(canonical.to_string().as_bytes())
}

/// Checks a chain read in sequence order and reports the first entry that does not verify.
///
/// FIXME: deleting the newest entries leaves a shorter chain that still verifies. It stays
/// because the store alone cannot vouch for its own tail; `verify-audit` prints the head hash
/// so an operator can record it elsewhere, and anchoring that hash outside the store (a
/// write-once log, a timestamping service) would close the gap.
pub fn verify_chain(entries: &[AuditEntry]) -> AuditVerdict {
    let mut prev = GENESIS_HASH.to_owned();
    let mut broken = None;
    for (i, entry) in entries.iter().enumerate() {
        let expected_seq = i64::try_from(i).unwrap_or(i64::MAX).saturating_add(1);
        let reason = if entry.seq != expected_seq {
            Some(format!(
                "expected entry {expected_seq} here, found {} (an entry is missing)",
                entry.seq
            ))
        } else if entry.prev_hash != prev {
            Some("previous-hash link does not match the entry before it".to_owned())
        } else if entry_hash(entry) != entry.hash {
            Some("entry content does not match its hash (the entry was edited)".to_owned())
        } else {
            match (&entry.application_id, &entry.subject_salt, &entry.subject_commit) {
                (Some(id), Some(salt), Some(commit)) if subject_commit(salt, *id) != *commit => {
                    Some("application id does not match its commitment (edited)".to_owned())
                }
                (Some(_), None, _) | (None, Some(_), _) | (Some(_), Some(_), None) => {
                    Some("application id and salt are inconsistent".to_owned())
                }
                _ => None,
            }
        };
        if let Some(reason) = reason {
            broken = Some(AuditBreak { seq: entry.seq, reason });
            break;
        }
        prev.clone_from(&entry.hash);
    }
    AuditVerdict {
        entries: entries.len() as u64,
        head: entries.last().map(|e| e.hash.clone()),
        broken,
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_wrap)]
mod tests {
    use super::*;

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        let mut out = Vec::new();
        for i in 0..n {
            let salt = new_salt();
            let app = 1000 + i as u64;
            let mut e = AuditEntry {
                seq: i as i64 + 1,
                event: "push".into(),
                trigger: "push".into(),
                subject_commit: Some(subject_commit(&salt, app)),
                application_id: Some(app),
                subject_salt: Some(salt),
                job_id: Some(7),
                model_version: Some(1),
                feature_hash: Some(sha256_hex(b"f")),
                rating: Some(50),
                explanation_hash: Some(sha256_hex(b"e")),
                answer: "200".into(),
                at: Utc::now(),
                prev_hash: prev.clone(),
                hash: String::new(),
            };
            e.hash = entry_hash(&e);
            prev.clone_from(&e.hash);
            out.push(e);
        }
        out
    }

    #[test]
    fn intact_chain_verifies() {
        let v = verify_chain(&chain(5));
        assert!(v.is_intact(), "{v:?}");
        assert_eq!(v.entries, 5);
    }

    #[test]
    fn edited_rating_is_found() {
        let mut c = chain(5);
        c[2].rating = Some(99);
        assert_eq!(verify_chain(&c).broken.unwrap().seq, 3);
    }

    #[test]
    fn edited_application_id_is_found() {
        let mut c = chain(4);
        c[1].application_id = Some(4242);
        assert_eq!(verify_chain(&c).broken.unwrap().seq, 2);
    }

    #[test]
    fn deleted_entry_is_found() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(verify_chain(&c).broken.unwrap().seq, 3);
    }

    #[test]
    fn rehashed_edit_breaks_next_link() {
        let mut c = chain(5);
        c[1].rating = Some(1);
        c[1].hash = entry_hash(&c[1]);
        assert_eq!(verify_chain(&c).broken.unwrap().seq, 3);
    }

    #[test]
    fn shredded_subject_still_verifies() {
        let mut c = chain(3);
        c[1].application_id = None;
        c[1].subject_salt = None;
        assert!(verify_chain(&c).is_intact());
    }
}
