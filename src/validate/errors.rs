//! Validation error lines as the core collects them; turned into `ferrule.errors.ValidationError`
//! only at the boundary (messages are rendered lazily in Python).

use std::borrow::Cow;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use crate::conv::py_validation_error;
use crate::cpython::dict::{copy_template, put, track, value_offsets};
use crate::input::Input;
use pyo3::sync::{GILOnceCell, GILProtected};
use std::cell::RefCell;

/// One step of an error location.
pub(crate) enum Loc {
    Key(PyObject),
    Index(usize),
}

/// One problem found in the input.
pub(crate) struct LineError {
    pub(crate) kind: Cow<'static, str>,
    /// Innermost step first: containers push their step as the error travels outwards.
    pub(crate) loc: smallvec::SmallVec<[Loc; 2]>,
    pub(crate) input: PyObject,
    pub(crate) ctx: Option<Ctx>,
    pub(crate) msg: Option<PyObject>,
}

/// An error's context values: kept as Rust pairs until somebody reads them (most errors are
/// only counted or rendered), or the dict a user function's error came with.
pub(crate) enum Ctx {
    /// The usual context: one bound or pattern (kept inline, no allocation).
    One(&'static str, PyObject),
    Pairs(Box<[(&'static str, PyObject)]>),
    Dict(PyObject),
}

impl Ctx {
    /// The context as a new dict (a fresh one on every call, as `errors()` promises).
    pub(crate) fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        match self {
            Ctx::One(key, value) => {
                let dict = PyDict::new(py);
                dict.set_item(static_str(py, key), value)?;
                Ok(dict)
            }
            Ctx::Pairs(pairs) => {
                let dict = PyDict::new(py);
                for (key, value) in pairs.iter() {
                    dict.set_item(static_str(py, key), value)?;
                }
                Ok(dict)
            }
            Ctx::Dict(dict) => dict.bind(py).downcast::<PyDict>()?.copy(),
        }
    }
}

/// Either data errors (collected, reported together) or a Python exception to propagate as-is.
pub(crate) enum ValError {
    Lines(Vec<LineError>),
    Internal(PyErr),
}

pub(crate) type ValResult<T> = Result<T, ValError>;

impl From<PyErr> for ValError {
    fn from(err: PyErr) -> Self {
        ValError::Internal(err)
    }
}

impl ValError {
    pub(crate) fn new(py: Python<'_>, kind: &'static str, input: Input<'_, '_>) -> Self {
        ValError::Lines(vec![LineError {
            kind: Cow::Borrowed(kind),
            loc: smallvec::SmallVec::new(),
            input: input.to_object(py),
            ctx: None,
            msg: None,
        }])
    }

    /// Prefix every line's location with `step` (the error moves one level outwards).
    pub(crate) fn at(self, step: impl FnOnce() -> Loc) -> Self {
        match self {
            ValError::Lines(mut lines) => {
                if lines.len() == 1 {
                    lines[0].loc.push(step());
                } else {
                    let step = step();
                    for line in &mut lines {
                        line.loc.push(clone_loc(&step));
                    }
                }
                ValError::Lines(lines)
            }
            internal => internal,
        }
    }
}

fn clone_loc(loc: &Loc) -> Loc {
    match loc {
        Loc::Key(key) => Python::with_gil(|py| Loc::Key(key.clone_ref(py))),
        Loc::Index(i) => Loc::Index(*i),
    }
}

pub(crate) fn line_with_ctx(
    py: Python<'_>,
    kind: &'static str,
    input: PyObject,
    ctx: &[(&'static str, PyObject)],
) -> LineError {
    LineError {
        kind: Cow::Borrowed(kind),
        loc: smallvec::SmallVec::new(),
        input,
        ctx: Some(match ctx {
            [(key, value)] => Ctx::One(key, value.clone_ref(py)),
            _ => Ctx::Pairs(
                ctx.iter()
                    .map(|(key, value)| (*key, value.clone_ref(py)))
                    .collect(),
            ),
        }),
        msg: None,
    }
}

/// Collects lines from several sub-validations (fields, items) without stopping at the first.
#[derive(Default)]
pub(crate) struct Errors {
    pub(crate) lines: Vec<LineError>,
}

impl Errors {
    /// Keep data errors (with `step` prefixed); an internal error stops everything.
    pub(crate) fn absorb(&mut self, err: ValError, step: impl FnOnce() -> Loc) -> PyResult<()> {
        match err.at(step) {
            ValError::Lines(lines) => {
                if self.lines.is_empty() {
                    self.lines = lines; // the first error: keep its vector, no copy
                } else {
                    self.lines.extend(lines);
                }
                Ok(())
            }
            ValError::Internal(err) => Err(err),
        }
    }

    pub(crate) fn push(&mut self, line: LineError) {
        self.lines.push(line);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub(crate) fn into_result<T>(self, value: T) -> ValResult<T> {
        if self.lines.is_empty() {
            Ok(value)
        } else {
            Err(ValError::Lines(self.lines))
        }
    }
}

/// The error lines of a `ValidationError` (its `args[1]`), kept in Rust: a sequence of raw
/// tuples `(loc, type, input, ctx, msg)` made only when read, so raising builds no tuples.
#[pyclass(frozen, sequence, module = "ferrule._ferrule")]
pub(crate) struct RawErrors {
    lines: Vec<LineError>,
}

#[pymethods]
impl RawErrors {
    fn __len__(&self) -> usize {
        self.lines.len()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyTuple>> {
        let len = self.lines.len() as isize;
        let at = if index < 0 { index + len } else { index };
        if at < 0 || at >= len {
            return Err(pyo3::exceptions::PyIndexError::new_err(
                "error index out of range",
            ));
        }
        let line = &self.lines[at as usize];
        PyTuple::new(
            py,
            [
                line_loc(py, line)?.into_any().unbind(),
                kind_str(py, &line.kind).into_any().unbind(),
                line.input.clone_ref(py),
                match &line.ctx {
                    Some(ctx) => ctx.to_dict(py)?.into_any().unbind(),
                    None => py.None(),
                },
                line.msg
                    .as_ref()
                    .map_or_else(|| py.None(), |m| m.clone_ref(py)),
            ],
        )
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let items = (0..self.lines.len() as isize)
            .map(|i| Ok(self.__getitem__(py, i)?.repr()?.to_string()))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(format!("[{}]", items.join(", ")))
    }
}

/// The location as a tuple, outermost step first.
fn line_loc<'py>(py: Python<'py>, line: &LineError) -> PyResult<Bound<'py, PyTuple>> {
    if let [Loc::Key(key)] = line.loc.as_slice() {
        return single_key_loc(py, key);
    }
    PyTuple::new(py, line.loc.iter().rev().map(|step| loc_to_py(py, step)))
}

const LOC_SLOTS: usize = 64;

/// One-step locations `(key,)` by key object: tuples are immutable, so the same one can be
/// handed out again (the entry holds the key, so its address cannot be reused meanwhile).
type LocEntry = Option<(PyObject, Py<PyTuple>)>;

/// Guarded by the GIL (no atomic read-modify-write per use); a use that finds it borrowed (a
/// release run by the store, a thread the GIL passed to meanwhile) goes without it.
static LOC_MEMO: GILProtected<RefCell<[LocEntry; LOC_SLOTS]>> =
    GILProtected::new(RefCell::new([const { None }; LOC_SLOTS]));

fn single_key_loc<'py>(py: Python<'py>, key: &PyObject) -> PyResult<Bound<'py, PyTuple>> {
    let slot = (key.as_ptr() as usize >> 4) % LOC_SLOTS;
    if let Ok(memo) = LOC_MEMO.get(py).try_borrow() {
        if let Some((held, loc)) = &memo[slot] {
            if held.as_ptr() == key.as_ptr() {
                return Ok(loc.bind(py).clone());
            }
        }
    }
    let loc = PyTuple::new(py, [key.clone_ref(py)])?;
    if let Ok(mut memo) = LOC_MEMO.get(py).try_borrow_mut() {
        memo[slot] = Some((key.clone_ref(py), loc.clone().unbind()));
    }
    Ok(loc)
}

// the Cow itself is needed: only borrowed ('static) codes may be cached by address
#[allow(clippy::ptr_arg)]
fn kind_str<'py>(py: Python<'py>, kind: &Cow<'static, str>) -> Bound<'py, PyString> {
    match kind {
        Cow::Borrowed(kind) => static_str(py, kind),
        Cow::Owned(kind) => cached_str(py, kind),
    }
}

fn loc_to_py(py: Python<'_>, loc: &Loc) -> PyObject {
    match loc {
        Loc::Key(key) => key.clone_ref(py),
        Loc::Index(i) => i.into_pyobject(py).expect("index").into_any().unbind(),
    }
}

/// Build the Python `ValidationError` for `lines` under `title`.
pub(crate) fn validation_error(
    py: Python<'_>,
    title: &Bound<'_, PyAny>,
    lines: Vec<LineError>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let raw = Bound::new(py, RawErrors { lines })?;
        // BaseException's tp_new stores (title, raw) in args, all __init__ would do: no Python
        // frame and no `__new__` wrapper call
        let cls = py_validation_error(py).downcast::<pyo3::types::PyType>()?;
        let args = PyTuple::new(py, [title.clone().unbind(), raw.into_any().unbind()])?;
        // SAFETY: every type has tp_new here (the class is an Exception subclass); the slot
        // returns a new reference or NULL with an exception set.
        let exc = unsafe {
            let new = ffi::PyType_GetSlot(cls.as_type_ptr(), ffi::Py_tp_new);
            if new.is_null() {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "ValidationError has no tp_new",
                ));
            }
            let new: ffi::newfunc = std::mem::transmute(new);
            let ptr = new(cls.as_type_ptr(), args.as_ptr(), std::ptr::null_mut());
            Bound::from_owned_ptr_or_err(py, ptr)?
        };
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// `errors()` of an exception whose raw errors are a list of tuples (made in Python, or
/// unpickled): one dict per raw error, messages rendered from the templates exactly as
/// `ferrule.errors.format_message` renders them.
pub(crate) fn render_list<'py>(
    py: Python<'py>,
    raw: &Bound<'py, PyList>,
    messages: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for item in raw.iter() {
        let item = item.downcast_into::<PyTuple>()?;
        let (loc, kind, input, ctx, custom) = (
            item.get_item(0)?,
            item.get_item(1)?,
            item.get_item(2)?,
            item.get_item(3)?,
            item.get_item(4)?,
        );
        let loc = match loc.downcast_into::<PyTuple>() {
            Ok(tuple) => tuple,
            Err(other) => PyTuple::new(
                py,
                other
                    .into_inner()
                    .try_iter()?
                    .collect::<PyResult<Vec<_>>>()?,
            )?,
        };
        let ctx = match ctx.downcast_into::<PyDict>() {
            Ok(ctx) => Some(ctx.copy()?),
            Err(_) => None,
        };
        let custom = (!custom.is_none()).then_some(custom);
        out.append(render_entry(py, loc, kind, input, ctx, custom, messages)?)?;
    }
    Ok(out)
}

/// `errors()` straight from the lines a native `ValidationError` carries.
pub(crate) fn render_lines<'py>(
    py: Python<'py>,
    raw: &RawErrors,
    messages: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    for line in &raw.lines {
        let entry = render_entry(
            py,
            line_loc(py, line)?,
            kind_str(py, &line.kind).into_any(),
            line.input.bind(py).clone(),
            line.ctx.as_ref().map(|c| c.to_dict(py)).transpose()?,
            line.msg.as_ref().map(|m| m.bind(py).clone()),
            messages,
        )?;
        out.append(entry)?;
    }
    Ok(out)
}

/// One `errors()` dict: type, loc, msg (the custom one, or the rendered template), input, ctx
/// (`ctx` is a dict of the caller's own, placed in the entry as it is).
fn render_entry<'py>(
    py: Python<'py>,
    loc: Bound<'py, PyTuple>,
    kind: Bound<'py, PyAny>,
    input: Bound<'py, PyAny>,
    ctx: Option<Bound<'py, PyDict>>,
    custom: Option<Bound<'py, PyAny>>,
    messages: &Bound<'py, PyDict>,
) -> PyResult<Bound<'py, PyDict>> {
    let msg = if let Some(custom) = custom {
        custom
    } else {
        let template = messages.get_item(&kind)?.unwrap_or_else(|| kind.clone());
        message(py, template, ctx.as_ref())?
    };
    let ctx = ctx.filter(|c| !c.is_empty());
    if let Some(template) = entry_template(py, ctx.is_some()) {
        // a copy of the template with its values written in place: no hash lookup per key
        let (entry, keys) = copy_template(template.dict.bind(py))?;
        let values = [kind, loc.into_any(), msg, input];
        let values = values.into_iter().chain(ctx.map(Bound::into_any));
        for (value, &offset) in values.zip(template.offsets.iter()) {
            // SAFETY: `keys` is the fresh copy's keys object and `offset` a value offset
            // proven for copies of this template; the entry takes the new reference
            unsafe { put(keys, offset, value.into_ptr()) };
        }
        track(&entry); // it holds the location tuple
        return Ok(entry);
    }
    let entry = PyDict::new(py);
    entry.set_item(pyo3::intern!(py, "type"), kind)?;
    entry.set_item(pyo3::intern!(py, "loc"), loc)?;
    entry.set_item(pyo3::intern!(py, "msg"), msg)?;
    entry.set_item(pyo3::intern!(py, "input"), input)?;
    if let Some(ctx) = ctx {
        entry.set_item(pyo3::intern!(py, "ctx"), ctx)?;
    }
    Ok(entry)
}

/// A private dict with the keys of an `errors()` entry (values None), and where a copy of it
/// holds each value (`cpython::dict`).
struct EntryTemplate {
    dict: Py<PyDict>,
    offsets: Box<[usize]>,
}

/// The template of entries without ctx, or with it; None when copies cannot be filled in
/// place (fast paths off, an unexpected layout): entries are then built key by key.
fn entry_template(py: Python<'_>, with_ctx: bool) -> Option<&EntryTemplate> {
    static PLAIN: GILOnceCell<Option<EntryTemplate>> = GILOnceCell::new();
    static WITH_CTX: GILOnceCell<Option<EntryTemplate>> = GILOnceCell::new();
    let cell = if with_ctx { &WITH_CTX } else { &PLAIN };
    cell.get_or_init(py, || {
        let keys = [
            pyo3::intern!(py, "type"),
            pyo3::intern!(py, "loc"),
            pyo3::intern!(py, "msg"),
            pyo3::intern!(py, "input"),
            pyo3::intern!(py, "ctx"),
        ];
        let dict = PyDict::new(py);
        for key in &keys[..if with_ctx { 5 } else { 4 }] {
            dict.set_item(key, py.None()).ok()?;
        }
        let offsets = value_offsets(&dict)?;
        Some(EntryTemplate {
            dict: dict.unbind(),
            offsets,
        })
    })
    .as_ref()
}

/// The message for `template` filled from `ctx`. A context of one int or str value (a bound,
/// a pattern) is the usual case and repeats, so its rendered text is remembered.
fn message<'py>(
    py: Python<'py>,
    template: Bound<'py, PyAny>,
    ctx: Option<&Bound<'py, PyDict>>,
) -> PyResult<Bound<'py, PyAny>> {
    let single = ctx.filter(|c| c.len() == 1).and_then(|c| c.iter().next());
    let key = single.as_ref().and_then(|(k, v)| {
        let value = if v.is_exact_instance_of::<pyo3::types::PyInt>() {
            MemoValue::Int(v.extract::<i64>().ok()?)
        } else if v.is_exact_instance_of::<PyString>() {
            MemoValue::Object(v.as_ptr() as usize)
        } else {
            return None;
        };
        Some((template.as_ptr() as usize, k.as_ptr() as usize, value))
    });
    let slot = key.map(|(t, k, v)| {
        let mixed = t ^ k.rotate_left(17) ^ v.bits().rotate_left(31);
        (mixed >> 4) % MEMO_SLOTS
    });
    if let (Some(key), Some(slot)) = (key, slot) {
        if let Ok(memo) = MEMO.get(py).try_borrow() {
            if let Some(entry) = &memo[slot] {
                if entry.key == key {
                    return Ok(entry.text.bind(py).clone().into_any());
                }
            }
        }
    }
    let text = template.downcast::<PyString>()?.to_str()?;
    let rendered = match render(text, ctx)? {
        Some(rendered) => PyString::new(py, &rendered).into_any(),
        // no placeholder to fill: the template object itself
        None => return Ok(template),
    };
    if let (Some(key), Some(slot), Some((k, v))) = (key, slot, single) {
        if let Ok(mut memo) = MEMO.get(py).try_borrow_mut() {
            memo[slot] = Some(MemoEntry {
                key,
                // held so the addresses in `key` cannot be reused by other objects
                _held: [template.unbind(), k.unbind(), v.unbind()],
                text: rendered.clone().downcast_into::<PyString>()?.unbind(),
            });
        }
    }
    Ok(rendered)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum MemoValue {
    Int(i64),
    Object(usize),
}

impl MemoValue {
    fn bits(self) -> usize {
        match self {
            MemoValue::Int(i) => i as usize,
            MemoValue::Object(p) => p,
        }
    }
}

struct MemoEntry {
    key: (usize, usize, MemoValue),
    _held: [PyObject; 3],
    text: Py<PyString>,
}

const MEMO_SLOTS: usize = 64;

/// Rendered messages by (template, ctx key, ctx value), direct-mapped.
/// Guarded by the GIL, as `LOC_MEMO`.
static MEMO: GILProtected<RefCell<[Option<MemoEntry>; MEMO_SLOTS]>> =
    GILProtected::new(RefCell::new([const { None }; MEMO_SLOTS]));

/// `template.format(**ctx)` for `{name}` placeholders, with `{s}` the plural suffix of the first
/// length-like value; the template unchanged when a placeholder has no value (as in Python).
///
/// `None` when there is nothing to fill in (the template is the message as it stands).
fn render(template: &str, ctx: Option<&Bound<'_, PyDict>>) -> PyResult<Option<String>> {
    let Some(ctx) = ctx.filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    // placeholders are ASCII braces: plain byte scans (str::find(char) costs far more here)
    let brace = |text: &str, byte: u8| text.bytes().position(|b| b == byte);
    if brace(template, b'{').is_none() {
        return Ok(None);
    }
    let py = ctx.py();
    let plural = || -> PyResult<Option<&'static str>> {
        let keys = [
            pyo3::intern!(py, "min_length"),
            pyo3::intern!(py, "max_length"),
            pyo3::intern!(py, "max_digits"),
            pyo3::intern!(py, "decimal_places"),
            pyo3::intern!(py, "whole_digits"),
        ];
        for key in keys {
            if let Some(value) = ctx.get_item(key)? {
                return Ok(Some(if value.eq(1)? { "" } else { "s" }));
            }
        }
        Ok(None)
    };
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = brace(rest, b'{') {
        let Some(len) = brace(&rest[start..], b'}') else {
            break;
        };
        out.push_str(&rest[..start]);
        let name = &rest[start + 1..start + len];
        match ctx_value(ctx, name)? {
            Some(value) => push_str_of(&mut out, &value)?,
            None if name == "s" => match plural()? {
                Some(suffix) => out.push_str(suffix),
                None => return Ok(None),
            },
            None => return Ok(None),
        }
        rest = &rest[start + len + 1..];
    }
    out.push_str(rest);
    Ok(Some(out))
}

/// Append `str(value)`; ints (the usual bound) without a Python call.
fn push_str_of(out: &mut String, value: &Bound<'_, PyAny>) -> PyResult<()> {
    if value.is_exact_instance_of::<pyo3::types::PyInt>() {
        if let Ok(n) = value.extract::<i64>() {
            out.push_str(itoa::Buffer::new().format(n));
            return Ok(());
        }
    }
    match value.downcast_exact::<PyString>() {
        Ok(text) => out.push_str(text.to_str()?),
        Err(_) => out.push_str(value.str()?.to_str()?),
    }
    Ok(())
}

/// `ctx[name]` by comparing the few keys a context holds (no interning or hashing of `name`).
fn ctx_value<'py>(ctx: &Bound<'py, PyDict>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    for (key, value) in ctx.iter() {
        if let Ok(key) = key.downcast::<PyString>() {
            if key.to_str()? == name {
                return Ok(Some(value));
            }
        }
    }
    Ok(None)
}

/// Turn a `ValResult` into a `PyResult`, raising `ValidationError` for data errors.
pub(crate) fn into_py_result<T>(
    py: Python<'_>,
    title: &Bound<'_, PyAny>,
    result: ValResult<T>,
) -> PyResult<T> {
    match result {
        Ok(value) => Ok(value),
        Err(ValError::Lines(lines)) => Err(validation_error(py, title, lines)),
        Err(ValError::Internal(err)) => Err(err),
    }
}

impl From<std::convert::Infallible> for ValError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}

thread_local! {
    /// Error codes and context keys as Python strings, made once: building them per error
    /// (allocate, hash, intern) cost more than the rest of an error line.
    static STRINGS: std::cell::RefCell<std::collections::HashMap<String, Py<PyString>>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

const STATIC_SLOTS: usize = 256;

/// Static texts (error codes, ctx keys) by address, process-wide (used with the GIL held): one
/// compare instead of hashing the text, and no thread-local lookup. Each text may sit in either
/// of two neighbouring slots, so two texts that hash alike (a code and its context key, both
/// used by every error of a kind) do not evict each other on every call.
static STATIC_ADDRS: [AtomicUsize; STATIC_SLOTS] = [const { AtomicUsize::new(0) }; STATIC_SLOTS];
static STATIC_LENS: [AtomicUsize; STATIC_SLOTS] = [const { AtomicUsize::new(0) }; STATIC_SLOTS];
static STATIC_STRS: [AtomicPtr<ffi::PyObject>; STATIC_SLOTS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; STATIC_SLOTS];

/// `cached_str` for texts that live for the whole program, looked up by address first.
pub(crate) fn static_str<'py>(py: Python<'py>, text: &'static str) -> Bound<'py, PyString> {
    let (addr, len) = (text.as_ptr() as usize, text.len());
    // Fibonacci hashing: the top bits of the product mix every bit of the address
    let first = (addr.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (usize::BITS - 8)) % STATIC_SLOTS;
    for index in [first, first ^ 1] {
        if STATIC_ADDRS[index].load(Ordering::Acquire) == addr
            && STATIC_LENS[index].load(Ordering::Acquire) == len
        {
            let found = STATIC_STRS[index].load(Ordering::Acquire);
            // SAFETY: a stored string is never released (the reference taken when storing is
            // never given back, so an evicted one stays alive); entries are written with the
            // GIL held, the address last.
            return unsafe { Bound::from_borrowed_ptr(py, found).downcast_into_unchecked() };
        }
    }
    let made = cached_str(py, text);
    // an empty slot of the two, else the second (the first keeps the text that came first)
    let index = if STATIC_ADDRS[first].load(Ordering::Acquire) == 0 {
        first
    } else {
        first ^ 1
    };
    STATIC_ADDRS[index].store(0, Ordering::Release);
    STATIC_STRS[index].store(made.clone().into_ptr(), Ordering::Release);
    STATIC_LENS[index].store(len, Ordering::Release);
    STATIC_ADDRS[index].store(addr, Ordering::Release);
    made
}

pub(crate) fn cached_str<'py>(py: Python<'py>, text: &str) -> Bound<'py, PyString> {
    if let Some(found) = STRINGS.with(|m| m.borrow().get(text).map(|s| s.clone_ref(py))) {
        return found.into_bound(py);
    }
    let made = PyString::intern(py, text);
    STRINGS.with(|m| {
        let mut map = m.borrow_mut();
        if map.len() < 4096 {
            map.insert(text.to_owned(), made.clone().unbind());
        }
    });
    made
}
