//! User functions around a schema: `field_validator` before/after/plain.

use pyo3::exceptions::{PyAssertionError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::{line_with_ctx, Loc, ValError, ValResult};
use super::{schema, State, Validator};
use crate::conv::py_validation_error;
use crate::input::Input;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Before,
    After,
    Plain,
}

pub(crate) struct FunctionValidator {
    mode: Mode,
    function: PyObject,
    pub(crate) inner: Box<Validator>,
}

impl FunctionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>, tag: &str) -> PyResult<Self> {
        let mode = match tag {
            "function_before" => Mode::Before,
            "function_after" => Mode::After,
            _ => Mode::Plain,
        };
        Ok(FunctionValidator {
            mode,
            function: schema::required::<Bound<'_, PyAny>>(schema, "function")?.unbind(),
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
        let function = self.function.bind(py);
        match self.mode {
            Mode::Before => {
                let raw = input.to_object(py);
                let changed = call_user(py, function, raw.bind(py), raw.bind(py))?;
                self.inner.validate(py, Input::Py(&changed), state)
            }
            Mode::After => {
                let value = self.inner.validate(py, input, state)?;
                call_user(py, function, &value, &input.to_object(py).into_bound(py))
            }
            Mode::Plain => {
                let raw = input.to_object(py);
                call_user(py, function, raw.bind(py), raw.bind(py))
            }
        }
    }
}

/// Call a user validator; `ValueError`/`AssertionError`/`ValidationError` become data errors,
/// anything else propagates unchanged.
pub(crate) fn call_user<'py>(
    py: Python<'py>,
    function: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
    reported_input: &Bound<'py, PyAny>,
) -> ValResult<Bound<'py, PyAny>> {
    function
        .call1((value,))
        .map_err(|err| user_error(py, err, reported_input))
}

pub(crate) fn user_error(py: Python<'_>, err: PyErr, input: &Bound<'_, PyAny>) -> ValError {
    let value = err.value(py);
    if value.is_instance(py_validation_error(py)).unwrap_or(false) {
        return merge_validation_error(py, value).unwrap_or_else(ValError::Internal);
    }
    let kind = if err.is_instance_of::<PyValueError>(py) {
        "value_error"
    } else if err.is_instance_of::<PyAssertionError>(py) {
        "assertion_error"
    } else {
        return ValError::Internal(err);
    };
    let text = value.str().map(|s| s.to_string()).unwrap_or_default();
    ValError::Lines(vec![line_with_ctx(
        py,
        kind,
        input.clone().unbind(),
        &[("error", PyString::new(py, &text).into_any().unbind())],
    )])
}

/// A `ValidationError` raised inside a user function: keep its lines (their locs get prefixed).
fn merge_validation_error(py: Python<'_>, exc: &Bound<'_, PyAny>) -> PyResult<ValError> {
    let raw = exc.getattr("_raw")?;
    let mut lines = Vec::new();
    for item in raw.try_iter()? {
        let item = item?;
        let (loc, kind, input, ctx, msg): (Vec<PyObject>, String, PyObject, PyObject, PyObject) =
            item.extract()?;
        lines.push(super::errors::LineError {
            kind: kind.into(),
            loc: loc.into_iter().rev().map(Loc::Key).collect(),
            input,
            ctx: if ctx.is_none(py) {
                None
            } else {
                Some(super::errors::Ctx::Dict(ctx))
            },
            msg: if msg.is_none(py) { None } else { Some(msg) },
        });
    }
    Ok(ValError::Lines(lines))
}
