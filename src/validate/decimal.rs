//! `decimal`: Decimals; in lax mode ints, floats (via `str(float)`) and numeric strings.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyString, PyTuple};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::numbers::{Bounds, Num};
use super::{schema, State};
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
        let decimal = py_decimal_type(py);
        let parse = |text: &str| -> ValResult<Bound<'py, PyAny>> {
            let text = py_strip(text);
            // Decimal() also reads non-ASCII digits; the spec allows ASCII only
            if !text.is_ascii() {
                return Err(ValError::new(py, "decimal_parsing", input));
            }
            decimal
                .call1((text,))
                .map_err(|_| ValError::new(py, "decimal_parsing", input))
        };
        let value = match input {
            Input::Py(obj) => {
                if obj.is_instance(decimal)? {
                    obj.clone()
                } else if strict || obj.is_instance_of::<PyBool>() {
                    return Err(ValError::new(py, "decimal_type", input));
                } else if obj.is_instance_of::<PyInt>() {
                    decimal.call1((obj,))?
                } else if obj.is_instance_of::<PyFloat>() {
                    decimal.call1((obj.str()?,))?
                } else if let Ok(s) = obj.downcast::<PyString>() {
                    match s.to_str() {
                        Ok(text) => parse(text)?,
                        Err(_) => return Err(ValError::new(py, "decimal_parsing", input)),
                    }
                } else {
                    return Err(ValError::new(py, "decimal_type", input));
                }
            }
            Input::Json(json) => match json {
                JsonValue::Str(s) => parse(s)?,
                JsonValue::Int(_) | JsonValue::BigInt(_) if !strict => {
                    decimal.call1((input.to_object(py),))?
                }
                JsonValue::Float(f) if !strict => decimal.call1((PyFloat::new(py, *f).str()?,))?,
                _ => return Err(ValError::new(py, "decimal_type", input)),
            },
        };
        if !value.call_method0("is_finite")?.is_truthy()? {
            return Err(ValError::new(py, "finite_number", input));
        }
        let mut errors = self.bounds.check(py, &value, Num::Other, input)?;
        if self.max_digits.is_some() || self.decimal_places.is_some() {
            let parts = value.call_method0("as_tuple")?;
            let parts = parts.downcast::<PyTuple>().map_err(PyErr::from)?;
            let count = parts.get_item(1)?.len()? as u64;
            let exponent: i64 = parts.get_item(2)?.extract()?;
            let (digits, places) = if exponent >= 0 {
                (count + exponent as u64, 0)
            } else {
                let places = exponent.unsigned_abs();
                (count.max(places), places)
            };
            if let Some(max) = self.max_digits.filter(|m| digits > *m) {
                errors.push(line_with_ctx(
                    py,
                    "decimal_max_digits",
                    input.to_object(py),
                    &[("max_digits", max.into_pyobject(py)?.into_any().unbind())],
                ));
            }
            if let Some(max) = self.decimal_places.filter(|m| places > *m) {
                errors.push(line_with_ctx(
                    py,
                    "decimal_max_places",
                    input.to_object(py),
                    &[("decimal_places", max.into_pyobject(py)?.into_any().unbind())],
                ));
            }
        }
        errors.into_result(value)
    }
}
