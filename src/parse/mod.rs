//! Pure-Rust text work with no Python in it: ISO 8601 parsing and exact JSON/float output.

pub(crate) mod float_repr;
pub(crate) mod json_write;
pub(crate) mod temporal;
