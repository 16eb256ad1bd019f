//! `float`: floats and ints; in lax mode also bools, numeric strings and Decimals.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyString};

use super::errors::{ValError, ValResult};
use super::numbers::{Bounds, Num};
use super::{schema, Exactness, State};
use crate::conv::{py_decimal_type, py_strip};
use crate::input::Input;

pub(crate) struct FloatValidator {
    strict: bool,
    allow_inf_nan: bool,
    bounds: Bounds,
}

impl FloatValidator {
    /// True when `f` passes every bound and the inf/nan rule.
    pub(crate) fn passes(&self, f: f64) -> bool {
        (self.allow_inf_nan || f.is_finite())
            && (self.bounds.is_empty() || self.bounds.float_passes(f))
    }

    /// No bounds, inf/nan allowed: an exact float passes unchanged.
    pub(crate) fn is_plain(&self) -> bool {
        self.bounds.is_empty() && self.allow_inf_nan
    }

    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(FloatValidator {
            strict: schema::flag(schema, "strict")?,
            allow_inf_nan: schema::optional::<bool>(schema, "allow_inf_nan")?.unwrap_or(true),
            bounds: Bounds::build(schema, None)?,
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
        let (value, f) = coerce_float(py, input, strict, state)?;
        if !self.allow_inf_nan && !f.is_finite() {
            return Err(ValError::new(py, "finite_number", input));
        }
        if self.bounds.is_empty() || self.bounds.float_passes(f) {
            return Ok(value);
        }
        let errors = self.bounds.check(py, &value, Num::Float(f), input)?;
        errors.into_result(value)
    }
}

fn float_obj(py: Python<'_>, f: f64) -> Bound<'_, PyAny> {
    PyFloat::new(py, f).into_any()
}

pub(crate) fn coerce_float<'py>(
    py: Python<'py>,
    input: Input<'_, 'py>,
    strict: bool,
    state: &mut State,
) -> ValResult<(Bound<'py, PyAny>, f64)> {
    match input {
        Input::Py(obj) => {
            if obj.is_exact_instance_of::<PyFloat>() {
                let f = obj.extract::<f64>()?;
                return Ok((obj.clone(), f));
            }
            if obj.is_instance_of::<PyBool>() {
                if strict {
                    return Err(ValError::new(py, "float_type", input));
                }
                state.floor(Exactness::Lax);
                let f = if obj.is_truthy()? { 1.0 } else { 0.0 };
                return Ok((float_obj(py, f), f));
            }
            if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() {
                state.floor(Exactness::Strict);
                return match obj.extract::<f64>() {
                    Ok(f) => Ok((float_obj(py, f), f)),
                    Err(_) => Err(ValError::new(py, "finite_number", input)),
                };
            }
            if strict {
                return Err(ValError::new(py, "float_type", input));
            }
            state.floor(Exactness::Lax);
            if obj.is_instance_of::<PyString>() {
                let text = obj.downcast::<PyString>().map_err(PyErr::from)?;
                return match text.to_str().ok().and_then(parse_float) {
                    Some(f) => Ok((float_obj(py, f), f)),
                    None => Err(ValError::new(py, "float_parsing", input)),
                };
            }
            if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
                let raw = crate::conv::byte_contents(obj)?;
                return match std::str::from_utf8(&raw).ok().and_then(parse_float) {
                    Some(f) => Ok((float_obj(py, f), f)),
                    None => Err(ValError::new(py, "float_parsing", input)),
                };
            }
            if obj.is_instance(py_decimal_type(py))? {
                // a signalling NaN has no float value
                return match obj
                    .call_method0("__float__")
                    .and_then(|f| f.extract::<f64>())
                {
                    Ok(f) => Ok((float_obj(py, f), f)),
                    Err(_) => Err(ValError::new(py, "float_parsing", input)),
                };
            }
            Err(ValError::new(py, "float_type", input))
        }
        Input::Json(value) => match value {
            JsonValue::Float(f) => Ok((float_obj(py, *f), *f)),
            JsonValue::Int(i) => {
                state.floor(Exactness::Strict);
                Ok((float_obj(py, *i as f64), *i as f64))
            }
            JsonValue::BigInt(b) => {
                state.floor(Exactness::Strict);
                match b.to_string().parse::<f64>() {
                    Ok(f) if f.is_finite() => Ok((float_obj(py, f), f)),
                    _ => Err(ValError::new(py, "finite_number", input)),
                }
            }
            _ if strict => Err(ValError::new(py, "float_type", input)),
            JsonValue::Bool(b) => {
                state.floor(Exactness::Lax);
                let f = if *b { 1.0 } else { 0.0 };
                Ok((float_obj(py, f), f))
            }
            JsonValue::Str(s) => {
                state.floor(Exactness::Lax);
                match parse_float(s) {
                    Some(f) => Ok((float_obj(py, f), f)),
                    None => Err(ValError::new(py, "float_parsing", input)),
                }
            }
            _ => Err(ValError::new(py, "float_type", input)),
        },
    }
}

/// `^\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|infinity|nan)\s*$`, ASCII digits.
pub(crate) fn parse_float(s: &str) -> Option<f64> {
    let t = py_strip(s);
    let (neg, body) = match t.as_bytes().first() {
        Some(b'+') => (false, &t[1..]),
        Some(b'-') => (true, &t[1..]),
        _ => (false, t),
    };
    let lower = body.to_ascii_lowercase();
    let magnitude = match lower.as_str() {
        "inf" | "infinity" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => {
            if !valid_decimal_literal(body.as_bytes()) {
                return None;
            }
            body.parse::<f64>().ok()?
        }
    };
    Some(if neg { -magnitude } else { magnitude })
}

fn valid_decimal_literal(b: &[u8]) -> bool {
    let mut i = 0;
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    i += int_digits;
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        frac_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        i += frac_digits;
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let exp_digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if exp_digits == 0 {
            return false;
        }
        i += exp_digits;
    }
    i == b.len()
}
