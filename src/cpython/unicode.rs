//! str objects read and made in place: the characters of a compact ASCII str read from the
//! object, new strs filled directly (ASCII copied, other UTF-8 decoded once, to the exact
//! width CPython would choose), and whether a str is interned. Behind the same switch and
//! probes as the rest of `cpython`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;

use super::enabled;

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
    copy_bytes(text, ptr.cast::<u8>().add(offset));
    Some(Bound::from_owned_ptr(py, ptr).downcast_into_unchecked())
}

/// `text` copied to `dst`: up to 32 bytes as two overlapping moves (no call to `memcpy`).
///
/// # Safety
/// `text.len()` bytes must be writable at `dst`.
#[inline(always)]
unsafe fn copy_bytes(text: &[u8], dst: *mut u8) {
    let n = text.len();
    let src = text.as_ptr();
    match n {
        16..=32 => {
            let (head, tail) = (
                src.cast::<u128>().read_unaligned(),
                src.add(n - 16).cast::<u128>().read_unaligned(),
            );
            dst.cast::<u128>().write_unaligned(head);
            dst.add(n - 16).cast::<u128>().write_unaligned(tail);
        }
        8..=15 => {
            let (head, tail) = (
                src.cast::<u64>().read_unaligned(),
                src.add(n - 8).cast::<u64>().read_unaligned(),
            );
            dst.cast::<u64>().write_unaligned(head);
            dst.add(n - 8).cast::<u64>().write_unaligned(tail);
        }
        4..=7 => {
            let (head, tail) = (
                src.cast::<u32>().read_unaligned(),
                src.add(n - 4).cast::<u32>().read_unaligned(),
            );
            dst.cast::<u32>().write_unaligned(head);
            dst.add(n - 4).cast::<u32>().write_unaligned(tail);
        }
        0..=3 => {
            for i in 0..n {
                *dst.add(i) = *src.add(i);
            }
        }
        _ => std::ptr::copy_nonoverlapping(src, dst, n),
    }
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
/// in). Other bytes are checked and decoded once (`wide_str`): `None` when they are not valid
/// UTF-8 (the caller refuses the document there).
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
    if bytes.len() <= SHORT {
        return Ok(short_str(py, bytes));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Ok(None);
    };
    Ok(Some(wide_str(py, text)))
}

/// Strings up to this many bytes are decoded in one pass into a buffer on the stack.
const SHORT: usize = 128;

/// `decoded_str` for at most `SHORT` bytes, not all ASCII: checked and decoded in one pass,
/// then copied in at the width the widest character needs.
fn short_str<'py>(py: Python<'py>, bytes: &[u8]) -> Option<Bound<'py, pyo3::types::PyString>> {
    // (not zeroed: only the `count` code points written are read)
    let mut chars = [std::mem::MaybeUninit::<u32>::uninit(); SHORT];
    let (count, widest) = decode_utf8(bytes, &mut chars)?;
    // SAFETY: `decode_utf8` wrote the first `count`
    let chars = unsafe { std::slice::from_raw_parts(chars.as_ptr().cast::<u32>(), count) };
    let offset = *WIDE_LAYOUT.get_or_init(|| probe_wide_layout(py));
    let made = match offset {
        // SAFETY: the proven offset; `count` characters, the widest one `widest`
        Some(offset) if widest >= 0x80 => unsafe { new_from_chars(py, chars, widest, offset) },
        _ => None,
    };
    // (valid UTF-8: checked just now)
    made.or_else(|| {
        std::str::from_utf8(bytes)
            .ok()
            .map(|text| pyo3::types::PyString::new(py, text))
    })
}

/// The code points of the UTF-8 `bytes` written to the front of `chars` (room for one per
/// byte), their number and the largest; `None` when the bytes are not valid UTF-8 by the rules
/// `str::from_utf8` applies (no overlong forms, no surrogates, nothing above U+10FFFF).
fn decode_utf8(bytes: &[u8], chars: &mut [std::mem::MaybeUninit<u32>]) -> Option<(usize, u32)> {
    let n = bytes.len();
    let (mut at, mut count, mut widest) = (0, 0, 0u32);
    while at < n {
        // eight ASCII bytes at a time while they last
        if let Some(word) = bytes.get(at..at + 8) {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            if u64::from_le_bytes(eight) & 0x8080_8080_8080_8080 == 0 {
                for (slot, &byte) in chars[count..count + 8].iter_mut().zip(&eight) {
                    slot.write(u32::from(byte));
                }
                at += 8;
                count += 8;
                continue;
            }
        }
        let lead = u32::from(bytes[at]);
        let follow = |k: usize| {
            bytes
                .get(at + k)
                .map(|&b| u32::from(b))
                .filter(|b| b & 0xC0 == 0x80)
        };
        let (code, len) = match lead {
            0x00..=0x7F => (lead, 1),
            0xC2..=0xDF => ((lead & 0x1F) << 6 | (follow(1)? & 0x3F), 2),
            0xE0..=0xEF => {
                let second = follow(1)?;
                if (lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) {
                    return None;
                }
                let code = (lead & 0x0F) << 12 | (second & 0x3F) << 6 | (follow(2)? & 0x3F);
                (code, 3)
            }
            0xF0..=0xF4 => {
                let second = follow(1)?;
                if (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F) {
                    return None;
                }
                let code = (lead & 0x07) << 18
                    | (second & 0x3F) << 12
                    | (follow(2)? & 0x3F) << 6
                    | (follow(3)? & 0x3F);
                (code, 4)
            }
            _ => return None,
        };
        chars[count].write(code);
        widest = widest.max(code);
        at += len;
        count += 1;
    }
    Some((count, widest))
}

/// A new str of the code points `chars`, the largest `widest` (at least 0x80).
///
/// # Safety
/// `offset` must be the proven character offset of compact non-ASCII strs, and every code
/// point at most `widest`.
unsafe fn new_from_chars<'py>(
    py: Python<'py>,
    chars: &[u32],
    widest: u32,
    offset: usize,
) -> Option<Bound<'py, pyo3::types::PyString>> {
    let ptr = PyUnicode_New(chars.len() as ffi::Py_ssize_t, widest);
    if ptr.is_null() {
        ffi::PyErr_Clear();
        return None;
    }
    let data = ptr.cast::<u8>().add(offset);
    match widest {
        0..=0xFF => {
            for (i, &c) in chars.iter().enumerate() {
                *data.add(i) = c as u8;
            }
        }
        0x100..=0xFFFF => {
            for (i, &c) in chars.iter().enumerate() {
                data.cast::<u16>().add(i).write_unaligned(c as u16);
            }
        }
        _ => std::ptr::copy_nonoverlapping(chars.as_ptr().cast::<u8>(), data, 4 * chars.len()),
    }
    Some(Bound::from_owned_ptr(py, ptr).downcast_into_unchecked())
}

/// Where a compact non-ASCII str keeps its characters (after the larger header: 72 bytes on
/// 3.10-3.11, 56 from 3.12), once a probe confirmed it; `None`: use `PyString::new`.
static WIDE_LAYOUT: OnceLock<Option<usize>> = OnceLock::new();

/// A str of `text` made the way CPython makes it (one byte, two or four per character, the
/// fewest its widest character needs), its characters decoded once straight into the new
/// object; CPython's own decoder first guesses a width and widens as it goes.
pub(crate) fn wide_str<'py>(py: Python<'py>, text: &str) -> Bound<'py, pyo3::types::PyString> {
    let offset = *WIDE_LAYOUT.get_or_init(|| probe_wide_layout(py));
    if let Some(offset) = offset {
        // SAFETY: the proven offset; `text` is valid UTF-8
        if let Some(made) = unsafe { new_wide(py, text, offset) } {
            return made;
        }
    }
    pyo3::types::PyString::new(py, text)
}

/// # Safety
/// `offset` must be the proven character offset of compact non-ASCII strs.
unsafe fn new_wide<'py>(
    py: Python<'py>,
    text: &str,
    offset: usize,
) -> Option<Bound<'py, pyo3::types::PyString>> {
    // characters: every byte but continuation bytes; the widest lead byte says the width (a
    // lead byte of 0xC4 or above starts a character of U+0100 or above, 0xF0 of U+10000)
    let mut count = 0usize;
    let mut top = 0u8;
    for &byte in text.as_bytes() {
        count += usize::from(byte & 0xC0 != 0x80);
        top = top.max(byte);
    }
    let (maxchar, width) = match top {
        0xF0.. => (0x10_FFFF, 4),
        0xC4.. => (0xFFFF, 2),
        0x80.. => (0xFF, 1),
        _ => (0x7F, 0),
    };
    if width == 0 {
        return copied_ascii(py, text.as_bytes());
    }
    let ptr = PyUnicode_New(count as ffi::Py_ssize_t, maxchar);
    if ptr.is_null() {
        ffi::PyErr_Clear();
        return None;
    }
    let data = ptr.cast::<u8>().add(offset);
    match width {
        1 => {
            for (i, c) in text.chars().enumerate() {
                *data.add(i) = c as u8;
            }
        }
        2 => {
            let data = data.cast::<u16>();
            for (i, c) in text.chars().enumerate() {
                data.add(i).write_unaligned(c as u16);
            }
        }
        _ => {
            let data = data.cast::<u32>();
            for (i, c) in text.chars().enumerate() {
                data.add(i).write_unaligned(c as u32);
            }
        }
    }
    Some(Bound::from_owned_ptr(py, ptr).downcast_into_unchecked())
}

/// Strs of each width made by the API keep their characters at the offset of this version's
/// header, and strs made by `new_wide` equal them (and hash alike).
fn probe_wide_layout(py: Python<'_>) -> Option<usize> {
    if !enabled() {
        return None;
    }
    let version = py.version_info();
    let offset = if (version.major, version.minor) >= (3, 12) {
        56
    } else {
        72
    };
    let samples = [
        "ferrule probe \u{e9}",
        "ferrule probe \u{3b4}",
        "ferrule probe \u{1f600}",
    ];
    let proven = samples.iter().enumerate().all(|(width, sample)| {
        let made_by_api = pyo3::types::PyString::new(py, sample);
        let base = made_by_api.as_ptr().cast::<u8>();
        // SAFETY: the characters of a compact str of this width lie after this version's header
        let stored_alike = sample.chars().enumerate().all(|(at, c)| unsafe {
            let unit = match width {
                0 => u32::from(*base.add(offset + at)),
                1 => u32::from(base.add(offset + 2 * at).cast::<u16>().read_unaligned()),
                _ => base.add(offset + 4 * at).cast::<u32>().read_unaligned(),
            };
            unit == c as u32
        });
        // (a str made here only once the offset is known to hold the characters)
        // SAFETY: the offset just checked on a str of the same width
        stored_alike
            && unsafe { new_wide(py, sample, offset) }.is_some_and(|made| {
                made.as_any().eq(made_by_api.as_any()).unwrap_or(false)
                    && made.hash().ok() == made_by_api.hash().ok()
            })
    });
    proven.then_some(offset)
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

/// Where compact non-ASCII strs keep the length of their UTF-8 form (the pointer to it follows),
/// once a probe confirmed it: `UNPROBED`, `NOT_USABLE`, or the offset.
static UTF8_READ: AtomicUsize = AtomicUsize::new(UNPROBED);

/// The UTF-8 form CPython keeps with a compact non-ASCII str once it was asked for it, read
/// from the object; `None` when the str has none yet (or is not compact, or the layout is not
/// proven): ask the API, which keeps it for the next time.
#[inline]
pub(crate) fn cached_utf8<'a>(text: &'a Bound<'_, pyo3::types::PyString>) -> Option<&'a [u8]> {
    let mut offset = UTF8_READ.load(Ordering::Relaxed);
    if offset == UNPROBED {
        offset = probe_utf8_cache(text.py());
    }
    if offset == NOT_USABLE {
        return None;
    }
    // SAFETY: a live str; the offsets were proven on this interpreter, and the fields are read
    // only when the object says it is compact and not ASCII (they belong to that layout).
    unsafe {
        let (state, _) = str_header(text.as_ptr());
        if state & STATE_COMPACT_ASCII != 1 << 5 {
            return None;
        }
        let base = text.as_ptr().cast::<u8>().add(offset);
        let length = base.cast::<isize>().read();
        let data = base.add(8).cast::<*const u8>().read();
        if data.is_null() || length < 0 {
            return None;
        }
        Some(std::slice::from_raw_parts(data, length as usize))
    }
}

/// On a non-ASCII str of our own: no UTF-8 form kept before the API is asked for one, the one
/// the API hands out kept after (at the end of the ASCII header: `utf8_length`, then `utf8`).
#[cold]
fn probe_utf8_cache(py: Python<'_>) -> usize {
    let mut usable = ASCII_READ.load(Ordering::Relaxed);
    if usable == UNPROBED {
        usable = first_ascii_read(py);
    }
    let proven = (usable != NOT_USABLE)
        .then(|| *ASCII_LAYOUT.get_or_init(|| probe_ascii_layout(py)))
        .flatten()
        .filter(|&offset| {
            let probe = pyo3::types::PyString::new(py, "ferrule probe \u{e9}\u{3b4}");
            let base = probe.as_ptr().cast::<u8>();
            // SAFETY: a compact non-ASCII str of our own, larger than its ASCII header plus
            // the two fields read
            unsafe {
                let fields = || {
                    (
                        base.add(offset).cast::<isize>().read(),
                        base.add(offset + 8).cast::<*const u8>().read(),
                    )
                };
                let (_, before) = fields();
                let mut size: ffi::Py_ssize_t = 0;
                let data = ffi::PyUnicode_AsUTF8AndSize(probe.as_ptr(), &mut size);
                if data.is_null() {
                    ffi::PyErr_Clear();
                    return false;
                }
                let (length, after) = fields();
                before.is_null() && after == data.cast::<u8>() && length == size && size == 18
            }
        });
    let offset = proven.unwrap_or(NOT_USABLE);
    UTF8_READ.store(offset, Ordering::Relaxed);
    offset
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

#[cfg(test)]
mod tests {
    use super::{all_ascii, decode_utf8, SHORT};

    #[test]
    fn the_one_pass_decoder_agrees_with_from_utf8() {
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // the edges of every class of byte, and text that is mostly valid
        let edges = [
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
        ];
        let samples = [
            "a",
            "é",
            "δ",
            "雪",
            "😀",
            "\u{7ff}",
            "\u{800}",
            "\u{ffff}",
            "\u{10ffff}",
        ];
        let mut checked_valid = 0;
        for round in 0..200_000 {
            let mut bytes = Vec::new();
            while bytes.len() < (next() % SHORT as u64) as usize {
                let r = next();
                if round % 3 == 0 {
                    bytes.push(edges[(r % edges.len() as u64) as usize]);
                } else {
                    let sample = samples[(r % samples.len() as u64) as usize];
                    bytes.extend_from_slice(sample.as_bytes());
                    if r % 97 == 0 {
                        bytes.push(edges[((r >> 8) % edges.len() as u64) as usize]);
                    }
                }
            }
            bytes.truncate(SHORT);
            let mut chars = [std::mem::MaybeUninit::<u32>::uninit(); SHORT];
            let decoded = decode_utf8(&bytes, &mut chars);
            let chars: Vec<u32> = match decoded {
                // SAFETY: the first `count` were written
                Some((count, _)) => chars[..count]
                    .iter()
                    .map(|c| unsafe { c.assume_init() })
                    .collect(),
                None => Vec::new(),
            };
            match std::str::from_utf8(&bytes) {
                Ok(text) => {
                    let expected: Vec<u32> = text.chars().map(u32::from).collect();
                    let (count, widest) = decoded.expect("valid UTF-8 refused");
                    assert_eq!(&chars[..count], &expected[..], "{bytes:?}");
                    assert_eq!(widest, expected.iter().copied().max().unwrap_or(0));
                    checked_valid += 1;
                }
                Err(_) => assert!(decoded.is_none(), "{bytes:?}"),
            }
        }
        assert!(checked_valid > 50_000);
    }

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
}
