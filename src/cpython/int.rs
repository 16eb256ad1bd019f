//! The value of a small exact `int` read from its digits, without a call into the C API.
//!
//! CPython keeps ints as 30-bit digits after a header word at byte 16: on 3.10-3.11 that word
//! is the signed digit count (`ob_size`), from 3.12 a tag (`lv_tag`: digit count << 3, sign in
//! the low bits: 0 positive, 1 zero, 2 negative). Values of up to two digits (|v| < 2**60) are
//! read here; anything else, or a layout a probe did not confirm, gives `None` and the caller
//! asks the C API.

use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;

/// Byte offsets of the header word and of the first digit (64-bit CPython 3.10-3.13).
const OFF_HEADER: usize = 16;
const OFF_DIGITS: usize = 24;
const DIGIT_BITS: u32 = 30;

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    /// 3.10-3.11: signed digit count.
    Size,
    /// 3.12 and later: tagged digit count and sign.
    Tag,
}

static LAYOUT: OnceLock<Option<Layout>> = OnceLock::new();

/// The value of `obj`, an exact `int`, when it has at most two digits and the layout was
/// proven on this interpreter.
///
/// # Safety
/// `obj` must be a live object whose type is exactly `int`.
#[inline]
pub(crate) unsafe fn exact_int_value(py: Python<'_>, obj: *mut ffi::PyObject) -> Option<i64> {
    let layout = (*LAYOUT.get_or_init(|| probe(py)))?;
    read(obj, layout)
}

#[inline(always)]
unsafe fn read(obj: *mut ffi::PyObject, layout: Layout) -> Option<i64> {
    let base = obj.cast::<u8>();
    let header = *base.add(OFF_HEADER).cast::<isize>();
    let (negative, digits) = match layout {
        Layout::Size => (header < 0, header.unsigned_abs()),
        Layout::Tag => {
            let tag = header as usize;
            match tag & 3 {
                1 => return Some(0),
                sign => (sign == 2, tag >> 3),
            }
        }
    };
    let digit = |i: usize| i64::from(*base.add(OFF_DIGITS + 4 * i).cast::<u32>());
    let magnitude = match digits {
        0 => 0,
        1 => digit(0),
        2 => digit(0) | (digit(1) << DIGIT_BITS),
        _ => return None,
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// Which layout this interpreter has, proven on ints made here: every probe value must read
/// back as itself. `None` (the fast paths off, an unknown version, a mismatch): use the API.
fn probe(py: Python<'_>) -> Option<Layout> {
    if !super::enabled() {
        return None;
    }
    let version = py.version_info();
    let layout = if (version.major, version.minor) >= (3, 12) {
        Layout::Tag
    } else {
        Layout::Size
    };
    const VALUES: [i64; 12] = [
        0,
        1,
        -1,
        7,
        -7,
        (1 << 30) - 1,
        1 << 30,
        -(1 << 30),
        (1 << 45) + 12_345,
        -(1 << 59) + 3,
        (1 << 60) - 1,
        -((1 << 60) - 1),
    ];
    for value in VALUES {
        // SAFETY: a fresh exact int of our own, released right after it is read.
        let ok = unsafe {
            let obj = ffi::PyLong_FromLongLong(value);
            if obj.is_null() {
                ffi::PyErr_Clear();
                return None;
            }
            let same = read(obj, layout) == Some(value);
            ffi::Py_DecRef(obj);
            same
        };
        if !ok {
            return None;
        }
    }
    Some(layout)
}
