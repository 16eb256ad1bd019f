//! The `sqlite3` module's exceptions for a failed step, chosen and worded as the module does:
//! the class from the primary result code, the text from `sqlite3_errmsg`, and (as Python 3.11+
//! sets them) `sqlite_errorcode` and `sqlite_errorname` on the exception.

use std::ffi::CStr;
use std::os::raw::c_int;

use pyo3::exceptions::PyMemoryError;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyType};

use super::api::{Api, Db};

/// The classes of the module instance the first runner was made for.
pub(crate) struct Classes {
    operational: Py<PyType>,
    integrity: Py<PyType>,
    database: Py<PyType>,
    internal: Py<PyType>,
    data: Py<PyType>,
    interface: Py<PyType>,
    /// Result code → symbolic name, as the module names them (Python 3.11+); `None` where
    /// the module sets no code or name on its exceptions (3.10).
    names: Option<Py<PyDict>>,
}

static CLASSES: GILOnceCell<Classes> = GILOnceCell::new();

pub(crate) fn remember(
    module: &Bound<'_, PyAny>,
    names: Option<Bound<'_, PyDict>>,
) -> PyResult<()> {
    let py = module.py();
    let class = |name: &str| -> PyResult<Py<PyType>> {
        Ok(module.getattr(name)?.downcast_into::<PyType>()?.unbind())
    };
    let classes = Classes {
        operational: class("OperationalError")?,
        integrity: class("IntegrityError")?,
        database: class("DatabaseError")?,
        internal: class("InternalError")?,
        data: class("DataError")?,
        interface: class("InterfaceError")?,
        names: names.map(Bound::unbind),
    };
    let _ = CLASSES.set(py, classes);
    Ok(())
}

fn classes(py: Python<'_>) -> PyResult<&Classes> {
    CLASSES.get(py).ok_or_else(|| {
        pyo3::exceptions::PyRuntimeError::new_err("the SQLite statement runner is not set up")
    })
}

/// An `OperationalError` with `message` (the module's undecodable-text error).
pub(crate) fn operational(py: Python<'_>, message: String) -> PyErr {
    match classes(py) {
        Ok(classes) => PyErr::from_type(classes.operational.bind(py).clone(), (message,)),
        Err(err) => err,
    }
}

/// The error SQLite reports on `db` for the result code `rc` of a step.
pub(crate) fn from_step(py: Python<'_>, api: &Api, db: *mut Db, rc: c_int) -> PyErr {
    if let Some(raised) = PyErr::take(py) {
        return raised; // a callback (progress handler, SQL function) left its own error
    }
    let classes = match classes(py) {
        Ok(classes) => classes,
        Err(err) => return err,
    };
    // SAFETY: `db` is the live connection the statement ran on; the message is copied at once.
    let (code, message) = unsafe {
        let code = (api.extended_errcode)(db);
        let text = (api.errmsg)(db);
        let message = if text.is_null() {
            String::from("unknown error")
        } else {
            CStr::from_ptr(text).to_string_lossy().into_owned()
        };
        (if code == 0 { rc } else { code }, message)
    };
    let class = match code & 0xFF {
        2 | 12 => &classes.internal, // INTERNAL, NOTFOUND
        7 => return PyMemoryError::new_err(()),
        1 | 3 | 4 | 5 | 6 | 8 | 9 | 10 | 13 | 14 | 15 | 16 | 17 => &classes.operational,
        11 => &classes.database,       // CORRUPT
        18 => &classes.data,           // TOOBIG
        19 | 20 => &classes.integrity, // CONSTRAINT, MISMATCH
        21 | 25 => &classes.interface, // MISUSE, RANGE
        _ => &classes.database,
    };
    let err = PyErr::from_type(class.bind(py).clone(), (message,));
    if let Some(names) = &classes.names {
        let value = err.value(py);
        let name = match names.bind(py).get_item(code) {
            Ok(Some(name)) => name,
            Ok(None) => py.None().into_bound(py),
            Err(failed) => return failed,
        };
        if let Err(failed) = value
            .setattr(pyo3::intern!(py, "sqlite_errorcode"), code)
            .and_then(|()| value.setattr(pyo3::intern!(py, "sqlite_errorname"), name))
        {
            return failed;
        }
    }
    err
}
