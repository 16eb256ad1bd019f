//! `ValidationError.errors()` as a C method (no Python frame per call), installed on the class
//! by `ferrule.errors` at import.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

use crate::cpython;
use crate::errors::guard;
use crate::validate::errors::{render_lines, render_list, RawErrors};

/// `ValidationError.errors()` as a C method: installed on the class by `install_errors_method`
/// so the call costs no Python frame. Reads the raw tuples from `args[1]`.
unsafe extern "C" fn errors_method(
    slf: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
        let shape = if args.is_null() && kwargs.is_null() {
            Shape::default()
        } else {
            Shape::from_args(
                &Bound::from_borrowed_ptr_or_opt(py, args),
                &Bound::from_borrowed_ptr_or_opt(py, kwargs),
            )?
        };
        let exc = Bound::from_borrowed_ptr(py, slf);
        let args = match cpython::exception_args(py, &exc) {
            Some(args) => args,
            None => exc.getattr(pyo3::intern!(py, "args"))?,
        };
        let raw = match args.downcast::<PyTuple>() {
            Ok(tuple) => tuple.get_item(1)?,
            Err(_) => args.get_item(1)?,
        };
        let messages = MESSAGES
            .get(py)
            .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("messages not installed"))?
            .bind(py);
        let list = match raw.downcast::<RawErrors>() {
            Ok(lines) => render_lines(py, lines.get(), messages)?,
            Err(_) => render_list(py, raw.downcast()?, messages)?,
        };
        shape.apply(&list)?;
        Ok(list)
    });
    match result {
        Ok(list) => list.into_ptr(),
        Err(err) => {
            err.restore(py);
            std::ptr::null_mut()
        }
    }
}

/// pydantic's `errors(include_url=, include_context=, include_input=)`. ferrule has no error
/// pages, so there is never a `url` to include; the flag is accepted (and checked) so that
/// pydantic code runs unchanged.
#[derive(Default)]
struct Shape {
    drop_context: bool,
    drop_input: bool,
}

impl Shape {
    fn from_args(
        args: &Option<Bound<'_, PyAny>>,
        kwargs: &Option<Bound<'_, PyAny>>,
    ) -> PyResult<Shape> {
        if args.as_ref().is_some_and(|a| a.len().unwrap_or(0) > 0) {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "errors() takes keyword arguments only",
            ));
        }
        let mut shape = Shape::default();
        let Some(kwargs) = kwargs else {
            return Ok(shape);
        };
        for (key, value) in kwargs.downcast::<PyDict>()?.iter() {
            let flag = value.downcast::<pyo3::types::PyBool>().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(format!(
                    "errors(): {key} must be True or False"
                ))
            })?;
            let keep = flag.is_true();
            match key.extract::<&str>()? {
                "include_url" => {}
                "include_context" => shape.drop_context = !keep,
                "include_input" => shape.drop_input = !keep,
                other => {
                    return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                        "errors() got an unexpected keyword argument {other:?}"
                    )))
                }
            }
        }
        Ok(shape)
    }

    fn apply(&self, list: &Bound<'_, PyAny>) -> PyResult<()> {
        if !self.drop_context && !self.drop_input {
            return Ok(());
        }
        for item in list.try_iter()? {
            let item = item?;
            let error = item.downcast::<PyDict>()?;
            if self.drop_context {
                error.del_item("ctx").or_else(|e| {
                    if e.is_instance_of::<pyo3::exceptions::PyKeyError>(list.py()) {
                        Ok(())
                    } else {
                        Err(e)
                    }
                })?;
            }
            if self.drop_input {
                error.del_item("input")?;
            }
        }
        Ok(())
    }
}

static MESSAGES: pyo3::sync::GILOnceCell<Py<PyDict>> = pyo3::sync::GILOnceCell::new();

/// Replace `cls.errors` with the C method above, rendering from `messages`.
#[pyfunction]
pub(crate) fn install_errors_method(
    py: Python<'_>,
    cls: &Bound<'_, pyo3::types::PyType>,
    messages: &Bound<'_, PyDict>,
) -> PyResult<()> {
    let _ = MESSAGES.set(py, messages.clone().unbind());
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"errors".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionWithKeywords: errors_method,
        },
        ml_flags: ffi::METH_VARARGS | ffi::METH_KEYWORDS,
        ml_doc: c"Every error as a dict with loc, type, msg, input (and ctx).".as_ptr(),
    }));
    // SAFETY: `def` is leaked (lives forever); the descriptor is a new reference or NULL.
    let descr = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(cls.as_type_ptr(), def))?
    };
    cls.setattr("errors", descr)
}
