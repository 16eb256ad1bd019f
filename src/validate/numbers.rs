//! Numeric bounds (gt, ge, lt, le, multiple_of) shared by int, float and decimal.

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyInt};

use super::errors::{line_with_ctx, Errors};
use crate::input::Input;

/// One bound, with fast native copies when the value is exactly representable.
pub(crate) struct Limit {
    obj: PyObject,
    int: Option<i64>,
    float: Option<f64>,
}

impl Limit {
    fn new(obj: Bound<'_, PyAny>) -> Limit {
        let int = if obj.is_exact_instance_of::<PyInt>() {
            obj.extract::<i64>().ok()
        } else {
            None
        };
        let float = if obj.is_exact_instance_of::<PyFloat>() {
            obj.extract::<f64>().ok()
        } else {
            int.filter(|i| i.unsigned_abs() <= (1u64 << 53))
                .map(|i| i as f64)
        };
        Limit {
            obj: obj.unbind(),
            int,
            float,
        }
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Gt,
    Ge,
    Lt,
    Le,
}

impl Kind {
    fn code(self) -> (&'static str, &'static str) {
        match self {
            Kind::Gt => ("greater_than", "gt"),
            Kind::Ge => ("greater_than_equal", "ge"),
            Kind::Lt => ("less_than", "lt"),
            Kind::Le => ("less_than_equal", "le"),
        }
    }

    fn op(self) -> CompareOp {
        match self {
            Kind::Gt => CompareOp::Gt,
            Kind::Ge => CompareOp::Ge,
            Kind::Lt => CompareOp::Lt,
            Kind::Le => CompareOp::Le,
        }
    }
}

/// The bounds of one numeric field.
#[derive(Default)]
pub(crate) struct Bounds {
    limits: Vec<(Kind, Limit)>,
    multiple_of: Option<Limit>,
    /// All limits as one inclusive i64 range, when every limit is a small int and there is no
    /// `multiple_of`: the common case is then two comparisons.
    int_range: Option<(i64, i64)>,
}

/// The value being checked, with its native form when there is one.
#[derive(Clone, Copy)]
pub(crate) enum Num {
    Int(i64),
    Float(f64),
    Other,
}

impl Bounds {
    pub(crate) fn build(
        schema: &Bound<'_, PyDict>,
        convert: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bounds> {
        let mut bounds = Bounds::default();
        for (key, kind) in [
            ("gt", Kind::Gt),
            ("ge", Kind::Ge),
            ("lt", Kind::Lt),
            ("le", Kind::Le),
        ] {
            if let Some(value) = schema.get_item(key)?.filter(|v| !v.is_none()) {
                bounds.limits.push((kind, Limit::new(value)));
            }
        }
        if let Some(value) = schema.get_item("multiple_of")?.filter(|v| !v.is_none()) {
            let value = match convert {
                // decimal: the divisor must be a Decimal too (Decimal % float is a TypeError)
                Some(to_decimal) => to_decimal.call1((value.str()?,))?,
                None => value,
            };
            bounds.multiple_of = Some(Limit::new(value));
        }
        bounds.compute_int_range();
        Ok(bounds)
    }

    /// Every limit as one inclusive i64 range (see the field), if they make one.
    pub(crate) fn int_range(&self) -> Option<(i64, i64)> {
        self.int_range
    }

    /// True when `v` passes every bound, decided with f64 comparisons alone (false also when
    /// that cannot decide: the full check then runs and reports).
    #[inline]
    pub(crate) fn float_passes(&self, v: f64) -> bool {
        self.multiple_of.is_none()
            && self.limits.iter().all(|(kind, limit)| match limit.float {
                Some(l) => compare_f64(v, l, *kind),
                None => false,
            })
    }

    /// `Some(true)` when `v` passes every bound (known from the i64 range alone).
    #[inline]
    pub(crate) fn int_passes(&self, v: i64) -> bool {
        matches!(self.int_range, Some((lo, hi)) if lo <= v && v <= hi)
    }

    fn compute_int_range(&mut self) {
        if self.multiple_of.is_some() {
            return;
        }
        let (mut lo, mut hi) = (i64::MIN, i64::MAX);
        for (kind, limit) in &self.limits {
            let Some(l) = limit.int else { return };
            match kind {
                Kind::Gt => match l.checked_add(1) {
                    Some(v) => lo = lo.max(v),
                    None => return,
                },
                Kind::Ge => lo = lo.max(l),
                Kind::Lt => match l.checked_sub(1) {
                    Some(v) => hi = hi.min(v),
                    None => return,
                },
                Kind::Le => hi = hi.min(l),
            }
        }
        self.int_range = Some((lo, hi));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.limits.is_empty() && self.multiple_of.is_none()
    }

    /// Check every bound, reporting each failing one.
    pub(crate) fn check(
        &self,
        py: Python<'_>,
        value: &Bound<'_, PyAny>,
        num: Num,
        input: Input<'_, '_>,
    ) -> PyResult<Errors> {
        let mut errors = Errors::default();
        for (kind, limit) in &self.limits {
            let ok = match (num, limit.int, limit.float) {
                (Num::Int(v), Some(l), _) => compare_i64(v, l, *kind),
                (Num::Float(v), _, Some(l)) => compare_f64(v, l, *kind),
                _ => value
                    .rich_compare(limit.obj.bind(py), kind.op())?
                    .is_truthy()?,
            };
            if !ok {
                let (code, key) = kind.code();
                errors.push(line_with_ctx(
                    py,
                    code,
                    input.to_object(py),
                    &[(key, limit.obj.clone_ref(py))],
                ));
            }
        }
        if let Some(limit) = &self.multiple_of {
            let ok = match (num, limit.int, limit.float) {
                (Num::Int(v), Some(m), _) => v.checked_rem(m).is_none_or(|r| r == 0),
                (Num::Float(v), _, Some(m)) => float_multiple(v, m),
                (Num::Float(v), _, None) => match limit.obj.bind(py).extract::<f64>() {
                    Ok(m) => float_multiple(v, m),
                    Err(_) => false,
                },
                _ => match value.rem(limit.obj.bind(py)) {
                    Ok(r) => r.eq(0)?,
                    // Decimal: the quotient needs more digits than the context has
                    Err(_) => exact_multiple(py, value, limit.obj.bind(py))?,
                },
            };
            if !ok {
                errors.push(line_with_ctx(
                    py,
                    "multiple_of",
                    input.to_object(py),
                    &[("multiple_of", limit.obj.clone_ref(py))],
                ));
            }
        }
        Ok(errors)
    }
}

fn compare_i64(v: i64, l: i64, kind: Kind) -> bool {
    match kind {
        Kind::Gt => v > l,
        Kind::Ge => v >= l,
        Kind::Lt => v < l,
        Kind::Le => v <= l,
    }
}

fn compare_f64(v: f64, l: f64, kind: Kind) -> bool {
    match kind {
        Kind::Gt => v > l,
        Kind::Ge => v >= l,
        Kind::Lt => v < l,
        Kind::Le => v <= l,
    }
}

/// `value % m` (Python's sign rule, m > 0) within 1e-9 relative of 0 or m.
pub(crate) fn float_multiple(value: f64, m: f64) -> bool {
    if !value.is_finite() || !m.is_finite() || m <= 0.0 {
        return false;
    }
    let mut r = value % m;
    if r != 0.0 && r < 0.0 {
        r += m;
    }
    let tolerance = 1e-9 * m;
    r <= tolerance || (m - r) <= tolerance
}

/// `value % step == 0` computed exactly with `fractions.Fraction`, for huge Decimals.
fn exact_multiple(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    step: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let adjusted =
        |d: &Bound<'_, PyAny>| -> PyResult<i64> { d.call_method0("adjusted")?.extract() };
    if let (Ok(a), Ok(b)) = (adjusted(value), adjusted(step)) {
        if a - b > 4300 {
            return Ok(false);
        }
    }
    let fraction = py.import("fractions")?.getattr("Fraction")?;
    let r = fraction.call1((value,))?.rem(fraction.call1((step,))?)?;
    r.eq(0)
}
