//! `enum`: members of the class; in lax mode (and always from JSON) a member's value.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::input::Input;

pub(crate) struct EnumValidator {
    cls: PyObject,
    strict: bool,
    expected: PyObject,
}

impl EnumValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let members: Bound<'_, PyList> = schema::required(schema, "members")?;
        let values: Vec<String> = members
            .iter()
            .map(|m| {
                m.getattr("value")
                    .and_then(|v| v.repr())
                    .map(|r| r.to_string())
            })
            .collect::<PyResult<_>>()?;
        Ok(EnumValidator {
            cls: schema::required::<Bound<'_, PyAny>>(schema, "cls")?.unbind(),
            strict: schema::flag(schema, "strict")?,
            expected: PyString::new(py, &expected_text(&values))
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
        let cls = self.cls.bind(py);
        let strict = state.strict(self.strict) && !input.is_json();
        if let Input::Py(obj) = input {
            if obj.is_instance(cls)? {
                return Ok(obj.clone());
            }
        }
        if !strict {
            state.floor(Exactness::Lax);
            if let Ok(member) = cls.call1((input.to_object(py),)) {
                return Ok(member);
            }
        }
        Err(ValError::Lines(vec![line_with_ctx(
            py,
            "enum",
            input.to_object(py),
            &[("expected", self.expected.clone_ref(py))],
        )]))
    }
}

/// `'a', 'b' or 'c'` from the reprs of the allowed values.
pub(crate) fn expected_text(reprs: &[String]) -> String {
    match reprs {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}
