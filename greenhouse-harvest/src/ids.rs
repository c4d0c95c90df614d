//! Typed identifiers of Harvest records.
