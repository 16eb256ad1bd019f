//! The public `json_loads` / `json_dumps` / `json_dumps_bytes` (`ferrule.json.loads`, `dumps`,
//! `dumps_bytes`) as C functions: the call made most, with one argument and no options, goes
//! straight to the reader or writer (no keyword parsing); any other call is passed on as it
//! came to the full PyO3 function, whose argument checks and error messages are the ones users
//! see.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::Borrowed;

use super::c_function::{forward, new_function, Fast};
use super::json_functions::{dumps_plain, loads_plain};
use super::model_methods::entry;

static FULL_LOADS: GILOnceCell<Py<PyAny>> = GILOnceCell::new();
static FULL_DUMPS: GILOnceCell<Py<PyAny>> = GILOnceCell::new();
static FULL_DUMPS_BYTES: GILOnceCell<Py<PyAny>> = GILOnceCell::new();

unsafe extern "C" fn loads_entry(
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    dispatch(&FULL_LOADS, Plain::Loads, args, nargs, kwnames)
}

unsafe extern "C" fn dumps_entry(
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    dispatch(&FULL_DUMPS, Plain::Dumps, args, nargs, kwnames)
}

unsafe extern "C" fn dumps_bytes_entry(
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    dispatch(&FULL_DUMPS_BYTES, Plain::DumpsBytes, args, nargs, kwnames)
}

/// What the one-argument call does.
#[derive(Clone, Copy)]
enum Plain {
    Loads,
    Dumps,
    DumpsBytes,
}

/// The plain call for `f(obj)`, else the full function called with the same arguments.
///
/// # Safety
/// The arguments of a METH_FASTCALL | METH_KEYWORDS call.
unsafe fn dispatch(
    full: &GILOnceCell<Py<PyAny>>,
    plain: Plain,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        if nargs == 1 && kwnames.is_null() {
            let obj = Borrowed::from_ptr(py, *args);
            let done = match plain {
                Plain::Loads => loads_plain(py, &obj),
                Plain::Dumps => dumps_plain(py, &obj, true),
                Plain::DumpsBytes => dumps_plain(py, &obj, false),
            };
            return Ok(done?.into_ptr());
        }
        let full = full
            .get(py)
            .ok_or_else(|| crate::errors::ferrule_err(py, "InternalError", "json not set up"))?;
        forward(py, full.bind(py), args, nargs, kwnames)
    })
}

/// Register `json_loads`, `json_dumps` and `json_dumps_bytes` on `module`: the full PyO3
/// functions are kept for the calls with options, and lend their signature and docstring to
/// the C functions.
pub(crate) fn add_functions(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    let loads = wrap_pyfunction!(super::json_functions::json_loads, module)?.into_any();
    let dumps = wrap_pyfunction!(super::json_functions::json_dumps, module)?.into_any();
    let dumps_bytes = wrap_pyfunction!(super::json_functions::json_dumps_bytes, module)?.into_any();
    for (name, full, cell, function) in [
        ("json_loads", loads, &FULL_LOADS, loads_entry as Fast),
        ("json_dumps", dumps, &FULL_DUMPS, dumps_entry),
        (
            "json_dumps_bytes",
            dumps_bytes,
            &FULL_DUMPS_BYTES,
            dumps_bytes_entry,
        ),
    ] {
        let signature: String = full.getattr("__text_signature__")?.extract()?;
        let doc: String = full.getattr("__doc__")?.extract()?;
        let doc = format!("{name}{signature}\n--\n\n{doc}");
        let function = new_function(
            py,
            name,
            &doc,
            function,
            Some(module.as_any()),
            module.name()?.as_any(),
        )?;
        let _ = cell.set(py, full.unbind());
        module.add(name, function)?;
    }
    Ok(())
}
