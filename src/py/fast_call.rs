//! `cls(**fields)` without `type.__call__`: a per-class vectorcall entry that validates the
//! constructor keywords in place (no kwargs dict), installed only on classes whose construction
//! runs no user code (no `__init__`, `__new__` or metaclass `__call__` of their own).

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};
use pyo3::Borrowed;
use smallvec::SmallVec;

use super::model_methods::{entry, nargs_of};
use crate::cpython;
use crate::validate::class_validator;
use crate::validate::errors::{into_py_result, ValError};
use crate::validate::model::held;

unsafe extern "C" fn model_vectorcall(
    callable: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    entry(|py| {
        let cls = Bound::from_borrowed_ptr(py, callable).downcast_into::<PyType>()?;
        let nargs = nargs_of(nargsf);
        if nargs > 0 {
            return Err(PyTypeError::new_err(format!(
                "{}() takes keyword arguments only",
                cls.name()?
            )));
        }
        let validator = class_validator(&cls)?;
        let model = validator.get().model()?;
        let count = if kwnames.is_null() {
            0
        } else {
            ffi::PyTuple_Size(kwnames) as usize
        };
        // borrowed: kwnames and the argument array outlive this call. Borrowed is a
        // transparent non-null pointer, so both arrays are read in place (no copies).
        let values: &[Borrowed<'_, '_, PyAny>] = if count == 0 {
            &[]
        } else {
            std::slice::from_raw_parts(args.cast(), count)
        };
        let copied: SmallVec<[Borrowed<'_, '_, PyAny>; 12]>;
        let names: &[Borrowed<'_, '_, PyAny>] = match cpython::tuple_items(py, kwnames, count) {
            Some(items) => items,
            None => {
                copied = (0..count)
                    .map(|i| {
                        Borrowed::from_ptr(py, ffi::PyTuple_GetItem(kwnames, i as ffi::Py_ssize_t))
                    })
                    .collect();
                &copied
            }
        };
        let result = model.validate_kwargs(py, names, values);
        if let Err(ValError::Lines(_)) = &result {
            // an ORM expression given to a column is held (`held`), not refused
            let keywords = || {
                let dict = PyDict::new(py);
                for (name, value) in names.iter().zip(values) {
                    dict.set_item(name, value)?;
                }
                Ok(dict)
            };
            if let Some((made, held_names)) = held::constructed(
                &cls,
                values.iter().map(|v| Borrowed::to_owned(*v)),
                keywords,
            )? {
                held::mark(&made, &held_names)?;
                return Ok(made.into_ptr());
            }
        }
        Ok(into_py_result(py, model.title(py).as_any(), result)?.into_ptr())
    })
}

/// Let calls to `cls(**fields)` skip `type.__call__` and the kwargs dict. Returns whether the
/// fast path is in place (the class still works through `tp_new`/`tp_init` when it is not). The
/// caller (`ferrule.models.base`) checks that construction runs no user code first.
#[pyfunction]
pub(crate) fn install_fast_call(cls: &Bound<'_, PyType>) -> PyResult<bool> {
    cpython::install_vectorcall(cls, model_vectorcall)
}

/// Take the fast path away again (a class that gained an `__init__` after definition).
#[pyfunction]
pub(crate) fn remove_fast_call(cls: &Bound<'_, PyType>) -> PyResult<()> {
    cpython::remove_vectorcall(cls)
}
