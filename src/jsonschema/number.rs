//! JSON values as Python objects: their kind, JSON equality, and exact number rules.
//!
//! Numbers are `int`, finite `float` and finite `Decimal`, compared by value as Python does
//! (exactly: `2**53 + 1 != 2.0**53`). Common cases run on `i64`/`f64`; the rest asks Python.
//! `multipleOf` is exact decimal arithmetic: a float counts as the decimal of its shortest
//! round-trip text (Rust's and Python's shortest repr agree), so `0.3` is a multiple of `0.1`.

use std::cmp::Ordering;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

use crate::conv::py_decimal_type;
use crate::errors::ferrule_err;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Kind {
    Null,
    Bool,
    Int,
    Float,
    Decimal,
    Str,
    List,
    Dict,
}

impl Kind {
    pub(crate) fn is_number(self) -> bool {
        matches!(self, Kind::Int | Kind::Float | Kind::Decimal)
    }
}

/// The JSON kind of `value`, or a `JSONError` (as the pure twin's `json_kind`).
pub(crate) fn kind(value: &Bound<'_, PyAny>) -> PyResult<Kind> {
    let py = value.py();
    if value.is_exact_instance_of::<PyString>() {
        return Ok(Kind::Str);
    }
    if value.is_exact_instance_of::<PyDict>() {
        return Ok(Kind::Dict);
    }
    if value.is_exact_instance_of::<PyList>() {
        return Ok(Kind::List);
    }
    if value.is_exact_instance_of::<PyBool>() {
        return Ok(Kind::Bool);
    }
    if value.is_exact_instance_of::<PyInt>() {
        return Ok(Kind::Int);
    }
    if let Ok(float) = value.downcast_exact::<PyFloat>() {
        if !float.value().is_finite() {
            return Err(not_finite(value));
        }
        return Ok(Kind::Float);
    }
    if value.is_none() {
        return Ok(Kind::Null);
    }
    if value.get_type().is(py_decimal_type(py)) {
        if !value.call_method0("is_finite")?.is_truthy()? {
            return Err(not_finite(value));
        }
        return Ok(Kind::Decimal);
    }
    let name = value.get_type().name()?;
    Err(ferrule_err(
        py,
        "JSONError",
        format!("a {name} is not a JSON value"),
    ))
}

fn not_finite(value: &Bound<'_, PyAny>) -> PyErr {
    let shown = value
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "the value".to_owned());
    ferrule_err(
        value.py(),
        "JSONError",
        format!("{shown} is not a JSON number (JSON has no NaN or infinity)"),
    )
}

/// A number from the schema, with its fast forms when it has them.
pub(crate) struct Num {
    pub(crate) object: PyObject,
    int: Option<i64>,
    float: Option<f64>,
    decimal: Option<(i128, i32)>,
}

impl Num {
    pub(crate) fn new(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        let (int, float) = if value.is_exact_instance_of::<PyInt>() {
            (value.extract::<i64>().ok(), None)
        } else if let Ok(f) = value.downcast_exact::<PyFloat>() {
            (None, Some(f.value()))
        } else {
            (None, None)
        };
        let decimal = match (int, float) {
            (Some(i), _) => Some((i128::from(i), 0)),
            (_, Some(f)) => float_decimal(f),
            _ => None,
        };
        Ok(Num {
            object: value.clone().unbind(),
            int,
            float,
            decimal,
        })
    }
}

/// `value` (a number) compared with `bound`.
pub(crate) fn compare(value: &Bound<'_, PyAny>, kind: Kind, bound: &Num) -> PyResult<Ordering> {
    const EXACT: i64 = 1 << 53;
    match kind {
        Kind::Int => {
            if let Ok(v) = value.extract::<i64>() {
                if let Some(b) = bound.int {
                    return Ok(v.cmp(&b));
                }
                if let Some(b) = bound.float {
                    if (-EXACT..=EXACT).contains(&v) {
                        return Ok((v as f64).partial_cmp(&b).unwrap_or(Ordering::Equal));
                    }
                }
            }
        }
        Kind::Float => {
            let v = value.downcast::<PyFloat>()?.value();
            if let Some(b) = bound.float {
                return Ok(v.partial_cmp(&b).unwrap_or(Ordering::Equal));
            }
            if let Some(b) = bound.int {
                if (-EXACT..=EXACT).contains(&b) {
                    return Ok(v.partial_cmp(&(b as f64)).unwrap_or(Ordering::Equal));
                }
            }
        }
        _ => {}
    }
    value.compare(bound.object.bind(value.py()))
}

/// Whether `value / divisor` is an integer, exactly.
pub(crate) fn is_multiple(
    value: &Bound<'_, PyAny>,
    kind: Kind,
    divisor: &Num,
    fallback: &PyObject,
) -> PyResult<bool> {
    let fast = match kind {
        Kind::Int => value.extract::<i64>().ok().map(|v| (i128::from(v), 0)),
        Kind::Float => float_decimal(value.downcast::<PyFloat>()?.value()),
        _ => None,
    };
    if let (Some((a, ea)), Some((b, eb))) = (fast, divisor.decimal) {
        if let Some(answer) = multiple_i128(a, ea, b, eb) {
            return Ok(answer);
        }
    }
    fallback
        .bind(value.py())
        .call1((value, divisor.object.bind(value.py())))?
        .is_truthy()
}

fn multiple_i128(a: i128, ea: i32, b: i128, eb: i32) -> Option<bool> {
    if a == 0 {
        return Some(true);
    }
    if b == 0 {
        return None;
    }
    let shift = |x: i128, by: i32| -> Option<i128> {
        let factor = 10i128.checked_pow(u32::try_from(by).ok()?)?;
        x.checked_mul(factor)
    };
    if ea >= eb {
        Some(shift(a, ea - eb)? % b == 0)
    } else {
        Some(a % shift(b, eb - ea)? == 0)
    }
}

/// A finite float as (mantissa, exponent) of its shortest round-trip decimal text.
fn float_decimal(f: f64) -> Option<(i128, i32)> {
    if !f.is_finite() {
        return None;
    }
    let text = format!("{f:e}");
    let (mantissa, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = format!("{whole}{fraction}");
    let value: i128 = digits.parse().ok()?;
    Some((value, exponent - i32::try_from(fraction.len()).ok()?))
}

/// Whether a number that is not an `int` has no fraction.
pub(crate) fn is_integral(value: &Bound<'_, PyAny>, kind: Kind) -> PyResult<bool> {
    match kind {
        Kind::Int => Ok(true),
        Kind::Float => Ok(value.downcast::<PyFloat>()?.value().fract() == 0.0),
        Kind::Decimal => value.eq(value.call_method0("to_integral_value")?),
        _ => Ok(false),
    }
}

/// JSON equality of `x` (read where `y` leads) and `y` (walked), as the twin's `json_equal`.
pub(crate) fn json_equal(
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    depth: usize,
) -> PyResult<bool> {
    if depth > super::MAX_DEPTH {
        return Err(ferrule_err(
            x.py(),
            "JSONError",
            format!("value nested more than {} levels deep", super::MAX_DEPTH),
        ));
    }
    let kx = kind(x)?;
    let ky = kind(y)?;
    if kx.is_number() {
        if !ky.is_number() {
            return Ok(false);
        }
        if kx == Kind::Int && ky == Kind::Int {
            if let (Ok(a), Ok(b)) = (x.extract::<i64>(), y.extract::<i64>()) {
                return Ok(a == b);
            }
        }
        if kx == Kind::Float && ky == Kind::Float {
            return Ok(x.downcast::<PyFloat>()?.value() == y.downcast::<PyFloat>()?.value());
        }
        return x.eq(y);
    }
    if kx != ky {
        return Ok(false);
    }
    match kx {
        Kind::Null => Ok(true),
        Kind::Bool => Ok(x.is(y)),
        Kind::Str => {
            let (a, b) = (x.downcast::<PyString>()?, y.downcast::<PyString>()?);
            match (a.to_str(), b.to_str()) {
                (Ok(a), Ok(b)) => Ok(a == b),
                _ => x.eq(y),
            }
        }
        Kind::Dict => {
            let (a, b) = (x.downcast::<PyDict>()?, y.downcast::<PyDict>()?);
            if a.len() != b.len() {
                return Ok(false);
            }
            for (key, value) in b.iter() {
                match a.get_item(&key)? {
                    Some(item) if json_equal(&item, &value, depth + 1)? => {}
                    _ => return Ok(false),
                }
            }
            Ok(true)
        }
        Kind::List => {
            let (a, b) = (x.downcast::<PyList>()?, y.downcast::<PyList>()?);
            if a.len() != b.len() {
                return Ok(false);
            }
            for (i, value) in b.iter().enumerate() {
                // a list may shrink while it is read: a missing item is a difference
                match a.get_item(i) {
                    Ok(item) if json_equal(&item, &value, depth + 1)? => {}
                    _ => return Ok(false),
                }
            }
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_are_their_shortest_decimal() {
        assert_eq!(float_decimal(0.3), Some((3, -1)));
        assert_eq!(float_decimal(123.25), Some((12325, -2)));
        assert_eq!(float_decimal(1e22), Some((1, 22)));
        assert_eq!(float_decimal(-0.0), Some((0, 0)));
    }

    #[test]
    fn multiples_are_exact() {
        assert_eq!(multiple_i128(3, -1, 1, -1), Some(true));
        assert_eq!(multiple_i128(35, -1, 1, -1), Some(true));
        assert_eq!(multiple_i128(7, 0, 2, 0), Some(false));
        assert_eq!(multiple_i128(1, -2, 1, -1), Some(false));
    }
}
