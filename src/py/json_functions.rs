//! `ferrule.json.loads` / `dumps`: convert the arguments, call `json::document` or the
//! serialiser, and raise `JSONError` with the position of a refused document.

use std::cell::Cell;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString};

use crate::errors::{ferrule_err_args, guard};
use crate::json::document::{line_column, read_document, read_value, ReadError, ReadOptions};
use crate::serialize::{indent_arg, plain_to_json, KeyCache, NanMode, Options};

/// The largest `max_depth` accepted (`ferrule.json.MAX_DEPTH_LIMIT`): the reader's stack is
/// its own, not the C stack.
const MAX_DEPTH_LIMIT: usize = 1_000_000;

/// `ferrule.json.loads`: the value of the JSON document `data` (UTF-8 when bytes).
///
/// `decimal=True` reads numbers with a fraction or an exponent as `Decimal` (exact);
/// `duplicate_keys="last"` keeps the last value of a repeated key, as `json.loads` does.
#[pyfunction]
#[pyo3(signature = (data, /, *, allow_nan = false, duplicate_keys = false, decimal = false, max_depth = 1000))]
pub(crate) fn json_loads<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    #[pyo3(from_py_with = exact_bool)] allow_nan: bool,
    #[pyo3(from_py_with = last_key_wins)] duplicate_keys: bool,
    #[pyo3(from_py_with = exact_bool)] decimal: bool,
    #[pyo3(from_py_with = depth)] max_depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let options = ReadOptions::new(allow_nan, duplicate_keys, decimal, max_depth);
        read_text(py, data, &options)
    })
}

/// `loads(data)` with every option at its default (`json_entry`'s fast call).
pub(crate) fn loads_plain<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    read_text(py, data, &ReadOptions::new(false, false, false, 1000))
}

/// `duplicate_keys`: `"error"` (false) or `"last"` (true: the last value of a repeated key).
fn last_key_wins(mode: &Bound<'_, PyAny>) -> PyResult<bool> {
    match mode.extract::<&str>() {
        Ok("error") => Ok(false),
        Ok("last") => Ok(true),
        _ => Err(PyValueError::new_err(format!(
            "duplicate_keys must be 'error' or 'last', not {}",
            mode.repr()?
        ))),
    }
}

/// The bytes of a document, then the document read from them.
fn read_text<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    options: &ReadOptions,
) -> PyResult<Bound<'py, PyAny>> {
    let owned: Vec<u8>;
    let bytes: &[u8] = if let Ok(text) = data.downcast::<PyString>() {
        match text.to_str() {
            Ok(text) => text.as_bytes(),
            Err(_) => return Err(surrogate_error(py, text)?),
        }
    } else if let Ok(bytes) = data.downcast::<PyBytes>() {
        bytes.as_bytes()
    } else if let Ok(array) = data.downcast::<PyByteArray>() {
        owned = array.to_vec(); // a copy: the array may change while it is read
        &owned
    } else {
        if !data.is_instance_of::<pyo3::types::PyMemoryView>() {
            return Err(PyTypeError::new_err(format!(
                "loads() takes str, bytes, bytearray or memoryview, not {}",
                data.get_type().name()?
            )));
        }
        // a memoryview: bytes(data) copies what it holds now
        owned = py
            .get_type::<PyBytes>()
            .call1((data,))?
            .downcast_into::<PyBytes>()?
            .as_bytes()
            .to_vec();
        &owned
    };
    match read_document(py, bytes, options) {
        Ok(value) => Ok(value),
        Err(Ok(refused)) => Err(refused_error(py, bytes, refused)),
        Err(Err(err)) => Err(err),
    }
}

/// A keyword that must be exactly `True` or `False` (PyO3 names the argument in the error).
fn exact_bool(value: &Bound<'_, PyAny>) -> PyResult<bool> {
    match value.downcast_exact::<PyBool>() {
        Ok(value) => Ok(value.is_true()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "must be True or False, not {}",
            value.get_type().name()?
        ))),
    }
}

/// `max_depth`: an `int` (not a bool) from 1 to `MAX_DEPTH_LIMIT`.
fn depth(value: &Bound<'_, PyAny>) -> PyResult<usize> {
    if value.downcast_exact::<PyInt>().is_err() {
        return Err(PyTypeError::new_err(format!(
            "max_depth must be an int, not {}",
            value.get_type().name()?
        )));
    }
    match value.extract::<i64>() {
        Ok(depth) if (1..=MAX_DEPTH_LIMIT as i64).contains(&depth) => Ok(depth as usize),
        _ => Err(PyValueError::new_err(format!(
            "max_depth must be between 1 and {MAX_DEPTH_LIMIT}, not {value}"
        ))),
    }
}

/// The value starting at `start` in `data` (whitespace first allowed) and the offset just past
/// it, for readers of a stream; `None` when `data` ends before the value does (more input may
/// complete it). Offsets in errors count from `start`.
#[pyfunction]
#[pyo3(signature = (data, start, /, *, allow_nan = false, last_key_wins = false, decimal = false, max_depth = 1000))]
pub(crate) fn json_read_value<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyBytes>,
    start: usize,
    allow_nan: bool,
    last_key_wins: bool,
    decimal: bool,
    max_depth: usize,
) -> PyResult<Option<(Bound<'py, PyAny>, usize)>> {
    guard(py, || {
        let options = ReadOptions::new(allow_nan, last_key_wins, decimal, max_depth);
        let bytes = data.as_bytes();
        let rest = bytes.get(start..).unwrap_or_default();
        match read_value(py, rest, &options, false) {
            Ok((value, end)) => Ok(Some((value, start + end))),
            Err(Ok(refused)) if refused.offset >= rest.len() => Ok(None),
            Err(Ok(refused)) => Err(refused_error(py, rest, refused)),
            Err(Err(err)) => Err(err),
        }
    })
}

fn refused_error(py: Python<'_>, data: &[u8], refused: ReadError) -> PyErr {
    let (line, column) = line_column(data, refused.offset);
    let message = format!(
        "{} at line {line} column {column} (byte {})",
        refused.message, refused.offset
    );
    ferrule_err_args(py, "JSONError", (message, refused.offset, line, column))
}

/// A `str` holding a lone surrogate is not Unicode text: refused where the surrogate is.
fn surrogate_error(py: Python<'_>, text: &Bound<'_, PyString>) -> PyResult<PyErr> {
    let encoded = text.call_method1("encode", ("utf-8", "surrogatepass"))?;
    let raw = encoded.downcast::<PyBytes>()?.as_bytes();
    // a surrogate encodes as ED A0..BF xx
    let offset = raw
        .windows(2)
        .position(|w| w[0] == 0xED && w[1] >= 0xA0)
        .unwrap_or(0);
    let refused = ReadError {
        message: "a lone surrogate is not valid Unicode".to_owned(),
        offset,
    };
    Ok(refused_error(py, raw, refused))
}

/// `ferrule.json.dumps_bytes`: `obj` as UTF-8 JSON text, compact or indented by `indent`
/// spaces per level.
///
/// Beyond JSON's own types: ferrule models (as `model_dump_json`), dataclasses, datetime, date
/// and time (ISO 8601), timedelta (ISO 8601 duration), UUID, Decimal (as a number, digit for
/// digit), Enum (its value), set, frozenset and tuple (arrays). `default(value)` is asked for
/// anything else and returns something that can be written.
#[pyfunction]
#[pyo3(signature = (obj, /, *, indent = None, sort_keys = false, default = None, allow_nan = false))]
pub(crate) fn json_dumps_bytes<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    indent: Option<&Bound<'py, PyAny>>,
    #[pyo3(from_py_with = exact_bool)] sort_keys: bool,
    default: Option<&Bound<'py, PyAny>>,
    #[pyo3(from_py_with = exact_bool)] allow_nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let options = encode_options(indent, sort_keys, default, allow_nan)?;
        written(py, obj, &options, false)
    })
}

/// `ferrule.json.dumps`: `obj` as JSON text (a `str`; see `dumps_bytes`).
#[pyfunction]
#[pyo3(signature = (obj, /, *, indent = None, sort_keys = false, default = None, allow_nan = false))]
pub(crate) fn json_dumps<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    indent: Option<&Bound<'py, PyAny>>,
    #[pyo3(from_py_with = exact_bool)] sort_keys: bool,
    default: Option<&Bound<'py, PyAny>>,
    #[pyo3(from_py_with = exact_bool)] allow_nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let options = encode_options(indent, sort_keys, default, allow_nan)?;
        written(py, obj, &options, true)
    })
}

/// `dumps(obj)` / `dumps_bytes(obj)` with every option at its default (`json_entry`'s fast
/// call).
pub(crate) fn dumps_plain<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    text: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = Options {
        json_mode: true,
        nan: NanMode::Error,
        plain_data: true,
        ..Options::default()
    };
    written(py, obj, &options, text)
}

/// The options checked, in the order the pure twin checks them.
fn encode_options<'py>(
    indent: Option<&Bound<'py, PyAny>>,
    sort_keys: bool,
    default: Option<&Bound<'py, PyAny>>,
    allow_nan: bool,
) -> PyResult<Options> {
    let default = default.filter(|d| !d.is_none());
    if let Some(default) = default {
        if !default.is_callable() {
            return Err(PyTypeError::new_err(format!(
                "default must be callable or None, not {}",
                default.get_type().name()?
            )));
        }
    }
    Ok(Options {
        json_mode: true,
        indent: indent_arg(indent)?,
        sort_keys,
        nan: if allow_nan {
            NanMode::Literal
        } else {
            NanMode::Error
        },
        plain_data: true,
        default: default.map(|d| d.clone().unbind()),
        ..Options::default()
    })
}

/// `obj` written into this thread's output buffer, then copied out as `bytes` or (`text`) a
/// `str`.
fn written<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    options: &Options,
    text: bool,
) -> PyResult<Bound<'py, PyAny>> {
    with_scratch(|Scratch { out, keys }| {
        plain_to_json(py, obj, options, out, keys)?;
        if !text {
            return Ok(PyBytes::new(py, out).into_any());
        }
        // the writer writes UTF-8 only (lone surrogates as escapes); checked all the same
        crate::cpython::utf8_str(py, out)
            .map(Bound::into_any)
            .map_err(|_| {
                crate::errors::ferrule_err(
                    py,
                    "InternalError",
                    "the JSON writer made invalid UTF-8",
                )
            })
    })
}

/// Output buffers up to this capacity are kept for the next call on the thread; a larger one
/// (a rare huge document) is given back to the allocator.
pub(crate) const KEPT_BUFFER: usize = 4 << 20;

/// What a `dumps` call writes with, kept for the next call on the thread: the output buffer
/// (its memory already mapped and grown) and the encoded keys of dicts written before.
struct Scratch {
    out: Vec<u8>,
    keys: KeyCache,
}

thread_local! {
    /// The scratch of the last call on this thread, or none while a call holds it.
    static SCRATCH: Cell<Option<Box<Scratch>>> = const { Cell::new(None) };
}

/// Run `f` with the thread's scratch, its buffer empty. The scratch is taken out of the cell
/// while `f` runs, so a call made from inside `f` (a `default=` that calls `dumps`) finds the
/// cell empty and writes with a fresh scratch of its own.
fn with_scratch<T>(f: impl FnOnce(&mut Scratch) -> T) -> T {
    let mut scratch = SCRATCH.with(Cell::take).unwrap_or_else(|| {
        Box::new(Scratch {
            out: Vec::with_capacity(1024),
            keys: KeyCache::new(),
        })
    });
    scratch.out.clear();
    let result = f(&mut scratch);
    if scratch.out.capacity() > KEPT_BUFFER {
        scratch.out = Vec::with_capacity(1024);
    }
    // (a scratch a nested call left there is dropped)
    SCRATCH.with(|cell| cell.set(Some(scratch)));
    result
}
