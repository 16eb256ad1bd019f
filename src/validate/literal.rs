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
    /// The expected values that are exactly `str`, with their place in `expected`, for the
    /// streaming reader to compare a JSON string with (no Python str made).
    texts: Vec<(usize, String)>,
    /// The place of the first enum member in `expected` (JSON text may match it by value).
    first_enum: usize,
}

impl LiteralValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let values: Bound<'_, PyList> = schema::required(schema, "expected")?;
        let reprs: Vec<String> = values
            .iter()
            .map(|v| v.repr().map(|r| r.to_string()))
            .collect::<PyResult<_>>()?;
        let mut texts = Vec::new();
        let mut first_enum = usize::MAX;
        for (index, value) in values.iter().enumerate() {
            if let Ok(text) = value.downcast_exact::<PyString>() {
                texts.push((index, text.to_str()?.to_owned()));
            } else if first_enum == usize::MAX && value.is_instance(py_enum_type(py))? {
                first_enum = index;
            }
        }
        Ok(LiteralValidator {
            texts,
            first_enum,
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
        if let Input::Py(obj) = input {
            // the very object expected (an interned tag, a shared constant) is a match with no
            // comparison: same type, and identity before `==`, as in pydantic's dict lookup
            if let Some(expected) = self.expected.iter().find(|e| e.as_ptr() == obj.as_ptr()) {
                return Ok(expected.bind(py).clone());
            }
        }
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

impl LiteralValidator {
    /// The expected value a JSON string `text` matches when that is an exact `str` no enum
    /// member comes before (the answer `validate` gives for it); `None`: ask `validate`.
    #[inline]
    pub(crate) fn json_text<'py>(&self, py: Python<'py>, text: &str) -> Option<Bound<'py, PyAny>> {
        let (index, _) = self.texts.iter().find(|(_, known)| known == text)?;
        (*index < self.first_enum).then(|| self.expected[*index].bind(py).clone())
    }
}

/// Literal matching requires the same type as well as equality (`1` is neither `True` nor `1.0`).
fn same_kind(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> bool {
    a.get_type().is(b.get_type())
}
