//! `bool`: bools; in lax mode 0/1, 0.0/1.0, Decimal 0/1 and the usual yes/no words, as str
//! (stripped) or as UTF-8 bytes (as written, pydantic's answers).

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyString};

use super::errors::{ValError, ValResult};
use super::{schema, Exactness, State};
use crate::conv::{py_decimal_type, py_strip};
use crate::input::Input;

pub(crate) struct BoolValidator {
    strict: bool,
}

impl BoolValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(BoolValidator {
            strict: schema::flag(schema, "strict")?,
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let result = match input {
            Input::Py(obj) => {
                if obj.is_instance_of::<PyBool>() {
                    return Ok(obj.clone());
                }
                if strict {
                    return Err(ValError::new(py, "bool_type", input));
                }
                state.floor(Exactness::Lax);
                if obj.is_instance_of::<PyInt>() {
                    match obj.extract::<i64>() {
                        Ok(0) => Some(false),
                        Ok(1) => Some(true),
                        _ => return Err(ValError::new(py, "bool_parsing", input)),
                    }
                } else if obj.is_instance_of::<PyFloat>() {
                    match obj.extract::<f64>()? {
                        0.0 => Some(false),
                        1.0 => Some(true),
                        _ => return Err(ValError::new(py, "bool_parsing", input)),
                    }
                } else if let Ok(s) = obj.downcast::<PyString>() {
                    match s.to_str() {
                        Ok(text) => Some(
                            parse_bool(text)
                                .ok_or_else(|| ValError::new(py, "bool_parsing", input))?,
                        ),
                        Err(_) => return Err(ValError::new(py, "bool_parsing", input)),
                    }
                } else if let Ok(raw) = obj.downcast::<PyBytes>() {
                    match std::str::from_utf8(raw.as_bytes()).ok().and_then(bool_word) {
                        Some(b) => Some(b),
                        None => return Err(ValError::new(py, "bool_parsing", input)),
                    }
                } else if obj.is_instance(py_decimal_type(py))? {
                    decimal_bool(py, obj, input)?
                } else {
                    None
                }
            }
            Input::Json(JsonValue::Bool(b)) => Some(*b),
            Input::Json(_) if strict => None,
            Input::Json(value) => {
                state.floor(Exactness::Lax);
                match value {
                    JsonValue::Int(0) => Some(false),
                    JsonValue::Int(1) => Some(true),
                    JsonValue::Float(f) if *f == 0.0 => Some(false),
                    JsonValue::Float(f) if *f == 1.0 => Some(true),
                    JsonValue::Int(_) | JsonValue::BigInt(_) | JsonValue::Float(_) => {
                        return Err(ValError::new(py, "bool_parsing", input))
                    }
                    JsonValue::Str(s) => Some(
                        parse_bool(s).ok_or_else(|| ValError::new(py, "bool_parsing", input))?,
                    ),
                    _ => None,
                }
            }
        };
        match result {
            Some(b) => Ok(PyBool::new(py, b).to_owned().into_any()),
            None => Err(ValError::new(py, "bool_type", input)),
        }
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    bool_word(py_strip(s))
}

fn bool_word(s: &str) -> Option<bool> {
    match s.to_ascii_lowercase().as_str() {
        "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
        "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
        _ => None,
    }
}

/// A finite Decimal equal to 0 or 1 (any exponent); NaN is no number at all (`bool_type`), and
/// so is a subclass whose methods raise.
fn decimal_bool(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    input: Input<'_, '_>,
) -> ValResult<Option<bool>> {
    let finite = obj
        .call_method0(pyo3::intern!(py, "is_finite"))
        .and_then(|f| f.is_truthy());
    if !finite.unwrap_or(false) {
        return Ok(None);
    }
    match (obj.eq(0), obj.eq(1)) {
        (Ok(true), _) => Ok(Some(false)),
        (_, Ok(true)) => Ok(Some(true)),
        (Ok(false), Ok(false)) => Err(ValError::new(py, "bool_parsing", input)),
        _ => Ok(None),
    }
}
