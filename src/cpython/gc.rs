//! The cyclic collector's view of model instances. An instance whose slots hold no object the
//! collector could reach (str, int, float, None, datetime, an untracked tuple...) cannot be
//! part of a cycle, so the constructors take it out of the collector, as CPython does for such
//! tuples; 100k such instances then cost the collector nothing. Every store into an instance
//! must then call `keep_tracked`, or a cycle made later through it would never be freed.
//! Untracking is done only inside a batch (`GcPause`): there the instances are many and live
//! on, and the collector's deferred pass over them is what it saves; a single construction
//! does not pay for the check. Stable API only: nothing here depends on a layout.

use std::cell::Cell;

use pyo3::ffi;

thread_local! {
    /// A `GcPause` is alive on this thread: a batch is making many objects.
    static IN_BATCH: Cell<bool> = const { Cell::new(false) };
}

/// Pauses the cyclic garbage collector while a batch allocates many objects (otherwise it runs
/// again and again over the growing result), and marks the batch (`in_batch`); the previous
/// state of both is restored on drop. Made and dropped with the GIL held, on one thread.
pub(crate) struct GcPause {
    was_enabled: bool,
    was_batch: bool,
}

impl GcPause {
    pub(crate) fn new() -> Self {
        let was_batch = IN_BATCH.with(|flag| flag.replace(true));
        // SAFETY: called with the GIL held; PyGC_Disable returns the previous state (stable
        // ABI since 3.10).
        let was_enabled = unsafe { ffi::PyGC_Disable() } == 1;
        GcPause {
            was_enabled,
            was_batch,
        }
    }
}

impl Drop for GcPause {
    fn drop(&mut self) {
        IN_BATCH.with(|flag| flag.set(self.was_batch));
        if self.was_enabled {
            // SAFETY: as above; the collector is switched back on exactly when it was on.
            unsafe { ffi::PyGC_Enable() };
        }
    }
}

/// Whether a batch (`GcPause`) is running on this thread.
#[inline(always)]
pub(crate) fn in_batch() -> bool {
    IN_BATCH.with(|flag| flag.get())
}

/// CPython's `_PyObject_GC_MAY_BE_TRACKED`: `obj` is of a collected type, and, if it is an
/// exact tuple, still tracked (an untracked tuple holds atoms only and never changes).
#[inline(always)]
pub(crate) fn may_be_tracked(obj: *mut ffi::PyObject) -> bool {
    // SAFETY: a live object (callers pass borrowed or owned pointers) and its type.
    unsafe {
        let tp = ffi::Py_TYPE(obj);
        if tp == std::ptr::addr_of_mut!(ffi::PyList_Type)
            || tp == std::ptr::addr_of_mut!(ffi::PyDict_Type)
        {
            return true;
        }
        if is_common_atom(tp) || ffi::PyType_GetFlags(tp) & ffi::Py_TPFLAGS_HAVE_GC == 0 {
            return false;
        }
        tp != std::ptr::addr_of_mut!(ffi::PyTuple_Type) || ffi::PyObject_GC_IsTracked(obj) != 0
    }
}

/// Track `instance` again if it is about to hold `value` and `value` may be collectable.
#[inline]
pub(crate) fn keep_tracked(instance: *mut ffi::PyObject, value: *mut ffi::PyObject) {
    if value.is_null() || !may_be_tracked(value) {
        return;
    }
    // SAFETY: live objects; tracking an untracked object of a GC type is allowed, and the
    // check first matters: tracking a tracked object is a fatal error in CPython.
    unsafe {
        if ffi::PyObject_GC_IsTracked(instance) == 0 && is_gc_type(instance) {
            ffi::PyObject_GC_Track(instance.cast());
        }
    }
}

/// Take `instance` out of the collector (the caller proved it holds nothing collectable).
#[inline]
pub(crate) fn untrack(instance: *mut ffi::PyObject) {
    // SAFETY: a live object; untracking checks that it is tracked.
    unsafe {
        if ffi::PyObject_GC_IsTracked(instance) != 0 {
            ffi::PyObject_GC_UnTrack(instance.cast());
        }
    }
}

#[inline]
fn is_gc_type(obj: *mut ffi::PyObject) -> bool {
    // SAFETY: a live object's type.
    unsafe { ffi::PyType_GetFlags(ffi::Py_TYPE(obj)) & ffi::Py_TPFLAGS_HAVE_GC != 0 }
}

/// The types most field values have, none of them collected: a pointer compare each, before
/// the flags call.
#[inline(always)]
fn is_common_atom(tp: *mut ffi::PyTypeObject) -> bool {
    tp == std::ptr::addr_of_mut!(ffi::PyUnicode_Type)
        || tp == std::ptr::addr_of_mut!(ffi::PyLong_Type)
        || tp == std::ptr::addr_of_mut!(ffi::PyFloat_Type)
        || tp == std::ptr::addr_of_mut!(ffi::PyBool_Type)
}
