//! Native `QuerySet.order_by` and `QuerySet.limit`: the calls that follow `Model.filter(...)`
//! in the ORM's common query (`filter(...).order_by("name").limit(10)`). `install_chain` puts
//! them on the class as method descriptors, so that such a call runs no Python frame. Each
//! does only its Python method's fast path (one plain name `order_by` checked before, an int
//! `limit`) on a `QuerySet` of exactly that class whose layout was proven (`proven_offsets`);
//! every other call is handed, unchanged, to the Python method it replaced.

use std::ffi::CString;
use std::os::raw::c_int;
use std::ptr;

use pyo3::exceptions::PyRuntimeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyBool, PyDict, PyList, PySet, PyString, PyTuple, PyType};

use super::copier::{allocate, copy_members, member_offset, proven_offsets};
use crate::cpython::slot_at;

/// What the native methods need: the class, its members' offsets, the Python methods they
/// stand in for, and the set of `order_by` names already checked (the Python module's own).
struct Chain {
    cls: Py<PyType>,
    offsets: Vec<usize>,
    order: usize,
    limit: usize,
    offset: usize,
    key: usize,
    checked_orders: Py<PySet>,
    order_by_py: Py<PyAny>,
    limit_py: Py<PyAny>,
}

static CHAIN: GILOnceCell<Chain> = GILOnceCell::new();

/// Install the native `order_by` and `limit` on `cls` (the `QuerySet` class, whose members are
/// `names`), keeping `order_by` and `limit` (its Python methods) for every call off the fast
/// path. False, and nothing changed, where the layout is not proven or another class has them.
#[pyfunction]
pub(crate) fn install_chain(
    cls: &Bound<'_, PyType>,
    names: Vec<Bound<'_, PyString>>,
    checked_orders: &Bound<'_, PySet>,
    order_by: &Bound<'_, PyAny>,
    limit: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let py = cls.py();
    let Some(offsets) = proven_offsets(cls, &names)? else {
        return Ok(false);
    };
    let at = |wanted| member_offset(&names, &offsets, wanted);
    let (Some(order), Some(limit_at), Some(offset), Some(key)) =
        (at("_order"), at("_limit"), at("_offset"), at("_key"))
    else {
        return Ok(false);
    };
    let chain = CHAIN.get_or_init(py, || Chain {
        cls: cls.clone().unbind(),
        offsets: offsets.clone(),
        order,
        limit: limit_at,
        offset,
        key,
        checked_orders: checked_orders.clone().unbind(),
        order_by_py: order_by.clone().unbind(),
        limit_py: limit.clone().unbind(),
    });
    if !chain.cls.bind(py).is(cls) || chain.offsets != offsets {
        return Ok(false);
    }
    for (name, function, fast) in [
        (
            c"order_by",
            order_by,
            order_by_fast as ffi::PyCFunctionFastWithKeywords,
        ),
        (
            c"limit",
            limit,
            limit_fast as ffi::PyCFunctionFastWithKeywords,
        ),
    ] {
        define_method(cls, name, function, fast, false)?;
    }
    Ok(true)
}

/// Put a native method (or classmethod) `name` on `cls`, with `fast` as its C function and
/// the docstring of `function` (the Python one it stands in for).
fn define_method(
    cls: &Bound<'_, PyType>,
    name: &'static std::ffi::CStr,
    function: &Bound<'_, PyAny>,
    fast: ffi::PyCFunctionFastWithKeywords,
    class_method: bool,
) -> PyResult<()> {
    let py = cls.py();
    let doc = function
        .getattr(pyo3::intern!(py, "__doc__"))
        .and_then(|d| d.extract::<String>())
        .ok()
        .and_then(|text| CString::new(text).ok())
        .unwrap_or_default();
    let class_flag = if class_method { ffi::METH_CLASS } else { 0 };
    // The definition must outlive the class: leaked, once per install (once a process).
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            PyCFunctionFastWithKeywords: fast,
        },
        ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS | class_flag,
        ml_doc: doc.into_raw(),
    }));
    // SAFETY: a live type and a definition that is never freed; a new reference or NULL.
    let descr = unsafe {
        let made = if class_method {
            ffi::PyDescr_NewClassMethod(cls.as_type_ptr(), def)
        } else {
            ffi::PyDescr_NewMethod(cls.as_type_ptr(), def)
        };
        Bound::from_owned_ptr_or_err(py, made)?
    };
    cls.setattr(PyString::new(py, name.to_str().unwrap_or_default()), descr)
}

/// The arguments of one call of a native method, as CPython passed them (borrowed, valid
/// for the call): the instance (or class), the positional then keyword values, their count
/// and the keywords' names (NULL: none).
#[derive(Clone, Copy)]
struct Call {
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
}

impl Call {
    /// The one positional argument of a call without keywords.
    unsafe fn sole_positional(&self) -> Option<*mut ffi::PyObject> {
        // SAFETY: the live arguments of the current call.
        unsafe {
            let no_keywords = self.kwnames.is_null() || ffi::PyTuple_Size(self.kwnames) == 0;
            (self.nargs == 1 && no_keywords).then(|| *self.args)
        }
    }

    /// The keyword names (an exact tuple) of a call with keywords only, and their count.
    unsafe fn keywords_only(&self) -> Option<(*mut ffi::PyObject, ffi::Py_ssize_t)> {
        // SAFETY: the live arguments of the current call.
        unsafe {
            if self.nargs != 0
                || self.kwnames.is_null()
                || ffi::PyTuple_CheckExact(self.kwnames) == 0
            {
                return None;
            }
            let count = ffi::PyTuple_Size(self.kwnames);
            (count >= 1).then_some((self.kwnames, count))
        }
    }
}

/// A method's C entry (METH_FASTCALL | METH_KEYWORDS, with METH_CLASS for a classmethod):
/// its arguments as a `Call`, to `entry` with the fast path `run` and the Python method
/// `fallback` names.
macro_rules! native_method {
    ($name:ident, $run:ident, $fallback:expr) => {
        unsafe extern "C" fn $name(
            slf: *mut ffi::PyObject,
            args: *const *mut ffi::PyObject,
            nargs: ffi::Py_ssize_t,
            kwnames: *mut ffi::PyObject,
        ) -> *mut ffi::PyObject {
            let call = Call {
                slf,
                args,
                nargs,
                kwnames,
            };
            // SAFETY: called by CPython with the arguments of a fastcall method.
            unsafe { entry($run, call, $fallback) }
        }
    };
}

/// A native method's fast path: its result, or None where the call is the Python method's.
type Run = for<'py> unsafe fn(Python<'py>, Call) -> PyResult<Option<Bound<'py, PyAny>>>;

/// The C entry of a native method: the GIL is held (CPython called it), a panic or error
/// becomes a Python exception, and the result a new reference. `run` answers the fast
/// path; every other call goes to the Python method `fallback` names.
unsafe fn entry(
    run: Run,
    call: Call,
    fallback: fn(Python<'_>) -> Option<&'static Py<PyAny>>,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls a method descriptor's function with the GIL held.
    let py = unsafe { Python::assume_gil_acquired() };
    let result = crate::errors::guard(py, || {
        // SAFETY: the arguments CPython passed, valid for this call.
        if let Some(out) = unsafe { run(py, call) }? {
            return Ok(out);
        }
        let function = fallback(py)
            .ok_or_else(|| PyRuntimeError::new_err("the native ORM methods are not set up"))?;
        // SAFETY: the arguments CPython passed, valid for this call.
        unsafe { call_python(py, function, call) }
    });
    match result {
        Ok(out) => out.into_ptr(),
        Err(err) => {
            err.restore(py);
            ptr::null_mut()
        }
    }
}

/// `function(slf, *args, **kwargs)` from a call's arguments.
unsafe fn call_python<'py>(
    py: Python<'py>,
    function: &Py<PyAny>,
    call: Call,
) -> PyResult<Bound<'py, PyAny>> {
    let count = usize::try_from(call.nargs).unwrap_or(0);
    // SAFETY (whole block): `slf`, `args[..nargs + len(kwnames)]` and `kwnames` are the live,
    // borrowed arguments of the current call.
    unsafe {
        let mut positional = Vec::with_capacity(count + 1);
        positional.push(Bound::from_borrowed_ptr(py, call.slf));
        for index in 0..count {
            positional.push(Bound::from_borrowed_ptr(py, *call.args.add(index)));
        }
        let keywords = if call.kwnames.is_null() {
            None
        } else {
            let names = Bound::from_borrowed_ptr(py, call.kwnames).downcast_into::<PyTuple>()?;
            let dict = PyDict::new(py);
            for (index, name) in names.iter().enumerate() {
                let value = Bound::from_borrowed_ptr(py, *call.args.add(count + index));
                dict.set_item(name, value)?;
            }
            Some(dict)
        };
        function
            .bind(py)
            .call(PyTuple::new(py, positional)?, keywords.as_ref())
    }
}

/// The chain's state and the one positional argument of a call on an instance of exactly
/// the chain's class, else None (the call is the Python method's).
unsafe fn sole_argument(
    py: Python<'_>,
    call: Call,
) -> Option<(&'static Chain, *mut ffi::PyObject)> {
    let chain = CHAIN.get(py)?;
    // SAFETY: the live arguments of the current call (`entry`'s callers).
    unsafe {
        if ffi::Py_TYPE(call.slf) != chain.cls.bind(py).as_type_ptr() {
            return None;
        }
        call.sole_positional().map(|argument| (chain, argument))
    }
}

/// A copy of `slf` (an instance of exactly the chain's class) with `value` in the member at
/// `at` and `_key` extended by `(tag, value)` (None stays None).
unsafe fn copy_with<'py>(
    py: Python<'py>,
    chain: &Chain,
    slf: *mut ffi::PyObject,
    at: usize,
    value: Bound<'py, PyAny>,
    tag: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    let cls = chain.cls.bind(py);
    // SAFETY: `slf` is an instance of exactly `cls` (`sole_argument`), the offsets proven.
    unsafe {
        let out = copy_members(py, cls, &chain.offsets, slf)?;
        let key = *slot_at(slf, chain.key);
        let extended = if key.is_null() || ffi::PyTuple_Check(key) == 0 {
            None // no key (None; never anything else): none for the copy either
        } else {
            Some(extend(py, key, tag, &value)?)
        };
        store(out.as_ptr(), at, value);
        store(
            out.as_ptr(),
            chain.key,
            extended.unwrap_or_else(|| py.None().into_bound(py)),
        );
        Ok(out)
    }
}

/// `key + (tag, value)`, for `key` a tuple.
unsafe fn extend<'py>(
    py: Python<'py>,
    key: *mut ffi::PyObject,
    tag: &Bound<'py, PyString>,
    value: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: `key` is a live tuple; the new tuple is filled at every index before use, each
    // PyTuple_SetItem taking the reference it is given.
    unsafe {
        let length = ffi::PyTuple_Size(key);
        let made = Bound::from_owned_ptr_or_err(py, ffi::PyTuple_New(length + 2))?;
        let put = |index: ffi::Py_ssize_t, item: *mut ffi::PyObject| {
            ffi::Py_IncRef(item);
            ffi::PyTuple_SetItem(made.as_ptr(), index, item)
        };
        for index in 0..length {
            let item = ffi::PyTuple_GetItem(key, index);
            if item.is_null() || put(index, item) != 0 {
                return Err(PyErr::fetch(py));
            }
        }
        if put(length, tag.as_ptr()) != 0 || put(length + 1, value.as_ptr()) != 0 {
            return Err(PyErr::fetch(py));
        }
        Ok(made)
    }
}

/// Put `value` in the member at `offset` of `obj`, releasing what it held.
unsafe fn store(obj: *mut ffi::PyObject, offset: usize, value: Bound<'_, PyAny>) {
    // SAFETY: a proven offset of `obj`'s class; the old value is released after the store.
    unsafe {
        let slot = slot_at(obj, offset);
        let old = *slot;
        *slot = value.into_ptr();
        if !old.is_null() {
            ffi::Py_DecRef(old);
        }
    }
}

native_method!(order_by_fast, order_by_run, |py| CHAIN
    .get(py)
    .map(|c| &c.order_by_py));

/// `order_by(name)`: a plain str met before (`_CHECKED_ORDERS`), on an unsliced QuerySet.
unsafe fn order_by_run(py: Python<'_>, call: Call) -> PyResult<Option<Bound<'_, PyAny>>> {
    // SAFETY: the live arguments of this call; offsets proven for the exact class.
    unsafe {
        let Some((chain, name)) = sole_argument(py, call) else {
            return Ok(None);
        };
        let (slf, none) = (call.slf, ffi::Py_None());
        // `order_by` after a slice is the Python method's error; a name not checked yet is
        // its to check
        if ffi::PyUnicode_CheckExact(name) == 0
            || *slot_at(slf, chain.limit) != none
            || *slot_at(slf, chain.offset) != none
        {
            return Ok(None);
        }
        let checked: c_int = ffi::PySet_Contains(chain.checked_orders.as_ptr(), name);
        if checked != 1 {
            if checked < 0 {
                ffi::PyErr_Clear(); // the Python method meets the same error itself
            }
            return Ok(None);
        }
        let names = PyTuple::new(py, [Bound::from_borrowed_ptr(py, name)])?.into_any();
        copy_with(py, chain, slf, chain.order, names, pyo3::intern!(py, "o")).map(Some)
    }
}

native_method!(limit_fast, limit_run, |py| CHAIN
    .get(py)
    .map(|c| &c.limit_py));

/// `limit(count)`: an int (exactly) from 0 to 2**63-1.
unsafe fn limit_run(py: Python<'_>, call: Call) -> PyResult<Option<Bound<'_, PyAny>>> {
    // SAFETY: the live arguments of this call; offsets proven for the exact class.
    unsafe {
        let Some((chain, count)) = sole_argument(py, call) else {
            return Ok(None);
        };
        if ffi::PyLong_CheckExact(count) == 0 {
            return Ok(None); // bool, a subclass, anything else: the Python method's
        }
        let mut overflow: c_int = 0;
        let value = ffi::PyLong_AsLongLongAndOverflow(count, &mut overflow);
        if overflow != 0 || value < 0 {
            return Ok(None); // past 0..=2**63-1: the Python method's error
        }
        let count = Bound::from_borrowed_ptr(py, count);
        copy_with(
            py,
            chain,
            call.slf,
            chain.limit,
            count,
            pyo3::intern!(py, "l"),
        )
        .map(Some)
    }
}

/// What the native `Model.filter(**kwargs)` needs: the `QuerySet` chain (its class and
/// offsets), `Q`'s class and offsets, the blank QuerySets per model (`queryset._BLANK`), the
/// keyword names whose values are taken as given (`expressions._PLAIN_NAMES`), and the Python
/// classmethod's function, for every other call.
struct Filter {
    q_cls: Py<PyType>,
    /// `Q`'s members: children, connector, negated, _depth
    q_offsets: [usize; 4],
    where_at: usize,
    validate_at: usize,
    cache_at: usize,
    blanks: Py<PyDict>,
    plain_names: Py<PySet>,
    and_word: Py<PyString>,
    python: Py<PyAny>,
}

static FILTER: GILOnceCell<Filter> = GILOnceCell::new();

/// Install the native `filter` classmethod on `owner` (the models' query mixin), after
/// `install_chain`: `Model.filter(name=value, ...)` with keywords met before then makes its
/// QuerySet (a copy of the model's blank one) and its `Q` without a Python frame; every
/// other call goes to `python` (the classmethod's function). False where a layout is not
/// proven or the chain is not installed.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn install_filter(
    owner: &Bound<'_, PyType>,
    q_cls: &Bound<'_, PyType>,
    q_names: Vec<Bound<'_, PyString>>,
    names: Vec<Bound<'_, PyString>>,
    blanks: &Bound<'_, PyDict>,
    plain_names: &Bound<'_, PySet>,
    and_word: &Bound<'_, PyString>,
    python: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let py = owner.py();
    let Some(chain) = CHAIN.get(py) else {
        return Ok(false);
    };
    let (Some(q_all), Some(offsets)) = (
        proven_offsets(q_cls, &q_names)?,
        proven_offsets(chain.cls.bind(py), &names)?,
    ) else {
        return Ok(false);
    };
    if offsets != chain.offsets {
        return Ok(false);
    }
    let q = |wanted| member_offset(&q_names, &q_all, wanted);
    let qs = |wanted| member_offset(&names, &offsets, wanted);
    let (Some(children), Some(connector), Some(negated), Some(depth)) =
        (q("children"), q("connector"), q("negated"), q("_depth"))
    else {
        return Ok(false);
    };
    let (Some(where_at), Some(validate_at), Some(cache_at)) =
        (qs("_where"), qs("_validate"), qs("_cache"))
    else {
        return Ok(false);
    };
    let made = FILTER.get_or_init(py, || Filter {
        q_cls: q_cls.clone().unbind(),
        q_offsets: [children, connector, negated, depth],
        where_at,
        validate_at,
        cache_at,
        blanks: blanks.clone().unbind(),
        plain_names: plain_names.clone().unbind(),
        and_word: and_word.clone().unbind(),
        python: python.clone().unbind(),
    });
    if !made.q_cls.bind(py).is(q_cls) || !made.blanks.bind(py).is(blanks) {
        return Ok(false);
    }
    define_method(owner, c"filter", python, filter_fast, true)?;
    Ok(true)
}

native_method!(filter_fast, filter_run, |py| FILTER
    .get(py)
    .map(|f| &f.python));

/// `Model.filter(**kwargs)`, as the Python classmethod's keyword branch makes it, where the
/// model's blank QuerySet is current and every keyword name was met before; else None.
unsafe fn filter_run(py: Python<'_>, call: Call) -> PyResult<Option<Bound<'_, PyAny>>> {
    let (Some(chain), Some(filter)) = (CHAIN.get(py), FILTER.get(py)) else {
        return Ok(None);
    };
    let (cls, args) = (call.slf, call.args);
    // SAFETY (whole block): live arguments of this call; `blank` is an instance of exactly
    // the chain's class (checked), whose offsets are proven; the Q is filled before use.
    unsafe {
        let Some((kwnames, count)) = call.keywords_only() else {
            return Ok(None);
        };
        // `queryset.fresh`: the blank QuerySet of the model, made with its current options
        let blank = ffi::PyDict_GetItemWithError(filter.blanks.as_ptr(), cls);
        if blank.is_null() {
            ffi::PyErr_Clear();
            return Ok(None);
        }
        let blank = Bound::from_borrowed_ptr(py, blank);
        let qs_cls = chain.cls.bind(py);
        if !blank.get_type().is(qs_cls) {
            return Ok(None);
        }
        let options = Bound::from_borrowed_ptr(py, cls)
            .getattr(pyo3::intern!(py, "_meta"))?
            .getattr(pyo3::intern!(py, "options"))?;
        let validate = options.getattr(pyo3::intern!(py, "validate"))?;
        let cache = options.getattr(pyo3::intern!(py, "cache"))?;
        if *slot_at(blank.as_ptr(), filter.validate_at) != validate.as_ptr()
            || *slot_at(blank.as_ptr(), filter.cache_at) != cache.as_ptr()
        {
            return Ok(None);
        }
        // `Q.of_keywords`: names met before (no `__in` value to read), sorted by name
        let mut items: Vec<(*mut ffi::PyObject, *mut ffi::PyObject)> = Vec::new();
        for index in 0..count {
            let name = ffi::PyTuple_GetItem(kwnames, index);
            if name.is_null() || ffi::PyUnicode_CheckExact(name) == 0 {
                ffi::PyErr_Clear();
                return Ok(None);
            }
            match ffi::PySet_Contains(filter.plain_names.as_ptr(), name) {
                1 => {}
                found => {
                    if found < 0 {
                        ffi::PyErr_Clear();
                    }
                    return Ok(None);
                }
            }
            let Ok(offset) = usize::try_from(index) else {
                return Ok(None);
            };
            let position = items.len();
            let mut slot = position;
            // insertion by name: exact strs compare without running any Python code
            while slot > 0 {
                match ffi::PyObject_RichCompareBool(name, items[slot - 1].0, ffi::Py_LT) {
                    1 => slot -= 1,
                    0 => break,
                    _ => return Err(PyErr::fetch(py)),
                }
            }
            items.insert(slot, (name, *args.add(offset))); // keywords only: no positionals
        }
        let children = PyList::empty(py);
        for (name, value) in items {
            let pair = PyTuple::new(
                py,
                [
                    Bound::from_borrowed_ptr(py, name),
                    Bound::from_borrowed_ptr(py, value),
                ],
            )?;
            children.append(pair)?;
        }
        let q = allocate(py, filter.q_cls.bind(py))?;
        let [children_at, connector_at, negated_at, depth_at] = filter.q_offsets;
        store(q.as_ptr(), children_at, children.into_any());
        store(
            q.as_ptr(),
            connector_at,
            filter.and_word.bind(py).clone().into_any(),
        );
        store(
            q.as_ptr(),
            negated_at,
            PyBool::new(py, false).to_owned().into_any(),
        );
        store(q.as_ptr(), depth_at, 1_i64.into_pyobject(py)?.into_any());
        let out = copy_members(py, qs_cls, &chain.offsets, blank.as_ptr())?;
        store(
            out.as_ptr(),
            filter.where_at,
            PyTuple::new(py, [q])?.into_any(),
        );
        let key = PyTuple::new(
            py,
            [
                Bound::from_borrowed_ptr(py, cls),
                pyo3::intern!(py, "f").clone().into_any(),
                Bound::from_borrowed_ptr(py, kwnames),
            ],
        )?;
        store(out.as_ptr(), chain.key, key.into_any());
        Ok(Some(out))
    }
}
