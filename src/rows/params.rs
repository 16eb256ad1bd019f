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
use pyo3::types::{PyFloat, PyList, PyString, PyTuple, PyType};

use crate::validate::class_validator;

/// One named field: its slot (`None`: read with `getattr`) and its name.
struct Read<'a, 'py> {
    slot: Option<&'a crate::model::slot::Slot>,
    name: Bound<'py, PyString>,
}

/// The slot of field `name` of `cls` when values may be read and stored there directly:
/// `cls` has the compiled layout and still exposes the slot's own descriptor under the name.
/// `None`: go through `getattr`/the generic setter. An unknown name is a `ValueError`.
fn field_slot<'a>(
    cls: &Bound<'_, PyType>,
    class: &'a crate::model::ModelClass,
    same_layout: bool,
    name: &Bound<'_, PyString>,
    what: &str,
) -> PyResult<Option<&'a crate::model::slot::Slot>> {
    let py = cls.py();
    let field = class.field_index(name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "{what}(): {} has no field {}",
            class.class_name(py),
            name
        ))
    })?;
    let slot = &class.fields[field].slot;
    let exposed = cls.getattr(name).ok();
    let own = exposed.is_some_and(|found| found.is(slot.descriptor()));
    Ok((same_layout && own).then_some(slot))
}

/// The `Read` of each of `names` (strs) for `cls`'s instances, `class` being its layout.
fn reads_of<'a, 'py>(
    cls: &Bound<'py, PyType>,
    class: &'a crate::model::ModelClass,
    names: &Bound<'py, PyTuple>,
    what: &str,
) -> PyResult<Vec<Read<'a, 'py>>> {
    let py = cls.py();
    // a class answering attributes with a `__getattribute__` of its own is asked (`getattr`),
    // as the pure twin and the ORM's general path read each field
    let object_type = py.get_type::<pyo3::types::PyAny>();
    let plain_reads = cls
        .getattr(pyo3::intern!(py, "__getattribute__"))?
        .is(&object_type.getattr(pyo3::intern!(py, "__getattribute__"))?);
    let same_layout = plain_reads && cls.is_subclass(class.cls.bind(py))?;
    let mut reads = Vec::new();
    for name in names.iter() {
        let name = name.downcast_into::<PyString>()?;
        let slot = field_slot(cls, class, same_layout, &name, what)?;
        reads.push(Read { slot, name });
    }
    Ok(reads)
}

fn exact_instance(cls: &Bound<'_, PyType>, obj: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    if obj.get_type().is(cls) {
        return Ok(());
    }
    Err(PyTypeError::new_err(format!(
        "{what}(): expected {} instances, not {}",
        cls.name()?,
        obj.get_type().name()?
    )))
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
        let reads = reads_of(cls, &borrowed.model()?.class, names, "model_values")?;
        let out = PyList::empty(py);
        // The length is read again at every step: a `getattr` may run code that changes it.
        let mut index = 0;
        while let Some(obj) = super::row_at(instances, index, "model_values")? {
            exact_instance(cls, &obj, "model_values")?;
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

/// `for obj, value in zip(instances, values, strict=True): force_setattr(obj, name, value)`,
/// every `obj` of type `cls` (checked before each store): the keys a bulk insert got, set
/// without validation. Stores made before an error stay made, as with the loop.
#[pyfunction]
pub(crate) fn model_store<'py>(
    cls: &Bound<'py, PyType>,
    instances: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
    values: &Bound<'py, PyAny>,
) -> PyResult<()> {
    crate::errors::guard(cls.py(), || {
        let py = cls.py();
        let validator = class_validator(cls)?;
        let borrowed = validator.borrow();
        let class = &borrowed.model()?.class;
        let same_layout = cls.is_subclass(class.cls.bind(py))?;
        let slot = field_slot(cls, class, same_layout, name, "model_store")?;
        let mut values = values.try_iter()?;
        let mut index = 0;
        while let Some(obj) = super::row_at(instances, index, "model_store")? {
            let Some(value) = values.next().transpose()? else {
                return Err(PyValueError::new_err(
                    "model_store(): fewer values than instances",
                ));
            };
            exact_instance(cls, &obj, "model_store")?;
            match slot {
                Some(slot) => slot.replace(py, &obj, value)?,
                // SAFETY: live objects; the generic setter handles slots and __dict__.
                None => unsafe {
                    crate::model::slot::generic_setattr(
                        py,
                        obj.as_ptr(),
                        name.as_ptr(),
                        value.as_ptr(),
                    )?
                },
            }
            index += 1;
        }
        if values.next().transpose()?.is_some() {
            return Err(PyValueError::new_err(
                "model_store(): more values than instances",
            ));
        }
        Ok(())
    })
}

/// `operator.attrgetter(*names)` for one model class (the ORM's single insert and save): the
/// values of the named fields of an instance, as a tuple, each read from its slot as
/// `model_values` reads it when the instance is of exactly the class, else (another type, a
/// slot never set, a slot not proven) with `getattr`: the same value or the same error.
#[pyclass(module = "ferrule._ferrule", name = "FieldReader", frozen)]
pub(crate) struct FieldReader {
    cls: Py<PyType>,
    names: Vec<Py<PyString>>,
    /// The byte offset of each name's slot, where it may be read directly.
    offsets: Vec<Option<usize>>,
    /// Whether each value, a float, has its zero unsigned (`orm.columns.unsigned_zero`).
    unsign: Vec<bool>,
}

#[pymethods]
impl FieldReader {
    /// A reader of the fields `names` of `cls`'s instances, the floats at the positions
    /// `unsign` with their zero unsigned (`-0.0` read as `0.0`); a name that is no field of
    /// `cls` is a `ValueError`.
    #[new]
    #[pyo3(signature = (cls, names, unsign = Vec::new()))]
    fn new(
        cls: &Bound<'_, PyType>,
        names: &Bound<'_, PyTuple>,
        unsign: Vec<usize>,
    ) -> PyResult<Self> {
        crate::errors::guard(cls.py(), || {
            let validator = class_validator(cls)?;
            let borrowed = validator.borrow();
            let reads = reads_of(cls, &borrowed.model()?.class, names, "FieldReader")?;
            let offsets = reads
                .iter()
                .map(|r| r.slot.and_then(|s| s.offset()))
                .collect();
            let kept: Vec<Py<PyString>> = reads.into_iter().map(|r| r.name.unbind()).collect();
            let mut unsigned = vec![false; kept.len()];
            for place in unsign {
                match unsigned.get_mut(place) {
                    Some(flag) => *flag = true,
                    None => {
                        return Err(PyValueError::new_err(format!(
                            "FieldReader(): no value at position {place}"
                        )))
                    }
                }
            }
            Ok(FieldReader {
                cls: cls.clone().unbind(),
                names: kept,
                offsets,
                unsign: unsigned,
            })
        })
    }

    fn __call__<'py>(&self, obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
        let py = obj.py();
        let exact = obj.get_type().is(self.cls.bind(py));
        let mut values = Vec::with_capacity(self.names.len());
        for ((name, offset), &unsign) in self.names.iter().zip(&self.offsets).zip(&self.unsign) {
            let found = match offset {
                // SAFETY: `obj` is an instance of exactly the class whose slot this offset
                // is; a non-NULL slot holds a live reference owned by `obj`.
                Some(offset) if exact => unsafe {
                    let ptr = *crate::cpython::slot_at(obj.as_ptr(), *offset);
                    (!ptr.is_null()).then(|| Bound::from_borrowed_ptr(py, ptr))
                },
                _ => None,
            };
            let value = match found {
                Some(value) => value,
                None => obj.getattr(name.bind(py))?,
            };
            values.push(if unsign { unsigned_zero(value) } else { value });
        }
        PyTuple::new(py, values)
    }
}

/// `value + 0.0` for a float (its zero unsigned), anything else as it is.
fn unsigned_zero(value: Bound<'_, PyAny>) -> Bound<'_, PyAny> {
    match value.downcast_exact::<PyFloat>() {
        Ok(float) if float.value() == 0.0 && float.value().is_sign_negative() => {
            PyFloat::new(value.py(), 0.0).into_any()
        }
        _ => value,
    }
}
