//! The `ferrule._ferrule` extension: module list and export list only.

use pyo3::prelude::*;

mod conv;
mod errors;
mod input;
mod model_base;
mod model_methods;
mod parse;
mod schema_validator;
mod serialize;
mod sql;
mod validate;

#[pymodule]
fn _ferrule(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    validate::register(m)?;
    sql::py::register(m)?;
    m.add_function(wrap_pyfunction!(errors::_panic_inside_guard, m)?)?;
    Ok(())
}
