//! Error plumbing between the Rust core and Python: every exception ferrule raises from Rust is a
//! class from `ferrule.errors`, and no panic ever leaves as PyO3's `PanicException`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyType;

/// Look up (once) an exception class defined in `ferrule.errors`.
pub(crate) fn error_class<'py>(
    py: Python<'py>,
    name: &'static str,
) -> PyResult<Bound<'py, PyType>> {
    static MODULE: GILOnceCell<Py<PyModule>> = GILOnceCell::new();
    let module = MODULE.get_or_try_init(py, || py.import("ferrule.errors").map(Bound::unbind))?;
    Ok(module.bind(py).getattr(name)?.downcast_into::<PyType>()?)
}

/// Build a ferrule exception of class `name` with a single message argument.
pub(crate) fn ferrule_err(py: Python<'_>, name: &'static str, message: impl Into<String>) -> PyErr {
    match error_class(py, name) {
        Ok(cls) => PyErr::from_type(cls, message.into()),
        Err(err) => err,
    }
}

/// Run `f`, turning a Rust panic into `ferrule.errors.InternalError` instead of aborting or
/// escaping as `PanicException` (a `BaseException` that `except Exception` would miss). Every
/// entry from Python passes here, so this is also where runaway re-entry is refused: with too
/// little native stack left, `RecursionError` (as Python's own limit would raise).
pub(crate) fn guard<T>(py: Python<'_>, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    if !crate::stack::room_left() {
        return Err(pyo3::exceptions::PyRecursionError::new_err(
            "maximum recursion depth exceeded in the ferrule core",
        ));
    }
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            let detail = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Err(ferrule_err(
                py,
                "InternalError",
                format!("internal error in ferrule core: {detail}"),
            ))
        }
    }
}

/// Build a ferrule exception of class `name` from constructor arguments (for classes such as
/// `UnsupportedFeatureError(dialect, feature)` that take more than a message).
pub(crate) fn ferrule_err_args<A>(py: Python<'_>, name: &'static str, args: A) -> PyErr
where
    A: pyo3::PyErrArguments + Send + Sync + 'static,
{
    match error_class(py, name) {
        Ok(cls) => PyErr::from_type(cls, args),
        Err(err) => err,
    }
}

/// Panics inside `guard`: lets the test suite prove a panic surfaces as `InternalError`.
#[pyfunction]
pub(crate) fn _panic_inside_guard(py: Python<'_>) -> PyResult<()> {
    guard(py, || panic!("deliberate panic to test the boundary"))
}
