//! Model instances → statement parameters (the ORM's bulk insert): the values of the named
//! fields of every instance, one flat list, row after row.
//!
//! Each value is read from its slot, where `ModelClass` proved the slot's layout and every
//! instance is of exactly the class (checked per instance: a subclass may put a property in
//! front of a slot). A name whose class attribute is no longer the slot's own descriptor, and
//! a slot that was never set (a field `only()`/`defer()` left out), are read with `getattr`,
//! as the pure-Python twin reads every value: the same value or the same error.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

use crate::validate::class_validator;

/// One named field: its slot (`None`: read with `getattr`) and its name.
struct Read<'a, 'py> {
    slot: Option<&'a crate::model::slot::Slot>,
    name: Bound<'py, PyString>,
}

/// `[getattr(obj, name) for obj in instances for name in names]`, every `obj` of type `cls`.
#[pyfunction]
pub(crate) fn model_values<'py>(
    cls: &Bound<'py, PyType>,
    instances: &Bound<'py, PyAny>,
    names: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyList>> {
    crate::errors::guard(cls.py(), || {
        let py = cls.py();
        let validator = class_validator(cls)?;
        let borrowed = validator.borrow();
        let class = &borrowed.model()?.class;
        let same_layout = cls.is_subclass(class.cls.bind(py))?;
        let mut reads = Vec::new();
        for name in names.iter() {
            let name = name.downcast_into::<PyString>()?;
            let field = class.field_index(&name).ok_or_else(|| {
                PyValueError::new_err(format!(
                    "model_values(): {} has no field {}",
                    class.class_name(py),
                    name
                ))
            })?;
            let slot = &class.fields[field].slot;
            let exposed = cls.getattr(&name).ok();
            let own = exposed.is_some_and(|found| found.is(slot.descriptor()));
            reads.push(Read {
                slot: (same_layout && own).then_some(slot),
                name,
            });
        }
        let out = PyList::empty(py);
        // The length is read again at every step: a `getattr` may run code that changes it.
        let mut index = 0;
        while let Some(obj) = super::row_at(instances, index, "model_values")? {
            if !obj.get_type().is(cls) {
                return Err(PyTypeError::new_err(format!(
                    "model_values(): expected {} instances, not {}",
                    cls.name()?,
                    obj.get_type().name()?
                )));
            }
            for read in &reads {
                let value = match read.slot.and_then(|slot| slot.load(py, &obj)) {
                    Some(value) => value,
                    None => obj.getattr(&read.name)?,
                };
                out.append(value)?;
            }
            index += 1;
        }
        Ok(out)
    })
}
