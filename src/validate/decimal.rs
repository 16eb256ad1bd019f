//! `decimal`: Decimals; in lax mode ints, floats (via `str(float)`) and numeric strings. JSON
//! numbers and strings are Decimal input in strict mode too (JSON has no Decimal type); a JSON
//! float becomes a Decimal through its shortest representation written without an exponent,
//! as pydantic does (`100.0` is `Decimal("100")`).
//!
//! `max_digits`/`decimal_places` count digits as written and with trailing zeros removed; a
//! limit fails only when both counts exceed it, so `1111.700000` has 5 digits and 1 place. With
//! both set, the digits before the point are limited to `max_digits - decimal_places`.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyTuple};

use super::errors::{line_with_ctx, Errors, ValError, ValResult};
use super::numbers::{Bounds, Num};
use super::{schema, Exactness, State};
use crate::conv::{py_decimal_type, py_strip};
use crate::input::Input;

pub(crate) struct DecimalValidator {
    strict: bool,
    bounds: Bounds,
    max_digits: Option<u64>,
    decimal_places: Option<u64>,
}

impl DecimalValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        Ok(DecimalValidator {
            strict: schema::flag(schema, "strict")?,
            bounds: Bounds::build(schema, Some(py_decimal_type(py)))?,
            max_digits: schema::optional(schema, "max_digits")?,
            decimal_places: schema::optional(schema, "decimal_places")?,
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
        let value = match input {
            Input::Py(obj) => from_python(py, obj, input, strict, state)?,
            Input::Json(json) => from_json(py, json, input, state)?,
        };
        if !value.call_method0("is_finite")?.is_truthy()? {
            return Err(ValError::new(py, "finite_number", input));
        }
        let mut errors = self.bounds.check(py, &value, Num::Other, input)?;
        if self.max_digits.is_some() || self.decimal_places.is_some() {
            self.check_digits(py, &value, input, &mut errors)?;
        }
        errors.into_result(value)
    }

    /// `decimal_max_digits`, `decimal_max_places`, `decimal_whole_digits`, each that fails.
    fn check_digits(
        &self,
        py: Python<'_>,
        value: &Bound<'_, PyAny>,
        input: Input<'_, '_>,
        errors: &mut Errors,
    ) -> PyResult<()> {
        let parts = value.call_method0("as_tuple")?;
        let parts = parts.downcast::<PyTuple>().map_err(PyErr::from)?;
        let digits = parts.get_item(1)?;
        let digits = digits.downcast::<PyTuple>().map_err(PyErr::from)?;
        let exponent: i64 = parts.get_item(2)?.extract()?;
        let mut zeros = 0usize;
        for digit in digits.iter().rev() {
            if digit.extract::<u8>()? != 0 {
                break;
            }
            zeros += 1;
        }
        let written = Count::of(digits.len(), exponent);
        let trimmed = if zeros == digits.len() {
            Count::of(1, 0) // zero
        } else {
            Count::of(digits.len() - zeros, exponent.saturating_add(zeros as i64))
        };
        let over = |limit: u64, measure: fn(&Count) -> u64| {
            measure(&written) > limit && measure(&trimmed) > limit
        };
        let mut fail = |code: &'static str, key: &'static str, limit: u64| -> PyResult<()> {
            let limit = limit.into_pyobject(py)?.into_any().unbind();
            errors.push(line_with_ctx(
                py,
                code,
                input.to_object(py),
                &[(key, limit)],
            ));
            Ok(())
        };
        if let Some(max) = self.max_digits.filter(|m| over(*m, |c| c.digits)) {
            fail("decimal_max_digits", "max_digits", max)?;
        }
        if let Some(max) = self.decimal_places.filter(|m| over(*m, |c| c.places)) {
            fail("decimal_max_places", "decimal_places", max)?;
        }
        if let (Some(digits), Some(places)) = (self.max_digits, self.decimal_places) {
            let whole = digits.saturating_sub(places);
            if over(whole, |c| c.digits.saturating_sub(c.places)) {
                fail("decimal_whole_digits", "whole_digits", whole)?;
            }
        }
        Ok(())
    }
}

/// Digits in total and after the point of a coefficient of `len` digits times 10**exponent.
struct Count {
    digits: u64,
    places: u64,
}

impl Count {
    fn of(len: usize, exponent: i64) -> Count {
        let len = len as u64;
        if exponent >= 0 {
            Count {
                digits: len.saturating_add(exponent as u64),
                places: 0,
            }
        } else {
            let places = exponent.unsigned_abs();
            Count {
                digits: len.max(places),
                places,
            }
        }
    }
}

fn from_python<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    input: Input<'_, 'py>,
    strict: bool,
    state: &mut State,
) -> ValResult<Bound<'py, PyAny>> {
    let decimal = py_decimal_type(py);
    if obj.is_exact_instance(decimal) {
        return Ok(obj.clone());
    }
    if obj.is_instance(decimal)? {
        // a subclass: an exact Decimal of the value it holds (`Decimal(obj)` copies the
        // number, not its text), as pydantic gives
        state.floor(Exactness::Strict);
        return Ok(decimal.call1((obj,))?);
    }
    if strict {
        return Err(not_a_decimal(py, input));
    }
    state.floor(Exactness::Lax);
    if obj.is_instance_of::<PyBool>() {
        Err(ValError::new(py, "decimal_type", input))
    } else if obj.is_instance_of::<PyInt>() {
        Ok(decimal.call1((obj,))?)
    } else if obj.is_instance_of::<PyFloat>() {
        Ok(decimal.call1((obj.str()?,))?)
    } else if let Ok(s) = obj.downcast::<PyString>() {
        match s.to_str() {
            Ok(text) => parse(py, text, input),
            Err(_) => Err(ValError::new(py, "decimal_parsing", input)),
        }
    } else {
        Err(ValError::new(py, "decimal_type", input))
    }
}

/// Strict mode on Python input takes Decimal instances only.
#[cold]
fn not_a_decimal(py: Python<'_>, input: Input<'_, '_>) -> ValError {
    let class = PyString::new(py, "Decimal").into_any().unbind();
    ValError::Lines(vec![line_with_ctx(
        py,
        "is_instance_of",
        input.to_object(py),
        &[("class", class)],
    )])
}

/// Every JSON number and string is Decimal input, in strict mode too (pydantic).
fn from_json<'py>(
    py: Python<'py>,
    json: &JsonValue<'_>,
    input: Input<'_, 'py>,
    state: &mut State,
) -> ValResult<Bound<'py, PyAny>> {
    let decimal = py_decimal_type(py);
    state.floor(Exactness::Strict);
    match json {
        JsonValue::Str(s) => parse(py, s, input),
        JsonValue::Int(_) | JsonValue::BigInt(_) => Ok(decimal.call1((input.to_object(py),))?),
        // Rust writes a float as its shortest round-trip digits, never with an exponent
        JsonValue::Float(f) => Ok(decimal.call1((f.to_string(),))?),
        _ => Err(ValError::new(py, "decimal_type", input)),
    }
}

/// Python's `Decimal` syntax, stripped, with ASCII digits only.
fn parse<'py>(py: Python<'py>, text: &str, input: Input<'_, 'py>) -> ValResult<Bound<'py, PyAny>> {
    let text = py_strip(text);
    // Decimal() also reads non-ASCII digits; the spec allows ASCII only
    if !text.is_ascii() {
        return Err(ValError::new(py, "decimal_parsing", input));
    }
    py_decimal_type(py)
        .call1((text,))
        .map_err(|_| ValError::new(py, "decimal_parsing", input))
}
