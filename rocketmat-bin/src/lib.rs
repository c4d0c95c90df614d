//! The `rocketmat` command as a library: the store, the audit log, the Harvest mapping and
//! the commands, so integration tests and benchmarks can drive them in process.

pub mod audit;
pub mod store;
