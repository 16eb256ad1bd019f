//! A model's own serialisation code, run by the serialiser itself (`model::serializers` holds
//! it as data): field serializers, computed fields and the model serializer. The rest of the
//! model is still written natively; only the user's functions are called into.
//!
//! A function's exception becomes a `SerializationError` naming the function (the exception
//! is its `__cause__`); a `SerializationError` from a nested serializer passes as it is.

use pyo3::exceptions::{PyException, PyRecursionError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};
use pyo3::Borrowed;
use smallvec::SmallVec;

use super::filter::Filter;
use super::python::{model_fields_dict, to_python};
use super::{with_model, Options};
use crate::errors::{error_class, ferrule_err};
use crate::model::serializers::{Computed, Function};
use crate::model::ModelClass;

type Args<'py> = SmallVec<[Bound<'py, PyAny>; 4]>;

/// `field`'s value `item` of the instance `model` through the field's serializer `f` (the
/// caller checked that it applies).
pub(crate) fn field_value<'py>(
    py: Python<'py>,
    f: &Function,
    model: &Bound<'py, PyAny>,
    item: Bound<'py, PyAny>,
    options: &Options,
    child: &Filter<'py>,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    if !f.wrap && !f.info {
        // the usual `(self, value)` or `(value)`: no argument list to build
        let both = [model.as_borrowed(), item.as_borrowed()];
        return call(py, f, if f.method { &both } else { &both[1..] });
    }
    let mut args: Args<'py> = SmallVec::new();
    if f.method {
        args.push(model.clone());
    }
    args.push(item);
    if f.wrap {
        args.push(handler(py, options, child, None)?);
    }
    if f.info {
        args.push(info(py, options, child, Some(name))?);
    }
    let list = borrowed(&args);
    let out = call(py, f, &list);
    out
}

fn borrowed<'a, 'py>(args: &'a Args<'py>) -> SmallVec<[Borrowed<'a, 'py, PyAny>; 4]> {
    args.iter().map(Bound::as_borrowed).collect()
}

/// A computed field's value on the instance `model` (its exception propagates as it is).
#[inline]
pub(crate) fn computed_value<'py>(
    py: Python<'py>,
    computed: &Computed,
    model: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    match &computed.getter {
        Some(getter) => call_positional(py, getter.bind(py), &[model.as_borrowed()]),
        None => model.getattr(computed.name.bind(py)),
    }
}

/// The model serializer's result for the instance `value` of `class`, when it has one that
/// applies (None: the model is written as its fields).
#[inline]
pub(crate) fn model_result<'py>(
    py: Python<'py>,
    class: &ModelClass,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(f) = class.serializers.as_ref().and_then(|s| s.model.as_ref()) else {
        return Ok(None);
    };
    if !f.applies(value, options.json_mode) {
        return Ok(None);
    }
    let _keep = keep_alive(py, class)?;
    let mut args: Args<'py> = SmallVec::new();
    if f.method {
        args.push(value.clone());
    }
    if f.wrap {
        args.push(handler(py, options, filter, Some(&value.get_type()))?);
    }
    if f.info {
        args.push(info(py, options, filter, None)?);
    }
    let list = borrowed(&args);
    let out = call(py, f, &list);
    out.map(Some)
}

/// A reference to the compiled validator that owns `class`, held while user functions run: the
/// serialiser borrows the class from the core's class cache, and user code may evict the entry
/// (by dumping other models) before the serialiser is done with it.
pub(crate) fn keep_alive<'py>(py: Python<'py>, class: &ModelClass) -> PyResult<Bound<'py, PyAny>> {
    Ok(crate::validate::class_validator(class.cls.bind(py))?.into_any())
}

/// The user's function on `args`; an exception as a `SerializationError` naming it.
fn call<'py>(
    py: Python<'py>,
    f: &Function,
    args: &[Borrowed<'_, 'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    let result = if crate::stack::room_left() {
        call_positional(py, f.func.bind(py), args)
    } else {
        Err(PyRecursionError::new_err(
            "maximum recursion depth exceeded in the ferrule core",
        ))
    };
    result.map_err(|err| wrapped(py, &f.name, err))
}

/// `func(*args)`: up to three arguments passed on the C stack to the function's vectorcall (no
/// argument tuple, no varargs walk), with the slot before them free for the callee to use.
fn call_positional<'py>(
    py: Python<'py>,
    func: &Bound<'py, PyAny>,
    args: &[Borrowed<'_, 'py, PyAny>],
) -> PyResult<Bound<'py, PyAny>> {
    let null = std::ptr::null_mut();
    let stack = match args {
        [a] => [null, a.as_ptr(), null, null],
        [a, b] => [null, a.as_ptr(), b.as_ptr(), null],
        [a, b, c] => [null, a.as_ptr(), b.as_ptr(), c.as_ptr()],
        _ => return PyTuple::new(py, args).and_then(|args| func.call1(args)),
    };
    let nargsf = args.len() | ARGUMENTS_OFFSET;
    // SAFETY: live objects, borrowed for the call; `stack[0]` is ours to lend (the offset
    // flag); the result is a new reference or NULL with an exception set.
    unsafe {
        let args = stack.as_ptr().add(1);
        let out = match crate::cpython::vectorcall_of(py, func.as_ptr()) {
            Some(entry) => entry(func.as_ptr(), args, nargsf, null),
            None => PyObject_VectorcallDict(func.as_ptr(), args, nargsf, null),
        };
        Bound::from_owned_ptr_or_err(py, out)
    }
}

/// `PY_VECTORCALL_ARGUMENTS_OFFSET`: the callee may overwrite `args[-1]` (and restore it).
const ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);

extern "C" {
    /// Public C API of every CPython from 3.9 (not in the 3.10 limited API, which has no
    /// vectorcall entry; `PyObject_Vectorcall` is only exported from 3.11): with no keyword
    /// dict it is the callable's vectorcall.
    fn PyObject_VectorcallDict(
        callable: *mut pyo3::ffi::PyObject,
        args: *const *mut pyo3::ffi::PyObject,
        nargsf: usize,
        kwargs: *mut pyo3::ffi::PyObject,
    ) -> *mut pyo3::ffi::PyObject;
}

fn wrapped(py: Python<'_>, name: &str, err: PyErr) -> PyErr {
    let passes = match error_class(py, "SerializationError") {
        Ok(cls) => err.is_instance(py, &cls),
        Err(other) => return other,
    };
    if passes || !err.is_instance_of::<PyException>(py) {
        return err;
    }
    let value = err.value(py);
    let kind = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".to_owned());
    let text = value.str().map(|t| t.to_string()).unwrap_or_default();
    let message = if text.is_empty() {
        format!("Error calling function `{name}`: {kind}")
    } else {
        format!("Error calling function `{name}`: {kind}: {text}")
    };
    let new = ferrule_err(py, "SerializationError", message);
    new.set_cause(py, Some(err));
    new
}

/// A `ferrule.models.serializers.SerializationInfo` for one call.
fn info<'py>(
    py: Python<'py>,
    options: &Options,
    filter: &Filter<'py>,
    field_name: Option<&Bound<'py, PyString>>,
) -> PyResult<Bound<'py, PyAny>> {
    static CLASS: GILOnceCell<Py<PyAny>> = GILOnceCell::new();
    let class = CLASS.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("ferrule.models.serializers")?
                .getattr("SerializationInfo")?
                .unbind(),
        )
    })?;
    let (include, exclude) = filter.parts();
    let mode = if options.json_mode { "json" } else { "python" };
    let context = options
        .context
        .as_ref()
        .map_or_else(|| py.None(), |c| c.clone_ref(py));
    class.bind(py).call1((
        mode,
        options.by_alias,
        options.exclude_none,
        options.round_trip,
        context,
        include,
        exclude,
        field_name,
        options.exclude_unset,
        options.exclude_defaults,
    ))
}

fn handler<'py>(
    py: Python<'py>,
    options: &Options,
    filter: &Filter<'py>,
    model_type: Option<&Bound<'py, PyType>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (include, exclude) = filter.parts();
    let handler = SerializationHandler {
        options: owned_options(py, options),
        include: include.map(|d| d.clone().unbind()),
        exclude: exclude.map(|d| d.clone().unbind()),
        model_type: model_type.map(|t| t.clone().unbind()),
    };
    Ok(Bound::new(py, handler)?.into_any())
}

fn owned_options(py: Python<'_>, options: &Options) -> Options {
    Options {
        json_mode: options.json_mode,
        by_alias: options.by_alias,
        exclude_none: options.exclude_none,
        indent: None,
        sort_keys: false,
        nan: options.nan,
        plain_data: false,
        default: None,
        reveal_secrets: options.reveal_secrets,
        exclude_unset: options.exclude_unset,
        exclude_defaults: options.exclude_defaults,
        output: options.output,
        round_trip: options.round_trip,
        context: options.context.as_ref().map(|c| c.clone_ref(py)),
    }
}

/// The `handler` of a wrap serializer: `handler(value)` is the default serialisation of the
/// value (for a model serializer, `handler(self)` is the dict of the model's fields). It holds
/// its own copy of the call's options, so keeping it past the call is harmless.
#[pyclass(
    frozen,
    module = "ferrule._ferrule",
    name = "SerializerFunctionWrapHandler"
)]
pub(crate) struct SerializationHandler {
    options: Options,
    include: Option<Py<PyDict>>,
    exclude: Option<Py<PyDict>>,
    model_type: Option<Py<PyType>>,
}

#[pymethods]
impl SerializationHandler {
    fn __call__<'py>(&self, py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<PyObject> {
        crate::errors::guard(py, || {
            let filter = Filter::from_parts(
                self.include.as_ref().map(|d| d.bind(py).clone()),
                self.exclude.as_ref().map(|d| d.bind(py).clone()),
            );
            let same_model = self
                .model_type
                .as_ref()
                .is_some_and(|t| value.get_type().is(t.bind(py)));
            let out = if same_model {
                with_model(value, |model| {
                    model_fields_dict(py, &model.class, value, &self.options, &filter, 0)
                })?
            } else {
                to_python(py, value, &self.options, &filter, 0)?
            };
            Ok(out.unbind())
        })
    }

    fn __repr__(&self) -> &'static str {
        "SerializerFunctionWrapHandler()"
    }
}
