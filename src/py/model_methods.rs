//! The hot methods of `ModelBase` (`model_validate`, `model_dump`, `json_bytes`, ...) as
//! METH_FASTCALL C functions, and the per-class vectorcall entry that validates constructor
//! keywords without building a kwargs dict.

use std::cell::RefCell;
use std::ffi::CStr;
use std::os::raw::c_int;
use std::ptr::null_mut;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILProtected;
use pyo3::types::{PyBytes, PyString, PyType};
use smallvec::SmallVec;

use crate::errors::guard;
use crate::input::Input;
use crate::serialize::{indent_arg, json_mode, model_to_python, to_json, Filter, Options};
use crate::validate::class_validator;
use crate::validate::schema_validator::SchemaValidator;

/// `PY_VECTORCALL_ARGUMENTS_OFFSET` (not exposed under abi3).
const ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

pub(crate) fn nargs_of(nargsf: usize) -> usize {
    nargsf & !ARGUMENTS_OFFSET
}

type Kw<'py> = SmallVec<[Option<Bound<'py, PyAny>>; 6]>;

/// Split a fastcall argument vector into positionals and the named keywords (others refused).
unsafe fn parse_args<'py>(
    py: Python<'py>,
    what: &str,
    args: *const *mut ffi::PyObject,
    nargsf: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    positional: usize,
    names: &[&str],
) -> PyResult<(SmallVec<[Bound<'py, PyAny>; 2]>, Kw<'py>)> {
    let nargs = nargs_of(nargsf as usize);
    if nargs == positional && kwnames.is_null() {
        // the common call without keywords: nothing to parse
        let pos = (0..nargs)
            .map(|i| Bound::from_borrowed_ptr(py, *args.add(i)))
            .collect();
        return Ok((pos, SmallVec::from_elem(None, names.len())));
    }
    if nargs != positional {
        return Err(PyTypeError::new_err(format!(
            "{what}() takes {positional} positional argument(s) but {nargs} were given"
        )));
    }
    let pos = (0..nargs)
        .map(|i| Bound::from_borrowed_ptr(py, *args.add(i)))
        .collect();
    let mut kw: Kw<'py> = SmallVec::from_elem(None, names.len());
    if !kwnames.is_null() {
        let count = ffi::PyTuple_Size(kwnames) as usize;
        for i in 0..count {
            let name =
                Bound::from_borrowed_ptr(py, ffi::PyTuple_GetItem(kwnames, i as ffi::Py_ssize_t));
            let name = name.downcast_into::<PyString>()?;
            let text = name.to_str()?;
            match names.iter().position(|n| *n == text) {
                Some(slot) => kw[slot] = Some(Bound::from_borrowed_ptr(py, *args.add(nargs + i))),
                None => {
                    return Err(PyTypeError::new_err(format!(
                        "{what}() got an unexpected keyword argument {text:?}"
                    )))
                }
            }
        }
    }
    Ok((pos, kw))
}

fn flag(value: &Option<Bound<'_, PyAny>>) -> PyResult<bool> {
    match value {
        Some(v) => v.is_truthy(),
        None => Ok(false),
    }
}

/// `reveal_secrets=`: True or False only (a truthy string must not show a secret by accident).
fn reveal_arg(value: &Option<Bound<'_, PyAny>>) -> PyResult<bool> {
    match value {
        None => Ok(false),
        Some(v) if v.is_instance_of::<pyo3::types::PyBool>() => v.is_truthy(),
        Some(v) => Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "reveal_secrets must be True or False, not {}",
            v.get_type().name()?
        ))),
    }
}

/// `context=`: any object, handed to serializer functions (None: no context).
fn context_arg(value: &Option<Bound<'_, PyAny>>) -> Option<Py<PyAny>> {
    value
        .as_ref()
        .filter(|v| !v.is_none())
        .map(|v| v.clone().unbind())
}

fn strict_arg(value: &Option<Bound<'_, PyAny>>) -> PyResult<Option<bool>> {
    match value {
        Some(v) if !v.is_none() => Ok(Some(v.is_truthy()?)),
        _ => Ok(None),
    }
}

/// Run `f` as a C entry point: panics become `InternalError`, errors are restored.
pub(crate) unsafe fn entry(
    f: impl FnOnce(Python<'_>) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    match guard(py, || f(py)) {
        Ok(ptr) => ptr,
        Err(err) => {
            err.restore(py);
            null_mut()
        }
    }
}

/// `cls.<what>(data, *, strict=None, context=None)`: the two class-level validating entry
/// points (`model_validate` also takes `from_attributes=`).
unsafe fn class_validate(
    what: &str,
    cls: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    json: bool,
) -> *mut ffi::PyObject {
    entry(|py| {
        let cls = Bound::from_borrowed_ptr(py, cls).downcast_into::<PyType>()?;
        let validator = class_validator(&cls)?;
        let validator = validator.get();
        if nargs_of(nargs as usize) == 1 && kwnames.is_null() {
            // the common call with one argument and no options: nothing to parse
            let value = Bound::from_borrowed_ptr(py, *args);
            return Ok(validate_one(validator, py, &value, None, json)?.into_ptr());
        }
        if json {
            let names = &["strict", "context"];
            let (pos, kw) = parse_args(py, what, args, nargs, kwnames, 1, names)?;
            let strict = strict_arg(&kw[0])?;
            let context = kw[1].as_ref().filter(|c| !c.is_none());
            let value = validator.validate_json_data(py, &pos[0], strict, context)?;
            return Ok(value.into_ptr());
        }
        let names = &["strict", "from_attributes", "context"];
        let (pos, kw) = parse_args(py, what, args, nargs, kwnames, 1, names)?;
        let strict = strict_arg(&kw[0])?;
        let from_attributes = strict_arg(&kw[1])?.unwrap_or(false);
        let context = kw[2].as_ref().filter(|c| !c.is_none());
        let value = validator.run_with(py, Input::Py(&pos[0]), strict, from_attributes, context)?;
        Ok(value.into_ptr())
    })
}

/// One value through the class's validator: JSON text, or a Python object.
fn validate_one<'py>(
    validator: &SchemaValidator,
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    strict: Option<bool>,
    json: bool,
) -> PyResult<Bound<'py, PyAny>> {
    if json {
        validator.validate_json_data(py, value, strict, None)
    } else {
        validator.validate_value(py, value, strict)
    }
}

unsafe extern "C" fn model_validate(
    cls: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    class_validate("model_validate", cls, args, nargs, kwnames, false)
}

unsafe extern "C" fn model_validate_json(
    cls: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    class_validate("model_validate_json", cls, args, nargs, kwnames, true)
}

unsafe extern "C" fn model_dump(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        let value = Bound::from_borrowed_ptr(py, slf);
        let none = Filter::default();
        if nargs_of(nargs as usize) == 0 && kwnames.is_null() {
            // the plain `model_dump()`: nothing to parse
            return Ok(model_to_python(py, &value, &Options::default(), &none, 0)?.into_ptr());
        }
        let (_, kw) = parse_args(
            py,
            "model_dump",
            args,
            nargs,
            kwnames,
            0,
            &[
                "mode",
                "by_alias",
                "exclude_none",
                "include",
                "exclude",
                "reveal_secrets",
                "exclude_unset",
                "exclude_defaults",
                "round_trip",
                "context",
            ],
        )?;
        let json_mode = match &kw[0] {
            None => false,
            Some(mode) => json_mode(&mode.extract::<String>()?)?,
        };
        let options = Options {
            json_mode,
            by_alias: flag(&kw[1])?,
            exclude_none: flag(&kw[2])?,
            indent: None,
            reveal_secrets: reveal_arg(&kw[5])?,
            exclude_unset: flag(&kw[6])?,
            exclude_defaults: flag(&kw[7])?,
            round_trip: flag(&kw[8])?,
            context: context_arg(&kw[9]),
            ..Options::default()
        };
        let filter = Filter::from_args(kw[3].as_ref(), kw[4].as_ref())?;
        Ok(model_to_python(py, &value, &options, &filter, 0)?.into_ptr())
    })
}

/// The keyword options of `json_bytes()` / `model_dump_json()`.
unsafe fn json_options<'py>(
    py: Python<'py>,
    what: &str,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> PyResult<(Options, Filter<'py>)> {
    let (_, kw) = parse_args(
        py,
        what,
        args,
        nargs,
        kwnames,
        0,
        &[
            "indent",
            "by_alias",
            "exclude_none",
            "include",
            "exclude",
            "reveal_secrets",
            "exclude_unset",
            "exclude_defaults",
            "round_trip",
            "context",
        ],
    )?;
    let options = Options {
        json_mode: true,
        by_alias: flag(&kw[1])?,
        exclude_none: flag(&kw[2])?,
        indent: indent_arg(kw[0].as_ref())?,
        reveal_secrets: reveal_arg(&kw[5])?,
        exclude_unset: flag(&kw[6])?,
        exclude_defaults: flag(&kw[7])?,
        round_trip: flag(&kw[8])?,
        context: context_arg(&kw[9]),
        ..Options::default()
    };
    Ok((options, Filter::from_args(kw[3].as_ref(), kw[4].as_ref())?))
}

/// The JSON text of `slf`, handed to `finish` (which makes the Python object) from a reused
/// buffer: no allocation per call. A nested call (user code run while writing) gets its own.
unsafe fn json_output(
    py: Python<'_>,
    what: &str,
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    finish: impl FnOnce(&[u8]) -> PyResult<*mut ffi::PyObject>,
) -> PyResult<*mut ffi::PyObject> {
    let (options, filter) = if nargs_of(nargs as usize) == 0 && kwnames.is_null() {
        // the plain call: nothing to parse
        let plain = Options {
            json_mode: true,
            ..Options::default()
        };
        (plain, Filter::default())
    } else {
        json_options(py, what, args, nargs, kwnames)?
    };
    let value = Bound::from_borrowed_ptr(py, slf);
    let write = |out: &mut Vec<u8>| {
        to_json(py, &value, &options, &filter, out, true)?;
        finish(out)
    };
    // guarded by the GIL, not a mutex (no atomic read-modify-write per call); a call made
    // while the buffer is taken (user code run while writing, by this thread or by another
    // one the GIL passed to) finds it borrowed and writes into a vector of its own
    static BUFFER: GILProtected<RefCell<Vec<u8>>> = GILProtected::new(RefCell::new(Vec::new()));
    match BUFFER.get(py).try_borrow_mut() {
        Ok(mut out) => {
            out.clear();
            let result = write(&mut out);
            if out.capacity() > 1 << 20 {
                *out = Vec::new(); // do not keep a huge document's buffer alive
            }
            result
        }
        Err(_) => write(&mut Vec::with_capacity(128)),
    }
}

unsafe extern "C" fn json_bytes(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        json_output(py, "json_bytes", slf, args, nargs, kwnames, |out| {
            Ok(PyBytes::new(py, out).into_ptr())
        })
    })
}

unsafe extern "C" fn model_dump_json(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        json_output(py, "model_dump_json", slf, args, nargs, kwnames, |out| {
            Ok(crate::cpython::utf8_str(py, out)?.into_ptr())
        })
    })
}

type Fast = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

fn def(name: &'static CStr, function: Fast, class: bool, doc: &'static CStr) -> ffi::PyMethodDef {
    let mut flags = ffi::METH_FASTCALL | ffi::METH_KEYWORDS;
    if class {
        flags |= ffi::METH_CLASS;
    }
    ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionFastWithKeywords: function,
        },
        ml_flags: flags as c_int,
        ml_doc: doc.as_ptr(),
    }
}

/// The class-level validating entry points (as classmethods on `ModelBase`, or pre-bound).
fn class_level(class: bool) -> [ffi::PyMethodDef; 5] {
    let validate_doc =
        c"Validate a dict (or an instance) into an instance; raises ValidationError.";
    let json_doc = c"Parse and validate JSON text in one pass.";
    [
        def(c"model_validate", model_validate, class, validate_doc),
        def(c"validate", model_validate, class, validate_doc),
        def(c"from_dict", model_validate, class, validate_doc),
        def(c"model_validate_json", model_validate_json, class, json_doc),
        def(c"validate_json", model_validate_json, class, json_doc),
    ]
}

/// The method table of `ModelBase` (leaked once: type objects keep pointers into it).
pub(crate) fn method_table() -> *mut ffi::PyMethodDef {
    let dump_doc = c"The instance as a dict; mode='json' gives only JSON-compatible values.";
    let bytes_doc = c"Compact UTF-8 JSON bytes (the fastest output form).";
    let text_doc = c"JSON text as str.";
    let mut table = class_level(true).to_vec();
    table.extend([
        def(c"model_dump", model_dump, false, dump_doc),
        def(c"dict", model_dump, false, dump_doc),
        def(c"json_bytes", json_bytes, false, bytes_doc),
        def(c"model_dump_json", model_dump_json, false, text_doc),
        def(c"json", model_dump_json, false, text_doc),
        ffi::PyMethodDef::zeroed(),
    ]);
    Box::leak(table.into_boxed_slice()).as_mut_ptr()
}

/// `cls.<name>` as a function already bound to `cls`: stored in the class's own dict, it is
/// returned as is on lookup, so a call makes no bound-method object (a classmethod makes one
/// per call). Only the class-level validating entry points have this form.
#[pyfunction]
pub(crate) fn bound_class_method<'py>(
    cls: &Bound<'py, PyType>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    static TABLE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let table = *TABLE.get_or_init(|| Box::leak(Box::new(class_level(false))).as_mut_ptr() as usize)
        as *mut ffi::PyMethodDef;
    // SAFETY: the table is leaked (lives forever) and holds exactly five entries.
    unsafe {
        for i in 0..5 {
            let entry = table.add(i);
            if CStr::from_ptr((*entry).ml_name).to_bytes() == name.as_bytes() {
                let function = ffi::PyCFunction_NewEx(entry, cls.as_ptr(), std::ptr::null_mut());
                return Bound::from_owned_ptr_or_err(cls.py(), function);
            }
        }
    }
    Err(PyTypeError::new_err(format!(
        "{name} is not a class-level validating method"
    )))
}
