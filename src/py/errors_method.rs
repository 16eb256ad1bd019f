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
    _: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
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
        match raw.downcast::<RawErrors>() {
            Ok(lines) => render_lines(py, lines.get(), messages),
            Err(_) => render_list(py, raw.downcast()?, messages),
        }
    });
    match result {
        Ok(list) => list.into_ptr(),
        Err(err) => {
            err.restore(py);
            std::ptr::null_mut()
        }
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
            PyCFunction: errors_method,
        },
        ml_flags: ffi::METH_NOARGS,
        ml_doc: c"Every error as a dict with loc, type, msg, input (and ctx).".as_ptr(),
    }));
    // SAFETY: `def` is leaked (lives forever); the descriptor is a new reference or NULL.
    let descr = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(cls.as_type_ptr(), def))?
    };
    cls.setattr("errors", descr)
}
