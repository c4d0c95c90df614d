//! A local Harvest v3 simulator, for tests, demos and integrators.
//!
//! It serves the v3 API over real HTTP on loopback, from a [`Dataset`] loaded from disk or a
//! generated [`synthetic`] company, and enforces v3's rules (reference §2–§8): OAuth token
//! grants with rotating refresh tokens, bare JSON arrays newest first, `per_page` and `*_ids`
//! limits, pipe-syntax date ranges, an opaque cursor in the `Link` header that tolerates no other parameter,
//! fixed-window rate limiting with the `X-RateLimit-*` headers, and custom field writes on
//! applications. Faults (server errors, latency, dropped connections, truncated bodies, expired
//! cursors, revoked tokens) are injected from a seeded generator.
//!
//! Besides `/v3` and `/token`, it serves `GET /_sim/stats` (traffic counters), `GET
//! /_sim/writes` (every custom field write, in order) and, for synthetic companies, `GET
//! /_sim/truth` (the planted probability, label and group of every application).
//!
//! ```
//! use greenhouse_harvest::sim::synthetic::{SyntheticConfig, generate};
//! use greenhouse_harvest::sim::{SimConfig, Simulator};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let company = generate(&SyntheticConfig { applications: 200, ..SyntheticConfig::default() });
//! let sim = Simulator::start_synthetic(company, SimConfig::default()).await?;
//! println!("serving {} with client id {}", sim.base_url(), sim.client_id());
//! assert!(sim.truth().is_some());
//! sim.shutdown().await?;
//! # Ok::<(), greenhouse_harvest::sim::SimError>(())
//! # }).unwrap();
//! ```

mod auth;
mod config;
mod dataset;
mod error;
mod faults;
mod limit;
mod query;
mod server;
mod spec;
mod stats;
mod store;
pub mod synthetic;
mod writes;

pub use config::{FaultConfig, SimConfig};
pub use dataset::Dataset;
pub use error::{SimError, SimResult};
pub use server::{RunningSimulator, Simulator};
pub use stats::Stats;
pub use writes::CustomFieldWrite;
