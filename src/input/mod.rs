//! One input type for every validator: a Python object or a parsed JSON value.

use jiter::JsonValue;
use pyo3::prelude::*;

use crate::conv::json_to_py;

/// What a validator reads. Both variants are cheap to copy.
#[derive(Clone, Copy)]
pub(crate) enum Input<'a, 'py> {
    Py(&'a Bound<'py, PyAny>),
    Json(&'a JsonValue<'a>),
}

impl<'py> Input<'_, 'py> {
    /// The input as a Python object, for error reports and pass-through values. Only a
    /// failure to allocate can stop the conversion; the report then shows that error object.
    pub(crate) fn to_object(self, py: Python<'py>) -> PyObject {
        match self {
            Input::Py(obj) => obj.clone().unbind(),
            Input::Json(value) => match json_to_py(py, value) {
                Ok(obj) => obj.unbind(),
                Err(err) => err.into_value(py).into_any(),
            },
        }
    }

    pub(crate) fn is_none(self) -> bool {
        match self {
            Input::Py(obj) => obj.is_none(),
            Input::Json(value) => matches!(value, JsonValue::Null),
        }
    }

    pub(crate) fn is_json(self) -> bool {
        matches!(self, Input::Json(_))
    }
}
