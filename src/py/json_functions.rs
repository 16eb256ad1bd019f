//! `ferrule.json.loads` / `dumps`: convert the arguments, call `json::document` or the
//! serialiser, and raise `JSONError` with the position of a refused document.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::errors::{ferrule_err_args, guard};
use crate::json::document::{line_column, read_document, read_value, ReadError, ReadOptions};
use crate::serialize::{indent_arg, to_json, Filter, NanMode, Options};

/// A document as JSON text: `str`, `bytes`, `bytearray` or `memoryview` (read as UTF-8).
#[pyfunction]
#[pyo3(signature = (data, /, *, allow_nan = false, last_key_wins = false, decimal = false, max_depth = 1000))]
pub(crate) fn json_loads<'py>(
    py: Python<'py>,
    data: &Bound<'py, PyAny>,
    allow_nan: bool,
    last_key_wins: bool,
    decimal: bool,
    max_depth: usize,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let options = ReadOptions::new(allow_nan, last_key_wins, decimal, max_depth);
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
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
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
        match read_document(py, bytes, &options) {
            Ok(value) => Ok(value),
            Err(Ok(refused)) => Err(refused_error(py, bytes, refused)),
            Err(Err(err)) => Err(err),
        }
    })
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

/// `value` as JSON: UTF-8 bytes, or a `str` with `text=True`.
#[pyfunction]
#[pyo3(signature = (value, /, *, indent = None, sort_keys = false, default = None, allow_nan = false, text = false))]
pub(crate) fn json_dumps<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    indent: Option<&Bound<'py, PyAny>>,
    sort_keys: bool,
    default: Option<Bound<'py, PyAny>>,
    allow_nan: bool,
    text: bool,
) -> PyResult<Bound<'py, PyAny>> {
    guard(py, || {
        let options = Options {
            json_mode: true,
            indent: indent_arg(indent)?,
            sort_keys,
            nan: if allow_nan {
                NanMode::Literal
            } else {
                NanMode::Error
            },
            plain_data: true,
            default: default.filter(|d| !d.is_none()).map(Bound::unbind),
            ..Options::default()
        };
        let mut out = Vec::with_capacity(256);
        to_json(py, value, &options, &Filter::default(), &mut out, false)?;
        if text {
            // the writer writes UTF-8 only (lone surrogates as escapes); checked all the same
            let out = std::str::from_utf8(&out).map_err(|_| {
                crate::errors::ferrule_err(
                    py,
                    "InternalError",
                    "the JSON writer made invalid UTF-8",
                )
            })?;
            return Ok(PyString::new(py, out).into_any());
        }
        Ok(PyBytes::new(py, &out).into_any())
    })
}
