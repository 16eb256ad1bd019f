//! `literal`: one of a fixed set of values, compared with type (`1` is not `True`).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::enumeration::expected_text;
use super::errors::{line_with_ctx, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::conv::{json_to_py, py_enum_type};
use crate::input::Input;

pub(crate) struct LiteralValidator {
    expected: Vec<PyObject>,
    expected_text: PyObject,
}

impl LiteralValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let values: Bound<'_, PyList> = schema::required(schema, "expected")?;
        let reprs: Vec<String> = values
            .iter()
            .map(|v| v.repr().map(|r| r.to_string()))
            .collect::<PyResult<_>>()?;
        Ok(LiteralValidator {
            expected: values.iter().map(Bound::unbind).collect(),
            expected_text: PyString::new(py, &expected_text(&reprs))
                .into_any()
                .unbind(),
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let candidate = match input {
            Input::Py(obj) => obj.clone(),
            Input::Json(value) => json_to_py(py, value)?,
        };
        for expected in &self.expected {
            let expected = expected.bind(py);
            if same_kind(&candidate, expected) && candidate.eq(expected)? {
                return Ok(expected.clone());
            }
            // JSON has no enums: a JSON value matches an enum member by the member's value
            if input.is_json() && expected.is_instance(py_enum_type(py))? {
                let value = expected.getattr("value")?;
                if same_kind(&candidate, &value) && value.eq(&candidate)? {
                    state.floor(Exactness::Lax);
                    return Ok(expected.clone());
                }
            }
        }
        Err(ValError::Lines(vec![line_with_ctx(
            py,
            "literal_error",
            input.to_object(py),
            &[("expected", self.expected_text.clone_ref(py))],
        )]))
    }
}

/// Literal matching requires the same type as well as equality (`1` is neither `True` nor `1.0`).
fn same_kind(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    a.get_type().is(b.get_type())
}
