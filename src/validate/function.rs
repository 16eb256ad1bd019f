//! User functions around a schema: `field_validator` and `Annotated` validators, before, after,
//! plain (instead of the schema) or wrap (`f(value, handler)`, the handler running the schema).
//! A function whose signature has one more parameter also gets a `ValidationInfo`.

use std::sync::Arc;

use pyo3::exceptions::{PyAssertionError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::errors::{line_with_ctx, Loc, ValError, ValResult};
use super::info::{field_info, ValidatorCallable, Wrapped};
use super::{schema, State, Validator};
use crate::conv::{py_custom_error, py_validation_error};
use crate::input::Input;

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Before,
    After,
    Plain,
    Wrap,
}

pub(crate) struct FunctionValidator {
    mode: Mode,
    function: PyObject,
    /// The function takes a `ValidationInfo` as its last argument.
    info: bool,
    pub(crate) inner: Arc<Validator>,
}

impl FunctionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>, tag: &str) -> PyResult<Self> {
        let mode = match tag {
            "function_before" => Mode::Before,
            "function_after" => Mode::After,
            "function_wrap" => Mode::Wrap,
            _ => Mode::Plain,
        };
        Ok(FunctionValidator {
            mode,
            function: schema::required::<Bound<'_, PyAny>>(schema, "function")?.unbind(),
            info: schema::flag(schema, "info")?,
            inner: Arc::new(Validator::build(&schema::sub_schema(schema, "schema")?)?),
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.info || self.mode == Mode::Wrap {
            return self.validate_general(py, input, state);
        }
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
            _ => {
                let raw = input.to_object(py);
                call_user(py, function, raw.bind(py), raw.bind(py))
            }
        }
    }

    /// Wrap validators and functions taking `info` (kept off the plain path above).
    #[inline(never)]
    fn validate_general<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let function = self.function.bind(py);
        let info = |state: &State| -> ValResult<Option<Bound<'py, PyAny>>> {
            Ok(if self.info {
                Some(field_info(py, state)?)
            } else {
                None
            })
        };
        match self.mode {
            Mode::Before => {
                let raw = input.to_object(py).into_bound(py);
                let changed = call_with(py, function, &raw, None, info(state)?, &raw)?;
                self.inner.validate(py, Input::Py(&changed), state)
            }
            Mode::After => {
                let value = self.inner.validate(py, input, state)?;
                let raw = input.to_object(py).into_bound(py);
                call_with(py, function, &value, None, info(state)?, &raw)
            }
            Mode::Plain => {
                let raw = input.to_object(py).into_bound(py);
                call_with(py, function, &raw, None, info(state)?, &raw)
            }
            Mode::Wrap => {
                let raw = input.to_object(py).into_bound(py);
                let info = info(state)?;
                let wrapped = Wrapped::Schema(self.inner.clone());
                let handler = ValidatorCallable::new(py, wrapped, state)?;
                let result = call_with(py, function, &raw, Some(handler.as_any()), info, &raw);
                handler.get().report(state);
                result
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

/// `call_user` as `function(value[, handler][, info])`.
pub(crate) fn call_with<'py>(
    py: Python<'py>,
    function: &Bound<'py, PyAny>,
    value: &Bound<'py, PyAny>,
    handler: Option<&Bound<'py, PyAny>>,
    info: Option<Bound<'py, PyAny>>,
    reported_input: &Bound<'py, PyAny>,
) -> ValResult<Bound<'py, PyAny>> {
    let result = match (handler, info) {
        (None, None) => function.call1((value,)),
        (None, Some(info)) => function.call1((value, info)),
        (Some(handler), None) => function.call1((value, handler)),
        (Some(handler), Some(info)) => function.call1((value, handler, info)),
    };
    result.map_err(|err| user_error(py, err, reported_input))
}

pub(crate) fn user_error(py: Python<'_>, err: PyErr, input: &Bound<'_, PyAny>) -> ValError {
    let value = err.value(py);
    if value.is_instance(py_validation_error(py)).unwrap_or(false) {
        return merge_validation_error(py, value).unwrap_or_else(ValError::Internal);
    }
    if value.is_instance(py_custom_error(py)).unwrap_or(false) {
        return custom_error(py, value, input).unwrap_or_else(ValError::Internal);
    }
    let kind = if err.is_instance_of::<PyValueError>(py) {
        "value_error"
    } else if err.is_instance_of::<PyAssertionError>(py) {
        "assertion_error"
    } else {
        return ValError::Internal(err);
    };
    // the exception itself, as pydantic keeps it (messages and `json()` show its str())
    ValError::Lines(vec![line_with_ctx(
        py,
        kind,
        input.clone().unbind(),
        &[("error", value.clone().into_any().unbind())],
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

/// A `PydanticCustomError`: its own type, its message rendered, its context as `ctx`.
fn custom_error(
    py: Python<'_>,
    exc: &Bound<'_, PyAny>,
    input: &Bound<'_, PyAny>,
) -> PyResult<ValError> {
    let kind: String = exc.getattr(pyo3::intern!(py, "type"))?.extract()?;
    let msg = exc.call_method0(pyo3::intern!(py, "message"))?;
    let context = exc.getattr(pyo3::intern!(py, "context"))?;
    let ctx = if context.is_none() {
        None
    } else {
        let copy = context.downcast::<PyDict>()?.copy()?;
        Some(super::errors::Ctx::Dict(copy.into_any().unbind()))
    };
    Ok(ValError::Lines(vec![super::errors::LineError {
        kind: kind.into(),
        loc: smallvec::SmallVec::new(),
        input: input.clone().unbind(),
        ctx,
        msg: Some(msg.str()?.into_any().unbind()),
    }]))
}
