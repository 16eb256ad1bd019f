//! The `sqlite3 *` handle inside a `sqlite3.Connection` of the standard library.
//!
//! `pysqlite_Connection` starts with `PyObject_HEAD` followed by `sqlite3 *db` on every
//! CPython from 3.10 to 3.13, and the module sets `db` to NULL when the connection closes.
//! The caller (`crate::sqlite`) proves the read on a private connection before it trusts it.

use std::os::raw::c_void;

use pyo3::ffi;

/// `sizeof(PyObject)` on a 64-bit, non-debug CPython: where `db` sits.
const DB_OFFSET: usize = 16;

/// The connection's `sqlite3 *`, or `None` when the fast paths are off (unknown layout) or the
/// connection is closed.
///
/// # Safety
/// `connection` must be a live instance of the `sqlite3.Connection` type itself (not a
/// subclass with a different layout: subclasses keep the base's fields first, so they are fine
/// too, but nothing else is).
pub(crate) unsafe fn connection_db(connection: *mut ffi::PyObject) -> Option<*mut c_void> {
    if !super::enabled() {
        return None;
    }
    let db = *(connection.cast::<u8>().add(DB_OFFSET).cast::<*mut c_void>());
    (!db.is_null()).then_some(db)
}
