//! `ModelBase`: the native base class of `ferrule.Model`, built with `PyType_FromSpec` so
//! instances carry no extra fields.
//!
//! Construction follows pydantic: `__new__` makes an empty instance and `__init__(**data)`
//! validates into it, so a user's `__init__`, `__new__` or metaclass `__call__` runs as written
//! (and `super().__init__(**data)` validates). Classes that define none of them get a vectorcall
//! entry instead (`fast_call`), which does both steps at once without a kwargs dict.
//! `tp_setattro` validates assignment.

use std::os::raw::{c_int, c_void};
use std::ptr::null_mut;

use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

use crate::cpython::gc::keep_tracked;
use crate::errors::guard;
use crate::model::registry;
use crate::model::slot::generic_setattr;
use crate::validate::class_validator;
use crate::validate::errors::{into_py_result, ValError};
use crate::validate::model::held;
use crate::validate::schema_validator::SchemaValidator;

/// The compiled validator of `cls`, or the "abstract" error for `Model` itself.
fn validator_of<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, SchemaValidator>> {
    class_validator(cls).map_err(|err| {
        if err.is_instance_of::<PyAttributeError>(cls.py()) {
            PyTypeError::new_err(format!(
                "{} is abstract: subclass it and declare fields",
                cls.name().map(|n| n.to_string()).unwrap_or_default()
            ))
        } else {
            err
        }
    })
}

/// Positional arguments are refused unless a user `__init__` takes them (as `object.__new__`).
unsafe fn has_positional(args: *mut ffi::PyObject) -> bool {
    !args.is_null() && ffi::PyTuple_Size(args) > 0
}

unsafe extern "C" fn model_new(
    subtype: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    _kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
        let cls = Bound::from_borrowed_ptr(py, subtype.cast()).downcast_into::<PyType>()?;
        let validator = validator_of(&cls)?;
        let own_init = ffi::PyType_GetSlot(subtype, ffi::Py_tp_init) == model_init as *mut c_void;
        if has_positional(args) && own_init {
            return Err(PyTypeError::new_err(format!(
                "{}() takes keyword arguments only",
                cls.name()?
            )));
        }
        validator.get().model()?.class.allocate(py)
    });
    match result {
        Ok(obj) => obj.into_ptr(),
        Err(err) => {
            err.restore(py);
            null_mut()
        }
    }
}

unsafe extern "C" fn model_init(
    obj: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> c_int {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
        let instance = Bound::from_borrowed_ptr(py, obj);
        let cls = instance.get_type();
        if has_positional(args) {
            return Err(PyTypeError::new_err(format!(
                "{}() takes keyword arguments only",
                cls.name()?
            )));
        }
        let validator = validator_of(&cls)?;
        let model = validator.get().model()?;
        let data = if kwargs.is_null() {
            PyDict::new(py)
        } else {
            Bound::from_borrowed_ptr(py, kwargs).downcast_into::<PyDict>()?
        };
        let result = model.init_instance(py, &instance, &data);
        if let Err(ValError::Lines(_)) = &result {
            // an ORM expression given to a column is held (`held`), not refused
            if let Some((made, names)) =
                held::constructed(&cls, data.values(), || Ok(data.clone()))?
            {
                model.class.move_into(py, &made, &instance)?;
                return held::mark(&instance, &names);
            }
        }
        into_py_result(py, model.title(py).as_any(), result)
    });
    match result {
        Ok(()) => 0,
        Err(err) => {
            err.restore(py);
            -1
        }
    }
}

unsafe extern "C" fn model_setattro(
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
    value: *mut ffi::PyObject,
) -> c_int {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
        let instance = Bound::from_borrowed_ptr(py, obj);
        let name_obj = Bound::from_borrowed_ptr(py, name).downcast_into::<PyString>()?;
        let validator = class_validator(&instance.get_type())?;
        let model = validator.get().model()?;
        if value.is_null() {
            // fall through to the deletion rules below
        } else if let Some(index) = model.class.field_index_by_ptr(&name_obj) {
            // a field by its own name object: no private-name check needed
            return model.assign_at(
                py,
                &instance,
                Some(index),
                &name_obj,
                &Bound::from_borrowed_ptr(py, value),
            );
        }
        let private = name_obj
            .to_str()
            .map(|s| s.starts_with('_'))
            .unwrap_or(true);
        if private {
            return generic_setattr(py, obj, name, value);
        }
        if value.is_null() {
            if model.class.field_by_name(&name_obj).is_some() {
                return Err(PyAttributeError::new_err(format!(
                    "cannot delete field {:?}",
                    name_obj.to_string()
                )));
            }
            return generic_setattr(py, obj, name, value);
        }
        model.assign(
            py,
            &instance,
            &name_obj,
            &Bound::from_borrowed_ptr(py, value),
        )
    });
    match result {
        Ok(()) => 0,
        Err(err) => {
            err.restore(py);
            -1
        }
    }
}

const DOC: &std::ffi::CStr =
    c"Native base of ferrule.Model: validating construction and assignment.";

/// Create the `ModelBase` type (registered by `lib.rs`).
pub(crate) fn model_base_type(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
    let mut slots = [
        ffi::PyType_Slot {
            slot: ffi::Py_tp_new,
            pfunc: model_new as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_init,
            pfunc: model_init as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_setattro,
            pfunc: model_setattro as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_doc,
            pfunc: DOC.as_ptr() as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_methods,
            pfunc: super::model_methods::method_table().cast(),
        },
        ffi::PyType_Slot {
            slot: 0,
            pfunc: null_mut(),
        },
    ];
    let mut spec = ffi::PyType_Spec {
        name: c"ferrule._ferrule.ModelBase".as_ptr(),
        basicsize: 0,
        itemsize: 0,
        flags: (ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_BASETYPE) as _,
        slots: slots.as_mut_ptr(),
    };
    // SAFETY: spec and slots outlive the call; the name is a static C string.
    let cls = unsafe {
        let ptr = ffi::PyType_FromSpec(&mut spec);
        if ptr.is_null() {
            return Err(PyErr::fetch(py));
        }
        Bound::from_owned_ptr(py, ptr).downcast_into::<PyType>()?
    };
    registry::set_model_base(py, &cls);
    Ok(cls)
}

/// An empty instance of a model class: no validation, no `__init__` (for unpickling, copies
/// and `model_construct`).
#[pyfunction]
pub(crate) fn new_instance<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    let base = registry::model_base(py).ok_or_else(|| PyTypeError::new_err("ModelBase missing"))?;
    if !cls.is_subclass(base)? {
        return Err(PyTypeError::new_err("new_instance() needs a model class"));
    }
    // SAFETY: tp_alloc of a live heap type; returns a new reference or NULL.
    unsafe {
        let alloc = ffi::PyType_GetSlot(cls.as_ptr().cast(), ffi::Py_tp_alloc);
        if alloc.is_null() {
            return Err(PyTypeError::new_err("model class without tp_alloc"));
        }
        let alloc: unsafe extern "C" fn(
            *mut ffi::PyTypeObject,
            ffi::Py_ssize_t,
        ) -> *mut ffi::PyObject = std::mem::transmute(alloc);
        let ptr = alloc(cls.as_ptr().cast(), 0);
        if ptr.is_null() {
            return Err(PyErr::fetch(py));
        }
        Ok(Bound::from_owned_ptr(py, ptr))
    }
}

/// Store an attribute without validation (the generic setter, bypassing `tp_setattro`).
#[pyfunction]
pub(crate) fn force_setattr(
    obj: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: borrowed live pointers; the generic setter handles slots and __dict__.
    unsafe { generic_setattr(obj.py(), obj.as_ptr(), name.as_ptr(), value.as_ptr()) }
}

/// Track `instance` again if it now holds `value` and `value` is collectable: for stores that
/// go through a slot's own descriptor (relation and cached-property slots).
#[pyfunction]
pub(crate) fn keep_gc_tracked(instance: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) {
    keep_tracked(instance.as_ptr(), value.as_ptr());
}
