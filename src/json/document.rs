//! A whole JSON document → Python values (`ferrule.json.loads`), strictly: duplicate keys,
//! `NaN`/`Infinity`, numbers a float cannot hold and nesting past a limit are errors unless the
//! caller allows them, and every error says where (byte offset, line, column).
//!
//! The reader is iterative (an explicit stack of open containers), so no document depth can
//! overflow the native stack; tokens come from `read::Scan`, the reader models use too.

use std::rc::Rc;

use jiter::{JsonValue, NumberAny, NumberInt, Peek};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

use super::read::{Number, Scan};
use super::shapes::{slot_of as shape_slot, Shapes, Template};
use super::write::same_bytes;
use crate::conv::{big_int, py_decimal_type};
use crate::cpython::dict::dict_len;

/// Integers longer than this are refused (CPython's `int()` limit; the models' rule too).
pub(crate) const MAX_INT_DIGITS: usize = 4300;

/// How `loads` reads what strict JSON leaves to the reader.
pub(crate) struct ReadOptions {
    pub(crate) allow_nan: bool,
    /// `false`: a repeated key is an error; `true`: the last value wins.
    pub(crate) last_key_wins: bool,
    /// Numbers with a fraction or an exponent become `Decimal` (exact), not `float`.
    pub(crate) decimal: bool,
    /// Containers nested deeper than this are an error.
    pub(crate) max_depth: usize,
}

impl ReadOptions {
    pub(crate) fn new(
        allow_nan: bool,
        last_key_wins: bool,
        decimal: bool,
        max_depth: usize,
    ) -> Self {
        ReadOptions {
            allow_nan,
            last_key_wins,
            decimal,
            max_depth,
        }
    }
}

/// Why a document was refused, and where (a byte offset into it).
pub(crate) struct ReadError {
    pub(crate) message: String,
    pub(crate) offset: usize,
}

/// Line and column (both from 1; the column counts characters) of a byte offset.
pub(crate) fn line_column(data: &[u8], offset: usize) -> (usize, usize) {
    let before = &data[..offset.min(data.len())];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // UTF-8 continuation bytes do not start a character
    let column = 1 + before[start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count();
    (line, column)
}

enum Open<'py> {
    /// A list: its items so far are the pending items from this index on.
    List(usize),
    /// An object being filled.
    Dict(Member<'py>),
}

/// An object, the key whose value is being read, and how many members it has so far.
struct Member<'py> {
    /// The dict filled as the object is read; `None` while its keys follow `shape` (their
    /// values wait among the pending items from `first` on).
    dict: Option<Bound<'py, PyDict>>,
    shape: Option<Rc<Template>>,
    first: usize,
    /// The shape slot of the object's first key.
    slot: usize,
    /// Borrowed from the key cache, which keeps every key it hands out alive until the
    /// document is read (`Keys::release`).
    key: *mut ffi::PyObject,
    /// Where to look for the key (its opening quote is the first one from there: only for an
    /// error message).
    key_at: usize,
    count: usize,
}

/// The open containers, innermost last (on the native stack while they are few).
type Stack<'py> = smallvec::SmallVec<[Open<'py>; 8]>;

/// The items of every open list (and the values of every object following a shape),
/// innermost last, as owned references (a list is made whole
/// when it closes): the thread's buffer, kept between documents. Whatever is left when a
/// document is refused is released.
struct Items<'a>(&'a mut Vec<*mut ffi::PyObject>);

impl Drop for Items<'_> {
    fn drop(&mut self) {
        for item in self.0.drain(..) {
            // SAFETY: an owned reference, released with the GIL held (dropped inside `read`)
            unsafe { ffi::Py_DecRef(item) };
        }
    }
}

type Read<T> = Result<T, Failure>;

/// A failure inside the reader: a described one, a scanner error (described afterwards by
/// jiter), or a Python error (building a value).
enum Failure {
    Said(ReadError),
    Scan(usize),
    Py(PyErr),
}

impl From<PyErr> for Failure {
    fn from(err: PyErr) -> Self {
        Failure::Py(err)
    }
}

/// The document in `data` as Python values.
pub(crate) fn read_document<'py>(
    py: Python<'py>,
    data: &[u8],
    options: &ReadOptions,
) -> Result<Bound<'py, PyAny>, Result<ReadError, PyErr>> {
    read_value(py, data, options, true).map(|(value, _)| value)
}

/// The first value in `data` and where it ends (`whole`: nothing but whitespace may follow).
pub(crate) fn read_value<'py>(
    py: Python<'py>,
    data: &[u8],
    options: &ReadOptions,
    whole: bool,
) -> Result<(Bound<'py, PyAny>, usize), Result<ReadError, PyErr>> {
    let mut scan = Scan::new(data);
    let outcome = KEYS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut keys) => {
            let Keys {
                cache,
                items,
                shapes,
            } = &mut *keys;
            let mut reader = Reader {
                keys: cache,
                shapes,
                items: Items(items),
            };
            let outcome = reader.read(py, &mut scan, data, options, whole);
            drop(reader);
            cache.release();
            outcome
        }
        // re-entered (never expected: nothing here calls back into a reader): caches of its own
        Err(_) => {
            let mut items = Vec::new();
            let mut cache = KeyCache::default();
            let mut shapes = Shapes::default();
            let mut reader = Reader {
                keys: &mut cache,
                shapes: &mut shapes,
                items: Items(&mut items),
            };
            let outcome = reader.read(py, &mut scan, data, options, whole);
            drop(reader);
            outcome
        }
    });
    match outcome {
        Ok(value) => Ok((value, scan.current_index())),
        Err(Failure::Said(err)) => Err(Ok(err)),
        Err(Failure::Py(err)) => Err(Err(err)),
        Err(Failure::Scan(at)) => Err(Ok(describe(data, at, options.allow_nan))),
    }
}

/// jiter's account of why `data` is not JSON (it parses the whole input again: errors are rare),
/// or a plain one at the scanner's position when jiter sees no error (or a different limit).
fn describe(data: &[u8], at: usize, allow_nan: bool) -> ReadError {
    match JsonValue::parse(data, allow_nan) {
        Err(err) if !err.error_type.to_string().contains("recursion") => ReadError {
            message: err.error_type.to_string(),
            offset: err.index,
        },
        _ => ReadError {
            message: "invalid JSON".to_owned(),
            offset: at,
        },
    }
}

/// A scanner error at `at` (jiter describes it afterwards).
fn scan_at(at: usize) -> impl FnOnce(super::read::ScanError) -> Failure {
    move |_| Failure::Scan(at)
}

fn said(message: impl Into<String>, offset: usize) -> Failure {
    Failure::Said(ReadError {
        message: message.into(),
        offset,
    })
}

/// What the reader works with: the thread's key cache, shapes and pending items.
struct Reader<'a> {
    keys: &'a mut KeyCache,
    shapes: &'a mut Shapes,
    items: Items<'a>,
}

impl Reader<'_> {
    fn read<'py>(
        &mut self,
        py: Python<'py>,
        scan: &mut Scan<'_>,
        data: &[u8],
        options: &ReadOptions,
        whole: bool,
    ) -> Read<Bound<'py, PyAny>> {
        let mut stack: Stack<'py> = Stack::new();
        let mut peek = scan.peek().map_err(scan_at(0))?;
        loop {
            let start = scan.current_index();
            // a value, or (for a non-empty container) the container opened and its first item
            let mut value: Bound<'py, PyAny> = match peek {
                Peek::Array => match scan.known_array().map_err(scan_at(start))? {
                    None => {
                        check_depth(stack.len(), options, start)?;
                        PyList::empty(py).into_any()
                    }
                    Some(first) => {
                        check_depth(stack.len(), options, start)?;
                        stack.push(Open::List(self.items.0.len()));
                        peek = first;
                        continue;
                    }
                },
                Peek::Object => match scan.known_object().map_err(scan_at(start))? {
                    None => {
                        check_depth(stack.len(), options, start)?;
                        PyDict::new(py).into_any()
                    }
                    Some(text) => {
                        let key = self.keys.string(py, text);
                        check_depth(stack.len(), options, start)?;
                        let slot = shape_slot(key);
                        let shape = self.shapes.follow(slot, key);
                        stack.push(Open::Dict(Member {
                            dict: if shape.is_some() {
                                None
                            } else {
                                Some(PyDict::new(py))
                            },
                            shape,
                            first: self.items.0.len(),
                            slot,
                            key,
                            key_at: start + 1,
                            count: 0,
                        }));
                        peek = scan.peek().map_err(scan_at(start))?;
                        continue;
                    }
                },
                Peek::String => {
                    let (bytes, ascii) = scan.known_str_bytes().map_err(scan_at(start))?;
                    match crate::cpython::decoded_str(py, bytes, ascii)? {
                        Some(text) => text.into_any(),
                        None => return Err(Failure::Scan(start)),
                    }
                }
                Peek::Null => {
                    scan.known_null().map_err(scan_at(start))?;
                    py.None().into_bound(py)
                }
                Peek::True | Peek::False => {
                    let truth = scan.known_bool(peek).map_err(scan_at(start))?;
                    PyBool::new(py, truth).to_owned().into_any()
                }
                _ => number(py, scan, data, peek, options)?,
            };
            // hand the value to its container; close every container it completes
            loop {
                match stack.last_mut() {
                    None => {
                        if whole {
                            scan.finish().map_err(scan_at(start))?;
                        }
                        return Ok(value);
                    }
                    Some(Open::List(_)) => {
                        self.items.0.push(value.into_ptr());
                        match scan.array_step().map_err(scan_at(start))? {
                            Some(next) => {
                                peek = next;
                                break;
                            }
                            None => value = self.pop(py, &mut stack)?,
                        }
                    }
                    Some(Open::Dict(member)) => {
                        match &member.dict {
                            // following a shape: no repeat is possible, the value waits
                            None => self.items.0.push(value.into_ptr()),
                            Some(dict) => {
                                // SAFETY: a live dict, a key kept alive by the cache, a live
                                // value; the dict takes its own references to both
                                if unsafe {
                                    ffi::PyDict_SetItem(dict.as_ptr(), member.key, value.as_ptr())
                                } < 0
                                {
                                    return Err(PyErr::fetch(py).into());
                                }
                                drop(value);
                                if dict_len(dict) <= member.count && !options.last_key_wins {
                                    return Err(duplicate(py, data, member));
                                }
                            }
                        }
                        member.count += 1;
                        let at = scan.current_index();
                        match scan.next_key().map_err(scan_at(start))? {
                            Some(text) => {
                                let key = self.keys.string(py, text);
                                if let Some(shape) = &member.shape {
                                    if member.dict.is_none() && !shape.has_at(member.count, key) {
                                        self.go_live(py, member)?;
                                    }
                                }
                                member.key = key;
                                member.key_at = at;
                                peek = scan.peek().map_err(scan_at(start))?;
                                break;
                            }
                            None => value = self.pop(py, &mut stack)?,
                        }
                    }
                }
            }
        }
    }

    /// An object that followed its shape up to here and now leaves it: the members so far (a
    /// prefix of the shape, so no repeats) moved into a new dict, filled live from now on.
    #[cold]
    #[inline(never)]
    fn go_live<'py>(&mut self, py: Python<'py>, member: &mut Member<'py>) -> PyResult<()> {
        let dict = PyDict::new(py);
        let values = &self.items.0[member.first..];
        let keys = member
            .shape
            .as_ref()
            .map_or(&[][..], |shape| shape.keys(values.len()));
        for (&key, &value) in keys.iter().zip(values) {
            // SAFETY: a key the template keeps alive, a value the items own (released below)
            if unsafe { ffi::PyDict_SetItem(dict.as_ptr(), key, value) } < 0 {
                return Err(PyErr::fetch(py));
            }
        }
        for value in self.items.0.drain(member.first..) {
            // SAFETY: an owned reference the dict now holds one of its own to
            unsafe { ffi::Py_DecRef(value) };
        }
        member.dict = Some(dict);
        Ok(())
    }

    /// The innermost open container, closed: a list made of its pending items, or the dict.
    fn pop<'py>(&mut self, py: Python<'py>, stack: &mut Stack<'py>) -> PyResult<Bound<'py, PyAny>> {
        match stack.pop() {
            Some(Open::List(first)) => list_of(py, &mut self.items, first),
            Some(Open::Dict(mut member)) => {
                if let Some(dict) = member.dict.take() {
                    self.shapes.learn(member.slot, &dict, member.count);
                    return Ok(dict.into_any());
                }
                let full = member
                    .shape
                    .as_ref()
                    .is_some_and(|shape| shape.keys(usize::MAX).len() == member.count);
                if !full {
                    // a prefix of the shape only
                    self.go_live(py, &mut member)?;
                    let dict = member.dict.take();
                    return dict.map(Bound::into_any).ok_or_else(|| {
                        crate::errors::ferrule_err(py, "InternalError", "object not built")
                    });
                }
                let shape = member.shape.take();
                let Some(shape) = shape else {
                    unreachable!("a full shape is a shape")
                };
                // SAFETY: one value per key of the shape (`full`); on success the dict took
                // them over, so they leave the items without a release
                let dict = unsafe { shape.fill(py, &self.items.0[member.first..])? };
                self.items.0.truncate(member.first);
                self.shapes.hit(member.slot);
                Ok(dict.into_any())
            }
            // only called with an open container on top
            None => unreachable!("pop of an empty stack"),
        }
    }
}

/// A repeated key, refused where it stands.
#[cold]
fn duplicate(py: Python<'_>, data: &[u8], member: &Member<'_>) -> Failure {
    let quote = data[member.key_at..]
        .iter()
        .position(|&b| b == b'"')
        .map_or(member.key_at, |i| member.key_at + i);
    // SAFETY: a key the cache keeps alive, a str
    let key = unsafe { pyo3::Borrowed::from_ptr(py, member.key) };
    // SAFETY: every key is a str
    match unsafe { key.downcast_unchecked::<PyString>() }.to_cow() {
        Ok(text) => said(format!("duplicate key {text:?}"), quote),
        Err(err) => Failure::Py(err),
    }
}

/// A new list of `items[first..]`, moved in (no reference counting per item).
fn list_of<'py>(
    py: Python<'py>,
    items: &mut Items<'_>,
    first: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let count = items.0.len() - first;
    // SAFETY: a new list of `count` empty slots, each filled once below with a reference it
    // takes over from `items` (cut back after; on an error before, `items` still owns them
    // all). The array is written directly where the layout is proven, which is what
    // `PyList_SetItem` does to an empty slot.
    unsafe {
        let list = Bound::from_owned_ptr_or_err(py, ffi::PyList_New(count as ffi::Py_ssize_t))?;
        let moved = items.0.drain(first..);
        match crate::cpython::list_items(py, list.as_ptr()) {
            Some((array, _)) => {
                for (index, item) in moved.enumerate() {
                    *array.cast_mut().add(index) = item;
                }
            }
            None => {
                for (index, item) in moved.enumerate() {
                    // steals the reference; cannot fail on a new list's own slots
                    ffi::PyList_SetItem(list.as_ptr(), index as ffi::Py_ssize_t, item);
                }
            }
        }
        Ok(list)
    }
}

fn check_depth(open: usize, options: &ReadOptions, at: usize) -> Read<()> {
    if open >= options.max_depth {
        return Err(said(
            format!(
                "nesting deeper than max_depth={} (containers inside containers)",
                options.max_depth
            ),
            at,
        ));
    }
    Ok(())
}

fn number<'py>(
    py: Python<'py>,
    scan: &mut Scan<'_>,
    data: &[u8],
    peek: Peek,
    options: &ReadOptions,
) -> Read<Bound<'py, PyAny>> {
    let start = scan.current_index();
    let special = match data.get(start) {
        Some(b'N' | b'I') => true,
        Some(b'-') => data.get(start + 1) == Some(&b'I'),
        _ => false,
    };
    if special {
        if let Some((word, value)) = special_number(&data[start..]) {
            if !options.allow_nan {
                return Err(said(
                    format!("{word} is not valid JSON (pass allow_nan=True to accept it)"),
                    start,
                ));
            }
            scan_skip(scan, start + word.len());
            return Ok(PyFloat::new(py, value).into_any());
        }
    }
    let parsed = match scan.plain_number() {
        Number::Int(i) => return Ok(PyInt::new(py, i).into_any()),
        Number::Float(f) if !options.decimal => return Ok(PyFloat::new(py, f).into_any()),
        Number::Float(f) => NumberAny::Float(f),
        Number::Other => scan
            .number_by_jiter(peek)
            .map_err(|_| Failure::Scan(start))?,
    };
    // the number's text, for the cases that need it (all ASCII when valid)
    let raw = scan.slice_to_current(start);
    let text = || std::str::from_utf8(raw).map_err(|_| Failure::Scan(start));
    match parsed {
        NumberAny::Int(NumberInt::Int(i)) => Ok(PyInt::new(py, i).into_any()),
        NumberAny::Int(NumberInt::BigInt(_)) => {
            let text = text()?;
            let digits = text.trim_start_matches('-').len();
            if digits > MAX_INT_DIGITS {
                return Err(said(
                    format!("integer of {digits} digits: more than {MAX_INT_DIGITS} are refused"),
                    start,
                ));
            }
            Ok(big_int(py, text)?)
        }
        NumberAny::Float(f) => {
            if options.decimal {
                return Ok(py_decimal_type(py).call1((text()?,))?);
            }
            if !f.is_finite() {
                return Err(said(
                    format!(
                        "number {} is out of range for a float (pass decimal=True to read it exactly)",
                        text()?
                    ),
                    start,
                ));
            }
            Ok(PyFloat::new(py, f).into_any())
        }
    }
}

/// `NaN`, `Infinity` or `-Infinity` at the start of `rest`.
fn special_number(rest: &[u8]) -> Option<(&'static str, f64)> {
    [
        ("NaN", f64::NAN),
        ("Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
    ]
    .into_iter()
    .find(|(word, _)| rest.starts_with(word.as_bytes()))
}

/// Step the scanner to `to` (past a token read here).
fn scan_skip(scan: &mut Scan<'_>, to: usize) {
    scan.set_index(to);
}

/// Object keys seen before (in this document or an earlier one on this thread), so a key
/// repeated across objects (the common case: a list of records) is one Python string, made
/// and hashed once. Entries are only ever whole, immutable `str`s: what the cache hands out is
/// exactly the text asked for.
type Slot = Option<(Box<[u8]>, Py<PyString>)>;

const KEY_SLOTS: usize = 512;
const LONGEST_CACHED_KEY: usize = 64;

thread_local! {
    static KEYS: std::cell::RefCell<Keys> = std::cell::RefCell::new(Keys::default());
}

/// What a thread's reader keeps between documents.
#[derive(Default)]
struct Keys {
    cache: KeyCache,
    items: Vec<*mut ffi::PyObject>,
    shapes: Shapes,
}

#[derive(Default)]
struct KeyCache {
    slots: Vec<Slot>,
    /// Keys handed out during this document and no longer in a slot (replaced, or never
    /// cached): kept alive until the document is read, so a borrowed key stays valid.
    kept: Vec<Py<PyString>>,
}

impl KeyCache {
    /// The str of the key `text` (borrowed: alive until `release`).
    #[inline(always)]
    fn string(&mut self, py: Python<'_>, text: &str) -> *mut ffi::PyObject {
        let bytes = text.as_bytes();
        if bytes.len() > LONGEST_CACHED_KEY {
            let string = crate::cpython::ascii_str(py, text).unbind();
            let ptr = string.as_ptr();
            self.kept.push(string);
            return ptr;
        }
        if self.slots.is_empty() {
            self.slots.resize_with(KEY_SLOTS, || None);
        }
        let slot = &mut self.slots[slot_of(bytes)];
        if let Some((known, string)) = slot {
            if same_bytes(known, bytes) {
                return string.as_ptr();
            }
        }
        self.replace(py, slot_of(bytes), text)
    }

    #[inline(never)]
    fn replace(&mut self, py: Python<'_>, slot: usize, text: &str) -> *mut ffi::PyObject {
        let string = crate::cpython::ascii_str(py, text).unbind();
        let ptr = string.as_ptr();
        if let Some((_, old)) = self.slots[slot].replace((text.as_bytes().into(), string)) {
            self.kept.push(old);
        }
        ptr
    }

    /// Let go of the keys kept for the document just read.
    fn release(&mut self) {
        self.kept.clear();
    }
}

/// The slot of a key: its length and its first and last (up to) eight bytes, mixed by one
/// multiply (keys that differ only inside a long middle share a slot, and take turns in it).
#[inline]
fn slot_of(bytes: &[u8]) -> usize {
    let n = bytes.len();
    let word = |at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let half = |at: usize| {
        let mut half = [0u8; 4];
        half.copy_from_slice(&bytes[at..at + 4]);
        u64::from(u32::from_le_bytes(half))
    };
    let (head, tail) = match n {
        8.. => (word(0), word(n - 8)),
        4..=7 => (half(0), half(n - 4)),
        1..=3 => (
            u64::from(bytes[0]) | u64::from(bytes[n / 2]) << 8 | u64::from(bytes[n - 1]) << 16,
            0,
        ),
        0 => (0, 0),
    };
    let mixed = (head ^ tail.rotate_left(29) ^ n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (mixed >> (64 - KEY_SLOTS.trailing_zeros())) as usize
}
#[cfg(test)]
mod tests {
    use super::line_column;

    #[test]
    fn lines_and_columns_count_characters_from_one() {
        let data = "ab\ncé d".as_bytes();
        assert_eq!(line_column(data, 0), (1, 1));
        assert_eq!(line_column(data, 3), (2, 1));
        // 'c' (1 byte), 'é' (2 bytes), ' ' : byte 7 is 'd', the 4th character of line 2
        assert_eq!(line_column(data, 7), (2, 4));
        assert_eq!(line_column(data, 100), (2, 5));
    }
}
