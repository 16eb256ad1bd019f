//! Thin Python bindings for the SQL compiler: flatten the node tree into its shape (collecting the
//! bound values on the way), answer from the shape cache or compile, then bind the values.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

use super::compile::compile;
use super::dialect::Dialect;
use super::node::{parse, ShapeWriter};
use super::SqlError;
use crate::errors::{ferrule_err, ferrule_err_args, guard};

const CACHE_MAX: usize = 4096;
const MAX_DEPTH: usize = 200;

struct Entry {
    sql: Py<PyString>,
    order: Box<[u32]>,
}

type Cache = HashMap<Vec<u8>, Arc<Entry>, ahash::RandomState>;
static CACHE: LazyLock<Mutex<Cache>> = LazyLock::new(|| Mutex::new(HashMap::default()));

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sql_compile, m)?)?;
    m.add_function(wrap_pyfunction!(sql_cache_clear, m)?)?;
    Ok(())
}

/// Compile a query node tree for `dialect`: `(sql, params)`.
#[pyfunction]
fn sql_compile<'py>(
    py: Python<'py>,
    node: &Bound<'py, PyAny>,
    dialect: &str,
) -> PyResult<(Py<PyString>, Bound<'py, PyList>)> {
    guard(py, || {
        let d = Dialect::by_name(dialect).ok_or_else(|| {
            ferrule_err(
                py,
                "SQLError",
                format!("unknown dialect '{dialect}': expected sqlite, postgres, mysql or mssql"),
            )
        })?;
        let mut buf = Vec::with_capacity(1024);
        buf.push(d.id);
        let mut values: Vec<*mut ffi::PyObject> = Vec::with_capacity(16);
        // SAFETY: `node` is alive for the whole call and tuples are immutable, so every borrowed
        // pointer the walk collects stays valid until the params list below owns its values.
        unsafe {
            walk(
                py,
                node.as_ptr(),
                &mut ShapeWriter { buf: &mut buf },
                &mut values,
                0,
            )?
        };
        let entry = lookup(py, &buf, d)?;
        let params = PyList::empty(py);
        for &i in entry.order.iter() {
            // SAFETY: see above; `i` < values.len() because the order was compiled from this shape.
            params.append(unsafe { Bound::from_borrowed_ptr(py, values[i as usize]) })?;
        }
        Ok((entry.sql.clone_ref(py), params))
    })
}

/// Forget every cached shape (tests and benchmarks of the uncached path).
#[pyfunction]
fn sql_cache_clear() {
    CACHE.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

fn lookup(py: Python<'_>, shape: &[u8], d: &'static Dialect) -> PyResult<Arc<Entry>> {
    if let Some(hit) = CACHE.lock().unwrap_or_else(|e| e.into_inner()).get(shape) {
        return Ok(hit.clone());
    }
    let tree = parse(&shape[1..]).map_err(|e| to_py(py, e))?;
    let compiled = compile(&tree, d).map_err(|e| to_py(py, e))?;
    let entry = Arc::new(Entry {
        sql: PyString::new(py, &compiled.sql).unbind(),
        order: compiled.order.into(),
    });
    let mut cache = CACHE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.len() >= CACHE_MAX {
        cache.clear();
    }
    cache.insert(shape.to_vec(), entry.clone());
    Ok(entry)
}

fn to_py(py: Python<'_>, err: SqlError) -> PyErr {
    match err {
        SqlError::Unsupported { dialect, feature } => {
            ferrule_err_args(py, "UnsupportedFeatureError", (dialect, feature))
        }
        SqlError::Invalid(message) => ferrule_err(py, "SQLError", message),
    }
}

/// Flatten `obj` into `w`; a 2-tuple `(..., value)` is a bound value, collected into `values`
/// (borrowed pointers). Raw FFI because this is the whole cost of a cache hit.
unsafe fn walk(
    py: Python<'_>,
    obj: *mut ffi::PyObject,
    w: &mut ShapeWriter<'_>,
    values: &mut Vec<*mut ffi::PyObject>,
    depth: usize,
) -> PyResult<()> {
    let ty = ffi::Py_TYPE(obj);
    if ty == std::ptr::addr_of_mut!(ffi::PyTuple_Type) {
        if depth > MAX_DEPTH {
            return Err(ferrule_err(
                py,
                "SQLError",
                "query tree is nested too deeply",
            ));
        }
        let len = ffi::PyTuple_Size(obj);
        if len == 2 && ffi::PyTuple_GetItem(obj, 0) == ffi::Py_Ellipsis() {
            w.param();
            values.push(ffi::PyTuple_GetItem(obj, 1));
            return Ok(());
        }
        w.list(len as usize);
        for i in 0..len {
            walk(py, ffi::PyTuple_GetItem(obj, i), w, values, depth + 1)?;
        }
    } else if ty == std::ptr::addr_of_mut!(ffi::PyUnicode_Type) {
        let mut size: ffi::Py_ssize_t = 0;
        let data = ffi::PyUnicode_AsUTF8AndSize(obj, &mut size);
        if data.is_null() {
            return Err(PyErr::fetch(py));
        }
        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), size as usize);
        w.str_bytes(bytes);
    } else if obj == ffi::Py_None() {
        w.null();
    } else if ty == std::ptr::addr_of_mut!(ffi::PyBool_Type) {
        w.bool(obj == ffi::Py_True());
    } else if ty == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
        let value = ffi::PyLong_AsLongLong(obj);
        if value == -1 && !ffi::PyErr_Occurred().is_null() {
            return Err(PyErr::fetch(py));
        }
        w.int(value);
    } else {
        let shown = Bound::from_borrowed_ptr(py, obj)
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_default();
        return Err(ferrule_err(
            py,
            "SQLError",
            format!("unexpected object in a query tree: {shown}"),
        ));
    }
    Ok(())
}
