//! A dict built as a copy of a private key template whose values are then written in place.
//!
//! `PyDict_Copy` of a combined dict without deleted entries clones its keys object with one
//! memcpy, so every copy of a template has its values at the same byte offsets from its keys
//! object. `value_offsets` finds those offsets once per template on a copy of our own (each
//! value a distinct marker, searched for inside the keys object's own size) and proves them
//! by writing through them and reading back through the API. A dump then fills a fresh copy
//! without a hash lookup per key. Nothing here runs user code: templates have exact-str keys.
//!
//! Also a dict's size read from the object (`dict_len`), for the JSON reader's duplicate-key
//! check after every member.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::enabled;

/// Byte offsets in `PyDictObject` on 64-bit CPython 3.10-3.13.
const OFF_MA_USED: usize = 16;
const OFF_MA_KEYS: usize = 32;
const OFF_MA_VALUES: usize = 40;

/// A keys object larger than this is not searched (a template has one entry per field).
const MAX_KEYS_SIZE: usize = 1 << 16;

unsafe fn dict_field<T: Copy>(dict: *mut ffi::PyObject, offset: usize) -> T {
    *(dict.cast::<u8>().add(offset).cast::<T>())
}

/// Where each value (in order) of a `PyDict_Copy` of `template` lives, in bytes from the copy's
/// keys object; `None` (fast paths off, a layout not as expected, a key not an exact str):
/// fill dicts through `PyDict_SetItem`.
pub(crate) fn value_offsets(template: &Bound<'_, PyDict>) -> Option<Box<[usize]>> {
    if !enabled() || template.is_empty() {
        return None;
    }
    let py = template.py();
    let keys: Vec<Bound<'_, PyAny>> = template.keys().iter().collect();
    if !keys.iter().all(|k| k.is_exact_instance_of::<PyString>()) {
        return None;
    }
    let copy = copy_of(template)?;
    let markers = fresh_markers(py, keys.len())?;
    for (key, marker) in keys.iter().zip(&markers) {
        copy.set_item(key, marker).ok()?;
    }
    // SAFETY: a live dict of our own; the keys object is read only within its own size, which
    // `__sizeof__` reports (object size plus keys size while the keys are unshared).
    let offsets = unsafe {
        let base = dict_field::<*mut u8>(copy.as_ptr(), OFF_MA_KEYS);
        let used = dict_field::<isize>(copy.as_ptr(), OFF_MA_USED);
        let values = dict_field::<*mut u8>(copy.as_ptr(), OFF_MA_VALUES);
        if base.is_null() || !values.is_null() || used != keys.len() as isize {
            return None;
        }
        let object_size: usize = py
            .get_type::<PyDict>()
            .getattr("__basicsize__")
            .ok()?
            .extract()
            .ok()?;
        let total: usize = copy.call_method0("__sizeof__").ok()?.extract().ok()?;
        let size = total.checked_sub(object_size)?;
        if size > MAX_KEYS_SIZE {
            return None;
        }
        find_markers(base, size, &markers)?
    };
    proven(template, &keys, &offsets).then_some(offsets)
}

/// A new copy of `template` (its keys object a fresh clone of the template's).
fn copy_of<'py>(template: &Bound<'py, PyDict>) -> Option<Bound<'py, PyDict>> {
    // SAFETY: PyDict_Copy returns a new reference or NULL with an error set.
    unsafe {
        let copy = ffi::PyDict_Copy(template.as_ptr());
        if copy.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let copy = Bound::from_owned_ptr(template.py(), copy).downcast_into_unchecked::<PyDict>();
        let shared = dict_field::<*mut u8>(copy.as_ptr(), OFF_MA_KEYS)
            == dict_field::<*mut u8>(template.as_ptr(), OFF_MA_KEYS);
        (!shared).then_some(copy)
    }
}

/// `count` distinct new objects (empty lists), none of them referenced from anywhere else.
fn fresh_markers(py: Python<'_>, count: usize) -> Option<Vec<Bound<'_, PyAny>>> {
    Some((0..count).map(|_| PyList::empty(py).into_any()).collect())
}

/// The offset of each marker's one occurrence among the pointer-sized words of `base[..size]`.
///
/// # Safety
/// `base` must point at `size` readable bytes.
unsafe fn find_markers(
    base: *mut u8,
    size: usize,
    markers: &[Bound<'_, PyAny>],
) -> Option<Box<[usize]>> {
    let word = std::mem::size_of::<usize>();
    let mut found: Vec<Option<usize>> = vec![None; markers.len()];
    for offset in (0..size.saturating_sub(word - 1)).step_by(word) {
        let value = base
            .add(offset)
            .cast::<*mut ffi::PyObject>()
            .read_unaligned();
        if let Some(index) = markers.iter().position(|m| m.as_ptr() == value) {
            if found[index].replace(offset).is_some() {
                return None;
            }
        }
    }
    found.into_iter().collect()
}

/// Values written at `offsets` into a new copy are what the API reads back, in key order.
fn proven(template: &Bound<'_, PyDict>, keys: &[Bound<'_, PyAny>], offsets: &[usize]) -> bool {
    let py = template.py();
    let Some(markers) = fresh_markers(py, keys.len()) else {
        return false;
    };
    let Ok((copy, base)) = copy_template(template) else {
        return false;
    };
    for (marker, &offset) in markers.iter().zip(offsets) {
        // SAFETY: `offsets` were found inside a copy's keys object; this copy is the same size
        unsafe { put(base, offset, marker.clone().into_ptr()) };
    }
    let read_back = keys.iter().zip(&markers).all(|(key, marker)| {
        copy.get_item(key)
            .is_ok_and(|found| found.is_some_and(|v| v.is(marker)))
    });
    let in_order = copy
        .values()
        .iter()
        .zip(&markers)
        .all(|(value, marker)| value.is(marker));
    read_back && in_order && copy.len() == keys.len()
}

/// A new copy of a template and its keys object (where `value_offsets` point).
#[inline]
pub(crate) fn copy_template<'py>(
    template: &Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyDict>, *mut u8)> {
    // SAFETY: PyDict_Copy returns a new reference or NULL with an error set; a dict's keys
    // pointer is never NULL.
    unsafe {
        let copy =
            Bound::from_owned_ptr_or_err(template.py(), ffi::PyDict_Copy(template.as_ptr()))?;
        let base = dict_field::<*mut u8>(copy.as_ptr(), OFF_MA_KEYS);
        Ok((copy.downcast_into_unchecked(), base))
    }
}

/// Move `value` (a new reference) into the value at `offset` of a fresh template copy whose
/// keys object is `base`, releasing the value it replaces.
///
/// # Safety
/// `base` must be the keys object of a copy from `copy_template` not yet handed out, and
/// `offset` one of `value_offsets(template)`.
#[inline(always)]
pub(crate) unsafe fn put(base: *mut u8, offset: usize, value: *mut ffi::PyObject) {
    let place = base.add(offset).cast::<*mut ffi::PyObject>();
    let old = std::ptr::replace(place, value);
    ffi::Py_DECREF(old);
}

/// Have the collector track a filled copy that now holds a container (as `PyDict_SetItem`
/// would have on inserting it).
pub(crate) fn track(dict: &Bound<'_, PyDict>) {
    // SAFETY: a live dict; tracked only when it is not already (tracking twice is fatal).
    unsafe {
        if ffi::PyObject_GC_IsTracked(dict.as_ptr()) == 0 {
            ffi::PyObject_GC_Track(dict.as_ptr().cast());
        }
    }
}

static SIZE_LAYOUT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// `len(dict)` read from the object (`ma_used`) once a probe proved the field; else the API.
#[inline]
pub(crate) fn dict_len(dict: &Bound<'_, PyDict>) -> usize {
    let proven = enabled()
        && *SIZE_LAYOUT.get_or_init(|| {
            let probe = PyDict::new(dict.py());
            (0..3).all(|i| {
                // SAFETY: a live dict of our own
                let read = unsafe { dict_field::<isize>(probe.as_ptr(), OFF_MA_USED) };
                read == i && probe.set_item(i, i).is_ok()
            }) && unsafe { dict_field::<isize>(probe.as_ptr(), OFF_MA_USED) } == 3
        });
    if proven {
        // SAFETY: a live dict; the field was proven to be its size
        let used = unsafe { dict_field::<isize>(dict.as_ptr(), OFF_MA_USED) };
        return usize::try_from(used).unwrap_or(0);
    }
    dict.len()
}
