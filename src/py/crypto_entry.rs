//! `ferrule.crypto.hash` and `ferrule.crypto.compare_digest` as C functions (the native core's;
//! the pure-Python twin keeps the Python functions). Nothing is computed here: each calls the
//! same library function the Python one does, from a table the Python module owns, and only
//! without a Python frame around it. The order is the Python functions' own: the library
//! first; if it raises an `Exception`, the Python module's checked path (which raises the
//! typed error, or reads a layout the library refused); any other call — keywords, a wrong
//! count — is passed on, as it came, to the Python function.

use std::cell::Cell;
use std::ptr::null_mut;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILProtected;
use pyo3::types::{PyDict, PyString};

use super::c_function::{call, call_method0, forward, new_function, Fast, ARGUMENTS_OFFSET};
use super::crypto_table;
use super::direct_call::Direct;
use super::model_methods::entry;

/// What `hash` reads on each call.
struct HashState {
    /// algorithm name -> constructor: the Python module's own table (an exact dict)
    constructors: Py<PyDict>,
    /// `checked(data, algo)`: the typed error, or the digest of a layout the library refused
    checked: Py<PyAny>,
    /// the Python function, for any other call
    full: Py<PyAny>,
    /// the Python function's default algorithm
    default: Py<PyString>,
}

/// What `compare_digest` reads on each call.
struct CompareState {
    /// the library's comparison, and its C entry when it is a builtin function
    library: Py<PyAny>,
    direct: Option<Direct>,
    checked: Py<PyAny>,
    full: Py<PyAny>,
}

/// Set by `crypto_hash` / `crypto_compare_digest`. A state is never freed (a call may be
/// running on it when the module is reloaded and sets another): one per import, a few objects.
static HASH: GILProtected<Cell<Option<&'static HashState>>> = GILProtected::new(Cell::new(None));
static COMPARE: GILProtected<Cell<Option<&'static CompareState>>> =
    GILProtected::new(Cell::new(None));

fn not_set_up(py: Python<'_>) -> PyErr {
    crate::errors::ferrule_err(py, "InternalError", "ferrule.crypto is not set up")
}

/// After the library refused a call: an `Exception` is dropped (the checked path raises the
/// typed error, chained to nothing, as the Python functions' ``except Exception: pass``);
/// anything else (`KeyboardInterrupt`, `SystemExit`) is raised as it is.
unsafe fn refused(py: Python<'_>) -> PyResult<()> {
    if ffi::PyErr_ExceptionMatches(ffi::PyExc_Exception) != 0 {
        ffi::PyErr_Clear();
        Ok(())
    } else {
        Err(PyErr::fetch(py))
    }
}

/// `hash(data, algo=default)`: the call made most (positional, an exact str name found last
/// time in an unchanged table, a constructor and `digest` whose C entries are known) is made
/// here without the entry guard (nothing in it can panic or recurse into the core); any other
/// goes through `hash_call`.
unsafe extern "C" fn hash_entry(
    owner: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    if kwnames.is_null() && (nargs == 1 || nargs == 2) {
        if let Some(state) = HASH.get(py).get() {
            let data = *args;
            let algo = if nargs == 2 {
                *args.add(1)
            } else {
                state.default.as_ptr()
            };
            if ffi::Py_TYPE(algo) == std::ptr::addr_of_mut!(ffi::PyUnicode_Type)
                && data != ffi::Py_None()
            {
                if let Some(hit) = crypto_table::last_hit(py, state.constructors.bind(py), algo) {
                    let digest = known_hash(py, &hit, data);
                    if !digest.is_null() {
                        return digest;
                    }
                    return hash_refused(state, data, algo);
                }
            }
        }
    }
    hash_call(owner, args, nargs, kwnames)
}

/// `constructor(data).digest()` by their C entries (`hit.known.digest` is known: `note_hit`
/// records no other): the digest, or NULL with the library's error set.
#[inline(always)]
unsafe fn known_hash(
    py: Python<'_>,
    hit: &crypto_table::Hit,
    data: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let mut stack = [null_mut(), data];
    let hasher = match hit
        .known
        .call
        .and_then(|c| c.call(stack.as_ptr().add(1), 1))
    {
        Some(hasher) => hasher,
        None => call(
            py,
            hit.constructor,
            stack.as_mut_ptr().add(1),
            1 | ARGUMENTS_OFFSET,
        ),
    };
    if hasher.is_null() {
        return null_mut();
    }
    let name = crypto_table::digest_name(py).as_ptr();
    let digest = match hit.known.digest.and_then(|d| d.call(hasher, name)) {
        Some(digest) => digest,
        None => call_method0(hasher, name),
    };
    ffi::Py_DECREF(hasher);
    digest
}

/// The fast path's library call raised: the usual `refused`, then the checked path.
#[cold]
#[inline(never)]
unsafe fn hash_refused(
    state: &HashState,
    data: *mut ffi::PyObject,
    algo: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        refused(py)?;
        let mut stack = [null_mut(), data, algo];
        Ok(call(
            py,
            state.checked.as_ptr(),
            stack.as_mut_ptr().add(1),
            2 | ARGUMENTS_OFFSET,
        ))
    })
}

/// `hash` for any call the fast path does not make.
#[inline(never)]
unsafe fn hash_call(
    _owner: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        let state = HASH.get(py).get().ok_or_else(|| not_set_up(py))?;
        if !kwnames.is_null() || !(1..=2).contains(&nargs) {
            return forward(py, state.full.bind(py), args, nargs, kwnames);
        }
        let data = *args;
        let algo = if nargs == 2 {
            *args.add(1)
        } else {
            state.default.as_ptr()
        };
        // an exact str only (a subclass's __eq__/__hash__ takes no part in the lookup), and
        // not None (blake3 reads it as no data)
        if ffi::PyUnicode_CheckExact(algo) != 0 && data != ffi::Py_None() {
            if let Some(digest) = library_hash(py, state.constructors.bind(py), data, algo)? {
                return Ok(digest);
            }
        }
        let mut stack = [null_mut(), data, algo];
        Ok(call(
            py,
            state.checked.as_ptr(),
            stack.as_mut_ptr().add(1),
            2 | ARGUMENTS_OFFSET,
        ))
    })
}

/// `constructors[algo](data).digest()`; `None` when there is no such name or the library
/// refused.
unsafe fn library_hash(
    py: Python<'_>,
    constructors: &Bound<'_, PyDict>,
    data: *mut ffi::PyObject,
    algo: *mut ffi::PyObject,
) -> PyResult<Option<*mut ffi::PyObject>> {
    // held for the call: reading `data`'s buffer may run code that takes it out of the table
    let Some((constructor, known)) = crypto_table::constructor(py, constructors, algo)? else {
        return Ok(None);
    };
    let mut stack = [null_mut(), data];
    let hasher = match known.call.and_then(|c| c.call(stack.as_ptr().add(1), 1)) {
        Some(hasher) => hasher,
        None => call(
            py,
            constructor.as_ptr(),
            stack.as_mut_ptr().add(1),
            1 | ARGUMENTS_OFFSET,
        ),
    };
    if !hasher.is_null() {
        let hasher = Bound::from_owned_ptr(py, hasher);
        let name = crypto_table::digest_name(py).as_ptr();
        let digest = match known.digest.and_then(|d| d.call(hasher.as_ptr(), name)) {
            Some(digest) => digest,
            None => {
                let digest = call_method0(hasher.as_ptr(), name);
                if !digest.is_null() && known.digest.is_none() {
                    crypto_table::learn_digest(py, &constructor, &hasher);
                }
                digest
            }
        };
        if !digest.is_null() {
            return Ok(Some(digest));
        }
    }
    refused(py).map(|()| None)
}

/// `compare_digest(a, b)`: two positional arguments go straight to the library's C entry
/// (nothing here can panic or recurse into the core, so no entry guard); when it raises, or for
/// any other call, `compare_call`.
unsafe extern "C" fn compare_entry(
    owner: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    if kwnames.is_null() && nargs == 2 {
        if let Some(Some(direct)) = COMPARE.get(py).get().map(|state| state.direct) {
            if let Some(equal) = direct.call(args, 2) {
                if !equal.is_null() {
                    return equal;
                }
                return compare_refused(args);
            }
        }
    }
    compare_call(owner, args, nargs, kwnames)
}

/// The fast path's library call raised: the usual `refused`, then the checked path.
#[cold]
#[inline(never)]
unsafe fn compare_refused(args: *const *mut ffi::PyObject) -> *mut ffi::PyObject {
    entry(|py| {
        let state = COMPARE.get(py).get().ok_or_else(|| not_set_up(py))?;
        refused(py)?;
        Ok(call(py, state.checked.as_ptr(), args, 2))
    })
}

/// `compare_digest` for any call the fast path does not make.
#[inline(never)]
unsafe fn compare_call(
    _owner: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        let state = COMPARE.get(py).get().ok_or_else(|| not_set_up(py))?;
        if !kwnames.is_null() || nargs != 2 {
            return forward(py, state.full.bind(py), args, nargs, kwnames);
        }
        let equal = match state.direct.and_then(|direct| direct.call(args, 2)) {
            Some(equal) => equal,
            None => call(py, state.library.as_ptr(), args, 2),
        };
        if !equal.is_null() {
            return Ok(equal);
        }
        refused(py)?;
        Ok(call(py, state.checked.as_ptr(), args, 2))
    })
}

/// The native `hash`: `constructors` (an exact dict from exact str names to constructors,
/// read on every call, so that names added later are found), `checked(data, algo)` for
/// whatever the library refuses, and `full`, the Python function, for any other call; its
/// name, docstring, module and default algorithm are the native function's.
#[pyfunction]
pub(crate) fn crypto_hash<'py>(
    py: Python<'py>,
    constructors: Bound<'py, PyAny>,
    checked: Bound<'py, PyAny>,
    full: Bound<'py, PyAny>,
    signature: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if !constructors.is_exact_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err("constructors must be a dict"));
    }
    let default = full.getattr("__defaults__")?.get_item(0)?;
    if !default.is_exact_instance_of::<PyString>() {
        return Err(PyTypeError::new_err("the default algorithm must be a str"));
    }
    let made = new_entry(py, &full, signature, hash_entry)?;
    let state = Box::leak(Box::new(HashState {
        constructors: constructors.downcast_into::<PyDict>()?.unbind(),
        checked: checked.unbind(),
        full: full.unbind(),
        default: default.downcast_into::<PyString>()?.unbind(),
    }));
    HASH.get(py).set(Some(state));
    Ok(made)
}

/// The native `compare_digest`: `library(a, b)`, then `checked(a, b)` when it raises, and
/// `full`, the Python function, for any other call.
#[pyfunction]
pub(crate) fn crypto_compare_digest<'py>(
    py: Python<'py>,
    library: Bound<'py, PyAny>,
    checked: Bound<'py, PyAny>,
    full: Bound<'py, PyAny>,
    signature: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let made = new_entry(py, &full, signature, compare_entry)?;
    // SAFETY: a live object; the state keeps it alive for ever
    let direct = unsafe { Direct::of(library.as_ptr()) };
    let state = Box::leak(Box::new(CompareState {
        library: library.unbind(),
        direct,
        checked: checked.unbind(),
        full: full.unbind(),
    }));
    COMPARE.get(py).set(Some(state));
    Ok(made)
}

/// A C function named, documented and placed like `full`, with `signature` for `inspect`.
fn new_entry<'py>(
    py: Python<'py>,
    full: &Bound<'py, PyAny>,
    signature: &str,
    function: Fast,
) -> PyResult<Bound<'py, PyAny>> {
    let name: String = full.getattr("__name__")?.extract()?;
    let doc: String = full.getattr("__doc__")?.extract()?;
    let doc = format!("{name}{signature}\n--\n\n{doc}");
    new_function(
        py,
        &name,
        &doc,
        function,
        None,
        &full.getattr("__module__")?,
    )
}
