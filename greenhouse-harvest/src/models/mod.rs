//! Typed Harvest v3 resources.
