//! `nullable`: `None`, or the inner schema.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::ValResult;
use super::{schema, State, Validator};
use crate::input::Input;

pub(crate) struct NullableValidator {
    pub(crate) inner: Box<Validator>,
}

impl NullableValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(NullableValidator {
            inner: Box::new(Validator::build(&schema::sub_schema(schema, "schema")?)?),
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if input.is_none() {
            return Ok(py.None().into_bound(py));
        }
        self.inner.validate(py, input, state)
    }
}
