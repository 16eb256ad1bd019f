//! `SlotCopier`: shallow copies of instances of one `__slots__` class, member by member (the
//! ORM's `QuerySet._clone`, made once or twice per query). Only where the fast paths proved
//! every member's offset (`cpython::slot_offset`); otherwise `of` answers `None` and the
//! caller copies in Python.

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyType};

use super::slot::Slot;
use crate::cpython::slot_at;

#[pyclass(module = "ferrule._ferrule", name = "SlotCopier", frozen)]
pub(crate) struct SlotCopier {
    cls: Py<PyType>,
    /// The byte offset of every member, proven for `cls`.
    offsets: Vec<usize>,
}

#[pymethods]
impl SlotCopier {
    /// A copier of instances of exactly `cls`, whose members are all of `names` (its
    /// `__slots__`, with no `__dict__` or weak references beside them); `None` where an
    /// offset is not proven (fast paths off, an unknown CPython layout).
    #[staticmethod]
    fn of(cls: &Bound<'_, PyType>, names: Vec<Bound<'_, PyString>>) -> PyResult<Option<Self>> {
        Ok(proven_offsets(cls, &names)?.map(|offsets| SlotCopier {
            cls: cls.clone().unbind(),
            offsets,
        }))
    }

    /// A new instance of the class with every member holding what `obj`'s holds (an empty
    /// member stays empty).
    fn copy<'py>(&self, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let py = obj.py();
        let cls = self.cls.bind(py);
        if !obj.get_type().is(cls) {
            return Err(PyTypeError::new_err(
                "SlotCopier.copy: an instance of another class",
            ));
        }
        // SAFETY: `obj` is an instance of exactly `cls`, whose offsets these are.
        unsafe { copy_members(py, cls, &self.offsets, obj.as_ptr()) }
    }
}

/// The byte offset of every member of `cls` named in `names` (its `__slots__`, with no
/// `__dict__` or weak references beside them); `None` where an offset is not proven (fast
/// paths off, an unknown CPython layout).
pub(crate) fn proven_offsets(
    cls: &Bound<'_, PyType>,
    names: &[Bound<'_, PyString>],
) -> PyResult<Option<Vec<usize>>> {
    let py = cls.py();
    let size: isize = cls.getattr(pyo3::intern!(py, "__basicsize__"))?.extract()?;
    let header = std::mem::size_of::<ffi::PyObject>() as isize;
    if size != header + 8 * names.len() as isize {
        return Ok(None); // a member not named, or a __dict__ / __weakref__ slot
    }
    let mut offsets = Vec::with_capacity(names.len());
    for name in names {
        match Slot::lookup_named(cls, name)?.offset() {
            Some(offset) => offsets.push(offset),
            None => return Ok(None),
        }
    }
    Ok(Some(offsets))
}

/// A new instance of `cls` with every member holding what `obj`'s holds (an empty member
/// stays empty).
///
/// # Safety
/// `obj` is a live instance of exactly `cls`, and `offsets` are `proven_offsets` of `cls`.
pub(crate) unsafe fn copy_members<'py>(
    py: Python<'py>,
    cls: &Bound<'py, PyType>,
    offsets: &[usize],
    obj: *mut ffi::PyObject,
) -> PyResult<Bound<'py, PyAny>> {
    let made = allocate(py, cls)?;
    // SAFETY: `made` is a new, zeroed instance of `cls` (owned here until returned), whose
    // members the proven offsets are.
    unsafe {
        for &offset in offsets {
            // proven offsets of `cls`, whose instances `obj` and `made` both are
            let value = *slot_at(obj, offset);
            if !value.is_null() {
                ffi::Py_IncRef(value);
                *slot_at(made.as_ptr(), offset) = value;
            }
        }
    }
    Ok(made)
}

/// A new instance of `cls` from its tp_alloc: zeroed, every member unset (tracked by the
/// collector if the type is).
pub(crate) fn allocate<'py>(
    py: Python<'py>,
    cls: &Bound<'py, PyType>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `cls` is a live type; its tp_alloc gives a zeroed instance or NULL with an
    // exception set.
    unsafe {
        let alloc = ffi::PyType_GetSlot(cls.as_type_ptr(), ffi::Py_tp_alloc);
        if alloc.is_null() {
            return Err(PyTypeError::new_err("a class without tp_alloc"));
        }
        let alloc: ffi::allocfunc = std::mem::transmute(alloc);
        Bound::from_owned_ptr_or_err(py, alloc(cls.as_type_ptr(), 0))
    }
}

/// The proven offset of the member `wanted` among `names` (as `proven_offsets` gave
/// `offsets` for them), if it is one of them.
pub(crate) fn member_offset(
    names: &[Bound<'_, PyString>],
    offsets: &[usize],
    wanted: &str,
) -> Option<usize> {
    let index = names
        .iter()
        .position(|n| n.to_str().is_ok_and(|t| t == wanted))?;
    offsets.get(index).copied()
}
