//! The SQL compiler: query nodes -> (SQL text, parameter order). Pure Rust, no pyo3 outside `py`.

pub(crate) mod py;
