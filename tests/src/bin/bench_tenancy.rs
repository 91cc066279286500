//! Benchmarks of the tenancy engine; see docs/benchmarks.md.
fn main() {}
