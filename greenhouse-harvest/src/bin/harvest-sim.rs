//! A local Harvest v3 simulator.
fn main() {}
