//! Thin Python bindings for the SQL compiler: flatten the node tree into its shape (collecting the
//! bound values on the way), answer from the shape cache or compile, then bind the values.
//!
//! Two cache levels. The *identity* key encodes every string and every constant node (a column, a
//! table: tuples of strings that never hold parameters) by address, so a repeated query costs one
//! pointer per leaf; the entry keeps those objects alive, so an address can never be reused for
//! other content while its key exists. On an identity miss the tree is walked again by *content*:
//! that key is what the compiler parses, and it finds the entry when the same query is rebuilt
//! from new string objects.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Arc, LazyLock, Mutex};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::IntoPyDict;
use pyo3::types::{PyDict, PyFrozenSet, PyList, PyString, PyTuple, PyType};
use smallvec::SmallVec;

use super::compile::compile;
use super::dialect::{Dialect, Fact};
use super::node::{parse, ShapeWriter};
use super::SqlError;
use crate::errors::{ferrule_err, ferrule_err_args, guard};

const CACHE_MAX: usize = 4096;
const MAX_DEPTH: usize = 1000;

struct Entry {
    sql: Py<PyString>,
    order: Box<[u32]>,
}

/// An identity-keyed entry and the objects whose addresses its key contains.
struct Pinned {
    entry: Arc<Entry>,
    _keep: Box<[Py<PyAny>]>,
}

#[derive(Default)]
struct Caches {
    by_identity: HashMap<Vec<u8>, Pinned, ahash::RandomState>,
    by_content: HashMap<Vec<u8>, Arc<Entry>, ahash::RandomState>,
}

/// Exact types of constant nodes, registered by `ferrule.sql.nodes` (and kept alive forever).
static CONSTANT_TYPES: [AtomicPtr<ffi::PyTypeObject>; 4] =
    [const { AtomicPtr::new(null_mut()) }; 4];

static CACHES: LazyLock<Mutex<Caches>> = LazyLock::new(|| Mutex::new(Caches::default()));

thread_local! {
    static BUF: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(1024));
}

type Values = SmallVec<[*mut ffi::PyObject; 32]>;
type Pins = SmallVec<[*mut ffi::PyObject; 64]>;

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sql_compile, m)?)?;
    m.add_function(wrap_pyfunction!(sql_cache_clear, m)?)?;
    m.add_function(wrap_pyfunction!(sql_register_constant_type, m)?)?;
    m.add_function(wrap_pyfunction!(sql_dialect_facts, m)?)?;
    Ok(())
}

fn caches() -> std::sync::MutexGuard<'static, Caches> {
    CACHES.lock().unwrap_or_else(|e| e.into_inner())
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
        // One shape buffer per thread, reused (a re-entrant call gets a fresh one).
        let mut local = Vec::new();
        let mut reused = BUF.with(|b| b.try_borrow_mut().map(|mut b| std::mem::take(&mut *b)).ok());
        let buf = reused.as_mut().unwrap_or(&mut local);
        let mut values = Values::new();
        // SAFETY: `node` is alive for the whole call and tuples are immutable, so every borrowed
        // pointer the walks collect stays valid until the params list below owns its values.
        let entry = unsafe { find(py, node.as_ptr(), d, buf, &mut values) };
        if let Some(buf) = reused {
            BUF.with(|b| {
                if let Ok(mut b) = b.try_borrow_mut() {
                    *b = buf;
                }
            });
        }
        let entry = entry?;
        // SAFETY: every index in `order` is < values.len() (the order was compiled from this
        // shape), and PyList_SetItem steals the reference we add.
        let params = unsafe {
            let list = ffi::PyList_New(entry.order.len() as ffi::Py_ssize_t);
            if list.is_null() {
                return Err(PyErr::fetch(py));
            }
            for (k, &i) in entry.order.iter().enumerate() {
                let value = values[i as usize];
                ffi::Py_INCREF(value);
                ffi::PyList_SetItem(list, k as ffi::Py_ssize_t, value);
            }
            Bound::from_owned_ptr(py, list).downcast_into_unchecked::<PyList>()
        };
        Ok((entry.sql.clone_ref(py), params))
    })
}

/// Forget every cached shape (tests and benchmarks of the uncached path).
#[pyfunction]
fn sql_cache_clear(py: Python<'_>) -> PyResult<()> {
    guard(py, || {
        let old = std::mem::take(&mut caches().by_identity);
        caches().by_content.clear();
        drop(old); // releases the pinned objects outside the lock
        Ok(())
    })
}

/// Declare `cls` (an exact tuple subclass) a constant node: it never holds parameters, so its
/// identity stands for its content.
#[pyfunction]
fn sql_register_constant_type(cls: Bound<'_, PyType>) -> PyResult<()> {
    guard(cls.py(), || {
        let ptr = cls.as_ptr().cast::<ffi::PyTypeObject>();
        for slot in &CONSTANT_TYPES {
            let current = slot.load(Ordering::Acquire);
            if current == ptr {
                return Ok(());
            }
            if current.is_null() {
                slot.store(ptr, Ordering::Release);
                std::mem::forget(cls.clone().unbind()); // registered types are never released
                return Ok(());
            }
        }
        Err(ferrule_err(
            cls.py(),
            "SQLError",
            "too many constant node types",
        ))
    })
}

/// The native dialect table as a dict under the Python twin's field names (for the test that
/// proves the two tables equal), or None for an unknown name.
#[pyfunction]
fn sql_dialect_facts<'py>(py: Python<'py>, name: &str) -> PyResult<Option<Bound<'py, PyDict>>> {
    let Some(d) = Dialect::by_name(name) else {
        return Ok(None);
    };
    let out = PyDict::new(py);
    for (key, fact) in d.facts() {
        let value = match fact {
            Fact::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
            Fact::Str(s) => s.into_pyobject(py)?.into_any(),
            Fact::Absent => py.None().into_bound(py),
            Fact::Quote(a, b) => PyTuple::new(py, [a.to_string(), b.to_string()])?.into_any(),
            Fact::Set(items) => PyFrozenSet::new(py, items)?.into_any(),
            Fact::Map(pairs) => pairs.into_py_dict(py)?.into_any(),
            Fact::Int(n) => n.into_pyobject(py)?.into_any(),
        };
        out.set_item(key, value)?;
    }
    Ok(Some(out))
}

/// Identity walk, then the caches; content walk and compile on a miss.
unsafe fn find(
    py: Python<'_>,
    node: *mut ffi::PyObject,
    d: &'static Dialect,
    buf: &mut Vec<u8>,
    values: &mut Values,
) -> PyResult<Arc<Entry>> {
    let constants: [*mut ffi::PyTypeObject; 4] =
        std::array::from_fn(|i| CONSTANT_TYPES[i].load(Ordering::Acquire));
    let mut pins = Pins::new();
    buf.clear();
    buf.push(d.id);
    let mut walker = Walker {
        w: ShapeWriter { buf },
        values,
        pins: Some(&mut pins),
        constants: &constants,
    };
    walker.walk(py, node, 0)?;
    if let Some(hit) = caches().by_identity.get(buf.as_slice()) {
        return Ok(hit.entry.clone());
    }
    let identity_key = buf.clone();
    buf.clear();
    buf.push(d.id);
    let mut ignored = Values::new();
    let mut walker = Walker {
        w: ShapeWriter { buf },
        values: &mut ignored,
        pins: None,
        constants: &[],
    };
    walker.walk(py, node, 0)?;
    let cached = caches().by_content.get(buf.as_slice()).cloned();
    let entry = match cached {
        Some(entry) => entry,
        None => {
            let tree = parse(&buf[1..]).map_err(|e| to_py(py, e))?;
            let compiled = compile(&tree, d).map_err(|e| to_py(py, e))?;
            let entry = Arc::new(Entry {
                sql: PyString::new(py, &compiled.sql).unbind(),
                order: compiled.order.into(),
            });
            let mut c = caches();
            if c.by_content.len() >= CACHE_MAX {
                c.by_content.clear();
            }
            c.by_content.insert(buf.clone(), entry.clone());
            entry
        }
    };
    let keep: Box<[Py<PyAny>]> = pins.iter().map(|&p| Py::from_borrowed_ptr(py, p)).collect();
    let pinned = Pinned {
        entry: entry.clone(),
        _keep: keep,
    };
    let evicted = {
        let mut c = caches();
        let evicted = if c.by_identity.len() >= CACHE_MAX {
            std::mem::take(&mut c.by_identity)
        } else {
            HashMap::default()
        };
        c.by_identity.insert(identity_key, pinned);
        evicted
    };
    drop(evicted);
    Ok(entry)
}

fn to_py(py: Python<'_>, err: SqlError) -> PyErr {
    match err {
        SqlError::Unsupported { dialect, feature } => {
            ferrule_err_args(py, "UnsupportedFeatureError", (dialect, feature))
        }
        SqlError::Invalid(message) => ferrule_err(py, "SQLError", message),
        SqlError::Identifier {
            dialect,
            name,
            problem,
            limit,
        } => ferrule_err_args(py, "IdentifierError", (dialect, name, problem, limit)),
    }
}

/// Flattens a tree into a shape; a 2-tuple `(..., value)` is a bound value, collected (borrowed)
/// into `values`. With `pins`, strings and constant nodes are written by address and collected
/// into `pins`; without, by content. Raw FFI because this is the whole cost of a cache hit.
struct Walker<'a, 'b> {
    w: ShapeWriter<'b>,
    values: &'a mut Values,
    pins: Option<&'a mut Pins>,
    constants: &'a [*mut ffi::PyTypeObject],
}

impl Walker<'_, '_> {
    unsafe fn walk(
        &mut self,
        py: Python<'_>,
        obj: *mut ffi::PyObject,
        depth: usize,
    ) -> PyResult<()> {
        let ty = ffi::Py_TYPE(obj);
        if ty == std::ptr::addr_of_mut!(ffi::PyUnicode_Type) {
            if let Some(pins) = self.pins.as_mut() {
                pins.push(obj);
                self.w.address(obj as usize);
                return Ok(());
            }
            let mut size: ffi::Py_ssize_t = 0;
            let data = ffi::PyUnicode_AsUTF8AndSize(obj, &mut size);
            if data.is_null() {
                // Only a lone surrogate makes a str unencodable: a typed error, the twin's text.
                drop(PyErr::fetch(py));
                let shown = Bound::from_borrowed_ptr(py, obj).repr()?.to_string();
                return Err(ferrule_err(
                    py,
                    "SQLError",
                    format!("SQL text must be valid Unicode: {shown} contains a lone surrogate"),
                ));
            }
            self.w
                .str_bytes(std::slice::from_raw_parts(data.cast::<u8>(), size as usize));
        } else if ty == std::ptr::addr_of_mut!(ffi::PyTuple_Type) {
            self.walk_tuple(py, obj, depth)?;
        } else if obj == ffi::Py_None() {
            self.w.null();
        } else if ty == std::ptr::addr_of_mut!(ffi::PyBool_Type) {
            self.w.bool(obj == ffi::Py_True());
        } else if ty == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
            let value = ffi::PyLong_AsLongLong(obj);
            if value == -1 && !ffi::PyErr_Occurred().is_null() {
                return Err(PyErr::fetch(py));
            }
            self.w.int(value);
        } else if ffi::PyTuple_Check(obj) != 0 {
            // Expressions are tuple subclasses: they are their own nodes.
            match self.pins.as_mut() {
                Some(pins) if self.constants.contains(&ty) => {
                    pins.push(obj);
                    self.w.address(obj as usize);
                }
                _ => self.walk_tuple(py, obj, depth)?,
            }
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

    unsafe fn walk_tuple(
        &mut self,
        py: Python<'_>,
        obj: *mut ffi::PyObject,
        depth: usize,
    ) -> PyResult<()> {
        if depth > MAX_DEPTH {
            return Err(ferrule_err(
                py,
                "SQLError",
                "query tree is nested too deeply",
            ));
        }
        let len = ffi::PyTuple_Size(obj);
        if len == 2 && ffi::PyTuple_GetItem(obj, 0) == ffi::Py_Ellipsis() {
            self.w.param();
            self.values.push(ffi::PyTuple_GetItem(obj, 1));
            return Ok(());
        }
        self.w.list(len as usize);
        for i in 0..len {
            self.walk(py, ffi::PyTuple_GetItem(obj, i), depth + 1)?;
        }
        Ok(())
    }
}
