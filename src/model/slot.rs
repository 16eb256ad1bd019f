//! A `__slots__` member of a model class: stored and read through its member descriptor, or
//! at its byte offset when `cpython::slot_offset` proved it (no descriptor call per access).

use std::os::raw::c_int;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyString, PyType};

use crate::cpython::gc::keep_tracked;
use crate::cpython::{slot_at, slot_offset};
use crate::errors::ferrule_err;

type DescrSet =
    unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> c_int;
type DescrGet = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *mut ffi::PyObject,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// `types.MemberDescriptorType`: the type of every `__slots__` member (it has no subclasses).
fn member_descriptor_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static TYPE: GILOnceCell<Py<PyType>> = GILOnceCell::new();
    TYPE.import(py, "types", "MemberDescriptorType")
}

/// A `__slots__` member: its descriptor and the C functions that read and write it.
pub(crate) struct Slot {
    descr: PyObject,
    set: DescrSet,
    get: DescrGet,
    /// The slot's byte offset in the instance, when the fast paths may use it.
    offset: Option<usize>,
}

impl Slot {
    /// The member `name` of `cls`; anything but a slot defined by a class in `cls`'s MRO is a
    /// `SchemaError` (a store through a foreign descriptor would write into the wrong layout).
    pub(crate) fn lookup(cls: &Bound<'_, PyType>, name: &str) -> PyResult<Slot> {
        Slot::lookup_named(cls, &PyString::new(cls.py(), name))
    }

    /// `lookup` with the name as a str object (a field's interned name: no new str).
    pub(crate) fn lookup_named(
        cls: &Bound<'_, PyType>,
        name: &Bound<'_, PyString>,
    ) -> PyResult<Slot> {
        let py = cls.py();
        let descr = cls.getattr(name)?;
        let not_a_slot = || {
            ferrule_err(
                py,
                "SchemaError",
                format!(
                    "{}.{name} is not a slot of the class",
                    cls.name().map(|n| n.to_string()).unwrap_or_default()
                ),
            )
        };
        if !descr.get_type().is(member_descriptor_type(py)?) {
            return Err(not_a_slot());
        }
        let owner = descr.getattr(pyo3::intern!(py, "__objclass__"))?;
        if !cls.is_subclass(owner.downcast::<PyType>()?)? {
            return Err(not_a_slot());
        }
        // SAFETY: member_descriptor is a static type; PyType_GetSlot accepts static types on 3.10+.
        unsafe {
            let tp = ffi::Py_TYPE(descr.as_ptr());
            let set = ffi::PyType_GetSlot(tp, ffi::Py_tp_descr_set);
            let get = ffi::PyType_GetSlot(tp, ffi::Py_tp_descr_get);
            if set.is_null() || get.is_null() {
                return Err(not_a_slot());
            }
            Ok(Slot {
                offset: slot_offset(cls, &descr),
                descr: descr.unbind(),
                set: std::mem::transmute::<*mut std::ffi::c_void, DescrSet>(set),
                get: std::mem::transmute::<*mut std::ffi::c_void, DescrGet>(get),
            })
        }
    }

    /// Store through the descriptor (it checks the instance's type and drops an old value).
    #[inline]
    pub(crate) fn store(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        keep_tracked(obj.as_ptr(), value.as_ptr());
        // SAFETY: live pointers; the descriptor's setter type-checks obj and increfs value.
        let rc = unsafe { (self.set)(self.descr.as_ptr(), obj.as_ptr(), value.as_ptr()) };
        if rc < 0 {
            Err(PyErr::fetch(py))
        } else {
            Ok(())
        }
    }

    /// Empty the slot again (as `del obj.name` would).
    pub(crate) fn clear(&self, py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<()> {
        // SAFETY: a NULL value asks the descriptor's setter to delete.
        let rc = unsafe { (self.set)(self.descr.as_ptr(), obj.as_ptr(), std::ptr::null_mut()) };
        if rc < 0 {
            Err(PyErr::fetch(py))
        } else {
            Ok(())
        }
    }

    /// Store into a slot that may hold a value already (assignment), dropping the old one.
    #[inline]
    pub(crate) fn replace(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: Bound<'_, PyAny>,
    ) -> PyResult<()> {
        keep_tracked(obj.as_ptr(), value.as_ptr());
        match self.offset {
            // SAFETY: proven offset inside an instance of the slot's class; the new reference
            // is moved in and the old one released after the store, as member_set does.
            Some(offset) => unsafe {
                let old = std::ptr::replace(slot_at(obj.as_ptr(), offset), value.into_ptr());
                if !old.is_null() {
                    ffi::Py_DecRef(old);
                }
                Ok(())
            },
            None => self.store(py, obj, &value),
        }
    }

    /// Fill the slot of an instance fresh from `tp_alloc` (slot still NULL), moving `value` in.
    #[inline]
    pub(crate) fn store_new(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: Bound<'_, PyAny>,
    ) -> PyResult<()> {
        match self.offset {
            // SAFETY: proven offset inside the instance; the slot is NULL, so nothing leaks.
            Some(offset) => unsafe {
                *slot_at(obj.as_ptr(), offset) = value.into_ptr();
                Ok(())
            },
            None => self.store(py, obj, &value),
        }
    }

    /// The member descriptor the slot was found as (to tell whether the class still
    /// exposes the slot under its name, or something has replaced it).
    #[inline]
    pub(crate) fn descriptor(&self) -> &PyObject {
        &self.descr
    }

    /// The slot's byte offset in instances, when the fast paths may read it directly.
    #[inline]
    pub(crate) fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// The slot's value as a borrowed pointer (NULL when unset), when the offset is known;
    /// `None` tells the caller to use `load`.
    #[inline(always)]
    pub(crate) fn peek(&self, obj: *mut ffi::PyObject) -> Option<*mut ffi::PyObject> {
        // SAFETY: a proven offset inside an instance of the slot's class (callers pass one).
        self.offset.map(|offset| unsafe { *slot_at(obj, offset) })
    }

    /// The slot's value, or `None` when it was never set.
    #[inline]
    pub(crate) fn load<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> Option<Bound<'py, PyAny>> {
        if let Some(offset) = self.offset {
            // SAFETY: proven offset; a non-NULL slot holds a live reference owned by obj.
            unsafe {
                let ptr = *slot_at(obj.as_ptr(), offset);
                return if ptr.is_null() {
                    None
                } else {
                    Some(Bound::from_borrowed_ptr(py, ptr))
                };
            }
        }
        // SAFETY: returns a new reference or NULL with an AttributeError set.
        unsafe {
            let ptr = (self.get)(
                self.descr.as_ptr(),
                obj.as_ptr(),
                ffi::Py_TYPE(obj.as_ptr()).cast(),
            );
            if ptr.is_null() {
                ffi::PyErr_Clear();
                None
            } else {
                Some(Bound::from_owned_ptr(py, ptr))
            }
        }
    }
}

/// Store (or with a NULL `value`, delete) the attribute `name` of a model instance by the
/// generic rules (slots, descriptors), bypassing `tp_setattro`: the one such store, so that the
/// instance is tracked again whenever it comes to hold a collectable value.
///
/// # Safety
/// `obj` and `name` must be live objects; `value` live or NULL.
pub(crate) unsafe fn generic_setattr(
    py: Python<'_>,
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
    value: *mut ffi::PyObject,
) -> PyResult<()> {
    keep_tracked(obj, value);
    if ffi::PyObject_GenericSetAttr(obj, name, value) < 0 {
        Err(PyErr::fetch(py))
    } else {
        Ok(())
    }
}
