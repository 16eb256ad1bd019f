//! Object shapes seen before by the JSON reader: the keys of an object, in order, as the key
//! cache's strs. A shape seen twice gets a template, a private dict of those keys whose copy is
//! then filled in place (`cpython::dict::copy_template`, `put`): an object that follows a
//! template costs one copy instead of a hashed insert per member (and a resize past five).
//!
//! An object is matched key by key while it is read: its first key picks the slot, and each
//! later key must be the template's key at that place (the same str object, which the template
//! keeps alive, so the same text). Keys that follow a template have no repeats (the template
//! was built from an object without any), so a duplicate is still found where it stands: the
//! reader turns to a live dict at the first key that leaves the template.

use std::rc::Rc;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cpython::dict::{copy_template, put, track, value_offsets};

/// Slots, chosen by an object's first key (a power of two).
const SLOTS: usize = 64;
/// Objects with more members than this are always built live.
const MAX_KEYS: usize = 64;
/// What a template earns per object that follows it, and its ceiling; an object that starts
/// with the template's slot but is built live costs it one.
const FIRST_SCORE: i32 = 8;
const MAX_SCORE: i32 = 32;

/// A template: the dict copied, its keys in order (borrowed from it), and where each value
/// lives in a copy.
pub(crate) struct Template {
    dict: Py<PyDict>,
    keys: Box<[*mut ffi::PyObject]>,
    offsets: Box<[usize]>,
}

impl Template {
    /// Whether `key` is this shape's key at `index`.
    #[inline(always)]
    pub(crate) fn has_at(&self, index: usize, key: *mut ffi::PyObject) -> bool {
        self.keys.get(index) == Some(&key)
    }

    /// The keys of the first `count` members (a prefix of the shape).
    pub(crate) fn keys(&self, count: usize) -> &[*mut ffi::PyObject] {
        &self.keys[..count.min(self.keys.len())]
    }

    /// The dict of `values` (new references, one per key, in order: every key's value), made
    /// from a copy of the template. On an error nothing is taken: the caller still owns them.
    ///
    /// # Safety
    /// `values.len()` must equal the number of keys.
    pub(crate) unsafe fn fill<'py>(
        &self,
        py: Python<'py>,
        values: &[*mut ffi::PyObject],
    ) -> PyResult<Bound<'py, PyDict>> {
        debug_assert_eq!(values.len(), self.keys.len());
        let (copy, base) = copy_template(self.dict.bind(py))?;
        let mut container = false;
        for (&value, &offset) in values.iter().zip(self.offsets.iter()) {
            container |= may_be_tracked(value);
            put(base, offset, value);
        }
        if container {
            track(&copy);
        }
        Ok(copy)
    }
}

/// Whether a dict holding `value` is tracked by the collector (`PyDict_SetItem`'s rule: any
/// object of a collected type; the reader makes no tuples).
#[inline(always)]
unsafe fn may_be_tracked(value: *mut ffi::PyObject) -> bool {
    let kind = ffi::Py_TYPE(value);
    if kind == std::ptr::addr_of_mut!(ffi::PyList_Type)
        || kind == std::ptr::addr_of_mut!(ffi::PyDict_Type)
    {
        return true;
    }
    let plain = kind == std::ptr::addr_of_mut!(ffi::PyUnicode_Type)
        || kind == std::ptr::addr_of_mut!(ffi::PyLong_Type)
        || kind == std::ptr::addr_of_mut!(ffi::PyFloat_Type)
        || kind == std::ptr::addr_of_mut!(ffi::PyBool_Type)
        || value == ffi::Py_None();
    // (the reader makes no type objects, the one kind whose instances may opt out)
    !plain && ffi::PyType_GetFlags(kind) & ffi::Py_TPFLAGS_HAVE_GC != 0
}

#[derive(Default)]
struct Slot {
    template: Option<Rc<Template>>,
    score: i32,
    /// The mixed keys of the last object built live here (a second one alike makes the
    /// template).
    pending: u64,
}

/// A thread's shapes (kept between documents, like its key cache).
#[derive(Default)]
pub(crate) struct Shapes {
    slots: Vec<Slot>,
    /// No templates here (fast paths off, or a layout the probe did not prove).
    off: bool,
}

/// The slot of an object whose first key is `key`.
#[inline(always)]
pub(crate) fn slot_of(key: *mut ffi::PyObject) -> usize {
    let mixed = (key as u64 >> 4).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - SLOTS.trailing_zeros())) as usize
}

impl Shapes {
    /// The template an object whose first key is `key` may follow.
    #[inline(always)]
    pub(crate) fn follow(&self, slot: usize, key: *mut ffi::PyObject) -> Option<Rc<Template>> {
        let template = self.slots.get(slot)?.template.as_ref()?;
        template.has_at(0, key).then(|| Rc::clone(template))
    }

    /// An object of the slot's template was read whole.
    #[inline(always)]
    pub(crate) fn hit(&mut self, slot: usize) {
        if let Some(slot) = self.slots.get_mut(slot) {
            slot.score = (slot.score + 1).min(MAX_SCORE);
        }
    }

    /// A dict of `count` members was built live for an object whose first key picked `slot`:
    /// count it against the slot's template, or (the second time alike) make it the template.
    pub(crate) fn learn(&mut self, slot: usize, dict: &Bound<'_, PyDict>, count: usize) {
        if self.off || count > MAX_KEYS {
            return;
        }
        if self.slots.is_empty() {
            self.slots.resize_with(SLOTS, Slot::default);
        }
        let Some(entry) = self.slots.get_mut(slot) else {
            return;
        };
        if entry.template.is_some() && entry.score > 0 {
            entry.score -= 1;
            return;
        }
        let keys: Vec<*mut ffi::PyObject> = dict.keys().iter().map(|key| key.as_ptr()).collect();
        // a repeated key (kept last with duplicate_keys="last") makes no template
        if keys.len() != count {
            return;
        }
        let mixed = keys.iter().fold(count as u64, |acc, &key| {
            (acc.rotate_left(5) ^ key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        });
        if entry.pending != mixed {
            entry.pending = mixed;
            return;
        }
        match template_of(dict.py(), &keys) {
            Some(template) => {
                entry.template = Some(Rc::new(template));
                entry.score = FIRST_SCORE;
            }
            None => self.off = true,
        }
    }
}

/// A template of `keys` (distinct strs), or `None` when the fast paths cannot fill one.
fn template_of(py: Python<'_>, keys: &[*mut ffi::PyObject]) -> Option<Template> {
    if !crate::cpython::enabled() {
        return None;
    }
    let dict = PyDict::new(py);
    for &key in keys {
        // SAFETY: live strs (the caller's dict holds them)
        let key = unsafe { pyo3::Borrowed::from_ptr(py, key) };
        dict.set_item(key, py.None()).ok()?;
    }
    if dict.len() != keys.len() {
        return None;
    }
    let offsets = value_offsets(&dict)?;
    // the keys as the template holds them (the same objects)
    let keys: Box<[*mut ffi::PyObject]> = dict.keys().iter().map(|key| key.as_ptr()).collect();
    Some(Template {
        dict: dict.unbind(),
        keys,
        offsets,
    })
}
