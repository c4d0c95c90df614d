//! The `rocketmat` command.
fn main() {}
