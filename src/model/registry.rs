//! Which classes are models, and class → compiled validator, looked up once per class.
//!
//! The cache stores whatever object the validate layer compiled for a class (the layer below
//! it does not know the validator type): `validate::class_validator` is its only user.

use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyType;

static MODEL_BASE: GILOnceCell<Py<PyType>> = GILOnceCell::new();

/// Record the native base class of every model (once, at module load).
pub(crate) fn set_model_base(py: Python<'_>, base: &Bound<'_, PyType>) {
    let _ = MODEL_BASE.set(py, base.clone().unbind());
}

/// The native base class, once the module has registered it.
pub(crate) fn model_base(py: Python<'_>) -> Option<&Bound<'_, PyType>> {
    MODEL_BASE.get(py).map(|base| base.bind(py))
}

/// Is `obj` an instance of a model class compiled by the native core?
#[inline]
pub(crate) fn is_model_instance(obj: &Bound<'_, PyAny>) -> bool {
    match MODEL_BASE.get(obj.py()) {
        // SAFETY: both pointers are live type objects.
        Some(base) => unsafe { ffi::PyObject_TypeCheck(obj.as_ptr(), base.as_ptr().cast()) != 0 },
        None => false,
    }
}

const CACHE_SIZE: usize = 64;

/// Class -> compiled validator, direct-mapped, process-wide (used only with the GIL held; no
/// thread-local lookup on the hot path). Each value holds a strong reference to the validator,
/// whose schema holds the class: a cached class is never freed, so its address cannot be
/// reused while its entry lives.
static CACHE_KEYS: [AtomicUsize; CACHE_SIZE] = [const { AtomicUsize::new(0) }; CACHE_SIZE];
static CACHE_VALUES: [AtomicPtr<ffi::PyObject>; CACHE_SIZE] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; CACHE_SIZE];

/// The cached compiled object of the class at `key` (a type pointer), borrowed from the cache
/// (no reference counting), or `None` on a miss.
#[inline]
pub(crate) fn cached(key: usize) -> Option<*mut ffi::PyObject> {
    let index = (key >> 4) % CACHE_SIZE;
    if CACHE_KEYS[index].load(Ordering::Acquire) == key {
        Some(CACHE_VALUES[index].load(Ordering::Acquire))
    } else {
        None
    }
}

/// The compiled object of `cls`: from the cache, else from `compile` (then cached).
#[inline]
pub(crate) fn compiled<'py>(
    cls: &Bound<'py, PyType>,
    compile: impl FnOnce(&Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    let key = cls.as_ptr() as usize;
    let index = (key >> 4) % CACHE_SIZE;
    if CACHE_KEYS[index].load(Ordering::Acquire) == key {
        let found = CACHE_VALUES[index].load(Ordering::Acquire);
        // SAFETY: an entry's value is kept alive by the reference the cache owns; key and value
        // are only written with the GIL held, value first.
        return Ok(unsafe { Bound::from_borrowed_ptr(py, found) });
    }
    let made = compile(cls)?;
    CACHE_KEYS[index].store(0, Ordering::Release); // never a key with another's value
    let old = CACHE_VALUES[index].swap(made.clone().into_ptr(), Ordering::AcqRel);
    CACHE_KEYS[index].store(key, Ordering::Release);
    if !old.is_null() {
        // SAFETY: the reference the cache owned for the evicted entry (GIL held).
        unsafe { ffi::Py_DecRef(old) };
    }
    Ok(made)
}
