//! What the public functions written as C functions share (`json_entry`, `crypto_entry`): a
//! METH_FASTCALL | METH_KEYWORDS function object made from a Rust entry point, a positional call
//! through the callee's vectorcall, and passing a call on, as it came, to a full function.

use std::ffi::CString;
use std::ptr::null_mut;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use pyo3::Borrowed;

/// A METH_FASTCALL | METH_KEYWORDS C function.
pub(crate) type Fast = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// `PY_VECTORCALL_ARGUMENTS_OFFSET`: the callee may overwrite `args[-1]` (and restore it).
pub(crate) const ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

extern "C" {
    /// Public C API of every CPython from 3.9 (not in the 3.10 limited API): with no keyword
    /// dict it is the callable's vectorcall.
    fn PyObject_VectorcallDict(
        callable: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargsf: usize,
        kwargs: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject;
    /// Public C API of every CPython from 3.9: `args[0].<name>(*args[1:])` without a bound
    /// method object (the interpreter's own method call).
    fn PyObject_VectorcallMethod(
        name: *mut ffi::PyObject,
        args: *const *mut ffi::PyObject,
        nargsf: usize,
        kwnames: *mut ffi::PyObject,
    ) -> *mut ffi::PyObject;
}

/// `func(*args)` with no keywords, through the callee's vectorcall: a new reference, or NULL
/// with the error set.
///
/// # Safety
/// Live objects; `args` holds `nargsf`'s count of borrowed references (and the slot before
/// them is writable when `nargsf` has `ARGUMENTS_OFFSET`).
pub(crate) unsafe fn call(
    py: Python<'_>,
    func: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
) -> *mut ffi::PyObject {
    match crate::cpython::vectorcall_of(py, func) {
        Some(entry) => entry(func, args, nargsf, null_mut()),
        None => match vectorcall() {
            Some(vectorcall) => vectorcall(func, args, nargsf, null_mut()),
            None => PyObject_VectorcallDict(func, args, nargsf, null_mut()),
        },
    }
}

/// CPython's `PyObject_Vectorcall` (exported from 3.11; 3.10 has it only as an inline
/// function): for a callable without a vectorcall entry (a type) it goes straight to the
/// tuple call, where `PyObject_VectorcallDict` first looks at its keyword dict. Found at run
/// time, so that the extension still imports where it is missing (and calls the other).
fn vectorcall() -> Option<ffi::vectorcallfunc> {
    static FOUND: std::sync::OnceLock<Option<ffi::vectorcallfunc>> = std::sync::OnceLock::new();
    *FOUND.get_or_init(|| {
        // SAFETY: a NUL-terminated name; the symbol, when present, has this signature
        unsafe {
            let found = libc::dlsym(libc::RTLD_DEFAULT, c"PyObject_Vectorcall".as_ptr());
            (!found.is_null())
                .then(|| std::mem::transmute::<*mut libc::c_void, ffi::vectorcallfunc>(found))
        }
    })
}

/// `obj.<name>()`: a new reference, or NULL with the error set.
///
/// # Safety
/// Live objects; `name` a `str`.
pub(crate) unsafe fn call_method0(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let mut stack = [null_mut(), obj];
    PyObject_VectorcallMethod(
        name,
        stack.as_mut_ptr().add(1),
        1 | ARGUMENTS_OFFSET,
        null_mut(),
    )
}

/// `full(*args, **kwargs)` for the arguments of a fastcall call, passed on as they came: the
/// full function's argument checks and messages are the ones users see.
///
/// # Safety
/// The arguments of a METH_FASTCALL | METH_KEYWORDS call.
pub(crate) unsafe fn forward(
    py: Python<'_>,
    full: &Bound<'_, PyAny>,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> PyResult<*mut ffi::PyObject> {
    let nargs = usize::try_from(nargs).unwrap_or(0);
    if let Some(call) = crate::cpython::vectorcall_of(py, full.as_ptr()) {
        // a result, or NULL with the error set: handed back either way
        return Ok(call(full.as_ptr(), args, nargs, kwnames));
    }
    let positional = PyTuple::new(
        py,
        (0..nargs).map(|i| Borrowed::from_ptr(py, *args.add(i)).to_owned()),
    )?;
    let keywords = PyDict::new(py);
    if !kwnames.is_null() {
        let names = Borrowed::from_ptr(py, kwnames)
            .downcast::<PyTuple>()?
            .to_owned();
        for (i, name) in names.iter().enumerate() {
            keywords.set_item(name, Borrowed::from_ptr(py, *args.add(nargs + i)))?;
        }
    }
    Ok(full.call(positional, Some(&keywords))?.into_ptr())
}

/// A function object named `name` (its `__module__` is `module_name`) that runs `function`
/// with `owner` as its first argument; `doc` starts with ``name(signature)\n--\n\n`` so that
/// `inspect.signature` reads it.
pub(crate) fn new_function<'py>(
    py: Python<'py>,
    name: &str,
    doc: &str,
    function: Fast,
    owner: Option<&Bound<'py, PyAny>>,
    module_name: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let name_c = CString::new(name)?;
    let doc_c = CString::new(doc)?;
    // leaked: the function object keeps pointers to its definition for ever
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: Box::leak(name_c.into_boxed_c_str()).as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionFastWithKeywords: function,
        },
        ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: Box::leak(doc_c.into_boxed_c_str()).as_ptr(),
    }));
    let owner = owner.map_or(null_mut(), |owner| owner.as_ptr());
    // SAFETY: `def` lives for ever; a new reference or NULL with an error set
    unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyCFunction_NewEx(def, owner, module_name.as_ptr()))
    }
}
