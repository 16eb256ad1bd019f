//! The `ferrule._ferrule` extension: module list, export list and class registration only.
//!
//! Modules depend on each other one way, top to bottom of this list: `cpython`, `errors`,
//! `conv`, `json`, `schema`, `stack`, `input` → `model` → `validate` → `jsonschema` (which runs
//! `validate::pattern`) → `serialize` / `rows` → `py`.
//! `sql` is pure Rust apart from its own bindings (`sql::py`).

use pyo3::prelude::*;

mod conv;
mod cpython;
mod errors;
mod input;
mod json;
mod jsonschema;
mod model;
mod py;
mod rows;
mod schema;
mod serialize;
mod sql;
mod sqlite;
mod stack;
mod validate;

#[pymodule]
fn _ferrule(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    cpython::init(py)?;
    conv::init(py)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("FAST_PATHS", cpython::enabled())?;
    m.add_class::<validate::schema_validator::SchemaValidator>()?;
    m.add_class::<validate::errors::RawErrors>()?;
    m.add_class::<validate::info::ValidationInfo>()?;
    m.add_class::<validate::info::ValidatorCallable>()?;
    m.add_class::<jsonschema::JsonSchemaCore>()?;
    m.add("ModelBase", py::model_base::model_base_type(py)?)?;
    m.add_function(wrap_pyfunction!(py::model_base::new_instance, m)?)?;
    m.add_function(wrap_pyfunction!(py::model_base::force_setattr, m)?)?;
    m.add_function(wrap_pyfunction!(py::model_base::keep_gc_tracked, m)?)?;
    m.add_function(wrap_pyfunction!(py::fast_call::install_fast_call, m)?)?;
    m.add_function(wrap_pyfunction!(py::fast_call::remove_fast_call, m)?)?;
    m.add_function(wrap_pyfunction!(py::model_methods::bound_class_method, m)?)?;
    m.add_function(wrap_pyfunction!(
        py::errors_method::install_errors_method,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(errors::_panic_inside_guard, m)?)?;
    m.add_function(wrap_pyfunction!(
        validate::pattern::_pattern_translation,
        m
    )?)?;
    py::json_entry::add_functions(m)?;
    m.add_function(wrap_pyfunction!(py::crypto_entry::crypto_hash, m)?)?;
    m.add_function(wrap_pyfunction!(
        py::crypto_entry::crypto_compare_digest,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(py::json_functions::json_read_value, m)?)?;
    m.add_function(wrap_pyfunction!(rows::record::records, m)?)?;
    m.add_function(wrap_pyfunction!(rows::instances::model_rows, m)?)?;
    m.add_function(wrap_pyfunction!(rows::params::model_values, m)?)?;
    m.add_function(wrap_pyfunction!(rows::params::model_store, m)?)?;
    m.add_class::<model::copier::SlotCopier>()?;
    m.add_class::<rows::params::FieldReader>()?;
    m.add_function(wrap_pyfunction!(model::chain::install_chain, m)?)?;
    m.add_function(wrap_pyfunction!(model::chain::install_filter, m)?)?;
    m.add_function(wrap_pyfunction!(validate::model::held::hold_assigned, m)?)?;
    m.add_class::<sqlite::runner::SqliteStatements>()?;
    m.add_class::<sqlite::runner::PendingRows>()?;
    sql::py::register(m)?;
    Ok(())
}
