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
//! check after every member, a dict's items read from its table (`DictItems`), for the
//! JSON writer, and a dict's version tag (`dict_version`), for lookups cached until the dict
//! changes (`ferrule.crypto.hash`'s constructor table).

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::enabled;

/// Byte offsets in `PyDictObject` on 64-bit CPython 3.10-3.13.
const OFF_MA_USED: usize = 16;
const OFF_MA_VERSION: usize = 24;
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

/// 0: not probed yet; 1: `ma_used` read from the object; 2: the API.
static SIZE_READ: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// `len(dict)` read from the object (`ma_used`) once a probe proved the field; else the API.
#[inline(always)]
pub(crate) fn dict_len(dict: &Bound<'_, PyDict>) -> usize {
    let state = match SIZE_READ.load(std::sync::atomic::Ordering::Relaxed) {
        0 => probe_size(dict.py()),
        state => state,
    };
    if state == 1 {
        // SAFETY: a live dict; the field was proven to be its size
        let used = unsafe { dict_field::<isize>(dict.as_ptr(), OFF_MA_USED) };
        return used as usize;
    }
    dict.len()
}

/// The size field must follow a dict of our own as it grows.
#[cold]
fn probe_size(py: Python<'_>) -> u8 {
    let probe = PyDict::new(py);
    // SAFETY: a live dict of our own
    let read =
        |probe: &Bound<'_, PyDict>| unsafe { dict_field::<isize>(probe.as_ptr(), OFF_MA_USED) };
    let proven = enabled()
        && (0..40).all(|i| read(&probe) == i && probe.set_item(i, i).is_ok())
        && read(&probe) == 40;
    let state = if proven { 1 } else { 2 };
    SIZE_READ.store(state, std::sync::atomic::Ordering::Relaxed);
    state
}

/// 0: not probed yet; 1: `ma_version_tag` read from the object; 2: not read.
static VERSION_READ: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// The dict's version tag (PEP 509's `ma_version_tag`, 3.10-3.13): a new value, never given to
/// any dict before, on every change to the dict, so that an unchanged tag means an unchanged
/// dict. `None` when the fast paths are off or a probe did not see the field behave so.
#[inline]
pub(crate) fn dict_version(dict: &Bound<'_, PyDict>) -> Option<u64> {
    let state = match VERSION_READ.load(std::sync::atomic::Ordering::Relaxed) {
        0 => probe_version(dict.py()),
        state => state,
    };
    // SAFETY: a live dict; the field was proven to be its version tag
    (state == 1).then(|| unsafe { dict_field::<u64>(dict.as_ptr(), OFF_MA_VERSION) })
}

/// The tag must change with every kind of change to a dict of our own (insert, replace,
/// delete, clear, update), to a value no other dict had, and not without one.
#[cold]
fn probe_version(py: Python<'_>) -> u8 {
    let proven = enabled() && version_behaves(py).unwrap_or(false);
    let state = if proven { 1 } else { 2 };
    VERSION_READ.store(state, std::sync::atomic::Ordering::Relaxed);
    state
}

fn version_behaves(py: Python<'_>) -> PyResult<bool> {
    // SAFETY: live dicts of our own
    let read =
        |dict: &Bound<'_, PyDict>| unsafe { dict_field::<u64>(dict.as_ptr(), OFF_MA_VERSION) };
    let probe = PyDict::new(py);
    let other = PyDict::new(py);
    // the tag of the dict just changed, after each change
    let mut tags = vec![read(&probe).max(read(&other))];
    probe.set_item("a", 1)?;
    tags.push(read(&probe));
    probe.set_item("a", 2)?;
    tags.push(read(&probe));
    other.set_item("a", 1)?;
    tags.push(read(&other));
    probe.del_item("a")?;
    tags.push(read(&probe));
    probe.update(other.as_mapping())?;
    tags.push(read(&probe));
    probe.clear();
    tags.push(read(&probe));
    let _ = probe.get_item("a")?;
    let _ = other.get_item("a")?;
    let unchanged = tags.last() == Some(&read(&probe));
    Ok(unchanged && tags.windows(2).all(|pair| pair[0] < pair[1]))
}

/// Byte offsets in a dict's keys object on 64-bit CPython 3.11-3.13: the log2 of the index
/// table's size in bytes, the kind (0: any keys, 1: str keys only, 2: split), the number of
/// entries used so far, and the index table (the entries follow it).
const OFF_DK_LOG2_INDEX_BYTES: usize = 9;
const OFF_DK_KIND: usize = 10;
const OFF_DK_NENTRIES: usize = 24;
const OFF_DK_INDICES: usize = 32;

/// 0: not probed yet; 1: entries read from the table; 2: `PyDict_Next`.
static ENTRIES_READ: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// A walk over a combined table's entries, read from its keys object: `cursor` and `end` point
/// at the key field of the next entry and one past the last.
#[derive(Clone, Copy)]
struct Table {
    first: *const u8,
    cursor: *const u8,
    end: *const u8,
    /// An entry is (hash, key, value) for any keys, (key, value) for str keys only.
    size: usize,
}

impl Table {
    /// The table of `dict` from entry `pos` on, when it is a combined one of a kind read here;
    /// `None`: split, or a kind not known (ask the API).
    ///
    /// # Safety
    /// `dict` must be a live dict and the layout proven; `pos` at most its entry count.
    #[inline(always)]
    unsafe fn of(dict: *mut ffi::PyObject, pos: ffi::Py_ssize_t) -> Option<Table> {
        if !dict_field::<*mut u8>(dict, OFF_MA_VALUES).is_null() {
            return None;
        }
        let keys = dict_field::<*mut u8>(dict, OFF_MA_KEYS);
        let (size, key_at) = match *keys.add(OFF_DK_KIND) {
            0 => (24, 8),
            1 => (16, 0),
            _ => return None,
        };
        let count = keys.add(OFF_DK_NENTRIES).cast::<ffi::Py_ssize_t>().read();
        let first =
            keys.add(OFF_DK_INDICES + (1usize << *keys.add(OFF_DK_LOG2_INDEX_BYTES)) + key_at);
        let at = pos.clamp(0, count.max(0)) as usize;
        Some(Table {
            first,
            cursor: first.add(at * size),
            end: first.add(count.max(0) as usize * size),
            size,
        })
    }

    /// The next item (an entry whose value is not NULL).
    ///
    /// # Safety
    /// The table must still be its dict's (nothing changed the dict since `of`).
    #[inline(always)]
    unsafe fn next(&mut self) -> Option<(*mut ffi::PyObject, *mut ffi::PyObject)> {
        while self.cursor < self.end {
            let entry = self.cursor;
            self.cursor = entry.add(self.size);
            let value = entry.add(8).cast::<*mut ffi::PyObject>().read();
            if !value.is_null() {
                return Some((entry.cast::<*mut ffi::PyObject>().read(), value));
            }
        }
        None
    }

    /// The `PyDict_Next` position the walk is at.
    fn pos(&self) -> ffi::Py_ssize_t {
        ((self.cursor as usize - self.first as usize) / self.size) as ffi::Py_ssize_t
    }
}

/// A dict's items in order, as `PyDict_Next` gives them, as borrowed pointers. A combined
/// table is read in place once a probe proved the layout (the walk `PyDict_Next` makes, without
/// a call per item); a split table, or any other interpreter, goes through the API. The table
/// is looked up once: after anything that may have changed the dict (any code that may run
/// user code, or allocate a container and so run the collector), call `refresh` before `next`.
pub(crate) struct DictItems {
    dict: *mut ffi::PyObject,
    /// The position for the API (kept while the table is walked in place, in `table`).
    pos: ffi::Py_ssize_t,
    table: Option<Table>,
}

impl DictItems {
    /// # Safety
    /// `dict` must be a live dict (exact or a subclass) that outlives the walk.
    #[inline(always)]
    pub(crate) unsafe fn new(py: Python<'_>, dict: *mut ffi::PyObject) -> Self {
        let mut items = DictItems {
            dict,
            pos: 0,
            table: None,
        };
        items.refresh(py);
        items
    }

    /// Look the table up again (the dict may have changed), from where the walk is.
    ///
    /// # Safety
    /// As `new`.
    #[inline(always)]
    pub(crate) unsafe fn refresh(&mut self, py: Python<'_>) {
        if let Some(table) = &self.table {
            self.pos = table.pos();
        }
        let state = match ENTRIES_READ.load(std::sync::atomic::Ordering::Relaxed) {
            0 => probe_entries(py),
            state => state,
        };
        self.table = if state == 1 {
            Table::of(self.dict, self.pos)
        } else {
            None
        };
    }

    /// The next item (borrowed), or `None` after the last.
    ///
    /// # Safety
    /// Nothing changed the dict since `new` or the last `refresh`.
    #[inline(always)]
    pub(crate) unsafe fn next(&mut self) -> Option<(*mut ffi::PyObject, *mut ffi::PyObject)> {
        match &mut self.table {
            Some(table) => table.next(),
            None => {
                let mut key = std::ptr::null_mut();
                let mut value = std::ptr::null_mut();
                (ffi::PyDict_Next(self.dict, &mut self.pos, &mut key, &mut value) != 0)
                    .then_some((key, value))
            }
        }
    }
}

/// Prove `Table` on dicts of our own (str keys, other keys, deleted entries, index tables
/// of one and two bytes per slot): it must walk each exactly as `PyDict_Next` does. Only on
/// 3.11-3.13, where the keys object has this layout (3.10's is another).
#[cold]
fn probe_entries(py: Python<'_>) -> u8 {
    let version = py.version_info();
    let proven = enabled()
        && (version.major, version.minor) >= (3, 11)
        && (|| -> PyResult<bool> {
            let code = c"[{'a': 1, 'bb': None, 'c': 'x'}, {1: 2, (3,): 4, 'k': 5}, \
                {str(i): i for i in range(300)}, {i: -i for i in range(300)}]";
            let samples = py.eval(code, None, None)?;
            let samples: Vec<Bound<'_, PyDict>> = samples.extract()?;
            for (i, sample) in samples.iter().enumerate() {
                if i < 2 {
                    sample.set_item("deleted", 0)?;
                    sample.del_item("deleted")?;
                }
                // SAFETY: live dicts of our own, combined tables, not changed while walked
                let walked_alike = unsafe {
                    let Some(mut table) = Table::of(sample.as_ptr(), 0) else {
                        return Ok(false);
                    };
                    let mut api = 0;
                    loop {
                        let mut key = std::ptr::null_mut();
                        let mut value = std::ptr::null_mut();
                        let expected =
                            (ffi::PyDict_Next(sample.as_ptr(), &mut api, &mut key, &mut value)
                                != 0)
                                .then_some((key, value));
                        // (at the end the API leaves `pos` where it was)
                        match table.next() {
                            None if expected.is_none() => break true,
                            found if found == expected && table.pos() == api => {}
                            _ => break false,
                        }
                    }
                };
                if !walked_alike {
                    return Ok(false);
                }
            }
            Ok(true)
        })()
        .unwrap_or(false);
    let state = if proven { 1 } else { 2 };
    ENTRIES_READ.store(state, std::sync::atomic::Ordering::Relaxed);
    state
}
