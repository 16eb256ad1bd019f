//! One prepared statement: binding parameters and reading rows as the `sqlite3` module does.
//!
//! Every answer here is the one `sqlite3.Connection.execute` would give on a connection opened
//! with `detect_types=PARSE_DECLTYPES` and the default `text_factory`: the same Python types,
//! the same converters (looked up by the declared type's first word, upper-cased, in the
//! module's `converters` registry, and given the value's bytes), the same exception classes and
//! messages. What this code does not do exactly the same way (adapters, named parameters, a
//! wrong parameter count, several statements in one text, ...) it does not do at all: the
//! caller gets `Unsupported` before anything ran and uses the module instead.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyFloat, PyInt, PyList, PyNone, PyString, PyTuple};

use super::api::{self, Api, Db, Stmt};

/// Why the fast path stepped aside (nothing was run).
pub(crate) struct Unsupported;

/// One column of the current row as SQLite holds it (`load_row`); the pointers stay valid
/// until the statement steps or resets.
#[derive(Clone, Copy)]
enum Raw {
    Null,
    Int(i64),
    Float(f64),
    Text(*const u8, usize),
    Blob(*const u8, usize),
    /// The bytes for the column's converter (a null pointer: an empty value).
    Converted(*const u8, usize),
}

pub(crate) struct Statement {
    api: &'static Api,
    raw: *mut Stmt,
    /// One entry per result column: the converter of its declared type, if any.
    converters: Vec<Option<Py<PyAny>>>,
    /// `cursor.description` of the module: `(name, None x 6)` per column, `None` without.
    description: Option<Py<PyTuple>>,
    /// `SQLITE_STMTSTATUS_REPREPARE` when `converters` was built.
    prepared_as: c_int,
    /// Whether `rowcount` counts changes (the `sqlite3` module's test: the first word).
    pub(crate) is_dml: bool,
    /// This compilation's number, unique in the process (`version`).
    serial: u64,
    /// The current row's columns (`load_row`), one per converter.
    row: Vec<Raw>,
}

// SAFETY: a statement is used by one thread at a time (the owner holds it exclusively) and
// SQLite's handles may move between threads (serialized or multi-thread mode).
unsafe impl Send for Statement {}
// SAFETY: its owners (`runner`) are Python objects whose borrow flag keeps uses apart.
unsafe impl Sync for Statement {}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: `raw` came from prepare_v2 and is finalized exactly once, here.
        unsafe { (self.api.finalize)(self.raw) };
    }
}

/// The `sqlite3` module's DML test: after blanks, the text starts with one of these words.
/// A leading comment is `Unsupported` (so no question of whose test applies arises).
fn dml_kind(sql: &str) -> Result<bool, Unsupported> {
    let text = sql.trim_start_matches([' ', '\t', '\r', '\n']);
    if text.starts_with("--") || text.starts_with("/*") {
        return Err(Unsupported);
    }
    let starts = |word: &str| {
        text.len() >= word.len()
            && text.as_bytes()[..word.len()].eq_ignore_ascii_case(word.as_bytes())
    };
    Ok(starts("insert") || starts("update") || starts("delete") || starts("replace"))
}

/// The next `Statement::serial`.
static SERIALS: AtomicU64 = AtomicU64::new(0);

impl Statement {
    /// Compile `sql` (one statement, nothing after it but blanks).
    pub(crate) fn prepare(api: &'static Api, db: *mut Db, sql: &str) -> Result<Self, Unsupported> {
        let is_dml = dml_kind(sql)?;
        let length = c_int::try_from(sql.len()).map_err(|_| Unsupported)?;
        let mut raw = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: `sql` outlives the call; SQLite writes the statement and the tail pointer.
        let rc = unsafe { (api.prepare_v2)(db, sql.as_ptr().cast(), length, &mut raw, &mut tail) };
        if raw.is_null() {
            return Err(Unsupported); // an error (the module reports it) or no statement at all
        }
        let statement = Statement {
            api,
            raw,
            converters: Vec::new(),
            description: None,
            prepared_as: -1,
            is_dml,
            serial: SERIALS.fetch_add(1, Ordering::Relaxed),
            row: Vec::new(),
        };
        if rc != api::OK {
            return Err(Unsupported);
        }
        // SAFETY: `tail` points into `sql`, at or before its end.
        let used = unsafe { tail.cast::<u8>().offset_from(sql.as_ptr()) } as usize;
        let rest = &sql.as_bytes()[used.min(sql.len())..];
        if !rest
            .iter()
            .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            return Err(Unsupported); // several statements, a trailing comment, a NUL
        }
        Ok(statement)
    }

    pub(crate) fn raw_handle(&self) -> *mut Stmt {
        self.raw
    }

    pub(crate) fn column_count(&self) -> c_int {
        // SAFETY: a live statement.
        unsafe { (self.api.column_count)(self.raw) }
    }

    /// Whether `params` could be bound (`bind` checks again as it binds).
    pub(crate) fn check(&self, params: &Bound<'_, PyAny>) -> Result<(), Unsupported> {
        self.each_param(params, |_, value| classify(value).map(drop))
    }

    /// Bind `params` (an exact list or tuple of exact `int`/`float`/`str`/`bytes`/`None`, or
    /// `bool`, which the module binds as an integer) to the `?` marks, one each.
    pub(crate) fn bind(&mut self, params: &Bound<'_, PyAny>) -> Result<(), Unsupported> {
        let (api, raw) = (self.api, self.raw);
        self.each_param(params, |position, value| {
            let rc = bind_value(api, raw, position, classify(value)?);
            if rc == api::OK {
                Ok(())
            } else {
                Err(Unsupported)
            }
        })
    }

    /// Call `each` with the 1-based position and value of every parameter, after checking
    /// that there is one per mark.
    fn each_param(
        &self,
        params: &Bound<'_, PyAny>,
        mut each: impl FnMut(c_int, &Bound<'_, PyAny>) -> Result<(), Unsupported>,
    ) -> Result<(), Unsupported> {
        // SAFETY: a live statement.
        let marks = unsafe { (self.api.bind_parameter_count)(self.raw) };
        let marks = usize::try_from(marks).map_err(|_| Unsupported)?;
        // A wrong count is the module's to report (its own message). Items are read by index
        // up to the count checked here; nothing runs between, so the container cannot change.
        if let Ok(list) = params.downcast_exact::<PyList>() {
            if list.len() != marks {
                return Err(Unsupported);
            }
            for index in 0..marks {
                each(
                    index as c_int + 1,
                    &list.get_item(index).map_err(|_| Unsupported)?,
                )?;
            }
        } else if let Ok(tuple) = params.downcast_exact::<PyTuple>() {
            if tuple.len() != marks {
                return Err(Unsupported);
            }
            for (index, value) in tuple.iter_borrowed().enumerate() {
                each(index as c_int + 1, &value)?;
            }
        } else {
            return Err(Unsupported);
        }
        Ok(())
    }

    /// Advance one row: `ROW`, `DONE` or an error code.
    pub(crate) fn step(&self) -> c_int {
        // SAFETY: a live statement, used by one thread.
        unsafe { (self.api.step)(self.raw) }
    }

    /// `step` without the GIL, for a worker thread (the loop thread runs meanwhile).
    pub(crate) fn step_detached(&self, py: Python<'_>) -> c_int {
        struct Raw(&'static Api, *mut Stmt);
        // SAFETY: the statement is owned by the caller for the duration of the call.
        unsafe impl Send for Raw {}
        let raw = Raw(self.api, self.raw);
        py.allow_threads(move || {
            let raw = raw;
            // SAFETY: as `step`.
            unsafe { (raw.0.step)(raw.1) }
        })
    }

    /// Back to the start (ends its read of the database), keeping the compiled form.
    pub(crate) fn reset(&self) {
        // SAFETY: a live statement; the result repeats the last step's error, read already.
        unsafe { (self.api.reset)(self.raw) };
    }

    /// `(serial, times SQLite compiled it again)`: changes whenever the schema the statement
    /// was compiled against may have changed (SQLite recompiles a statement before it runs
    /// against a changed schema; a statement prepared anew has a new serial).
    pub(crate) fn version(&self) -> (u64, c_int) {
        // SAFETY: a live statement.
        let again = unsafe { (self.api.stmt_status)(self.raw, api::STATUS_REPREPARE, 0) };
        (self.serial, again)
    }

    pub(crate) fn changes(&self) -> i64 {
        // SAFETY: a live statement and its connection.
        i64::from(unsafe { (self.api.changes)((self.api.db_handle)(self.raw)) })
    }

    /// Look up the columns' converters again if SQLite recompiled the statement (a schema
    /// change can change the columns), as the module does after every first step.
    pub(crate) fn refresh_converters(
        &mut self,
        py: Python<'_>,
        registry: &Bound<'_, PyDict>,
    ) -> PyResult<()> {
        // SAFETY: a live statement.
        let now = unsafe { (self.api.stmt_status)(self.raw, api::STATUS_REPREPARE, 0) };
        if now == self.prepared_as && self.converters.len() == self.column_count() as usize {
            return Ok(());
        }
        let count = self.column_count().max(0);
        let mut converters = Vec::with_capacity(count as usize);
        for column in 0..count {
            // SAFETY: a column index below the count; the text lives until the next step.
            let declared = unsafe { (self.api.column_decltype)(self.raw, column) };
            converters.push(if declared.is_null() {
                None
            } else {
                let bytes = unsafe { CStr::from_ptr(declared) }.to_bytes();
                converter_for(py, registry, bytes)?
            });
        }
        self.converters = converters;
        self.description = self.describe(py)?;
        self.prepared_as = now;
        Ok(())
    }

    /// The module's `cursor.description` for the current columns.
    fn describe(&self, py: Python<'_>) -> PyResult<Option<Py<PyTuple>>> {
        let count = self.column_count();
        if count <= 0 {
            return Ok(None);
        }
        let mut columns = Vec::with_capacity(count as usize);
        for column in 0..count {
            // SAFETY: a column index below the count; the name is copied at once.
            let name = unsafe { (self.api.column_name)(self.raw, column) };
            let name = if name.is_null() {
                String::new()
            } else {
                unsafe { CStr::from_ptr(name) }
                    .to_string_lossy()
                    .into_owned()
            };
            let none = py.None();
            columns.push(PyTuple::new(
                py,
                [
                    name.into_pyobject(py)?.into_any().unbind(),
                    none.clone_ref(py),
                    none.clone_ref(py),
                    none.clone_ref(py),
                    none.clone_ref(py),
                    none.clone_ref(py),
                    none,
                ],
            )?);
        }
        Ok(Some(PyTuple::new(py, columns)?.unbind()))
    }

    /// The description as of the last `refresh_converters` (the first step of a run).
    pub(crate) fn description(&self, py: Python<'_>) -> Option<Py<PyTuple>> {
        self.description.as_ref().map(|found| found.clone_ref(py))
    }

    /// The current row as a tuple.
    pub(crate) fn row<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let count = self.converters.len();
        let mut values = Vec::with_capacity(count);
        for (column, converter) in self.converters.iter().enumerate() {
            values.push(self.value(py, column as c_int, converter.as_ref())?);
        }
        PyTuple::new(py, values)
    }

    /// The value of column `position` of the current row (a plan's position past the columns
    /// is an error, as reading past a tuple is).
    pub(crate) fn column_value<'py>(
        &self,
        py: Python<'py>,
        position: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(converter) = self.converters.get(position) else {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "a row has {} columns, the plan reads column {position}",
                self.converters.len()
            )));
        };
        self.value(py, position as c_int, converter.as_ref())
    }

    /// Read the current row's columns (after a step gave `ROW`, before anything else runs on
    /// the statement). The connection's mutex is held over the reads, so the values are
    /// protected ones and each column costs one `sqlite3_column_value`, not a locked call per
    /// type test and per read; no Python runs meanwhile.
    pub(crate) fn load_row(&mut self) {
        let (api, raw) = (self.api, self.raw);
        self.row.clear();
        // SAFETY: a live statement positioned on a row, column indexes below the count (one
        // converter per column, refreshed after the first step); the db mutex is recursive
        // (or NULL, a no-op, outside serialized mode) and left before returning.
        unsafe {
            let mutex = (api.db_mutex)((api.db_handle)(raw));
            (api.mutex_enter)(mutex);
            for (column, converter) in self.converters.iter().enumerate() {
                let value = (api.column_value)(raw, column as c_int);
                let kind = (api.value_type)(value);
                self.row.push(if kind == api::NULL {
                    Raw::Null
                } else if converter.is_some() {
                    let data = (api.value_blob)(value).cast::<u8>();
                    Raw::Converted(data, (api.value_bytes)(value).max(0) as usize)
                } else {
                    match kind {
                        api::INTEGER => Raw::Int((api.value_int64)(value)),
                        api::FLOAT => Raw::Float((api.value_double)(value)),
                        api::TEXT => {
                            let data = (api.value_text)(value);
                            Raw::Text(data, (api.value_bytes)(value).max(0) as usize)
                        }
                        _ => {
                            let data = (api.value_blob)(value).cast::<u8>();
                            Raw::Blob(data, (api.value_bytes)(value).max(0) as usize)
                        }
                    }
                });
            }
            (api.mutex_leave)(mutex);
        }
    }

    fn value<'py>(
        &self,
        py: Python<'py>,
        column: c_int,
        converter: Option<&Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let Some(&raw) = self.row.get(column as usize) else {
            return Err(pyo3::exceptions::PyRuntimeError::new_err(
                "a column read before its row was loaded",
            ));
        };
        // SAFETY: the pointers of `load_row`, read before the statement steps again; each
        // is copied into a new Python object here.
        unsafe {
            match raw {
                Raw::Null => Ok(PyNone::get(py).to_owned().into_any()),
                Raw::Converted(data, length) => {
                    if data.is_null() {
                        // an empty value: the module gives None without calling the converter
                        return Ok(PyNone::get(py).to_owned().into_any());
                    }
                    let bytes = PyBytes::new(py, std::slice::from_raw_parts(data, length));
                    match converter {
                        Some(convert) => convert.bind(py).call1((bytes,)),
                        None => Ok(bytes.into_any()),
                    }
                }
                Raw::Int(value) => Ok(PyInt::new(py, value).into_any()),
                Raw::Float(value) => Ok(PyFloat::new(py, value).into_any()),
                Raw::Text(data, length) => {
                    let bytes: &[u8] = if data.is_null() {
                        b""
                    } else {
                        std::slice::from_raw_parts(data, length)
                    };
                    let made = ffi::PyUnicode_FromStringAndSize(bytes.as_ptr().cast(), length as _);
                    if made.is_null() {
                        ffi::PyErr_Clear();
                        return Err(self.undecodable(py, column, bytes));
                    }
                    Ok(Bound::from_owned_ptr(py, made))
                }
                Raw::Blob(data, length) => Ok(if data.is_null() {
                    PyBytes::new(py, b"")
                } else {
                    PyBytes::new(py, std::slice::from_raw_parts(data, length))
                }
                .into_any()),
            }
        }
    }

    /// The module's error for text that is not UTF-8 (an `OperationalError`).
    fn undecodable(&self, py: Python<'_>, column: c_int, bytes: &[u8]) -> PyErr {
        // SAFETY: a column index below the count; the name lives until the statement changes.
        let name = unsafe { (self.api.column_name)(self.raw, column) };
        let name = if name.is_null() {
            String::new()
        } else {
            unsafe { CStr::from_ptr(name) }
                .to_string_lossy()
                .into_owned()
        };
        let message = format!(
            "Could not decode to UTF-8 column '{name}' with text '{}'",
            String::from_utf8_lossy(bytes)
        );
        super::errors::operational(py, message)
    }
}

/// The converter registered for a declared type: its text up to the first blank or `(`,
/// upper-cased as `str.upper` does, looked up in the module's registry.
fn converter_for(
    py: Python<'_>,
    registry: &Bound<'_, PyDict>,
    declared: &[u8],
) -> PyResult<Option<Py<PyAny>>> {
    let end = declared
        .iter()
        .position(|b| *b == b' ' || *b == b'(')
        .unwrap_or(declared.len());
    let Ok(name) = std::str::from_utf8(&declared[..end]) else {
        return Err(PyTypeError::new_err("a declared column type is not UTF-8"));
    };
    let key = PyString::new(py, name).call_method0(pyo3::intern!(py, "upper"))?;
    Ok(registry.get_item(key)?.map(Bound::unbind))
}

/// A parameter as SQLite stores it.
enum Value<'a> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'a [u8]),
    Blob(&'a [u8]),
}

/// What the module would bind for `value`, or `Unsupported` for a type it adapts (or an int
/// beyond 64 bits, a str with a lone surrogate: the module's errors; a NaN: ferrule's).
fn classify<'a>(value: &'a Bound<'_, PyAny>) -> Result<Value<'a>, Unsupported> {
    if value.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(int) = value.downcast_exact::<PyInt>() {
        return int.extract().map(Value::Integer).map_err(|_| Unsupported);
    }
    if value.is_exact_instance_of::<pyo3::types::PyBool>() {
        return Ok(Value::Integer(i64::from(
            value.is(&*pyo3::types::PyBool::new(value.py(), true)),
        )));
    }
    if let Ok(float) = value.downcast_exact::<PyFloat>() {
        let number = float.value();
        // SQLite binds a NaN as NULL: the module path refuses it (`sqlite_types.refuse_nan`)
        return if number.is_nan() {
            Err(Unsupported)
        } else {
            Ok(Value::Real(number))
        };
    }
    let fits = |bytes: &[u8]| c_int::try_from(bytes.len()).is_ok();
    if let Ok(text) = value.downcast_exact::<PyString>() {
        let text = text.to_str().map_err(|_| Unsupported)?.as_bytes();
        return if fits(text) {
            Ok(Value::Text(text))
        } else {
            Err(Unsupported)
        };
    }
    if let Ok(bytes) = value.downcast_exact::<PyBytes>() {
        let blob = bytes.as_bytes();
        return if fits(blob) {
            Ok(Value::Blob(blob))
        } else {
            Err(Unsupported)
        };
    }
    Err(Unsupported)
}

/// What an empty text or blob points at: a null pointer would bind NULL instead.
static EMPTY: [u8; 1] = [0];

/// Bind one classified value; SQLite's result code (`TOOBIG` beyond its limits).
fn bind_value(api: &Api, raw: *mut Stmt, position: c_int, value: Value<'_>) -> c_int {
    let data = |bytes: &[u8]| {
        if bytes.is_empty() {
            EMPTY.as_ptr()
        } else {
            bytes.as_ptr()
        }
    };
    // SAFETY: a live statement and a position within its count; text and blobs are copied
    // by SQLite (TRANSIENT) before the call returns.
    unsafe {
        match value {
            Value::Null => (api.bind_null)(raw, position),
            Value::Integer(number) => (api.bind_int64)(raw, position, number),
            Value::Real(number) => (api.bind_double)(raw, position, number),
            // lengths were checked to fit a C int by `classify`
            Value::Text(text) => (api.bind_text)(
                raw,
                position,
                data(text).cast(),
                text.len() as c_int,
                api::TRANSIENT,
            ),
            Value::Blob(blob) => (api.bind_blob)(
                raw,
                position,
                data(blob).cast(),
                blob.len() as c_int,
                api::TRANSIENT,
            ),
        }
    }
}
