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
pub(crate) mod gc;
pub(crate) mod int;
pub(crate) mod sqlite;
pub(crate) mod unicode;

use std::os::raw::c_void;
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple, PyType};
use pyo3::Borrowed;

pub(crate) use unicode::{
    ascii_bytes, ascii_str, cached_utf8, decoded_str, is_interned, scanned_str, utf8_str,
};

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
    use super::switch_value;

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
