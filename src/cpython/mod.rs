//! Every CPython layout offset and probe the fast paths rely on, behind one switch (the datetime
//! types, read and built through their C API capsule, are in `datetime.rs`).
//!
//! A few hot paths read struct fields directly instead of going through the stable API: the
//! byte offset of a `__slots__` member, a type's vectorcall slot, the item arrays of a tuple
//! and of a list, an exception's `args`, a dict's size and the value slots of a copied dict
//! (`dict.rs`). Each is used only when all of these hold:
//! 1. `FERRULE_NO_FAST_PATHS` is not set (the suite runs once with it set, so the stable-API
//!    paths are tested, not just present);
//! 2. the interpreter is a 64-bit CPython whose layout is known here (3.10 to 3.13: 3.14 moved
//!    the tuple items, and an unknown version is assumed to move anything);
//! 3. a probe on a private object, made once, found the field where it is expected.
//!
//! Otherwise every caller takes the stable-API path. Nothing here runs user code: probes use
//! classes and objects ferrule makes itself.

pub(crate) mod datetime;
pub(crate) mod dict;
pub(crate) mod int;
pub(crate) mod sqlite;

use std::os::raw::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use pyo3::Borrowed;

/// The environment switch that turns every fast path off.
pub(crate) const SWITCH: &str = "FERRULE_NO_FAST_PATHS";

/// The newest (major, minor) whose layouts the offsets below were checked against.
const NEWEST_KNOWN: (u8, u8) = (3, 13);

static ENABLED: OnceLock<bool> = OnceLock::new();

/// What `FERRULE_NO_FAST_PATHS` says: `Ok(true)` to turn fast paths off. The spellings of
/// `FERRULE_PURE_PYTHON` (`ferrule.errors.pure_python_requested`): "1" yes, "0" or unset no,
/// anything else refused.
pub(crate) fn switch_value(raw: Option<&str>) -> Result<bool, String> {
    match raw {
        None | Some("" | "0") => Ok(false),
        Some("1") => Ok(true),
        Some(other) => Err(format!(
            "{SWITCH} must be 1 (fast paths off) or 0 or unset (on), not {other:?}"
        )),
    }
}

/// Decide once, at module load: an unknown switch value is an import error, never a guess.
pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
    let raw = std::env::var(SWITCH).ok();
    let off = switch_value(raw.as_deref())
        .map_err(|message| crate::errors::ferrule_err(py, "ConfigurationError", message))?;
    let version = py.version_info();
    let known =
        (version.major, version.minor) <= NEWEST_KNOWN && (version.major, version.minor) >= (3, 10);
    let _ = ENABLED.set(!off && known && cfg!(target_pointer_width = "64"));
    datetime::init(py);
    Ok(())
}

/// Whether the fast paths may be used at all (each still needs its own probe).
#[inline]
pub(crate) fn enabled() -> bool {
    *ENABLED.get().unwrap_or(&false)
}

// --- __slots__ members ----------------------------------------------------------------------

/// `PyMemberDescrObject.d_member` and `PyMemberDef.offset` (64-bit CPython 3.10-3.13).
const DESCR_MEMBER: usize = 40;
const MEMBER_OFFSET: usize = 16;

type DescrSet =
    unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> i32;

/// The member-descriptor type, once the offsets above were proven on a private class.
static MEMBER_LAYOUT: OnceLock<Option<usize>> = OnceLock::new();

/// Read the offset a member descriptor stores (no checks: callers bound it).
///
/// # Safety
/// `descr` must be a live `member_descriptor`.
unsafe fn raw_member_offset(descr: *mut ffi::PyObject) -> Option<isize> {
    let member = *(descr.cast::<u8>().add(DESCR_MEMBER).cast::<*const u8>());
    if member.is_null() {
        return None;
    }
    Some(*(member.add(MEMBER_OFFSET).cast::<isize>()))
}

/// Prove the descriptor layout on a class of our own (no user `__del__` or allocator runs):
/// a value stored through the descriptor must be found at the offset read from it.
fn probe_member_layout(py: Python<'_>) -> Option<usize> {
    let slots = PyTuple::new(py, ["first", "second"]).ok()?;
    let namespace = PyDict::new(py);
    namespace.set_item("__slots__", slots).ok()?;
    let probe = py
        .get_type::<PyType>()
        .call1(("_FerruleSlotProbe", PyTuple::empty(py), namespace))
        .ok()?;
    let descr = probe.getattr("second").ok()?;
    // SAFETY: a fresh instance of our own slots class, allocated by the generic allocator; the
    // candidate offset is bounds-checked against the instance size before it is read.
    unsafe {
        let tp = ffi::Py_TYPE(descr.as_ptr());
        let set = ffi::PyType_GetSlot(tp, ffi::Py_tp_descr_set);
        if set.is_null() {
            return None;
        }
        let set = std::mem::transmute::<*mut c_void, DescrSet>(set);
        let offset = raw_member_offset(descr.as_ptr())?;
        let basicsize: isize = probe.getattr("__basicsize__").ok()?.extract().ok()?;
        if offset < 16 || offset + 8 > basicsize || offset % 8 != 0 {
            return None;
        }
        let instance = ffi::PyType_GenericAlloc(probe.as_ptr().cast(), 0);
        if instance.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let instance = Bound::from_owned_ptr(py, instance);
        let marker = PyDict::new(py);
        if set(descr.as_ptr(), instance.as_ptr(), marker.as_ptr()) < 0 {
            ffi::PyErr_Clear();
            return None;
        }
        let found = *(instance
            .as_ptr()
            .cast::<u8>()
            .add(offset as usize)
            .cast::<*mut ffi::PyObject>());
        (found == marker.as_ptr()).then_some(tp as usize)
    }
}

/// The byte offset of the `__slots__` member `descr` inside instances of `cls`, when the fast
/// paths are on and the descriptor layout was proven; `None` means "use the descriptor".
pub(crate) fn slot_offset(cls: &Bound<'_, PyType>, descr: &Bound<'_, PyAny>) -> Option<usize> {
    if !enabled() {
        return None;
    }
    let py = cls.py();
    let member_type = (*MEMBER_LAYOUT.get_or_init(|| probe_member_layout(py)))?;
    // SAFETY: the type check comes first; then `descr` is a live member descriptor.
    unsafe {
        if ffi::Py_TYPE(descr.as_ptr()) as usize != member_type {
            return None;
        }
        let offset = raw_member_offset(descr.as_ptr())?;
        let basicsize: isize = cls
            .getattr(pyo3::intern!(py, "__basicsize__"))
            .ok()?
            .extract()
            .ok()?;
        (offset >= 16 && offset + 8 <= basicsize && offset % 8 == 0).then_some(offset as usize)
    }
}

/// The slot at `offset` bytes into `obj`.
///
/// # Safety
/// `offset` must come from `slot_offset` for `obj`'s class (or a base of it).
#[inline(always)]
pub(crate) unsafe fn slot_at(obj: *mut ffi::PyObject, offset: usize) -> *mut *mut ffi::PyObject {
    obj.cast::<u8>().add(offset).cast()
}

// --- type objects: the per-class vectorcall entry -------------------------------------------

/// `Py_TPFLAGS_HAVE_VECTORCALL` (not exposed under abi3).
const HAVE_VECTORCALL: u64 = 1 << 11;

/// Byte offsets of PyTypeObject fields on 64-bit CPython 3.10-3.13. Each use is checked against
/// values read through the stable API first.
const OFF_BASICSIZE: usize = 32;
const OFF_VECTORCALL_OFFSET: usize = 56;
const OFF_FLAGS: usize = 168;
const OFF_ALLOC: usize = 304;
const OFF_NEW: usize = 312;
const OFF_VECTORCALL: usize = 400;

unsafe fn type_field<T: Copy>(tp: *mut ffi::PyObject, offset: usize) -> T {
    *(tp.cast::<u8>().add(offset).cast::<T>())
}

/// The fields read below hold what the stable API says they hold.
unsafe fn type_layout_matches(cls: &Bound<'_, PyType>) -> PyResult<bool> {
    let tp = cls.as_ptr();
    let basicsize: isize = cls.getattr("__basicsize__")?.extract()?;
    Ok(type_field::<isize>(tp, OFF_BASICSIZE) == basicsize
        && type_field::<*mut c_void>(tp, OFF_NEW) == ffi::PyType_GetSlot(tp.cast(), ffi::Py_tp_new)
        && type_field::<*mut c_void>(tp, OFF_ALLOC)
            == ffi::PyType_GetSlot(tp.cast(), ffi::Py_tp_alloc)
        && type_field::<u64>(tp, OFF_FLAGS) == ffi::PyType_GetFlags(tp.cast()) as u64)
}

/// Make `cls(...)` call `function` directly (no `type.__call__`, no kwargs dict). Returns
/// whether it is in place; when it is not, calls go through `tp_new`/`tp_init` as usual.
/// The caller must have checked that the metaclass does not override `__call__`.
pub(crate) fn install_vectorcall(
    cls: &Bound<'_, PyType>,
    function: ffi::vectorcallfunc,
) -> PyResult<bool> {
    if !enabled() {
        return Ok(false);
    }
    let meta = cls.get_type();
    // SAFETY: offsets are verified against the stable API before anything is written.
    unsafe {
        if !type_layout_matches(cls)? || !type_layout_matches(&meta)? {
            return Ok(false);
        }
        let meta_ptr = meta.as_ptr();
        if type_field::<isize>(meta_ptr, OFF_VECTORCALL_OFFSET) != OFF_VECTORCALL as isize {
            return Ok(false);
        }
        let flags = meta_ptr.cast::<u8>().add(OFF_FLAGS).cast::<u64>();
        *flags |= HAVE_VECTORCALL;
        let slot = cls
            .as_ptr()
            .cast::<u8>()
            .add(OFF_VECTORCALL)
            .cast::<Option<ffi::vectorcallfunc>>();
        *slot = Some(function);
    }
    Ok(true)
}

/// Undo `install_vectorcall` for one class (its calls go through `type.__call__` again).
pub(crate) fn remove_vectorcall(cls: &Bound<'_, PyType>) -> PyResult<()> {
    if !enabled() {
        return Ok(());
    }
    // SAFETY: as in `install_vectorcall`; clearing the slot makes CPython fall back to tp_call.
    unsafe {
        if type_layout_matches(cls)? {
            let slot = cls
                .as_ptr()
                .cast::<u8>()
                .add(OFF_VECTORCALL)
                .cast::<Option<ffi::vectorcallfunc>>();
            *slot = None;
        }
    }
    Ok(())
}

// --- calls ----------------------------------------------------------------------------------

static VECTORCALL_READ: OnceLock<bool> = OnceLock::new();

/// The vectorcall entry of `callable`, read from the object (its type's flag and offset, then
/// the pointer there) once a probe proved the layout: calling it directly skips the API's
/// generic dispatch. `None`: call through the API.
///
/// # Safety
/// `callable` must be a live object.
#[inline]
pub(crate) unsafe fn vectorcall_of(
    py: Python<'_>,
    callable: *mut ffi::PyObject,
) -> Option<ffi::vectorcallfunc> {
    if !*VECTORCALL_READ.get_or_init(|| probe_vectorcall(py)) {
        return None;
    }
    read_vectorcall(callable)
}

unsafe fn read_vectorcall(callable: *mut ffi::PyObject) -> Option<ffi::vectorcallfunc> {
    let tp = ffi::Py_TYPE(callable).cast::<ffi::PyObject>();
    if type_field::<u64>(tp, OFF_FLAGS) & HAVE_VECTORCALL == 0 {
        return None;
    }
    let offset = type_field::<isize>(tp, OFF_VECTORCALL_OFFSET);
    if offset <= 0 {
        return None;
    }
    *callable
        .cast::<u8>()
        .add(offset as usize)
        .cast::<Option<ffi::vectorcallfunc>>()
}

/// The type fields hold what the stable API says (for a builtin and a Python function), and
/// the entries read answer as the functions do.
fn probe_vectorcall(py: Python<'_>) -> bool {
    if !enabled() {
        return false;
    }
    let proven = || -> PyResult<bool> {
        let len = py.import("builtins")?.getattr("len")?;
        let same = py.eval(c"lambda value: value", None, None)?;
        let meta = py.get_type::<PyType>();
        // SAFETY: live type objects; each field is checked before the next is trusted: `type`'s
        // own vectorcall offset is its `tp_vectorcall` field, and an entry lies inside its object
        let fields = unsafe {
            type_layout_matches(&meta)?
                && type_field::<isize>(meta.as_ptr(), OFF_VECTORCALL_OFFSET)
                    == OFF_VECTORCALL as isize
        };
        if !fields {
            return Ok(false);
        }
        for callable in [&len, &same] {
            let cls = callable.get_type();
            // SAFETY: as above
            let inside = unsafe {
                let offset = type_field::<isize>(cls.as_ptr(), OFF_VECTORCALL_OFFSET);
                type_layout_matches(&cls)?
                    && offset > 0
                    && offset + 8 <= type_field::<isize>(cls.as_ptr(), OFF_BASICSIZE)
            };
            if !inside {
                return Ok(false);
            }
        }
        let probe = PyTuple::new(py, [py.None(), py.None()])?;
        let arg = [std::ptr::null_mut(), probe.as_ptr()];
        // SAFETY: live callables whose layout was just checked; one live argument.
        unsafe {
            let (Some(len_entry), Some(same_entry)) = (
                read_vectorcall(len.as_ptr()),
                read_vectorcall(same.as_ptr()),
            ) else {
                return Ok(false);
            };
            let length = Bound::from_owned_ptr_or_err(
                py,
                len_entry(len.as_ptr(), arg.as_ptr().add(1), 1, std::ptr::null_mut()),
            )?;
            let back = Bound::from_owned_ptr_or_err(
                py,
                same_entry(same.as_ptr(), arg.as_ptr().add(1), 1, std::ptr::null_mut()),
            )?;
            Ok(length.extract::<usize>()? == 2 && back.is(&probe))
        }
    };
    proven().unwrap_or_else(|err| {
        drop(err);
        false
    })
}

// --- tuples ---------------------------------------------------------------------------------

/// Byte offset of a tuple's item array (after refcount, type and size).
const OFF_TUPLE_ITEMS: usize = 24;

static TUPLE_LAYOUT: OnceLock<bool> = OnceLock::new();

/// The items of `tuple` (holding `count` items) in place, when the layout was proven on this
/// interpreter; `None` tells the caller to copy them through the API instead.
///
/// # Safety
/// `tuple` must be a live tuple of exactly `count` items that outlives `'a`.
pub(crate) unsafe fn tuple_items<'a, 'py>(
    py: Python<'py>,
    tuple: *mut ffi::PyObject,
    count: usize,
) -> Option<&'a [Borrowed<'a, 'py, PyAny>]> {
    if count == 0 {
        return Some(&[]);
    }
    if !enabled() || tuple.is_null() {
        return None;
    }
    let proven = *TUPLE_LAYOUT.get_or_init(|| {
        let probe = PyTuple::new(py, [py.None(), py.Ellipsis()]);
        probe.is_ok_and(|probe| {
            let items = probe
                .as_ptr()
                .cast::<u8>()
                .add(OFF_TUPLE_ITEMS)
                .cast::<*mut ffi::PyObject>();
            *items == ffi::PyTuple_GetItem(probe.as_ptr(), 0)
                && *items.add(1) == ffi::PyTuple_GetItem(probe.as_ptr(), 1)
        })
    });
    if !proven {
        return None;
    }
    Some(std::slice::from_raw_parts(
        tuple.cast::<u8>().add(OFF_TUPLE_ITEMS).cast(),
        count,
    ))
}

// --- lists ----------------------------------------------------------------------------------

/// Byte offsets of a list's size and item array (after refcount and type).
const OFF_LIST_SIZE: usize = 16;
const OFF_LIST_ITEMS: usize = 24;

static LIST_LAYOUT: OnceLock<bool> = OnceLock::new();

/// The item array of `list` and its length, read from the object when the layout was proven on
/// this interpreter; `None` tells the caller to use the API. The answer holds until the list
/// changes: a caller that runs code which may change it reads it again.
///
/// # Safety
/// `list` must be a live list (exact or a subclass: the layout is the same).
#[inline]
pub(crate) unsafe fn list_items(
    py: Python<'_>,
    list: *mut ffi::PyObject,
) -> Option<(*const *mut ffi::PyObject, usize)> {
    if !enabled() {
        return None;
    }
    let read = |list: *mut ffi::PyObject| {
        let base = list.cast::<u8>();
        (
            base.add(OFF_LIST_ITEMS)
                .cast::<*const *mut ffi::PyObject>()
                .read(),
            base.add(OFF_LIST_SIZE).cast::<isize>().read(),
        )
    };
    let proven = *LIST_LAYOUT.get_or_init(|| {
        let probe = pyo3::types::PyList::new(py, [py.None(), py.Ellipsis(), py.NotImplemented()]);
        probe.is_ok_and(|probe| {
            let (items, size) = read(probe.as_ptr());
            size == 3
                && (0..3).all(|i| *items.add(i as usize) == ffi::PyList_GetItem(probe.as_ptr(), i))
        })
    });
    if !proven {
        return None;
    }
    let (items, size) = read(list);
    Some((items, usize::try_from(size).unwrap_or(0)))
}

// --- ASCII strings ------------------------------------------------------------------------

extern "C" {
    /// Public C API of every CPython 3.x (not in the limited API): a new, unfilled str.
    fn PyUnicode_New(size: ffi::Py_ssize_t, maxchar: u32) -> *mut ffi::PyObject;
}

/// Where a compact ASCII str keeps its characters (after the object header: 48 bytes on
/// 3.10-3.11, 40 from 3.12), once a probe confirmed it; `None`: use `PyString::new`.
static ASCII_LAYOUT: OnceLock<Option<usize>> = OnceLock::new();

fn probe_ascii_layout(py: Python<'_>) -> Option<usize> {
    let probe = pyo3::types::PyString::new(py, "ferrule probe");
    let mut size: ffi::Py_ssize_t = 0;
    // SAFETY: a live str; for a compact ASCII str the UTF-8 form is its own character data.
    let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(probe.as_ptr(), &mut size) };
    if data.is_null() || size != 13 {
        // SAFETY: clear the error AsUTF8AndSize may have set.
        unsafe { ffi::PyErr_Clear() };
        return None;
    }
    let offset = (data as usize).wrapping_sub(probe.as_ptr() as usize);
    if offset != 40 && offset != 48 {
        return None;
    }
    // a string made the fast way must equal (and hash as) the one made by the API
    // SAFETY: the offset found above, ASCII text
    let made = unsafe { new_ascii(py, b"ferrule probe", offset) }?;
    let equal = made.as_any().eq(probe.as_any()).unwrap_or(false);
    (equal && made.hash().ok() == probe.hash().ok()).then_some(offset)
}

/// # Safety
/// `offset` must be the proven character offset of compact ASCII strs; `text` must be ASCII.
unsafe fn new_ascii<'py>(
    py: Python<'py>,
    text: &[u8],
    offset: usize,
) -> Option<Bound<'py, pyo3::types::PyString>> {
    let ptr = PyUnicode_New(text.len() as ffi::Py_ssize_t, 127);
    if ptr.is_null() {
        ffi::PyErr_Clear();
        return None;
    }
    std::ptr::copy_nonoverlapping(text.as_ptr(), ptr.cast::<u8>().add(offset), text.len());
    Some(Bound::from_owned_ptr(py, ptr).downcast_into_unchecked())
}

/// A str of ASCII `text` (from the JSON reader), written straight into a new object when the
/// layout is proven: no UTF-8 decoding pass. Anything else goes through `PyString::new`.
#[inline]
pub(crate) fn ascii_str<'py>(py: Python<'py>, text: &str) -> Bound<'py, pyo3::types::PyString> {
    if text.len() > 1 && all_ascii(text.as_bytes()) {
        if let Some(made) = copied_ascii(py, text.as_bytes()) {
            return made;
        }
    }
    pyo3::types::PyString::new(py, text)
}

/// As `ascii_str`, when the JSON reader already knows whether `text` is ASCII (`ascii`): no
/// second look at the bytes.
#[inline]
pub(crate) fn scanned_str<'py>(
    py: Python<'py>,
    text: &str,
    ascii: bool,
) -> Bound<'py, pyo3::types::PyString> {
    match text.as_bytes() {
        // CPython keeps one str per Latin-1 character: hand that out without a decode pass
        &[byte] if byte < 0x80 => {
            // SAFETY: any code point below 0x110000 is valid; a failure is a Python error
            let made = unsafe { ffi::PyUnicode_FromOrdinal(i32::from(byte)) };
            if let Ok(made) = unsafe { Bound::from_owned_ptr_or_err(py, made) } {
                // SAFETY: PyUnicode_FromOrdinal returns a str
                return unsafe { made.downcast_into_unchecked() };
            }
        }
        bytes if ascii && bytes.len() > 1 => {
            if let Some(made) = copied_ascii(py, bytes) {
                return made;
            }
        }
        _ => {}
    }
    pyo3::types::PyString::new(py, text)
}

/// The str of a JSON string's UTF-8 `bytes` (`ascii`: known to be all ASCII, copied straight
/// in). Other bytes go to CPython's strict decoder, which checks them: `Ok(None)` when they are
/// not valid UTF-8 (the caller refuses the document there).
#[inline]
pub(crate) fn decoded_str<'py>(
    py: Python<'py>,
    bytes: &[u8],
    ascii: bool,
) -> PyResult<Option<Bound<'py, pyo3::types::PyString>>> {
    if ascii {
        // SAFETY: ASCII is valid UTF-8
        let text = unsafe { std::str::from_utf8_unchecked(bytes) };
        return Ok(Some(scanned_str(py, text, true)));
    }
    // SAFETY: live bytes and their length; a new reference, or NULL with an error set
    unsafe {
        let made = ffi::PyUnicode_DecodeUTF8(
            bytes.as_ptr().cast(),
            bytes.len() as ffi::Py_ssize_t,
            std::ptr::null(),
        );
        if made.is_null() {
            let err = PyErr::fetch(py);
            if err.is_instance_of::<pyo3::exceptions::PyUnicodeDecodeError>(py) {
                return Ok(None);
            }
            return Err(err);
        }
        Ok(Some(
            Bound::from_owned_ptr(py, made).downcast_into_unchecked(),
        ))
    }
}

/// The str of the JSON writer's UTF-8 output `text` (a document: usually ASCII, so copied
/// straight in, without the decoder's second pass over it).
#[inline]
pub(crate) fn utf8_str<'py>(
    py: Python<'py>,
    text: &[u8],
) -> PyResult<Bound<'py, pyo3::types::PyString>> {
    if text.len() > 1 && all_ascii(text) {
        if let Some(made) = copied_ascii(py, text) {
            return Ok(made);
        }
    }
    let text = std::str::from_utf8(text)
        .map_err(|e| pyo3::exceptions::PyTypeError::new_err(e.to_string()))?;
    Ok(pyo3::types::PyString::new(py, text))
}

/// `text.is_ascii()` a word at a time with no byte loop for the tail (the last word is read
/// overlapping): `[u8]::is_ascii` walks a document's unaligned ends byte by byte.
#[inline]
fn all_ascii(text: &[u8]) -> bool {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let Some(tail) = text.len().checked_sub(8) else {
        return text.is_ascii();
    };
    let word = |bytes: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(bytes);
        u64::from_ne_bytes(word)
    };
    let mut seen = word(&text[tail..]);
    for chunk in text.chunks_exact(8) {
        seen |= word(chunk);
    }
    seen & HIGH == 0
}

/// A new str of the ASCII bytes `text` when the layout is proven; `None`: use the API.
#[inline]
fn copied_ascii<'py>(py: Python<'py>, text: &[u8]) -> Option<Bound<'py, pyo3::types::PyString>> {
    if !enabled() {
        return None;
    }
    let offset = (*ASCII_LAYOUT.get_or_init(|| probe_ascii_layout(py)))?;
    // SAFETY: proven offset; the caller checked that `text` is ASCII
    unsafe { new_ascii(py, text, offset) }
}

/// Byte offsets in every str object: its length and its `state` bit field (interned:2,
/// kind:3, compact:1, ascii:1, ... from the lowest bit, on 64-bit CPython 3.10-3.13).
const OFF_STR_LENGTH: usize = 16;
const OFF_STR_STATE: usize = 32;
const STATE_COMPACT_ASCII: u32 = 0b11 << 5;

/// `probe_ascii_state`'s answer, kept where one load reads it: the character offset, or
/// `NOT_USABLE`, or `UNPROBED` before the first call.
static ASCII_READ: AtomicUsize = AtomicUsize::new(UNPROBED);
const UNPROBED: usize = 0;
const NOT_USABLE: usize = 1;

/// The state bits and length of `text` read from the object itself.
///
/// # Safety
/// `text` must be a live str.
unsafe fn str_header(text: *mut ffi::PyObject) -> (u32, isize) {
    let base = text.cast::<u8>();
    (
        base.add(OFF_STR_STATE).cast::<u32>().read(),
        base.add(OFF_STR_LENGTH).cast::<isize>().read(),
    )
}

/// Prove the state bits on strs of our own: an ASCII one says compact and ASCII (with its
/// length where expected), a non-ASCII one compact only. The character offset is
/// `probe_ascii_layout`'s.
fn probe_ascii_state(py: Python<'_>) -> Option<usize> {
    let offset = (*ASCII_LAYOUT.get_or_init(|| probe_ascii_layout(py)))?;
    let ascii = pyo3::types::PyString::new(py, "ferrule probe");
    let wide = pyo3::types::PyString::new(py, "ferrule prob\u{e9}");
    // SAFETY: live strs made just now
    let ((ascii_state, ascii_len), (wide_state, _)) =
        unsafe { (str_header(ascii.as_ptr()), str_header(wide.as_ptr())) };
    let kind = |state: u32| (state >> 2) & 0b111;
    let proven = ascii_state & STATE_COMPACT_ASCII == STATE_COMPACT_ASCII
        && ascii_len == 13
        && kind(ascii_state) == 1
        && kind(wide_state) == 1
        && wide_state & STATE_COMPACT_ASCII == 1 << 5;
    proven.then_some(offset)
}

#[cold]
fn first_ascii_read(py: Python<'_>) -> usize {
    let proven = if enabled() {
        probe_ascii_state(py)
    } else {
        None
    };
    let offset = proven.unwrap_or(NOT_USABLE);
    ASCII_READ.store(offset, Ordering::Relaxed);
    offset
}

/// The characters of a compact ASCII str (its UTF-8 form), read from the object when the
/// layout is proven; `None` for any other str (or with fast paths off): use the API.
#[inline(always)]
pub(crate) fn ascii_bytes<'a>(text: &'a Bound<'_, pyo3::types::PyString>) -> Option<&'a [u8]> {
    let mut offset = ASCII_READ.load(Ordering::Relaxed);
    if offset == UNPROBED {
        offset = first_ascii_read(text.py());
    }
    if offset == NOT_USABLE {
        return None;
    }
    // SAFETY: a live str; the offsets were proven on this interpreter, and the characters are
    // read only when the object says it is compact ASCII (its data follows the header).
    unsafe {
        let (state, length) = str_header(text.as_ptr());
        if state & STATE_COMPACT_ASCII != STATE_COMPACT_ASCII || length < 0 {
            return None;
        }
        let data = text.as_ptr().cast::<u8>().add(offset);
        Some(std::slice::from_raw_parts(data, length as usize))
    }
}

/// 0: not probed yet; 1: the interned bits are read from the object; 2: not known.
static INTERNED_READ: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// Whether `text` is interned (the two lowest bits of its state), read from the object once a
/// probe proved the bits; `false` when that is not known (callers only lose a shortcut).
#[inline]
pub(crate) fn is_interned(text: &Bound<'_, pyo3::types::PyString>) -> bool {
    let state = match INTERNED_READ.load(Ordering::Relaxed) {
        0 => probe_interned(text.py()),
        state => state,
    };
    // SAFETY: a live str whose header layout was proven
    state == 1 && unsafe { str_header(text.as_ptr()).0 } & 0b11 != 0
}

/// An interned str of our own says so, a fresh one does not (on top of `probe_ascii_state`).
#[cold]
fn probe_interned(py: Python<'_>) -> u8 {
    let mut usable = ASCII_READ.load(Ordering::Relaxed);
    if usable == UNPROBED {
        usable = first_ascii_read(py);
    }
    let proven = usable != NOT_USABLE && {
        let fresh = pyo3::types::PyString::new(py, "ferrule interned probe");
        // SAFETY: a new reference (or NULL); live strs of our own
        unsafe {
            let interned = ffi::PyUnicode_InternFromString(c"ferrule interned probe".as_ptr());
            match Bound::from_owned_ptr_or_opt(py, interned) {
                Some(interned) => {
                    str_header(interned.as_ptr()).0 & 0b11 != 0
                        && str_header(fresh.as_ptr()).0 & 0b11 == 0
                }
                None => {
                    ffi::PyErr_Clear();
                    false
                }
            }
        }
    };
    let state = if proven { 1 } else { 2 };
    INTERNED_READ.store(state, Ordering::Relaxed);
    state
}

// --- exceptions -----------------------------------------------------------------------------

/// Byte offset of `args` in an exception object (after the object header and `dict`).
const OFF_EXCEPTION_ARGS: usize = 24;

static EXCEPTION_LAYOUT: OnceLock<bool> = OnceLock::new();

/// `exc.args` read from the exception object itself (no attribute lookup), when the layout was
/// proven on this interpreter; `None` tells the caller to read the attribute.
pub(crate) fn exception_args<'py>(
    py: Python<'py>,
    exc: &Bound<'py, PyAny>,
) -> Option<Bound<'py, PyAny>> {
    if !enabled() {
        return None;
    }
    let read = |obj: &Bound<'py, PyAny>| -> *mut ffi::PyObject {
        // SAFETY: only called on BaseException instances, which are at least this large.
        unsafe {
            *obj.as_ptr()
                .cast::<u8>()
                .add(OFF_EXCEPTION_ARGS)
                .cast::<*mut ffi::PyObject>()
        }
    };
    let proven = *EXCEPTION_LAYOUT.get_or_init(|| {
        let probe = pyo3::exceptions::PyValueError::new_err((1, 2)).into_value(py);
        let probe = probe.bind(py).as_any().clone();
        probe
            .getattr("args")
            .is_ok_and(|args| args.as_ptr() == read(&probe))
    });
    if !proven || !exc.is_instance_of::<pyo3::exceptions::PyBaseException>() {
        return None;
    }
    let ptr = read(exc);
    // SAFETY: a live exception's args field is a tuple reference (never NULL once created).
    (!ptr.is_null()).then(|| unsafe { Bound::from_borrowed_ptr(py, ptr) })
}

#[cfg(test)]
mod tests {
    use super::{all_ascii, switch_value};

    #[test]
    fn all_ascii_finds_a_high_byte_anywhere() {
        for len in 0..40 {
            let text = vec![b'x'; len];
            assert!(all_ascii(&text), "{len}");
            for at in 0..len {
                let mut high = text.clone();
                high[at] = 0x80;
                assert!(!all_ascii(&high), "{len} {at}");
            }
        }
    }

    #[test]
    fn the_switch_takes_the_spellings_of_ferrule_pure_python() {
        for off in [None, Some(""), Some("0")] {
            assert_eq!(switch_value(off), Ok(false), "{off:?}");
        }
        assert_eq!(switch_value(Some("1")), Ok(true));
        for bad in [
            Some("2"),
            Some("true"),
            Some(" 1"),
            Some("yes"),
            Some("off"),
        ] {
            assert!(switch_value(bad).is_err(), "{bad:?}");
        }
    }
}
