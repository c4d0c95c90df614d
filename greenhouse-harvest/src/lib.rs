//! A typed, async client for the Greenhouse Harvest v3 API.

pub mod ids;
pub mod models;

#[cfg(feature = "sim")]
pub mod sim;
