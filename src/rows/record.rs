//! Driver rows → `Record`s (python/ferrule/backends/base.py): one tuple subclass per column
//! list, so that a row answers by position and by name on every backend.
//!
//! Two costs of calling the class per row are avoided. The call itself (`type.__call__`,
//! argument parsing, an intermediate tuple) becomes one allocation with the items copied over.
//! And the garbage collector: 50,000 new tracked objects set off collections that walk every
//! live object, which measured as a third of the whole fetch on MariaDB. A record whose items
//! are all objects the collector never tracks (numbers, strings, bytes, `None`, dates,
//! `Decimal`, and tuples of such) can never be part of a reference cycle, so it is untracked,
//! as CPython itself untracks such exact tuples (`_PyTuple_MaybeUntrack`).
//!
//! Nothing about the class is taken on trust: it must be a tuple subclass with tuple's own
//! layout (`__slots__ = ()`), `__new__` and `__init__`, or the rows go through `cls(row)` like
//! any other callable. A row that is not an exact tuple also goes through `cls(row)`. The
//! length of each row is the tuple's own size.

use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple, PyType};

use crate::cpython::gc::may_be_tracked;

/// Whether instances of `cls` can be made by allocating it and filling its items: a tuple
/// subclass that adds no storage and runs no code of its own at construction.
fn plain_tuple_subclass(cls: &Bound<'_, PyType>) -> PyResult<bool> {
    let py = cls.py();
    let tuple = py.get_type::<PyTuple>();
    if !cls.is_subclass(&tuple)? || cls.is(&tuple) {
        return Ok(false);
    }
    // Interned names: a fresh string per lookup missed the type attribute cache and walked
    // the MRO, several times per call (a fifth of a 10-row MariaDB fetch_all's own cost).
    for attr in [intern!(py, "__basicsize__"), intern!(py, "__itemsize__")] {
        if !cls.getattr(attr)?.eq(tuple.getattr(attr)?)? {
            return Ok(false);
        }
    }
    let object = py.get_type::<pyo3::types::PyAny>();
    let (new, init) = (intern!(py, "__new__"), intern!(py, "__init__"));
    Ok(cls.getattr(new)?.is(&tuple.getattr(new)?) && cls.getattr(init)?.is(&object.getattr(init)?))
}

/// One instance of `cls` holding the items of `row` (an exact tuple).
fn filled<'py>(cls: &Bound<'py, PyType>, row: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    let size = row.len();
    let mut cyclic = false;
    // SAFETY: `cls` is a live tuple subclass with tuple's layout (checked by the caller), so
    // PyType_GenericAlloc returns a new, zero-filled, tracked instance with room for `size`
    // items (or NULL with an exception set). PyTuple_SetItem steals a new reference and
    // accepts a tuple subclass held only here (refcount 1). Untracking is allowed for an
    // object whose items the collector never needs to visit.
    unsafe {
        let raw = ffi::PyType_GenericAlloc(cls.as_type_ptr(), size as ffi::Py_ssize_t);
        let out = Bound::from_owned_ptr_or_err(py, raw)?;
        for (index, item) in row.iter().enumerate().take(size) {
            cyclic = cyclic || may_be_tracked(item.as_ptr());
            if ffi::PyTuple_SetItem(out.as_ptr(), index as ffi::Py_ssize_t, item.into_ptr()) != 0 {
                return Err(PyErr::fetch(py));
            }
        }
        if !cyclic && ffi::PyObject_GC_IsTracked(out.as_ptr()) != 0 {
            ffi::PyObject_GC_UnTrack(out.as_ptr().cast());
        }
        Ok(out)
    }
}

/// `[cls(row) for row in rows]`, for a list or tuple of rows.
#[pyfunction]
pub(crate) fn records<'py>(
    cls: &Bound<'py, PyType>,
    rows: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    crate::errors::guard(cls.py(), || {
        let py = cls.py();
        let plain = plain_tuple_subclass(cls)?;
        let out = PyList::empty(py);
        // The row count is read again at every step: code run by the collector or by
        // `cls(row)` may change the list.
        let mut index = 0;
        while let Some(row) = super::row_at(rows, index, "records")? {
            let record = match row.downcast_exact::<PyTuple>() {
                Ok(tuple) if plain => filled(cls, tuple)?,
                _ => cls.call1((row,))?,
            };
            out.append(record)?;
            index += 1;
        }
        Ok(out)
    })
}
