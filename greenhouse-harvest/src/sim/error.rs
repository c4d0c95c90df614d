//! The simulator's error type.
//!
//! The simulator has failure modes the HTTP client never meets (a data file that does not
//! decode, a port that cannot be bound), so it keeps its own enum rather than widening the
//! client's error with variants no client caller could see.

use std::path::PathBuf;

/// Everything that can go wrong when loading data or running the simulator.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A data file or directory could not be read or written.
    #[error("cannot access {path}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// A data file is not a JSON array of valid v3 objects.
    #[error("invalid data in {path} at {json_path}")]
    Decode {
        /// The file.
        path: PathBuf,
        /// Where in the document decoding failed, e.g. `[3].created_at`.
        json_path: String,
        /// The serde failure.
        #[source]
        source: serde_json::Error,
    },
    /// A record could not be turned into JSON (a model whose serialization fails).
    #[error("cannot serialize a {resource} record")]
    Encode {
        /// The resource (v3 path segment).
        resource: &'static str,
        /// The serde failure.
        #[source]
        source: serde_json::Error,
    },
    /// Two records of one resource share an id.
    #[error("duplicate id {id} in {resource}")]
    DuplicateId {
        /// The resource (v3 path segment).
        resource: &'static str,
        /// The repeated id.
        id: u64,
    },
    /// The configuration is not usable.
    #[error("invalid simulator configuration: {0}")]
    Config(String),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The I/O failure.
        #[source]
        source: std::io::Error,
    },
    /// The server task ended with an error or panicked.
    #[error("simulator server failed")]
    Server(#[source] std::io::Error),
}

/// Result alias of the simulator module.
pub type SimResult<T> = Result<T, SimError>;
