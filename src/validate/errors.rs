//! Validation error lines as the core collects them; turned into `ferrule.errors.ValidationError`
//! only at the boundary (messages are rendered lazily in Python).

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use crate::conv::py_validation_error;
use crate::input::Input;

/// One step of an error location.
pub(crate) enum Loc {
    Key(PyObject),
    Index(usize),
}

/// One problem found in the input.
pub(crate) struct LineError {
    pub(crate) kind: Cow<'static, str>,
    /// Innermost step first: containers push their step as the error travels outwards.
    pub(crate) loc: Vec<Loc>,
    pub(crate) input: PyObject,
    pub(crate) ctx: Option<PyObject>,
    pub(crate) msg: Option<PyObject>,
}

/// Either data errors (collected, reported together) or a Python exception to propagate as-is.
pub(crate) enum ValError {
    Lines(Vec<LineError>),
    Internal(PyErr),
}

pub(crate) type ValResult<T> = Result<T, ValError>;

impl From<PyErr> for ValError {
    fn from(err: PyErr) -> Self {
        ValError::Internal(err)
    }
}

impl ValError {
    pub(crate) fn new(py: Python<'_>, kind: &'static str, input: Input<'_, '_>) -> Self {
        ValError::Lines(vec![LineError {
            kind: Cow::Borrowed(kind),
            loc: Vec::new(),
            input: input.to_object(py),
            ctx: None,
            msg: None,
        }])
    }

    /// Prefix every line's location with `step` (the error moves one level outwards).
    pub(crate) fn at(self, step: impl FnOnce() -> Loc) -> Self {
        match self {
            ValError::Lines(mut lines) => {
                if lines.len() == 1 {
                    lines[0].loc.push(step());
                } else {
                    let step = step();
                    for line in &mut lines {
                        line.loc.push(clone_loc(&step));
                    }
                }
                ValError::Lines(lines)
            }
            internal => internal,
        }
    }
}

fn clone_loc(loc: &Loc) -> Loc {
    match loc {
        Loc::Key(key) => Python::with_gil(|py| Loc::Key(key.clone_ref(py))),
        Loc::Index(i) => Loc::Index(*i),
    }
}

pub(crate) fn line_with_ctx(
    py: Python<'_>,
    kind: &'static str,
    input: PyObject,
    ctx: &[(&str, PyObject)],
) -> LineError {
    let dict = PyDict::new(py);
    for (key, value) in ctx {
        dict.set_item(*key, value).expect("ctx dict");
    }
    LineError {
        kind: Cow::Borrowed(kind),
        loc: Vec::new(),
        input,
        ctx: Some(dict.into_any().unbind()),
        msg: None,
    }
}

/// Collects lines from several sub-validations (fields, items) without stopping at the first.
#[derive(Default)]
pub(crate) struct Errors {
    pub(crate) lines: Vec<LineError>,
}

impl Errors {
    /// Keep data errors (with `step` prefixed); an internal error stops everything.
    pub(crate) fn absorb(&mut self, err: ValError, step: impl FnOnce() -> Loc) -> PyResult<()> {
        match err.at(step) {
            ValError::Lines(lines) => {
                self.lines.extend(lines);
                Ok(())
            }
            ValError::Internal(err) => Err(err),
        }
    }

    pub(crate) fn push(&mut self, line: LineError) {
        self.lines.push(line);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub(crate) fn into_result<T>(self, value: T) -> ValResult<T> {
        if self.lines.is_empty() {
            Ok(value)
        } else {
            Err(ValError::Lines(self.lines))
        }
    }
}

/// Raw error tuples `(loc, type, input, ctx, msg)` as `ferrule.errors.ValidationError` expects.
pub(crate) fn lines_to_py<'py>(
    py: Python<'py>,
    lines: Vec<LineError>,
    prefix: Option<&Loc>,
) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for line in lines {
        let mut steps: Vec<PyObject> = Vec::with_capacity(line.loc.len() + 1);
        if let Some(p) = prefix {
            steps.push(loc_to_py(py, p));
        }
        for step in line.loc.iter().rev() {
            steps.push(loc_to_py(py, step));
        }
        let loc = PyTuple::new(py, steps)?;
        let item = PyTuple::new(
            py,
            [
                loc.into_any().unbind(),
                PyString::new(py, &line.kind).into_any().unbind(),
                line.input,
                line.ctx.unwrap_or_else(|| py.None()),
                line.msg.unwrap_or_else(|| py.None()),
            ],
        )?;
        list.append(item)?;
    }
    Ok(list)
}

fn loc_to_py(py: Python<'_>, loc: &Loc) -> PyObject {
    match loc {
        Loc::Key(key) => key.clone_ref(py),
        Loc::Index(i) => i.into_pyobject(py).expect("index").into_any().unbind(),
    }
}

/// Build the Python `ValidationError` for `lines` under `title`.
pub(crate) fn validation_error(
    py: Python<'_>,
    title: &Bound<'_, PyAny>,
    lines: Vec<LineError>,
) -> PyErr {
    match lines_to_py(py, lines, None) {
        Ok(raw) => match py_validation_error(py).call1((title, raw)) {
            Ok(exc) => PyErr::from_value(exc),
            Err(err) => err,
        },
        Err(err) => err,
    }
}

/// Turn a `ValResult` into a `PyResult`, raising `ValidationError` for data errors.
pub(crate) fn into_py_result<T>(
    py: Python<'_>,
    title: &Bound<'_, PyAny>,
    result: ValResult<T>,
) -> PyResult<T> {
    match result {
        Ok(value) => Ok(value),
        Err(ValError::Lines(lines)) => Err(validation_error(py, title, lines)),
        Err(ValError::Internal(err)) => Err(err),
    }
}

impl From<std::convert::Infallible> for ValError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
