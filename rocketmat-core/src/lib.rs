//! Rocketmat's per-company candidate-matching model.
