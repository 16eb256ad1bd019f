//! `ModelBase`: the native base class of `ferrule.Model`. Its `tp_new` validates keyword
//! arguments straight into slots and its `tp_setattro` validates assignment, so neither path
//! runs a Python frame. Built with `PyType_FromSpec` so instances carry no extra fields.

use std::os::raw::{c_int, c_void};
use std::ptr::null_mut;

use pyo3::exceptions::{PyAttributeError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyString, PyType};

use crate::errors::guard;
use crate::input::Input;
use crate::validate::errors::into_py_result;
use crate::validate::model::class_validator;
use crate::validate::State;

static MODEL_BASE: GILOnceCell<Py<PyType>> = GILOnceCell::new();

/// Is `obj` an instance of a model class compiled by the native core?
#[inline]
pub(crate) fn is_model_instance(obj: &Bound<'_, PyAny>) -> bool {
    match MODEL_BASE.get(obj.py()) {
        // SAFETY: both pointers are live type objects.
        Some(base) => unsafe { ffi::PyObject_TypeCheck(obj.as_ptr(), base.as_ptr().cast()) != 0 },
        None => false,
    }
}

unsafe extern "C" fn model_new(
    subtype: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let py = Python::assume_gil_acquired();
    let result = guard(py, || {
        let cls = Bound::from_borrowed_ptr(py, subtype.cast()).downcast_into::<PyType>()?;
        if !args.is_null() && ffi::PyTuple_Size(args) > 0 {
            return Err(PyTypeError::new_err(format!(
                "{}() takes keyword arguments only",
                cls.name()?
            )));
        }
        let validator = class_validator(&cls).map_err(|err| {
            if err.is_instance_of::<PyAttributeError>(py) {
                PyTypeError::new_err(format!(
                    "{} is abstract: subclass it and declare fields",
                    cls.name().map(|n| n.to_string()).unwrap_or_default()
                ))
            } else {
                err
            }
        })?;
        let model = validator.get().model()?;
        let data = if kwargs.is_null() {
            PyDict::new(py)
        } else {
            Bound::from_borrowed_ptr(py, kwargs).downcast_into::<PyDict>()?
        };
        let mut state = State::new(None);
        into_py_result(
            py,
            model.title.bind(py).as_any(),
            model.validate(py, Input::Py(data.as_any()), &mut state),
        )
    });
    match result {
        Ok(obj) => obj.into_ptr(),
        Err(err) => {
            err.restore(py);
            null_mut()
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
        if !value.is_null() && model.field_by_ptr(&name_obj).is_some() {
            // a field by its own name object: no private-name check needed
            return model.assign(
                py,
                &instance,
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
            if model.field_by_name(&name_obj).is_some() {
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

unsafe fn generic_setattr(
    py: Python<'_>,
    obj: *mut ffi::PyObject,
    name: *mut ffi::PyObject,
    value: *mut ffi::PyObject,
) -> PyResult<()> {
    if ffi::PyObject_GenericSetAttr(obj, name, value) < 0 {
        Err(PyErr::fetch(py))
    } else {
        Ok(())
    }
}

const DOC: &std::ffi::CStr =
    c"Native base of ferrule.Model: validating construction and assignment.";

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let mut slots = [
        ffi::PyType_Slot {
            slot: ffi::Py_tp_new,
            pfunc: model_new as *mut c_void,
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
            pfunc: crate::model_methods::method_table().cast(),
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
    let _ = MODEL_BASE.set(py, cls.clone().unbind());
    m.add("ModelBase", cls)?;
    m.add_function(wrap_pyfunction!(new_instance, m)?)?;
    m.add_function(wrap_pyfunction!(force_setattr, m)?)?;
    m.add_function(wrap_pyfunction!(
        crate::model_methods::install_fast_call,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(
        crate::model_methods::bound_class_method,
        m
    )?)?;
    Ok(())
}

/// An empty instance of a model class: no validation, no `__init__` (for unpickling and copies).
#[pyfunction]
pub(crate) fn new_instance<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyAny>> {
    let py = cls.py();
    if !cls.is_subclass(
        MODEL_BASE
            .get(py)
            .ok_or_else(|| PyTypeError::new_err("ModelBase missing"))?
            .bind(py),
    )? {
        return Err(PyTypeError::new_err("new_instance() needs a model class"));
    }
    // SAFETY: tp_alloc of a live heap type; returns a new reference or NULL with an error set.
    unsafe {
        let alloc = ffi::PyType_GetSlot(cls.as_ptr().cast(), ffi::Py_tp_alloc);
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
