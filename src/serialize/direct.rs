//! The direct `model_dump()`: the plain call (Python mode; no include/exclude, omissions or
//! alias differences) of a class with a `DumpPlan` copies the class's key template and writes
//! each value into the copy in place (`cpython::dict`): exact str, int, float, bool and None
//! by reference, exact lists of those by one slice copy, instances of planned classes by
//! recursion, anything else through `to_python`. The output is `python::plain_dump`'s, which
//! stays the path with the fast paths off.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyList;
use pyo3::Borrowed;

use super::python::{atomic_items, is_atomic, to_python};
use super::{too_deep, Filter, Options, MAX_DEPTH};
use crate::cpython::dict::{copy_template, put, track};
use crate::cpython::gc::may_be_tracked;
use crate::cpython::slot_at;
use crate::model::dump_plan::DumpPlan;
use crate::model::registry;
use crate::model::ModelClass;
use crate::validate::schema_validator::SchemaValidator;

/// Whether `options` leave the dump of `class` its plain form (nothing decided per field).
#[inline(always)]
fn plain(options: &Options, class: &ModelClass, plan: &DumpPlan) -> bool {
    let per_field = options.json_mode
        || options.exclude_none
        || options.exclude_unset
        || options.exclude_defaults
        || (options.by_alias && plan.aliased);
    !per_field && class.json_output == options.output
}

/// The plain dump of `value` when `class` (its class's compiled form) has a plan that these
/// options allow and `value` is exactly of that class; `None`: take the general path.
#[inline]
pub(crate) fn try_dump<'py>(
    py: Python<'py>,
    class: &ModelClass,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let Some(plan) = class.dump_plan(py) else {
        return Ok(None);
    };
    // SAFETY: reading a live object's type pointer
    let exact = unsafe { ffi::Py_TYPE(value.as_ptr()) } == class.cls.as_ptr().cast();
    if !exact || !plain(options, class, plan) {
        return Ok(None);
    }
    dump(py, class, plan, value, options, depth)
}

/// The dict of `value`, an instance of exactly `class`; `None` when a field is unset (the
/// general path leaves it out).
fn dump<'py>(
    py: Python<'py>,
    class: &ModelClass,
    plan: &DumpPlan,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let (dict, keys) = copy_template(class.dump_template.bind(py))?;
    let mut containers = false;
    for &(slot, place) in plan.steps.iter() {
        // SAFETY: the plan's slot offsets were proven for instances of `class`; the value is
        // read afresh for each field (a conversion may run user code that assigns fields).
        let item = unsafe { *slot_at(value.as_ptr(), slot) };
        if item.is_null() {
            return Ok(None);
        }
        // SAFETY: a live value, borrowed for the check only
        let out = if is_atomic(&*unsafe { Borrowed::from_ptr(py, item) }, false) {
            // SAFETY: a live value: the dict takes the new reference
            unsafe { ffi::Py_INCREF(item) };
            item
        } else {
            // SAFETY: a live value, owned while it is converted
            let item = unsafe { Bound::from_borrowed_ptr(py, item) };
            let out = convert(py, &item, options, depth + 1)?;
            containers = containers || may_be_tracked(out.as_ptr());
            out.into_ptr()
        };
        // SAFETY: `keys` is the fresh copy's, `place` a proven value offset of its template
        unsafe { put(keys, place, out) };
    }
    if containers {
        track(&dict);
    }
    Ok(Some(dict.into_any()))
}

/// `to_python` of a field value or list item (no filter): lists and planned models here.
fn convert<'py>(
    py: Python<'py>,
    item: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    if depth > MAX_DEPTH {
        return Err(too_deep(py));
    }
    // SAFETY: reading a live object's type pointer
    let tp = unsafe { ffi::Py_TYPE(item.as_ptr()) };
    if tp == std::ptr::addr_of_mut!(ffi::PyList_Type) {
        // SAFETY: exactly a list
        return list(
            py,
            unsafe { item.downcast_unchecked::<PyList>() },
            options,
            depth,
        );
    }
    if let Some(found) = registry::cached(tp as usize) {
        // SAFETY: the registry holds SchemaValidators only; owned here while user code may run
        let validator = unsafe {
            Bound::from_borrowed_ptr(py, found).downcast_into_unchecked::<SchemaValidator>()
        };
        if let Ok(model) = validator.get().model() {
            if let Some(dict) = try_dump(py, &model.class, item, options, depth)? {
                return Ok(dict);
            }
        }
    }
    to_python(py, item, options, &Filter::default(), depth)
}

/// `to_python`'s list arm with no filter, each item through `convert`.
fn list<'py>(
    py: Python<'py>,
    list: &Bound<'py, PyList>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let count = list.len();
    if depth < MAX_DEPTH && atomic_items(list, false) {
        // nothing inside needs converting: one C-level copy
        return Ok(list.get_slice(0, count).into_any());
    }
    // SAFETY: a new list of `count` empty slots, each filled once with a new reference
    // (PyList_SetItem steals it); slots left empty (the source shrank meanwhile) are cut off
    // before the list is handed out.
    unsafe {
        let out = Bound::from_owned_ptr_or_err(py, ffi::PyList_New(count as ffi::Py_ssize_t))?;
        let mut filled = 0;
        // a conversion may run user code that shrinks the list: read by index, checked each time
        while filled < count && filled < list.len() {
            let item = list.get_item(filled)?;
            let converted = if is_atomic(&item, false) {
                item
            } else {
                convert(py, &item, options, depth + 1)?
            };
            ffi::PyList_SetItem(
                out.as_ptr(),
                filled as ffi::Py_ssize_t,
                converted.into_ptr(),
            );
            filled += 1;
        }
        if filled < count
            && ffi::PyList_SetSlice(
                out.as_ptr(),
                filled as ffi::Py_ssize_t,
                count as ffi::Py_ssize_t,
                std::ptr::null_mut(),
            ) < 0
        {
            return Err(PyErr::fetch(py));
        }
        Ok(out)
    }
}
