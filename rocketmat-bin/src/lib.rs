//! The `rocketmat` command as a library: the store, the audit log, the Harvest mapping and
//! the commands, so integration tests and benchmarks can drive them in process.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod company;
pub mod connect;
pub mod demo;
pub mod pipeline;
pub mod push;
pub mod records;
pub mod store;
pub mod sync;
