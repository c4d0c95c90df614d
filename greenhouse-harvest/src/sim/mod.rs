//! A local Harvest v3 simulator.
