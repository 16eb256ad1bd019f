//! The Python methods of `JsonSchemaCore` (`ferrule.json.Schema`'s native core): convert, run.

use pyo3::prelude::*;
use pyo3::types::PyList;

use crate::errors::guard;
use crate::jsonschema::eval::Run;
use crate::jsonschema::JsonSchemaCore;

#[pymethods]
impl JsonSchemaCore {
    /// `plan` from `ferrule.json._schema_plan.compile_plan`; `multiple_of(value, divisor)` is the
    /// exact rule for numbers past 128-bit arithmetic.
    #[new]
    fn new(py: Python<'_>, plan: &Bound<'_, PyList>, multiple_of: PyObject) -> PyResult<Self> {
        guard(py, || JsonSchemaCore::build(py, plan, multiple_of))
    }

    /// Whether `value` is valid (stops at the first failure).
    fn is_valid(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        guard(py, || Run::new(self, py, false).root(value))
    }

    /// Every error as `(loc, keyword, input, ctx)`.
    fn errors(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<Vec<PyObject>> {
        guard(py, || {
            let mut run = Run::new(self, py, true);
            run.root(value)?;
            Ok(run.errors)
        })
    }
}
