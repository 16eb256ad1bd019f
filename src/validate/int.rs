//! `int`: exact ints, and in lax mode bools, integral floats/Decimals and digit strings.
//!
//! An integer of more than 4300 digits is refused (CPython's `int()` limit, pydantic's rule): its
//! conversion is quadratic, so a long digit string would hold the GIL for seconds. The check is
//! one linear scan, before any conversion.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyString};

use super::errors::{ValError, ValResult};
use super::numbers::{Bounds, Num};
use super::{schema, Exactness, State};
use crate::conv::{py_decimal_type, py_int_type, py_strip};
use crate::input::Input;

/// The most digits an integer may have (CPython's `sys.int_info.default_max_str_digits`).
pub(crate) const MAX_INT_DIGITS: usize = 4300;

pub(crate) struct IntValidator {
    strict: bool,
    bounds: Bounds,
}

impl IntValidator {
    /// True when `v` passes every bound (decided from the i64 range alone).
    pub(crate) fn passes(&self, v: i64) -> bool {
        self.bounds.int_passes(v)
    }

    /// The inclusive range an int must be in, when that is all the bounds say (an ORM
    /// column's range): an exact int within it passes unchanged.
    pub(crate) fn range(&self) -> Option<(i64, i64)> {
        self.bounds.int_range()
    }

    /// No bounds: an exact int passes unchanged.
    pub(crate) fn is_plain(&self) -> bool {
        self.bounds.is_empty()
    }

    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(IntValidator {
            strict: schema::flag(schema, "strict")?,
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
        let (value, small) = coerce_int(py, input, strict, state)?;
        if self.bounds.is_empty() || small.is_some_and(|v| self.bounds.int_passes(v)) {
            return Ok(value);
        }
        let num = small.map_or(Num::Other, Num::Int);
        let errors = self.bounds.check(py, &value, num, input)?;
        errors.into_result(value)
    }
}

/// The int an input stands for, with its i64 form when it fits.
pub(crate) fn coerce_int<'py>(
    py: Python<'py>,
    input: Input<'_, 'py>,
    strict: bool,
    state: &mut State,
) -> ValResult<(Bound<'py, PyAny>, Option<i64>)> {
    match input {
        Input::Py(obj) => {
            if obj.is_exact_instance_of::<PyInt>() {
                // SAFETY: a live exact int.
                let small = unsafe { crate::cpython::int::exact_int_value(py, obj.as_ptr()) }
                    .or_else(|| obj.extract::<i64>().ok());
                return Ok((obj.clone(), small));
            }
            if obj.is_instance_of::<PyBool>() {
                if strict {
                    return Err(ValError::new(py, "int_type", input));
                }
                state.floor(Exactness::Lax);
                let v = i64::from(obj.is_truthy()?);
                return Ok((v.into_pyobject(py)?.into_any(), Some(v)));
            }
            if obj.is_instance_of::<PyInt>() {
                state.floor(Exactness::Strict);
                // the number it holds (`int.__int__`, the base type's own slot), as pydantic
                // reads it: `int(obj)` would run a subclass's `__int__`, which may say anything
                let plain = py_int_type(py)
                    .getattr(pyo3::intern!(py, "__int__"))?
                    .call1((obj,))?;
                let small = plain.extract::<i64>().ok();
                return Ok((plain, small));
            }
            if strict {
                return Err(ValError::new(py, "int_type", input));
            }
            state.floor(Exactness::Lax);
            if obj.is_instance_of::<PyFloat>() {
                return int_from_float(py, obj.extract::<f64>()?, input);
            }
            if obj.is_instance_of::<PyString>() {
                let text = obj.downcast::<PyString>().map_err(PyErr::from)?;
                return match text.to_str() {
                    Ok(s) => int_from_str(py, s, input),
                    Err(_) => Err(ValError::new(py, "int_parsing", input)),
                };
            }
            if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>() {
                let raw = crate::conv::byte_contents(obj)?;
                return match std::str::from_utf8(&raw) {
                    Ok(s) => int_from_str(py, s, input),
                    Err(_) => Err(ValError::new(py, "int_parsing", input)),
                };
            }
            if obj.is_instance(py_decimal_type(py))? {
                if !obj.call_method0("is_finite")?.is_truthy()? {
                    return Err(ValError::new(py, "finite_number", input));
                }
                if !obj.eq(obj.call_method0("to_integral_value")?)? {
                    return Err(ValError::new(py, "int_from_float", input));
                }
                // int() of a Decimal is quadratic in its digits: the same limit as for text
                if obj.call_method0("adjusted")?.extract::<i64>()? >= MAX_INT_DIGITS as i64 {
                    return Err(ValError::new(py, "int_parsing_size", input));
                }
                let as_int = py_int_type(py).call1((obj,))?;
                let small = as_int.extract::<i64>().ok();
                return Ok((as_int, small));
            }
            Err(ValError::new(py, "int_type", input))
        }
        Input::Json(value) => match value {
            JsonValue::Int(i) => Ok((i.into_pyobject(py)?.into_any(), Some(*i))),
            // at most 4300 digits: the JSON reader's limit
            JsonValue::BigInt(b) => Ok((int_of_digits(py, &b.to_string())?, None)),
            _ if strict => Err(ValError::new(py, "int_type", input)),
            _ => {
                state.floor(Exactness::Lax);
                int_from_json(py, value, input)
            }
        },
    }
}

/// A JSON bool, float or string in lax mode.
fn int_from_json<'py>(
    py: Python<'py>,
    value: &JsonValue<'_>,
    input: Input<'_, 'py>,
) -> ValResult<(Bound<'py, PyAny>, Option<i64>)> {
    match value {
        JsonValue::Bool(b) => {
            let v = i64::from(*b);
            Ok((v.into_pyobject(py)?.into_any(), Some(v)))
        }
        JsonValue::Float(f) => int_from_float(py, *f, input),
        JsonValue::Str(s) => int_from_str(py, s, input),
        _ => Err(ValError::new(py, "int_type", input)),
    }
}

fn int_from_float<'py>(
    py: Python<'py>,
    f: f64,
    input: Input<'_, 'py>,
) -> ValResult<(Bound<'py, PyAny>, Option<i64>)> {
    if !f.is_finite() {
        return Err(ValError::new(py, "finite_number", input));
    }
    if f.fract() != 0.0 {
        return Err(ValError::new(py, "int_from_float", input));
    }
    if f.abs() < 9.0e15 {
        let v = f as i64;
        return Ok((v.into_pyobject(py)?.into_any(), Some(v)));
    }
    let value = py_int_type(py).call1((f,))?;
    let small = value.extract::<i64>().ok();
    Ok((value, small))
}

/// `^\s*[+-]?\d+(\.0*)?\s*$` with ASCII digits and Python whitespace, at most 4300 digits
/// after leading zeros.
pub(crate) fn int_from_str<'py>(
    py: Python<'py>,
    s: &str,
    input: Input<'_, 'py>,
) -> ValResult<(Bound<'py, PyAny>, Option<i64>)> {
    if starts_too_long(s.as_bytes()) {
        return Err(ValError::new(py, "int_parsing_size", input));
    }
    let trimmed = py_strip(s);
    let (negative, rest) = match trimmed.as_bytes().first() {
        Some(b'+') => (false, &trimmed[1..]),
        Some(b'-') => (true, &trimmed[1..]),
        _ => (false, trimmed),
    };
    let digits_end = rest
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits_end == 0 {
        return Err(ValError::new(py, "int_parsing", input));
    }
    let tail = &rest[digits_end..];
    let zero_fraction =
        tail.is_empty() || (tail.as_bytes()[0] == b'.' && tail[1..].bytes().all(|b| b == b'0'));
    if !zero_fraction {
        return Err(ValError::new(py, "int_parsing", input));
    }
    let digits = rest[..digits_end].trim_start_matches('0');
    if digits.len() > MAX_INT_DIGITS {
        return Err(ValError::new(py, "int_parsing", input));
    }
    if digits.len() <= 19 {
        let magnitude = digits
            .bytes()
            .fold(0i128, |v, d| v * 10 + i128::from(d - b'0'));
        if let Ok(v) = i64::try_from(if negative { -magnitude } else { magnitude }) {
            return Ok((v.into_pyobject(py)?.into_any(), Some(v)));
        }
    }
    let number = if negative {
        format!("-{digits}")
    } else {
        digits.to_owned()
    };
    Ok((int_of_digits(py, &number)?, None))
}

/// The int of a sign and at most 4300 digits. `int(str)` refuses more digits than
/// `sys.get_int_max_str_digits()`, which a program may lower to 640: longer text goes through
/// `Decimal`, which has no such limit.
fn int_of_digits<'py>(py: Python<'py>, number: &str) -> PyResult<Bound<'py, PyAny>> {
    if number.len() <= 640 {
        py_int_type(py).call1((number,))
    } else {
        py_int_type(py).call1((py_decimal_type(py).call1((number,))?,))
    }
}

/// pydantic's `int_parsing_size` test, on the text as given: an optional `-`, then more than
/// 4300 digits, the first not `0` (a `+`, whitespace or leading zeros make it `int_parsing`).
fn starts_too_long(text: &[u8]) -> bool {
    let start = usize::from(text.first() == Some(&b'-'));
    matches!(text.get(start), Some(b'1'..=b'9'))
        && text[start..]
            .iter()
            .take(MAX_INT_DIGITS + 1)
            .take_while(|b| b.is_ascii_digit())
            .count()
            > MAX_INT_DIGITS
}
