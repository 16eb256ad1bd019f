//! Database rows → model instances (the ORM's loading path): allocate each instance from its
//! class and fill the slots named by a plan, converting values with the plan's callables.
//!
//! The column types of the database are trusted: no validation runs and no `__init__`; the
//! ORM re-validates only when asked (`validate_on_load`). The plan is checked once per call
//! against the class's field table (a name that is no field, or a field named twice, is an
//! error before any row is read); each row is read by position, from the tuple's own size
//! when it is a tuple (a `Record`), else through the sequence protocol (an `asyncpg.Record`).

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyList, PyString, PyTuple, PyType};

use crate::cpython::gc::GcPause;
use crate::validate::class_validator;

/// One loaded field: its index in the class's field table, its position in the row, and the
/// conversion applied to a non-None value.
struct Step {
    field: usize,
    position: usize,
    convert: Option<PyObject>,
    /// The type a value must have to skip `convert` (a `StoredAs` check's `kind`): the
    /// check is called only for a value of another type.
    skip_for: Option<Py<PyType>>,
}

/// `ferrule.orm.stored_as.StoredAs`, looked up once.
static STORED_AS: GILOnceCell<Option<Py<PyType>>> = GILOnceCell::new();

/// The `kind` of a `StoredAs` converter (a type the value passes as it is), else None.
fn skip_for(convert: &Bound<'_, PyAny>) -> PyResult<Option<Py<PyType>>> {
    let py = convert.py();
    let stored = STORED_AS.get_or_init(py, || {
        py.import("ferrule.orm.stored_as")
            .and_then(|module| module.getattr("StoredAs"))
            .and_then(|found| Ok(found.downcast_into::<PyType>()?.unbind()))
            .ok()
    });
    let Some(stored) = stored else {
        return Ok(None);
    };
    if !convert.get_type().is(stored.bind(py)) {
        return Ok(None);
    }
    let kind = convert.getattr(pyo3::intern!(py, "kind"))?;
    Ok(kind.downcast_into::<PyType>().ok().map(Bound::unbind))
}

fn plan<'py>(
    fields: &crate::model::ModelClass,
    names: &Bound<'py, PyTuple>,
    positions: &Bound<'py, PyTuple>,
    converters: &Bound<'py, PyTuple>,
) -> PyResult<Vec<Step>> {
    if positions.len() != names.len() || converters.len() != names.len() {
        return Err(PyValueError::new_err(
            "model_rows(): names, positions and converters must have the same length",
        ));
    }
    let mut steps: Vec<Step> = Vec::new();
    for index in 0..names.len() {
        let name = names.get_item(index)?;
        let name = name.downcast::<PyString>()?;
        let field = fields.field_index(name).ok_or_else(|| {
            PyValueError::new_err(format!(
                "model_rows(): {} has no field {}",
                fields.class_name(name.py()),
                name
            ))
        })?;
        if steps.iter().any(|s| s.field == field) {
            return Err(PyValueError::new_err(format!(
                "model_rows(): the field {name} is named twice"
            )));
        }
        let position: usize = positions.get_item(index)?.extract()?;
        let convert = converters.get_item(index)?;
        let skip = skip_for(&convert)?;
        steps.push(Step {
            field,
            position,
            convert: (!convert.is_none()).then(|| convert.unbind()),
            skip_for: skip,
        });
    }
    Ok(steps)
}

/// The value at `position` of one row.
fn item<'py>(row: &Bound<'py, PyAny>, position: usize) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(tuple) = row.downcast::<PyTuple>() {
        if position >= tuple.len() {
            return Err(PyIndexError::new_err(format!(
                "model_rows(): a row has {} columns, the plan reads column {position}",
                tuple.len()
            )));
        }
        return tuple.get_item(position);
    }
    // The sequence slot (an `asyncpg.Record`'s): no int object and no mapping lookup per value.
    let index = isize::try_from(position)
        .map_err(|_| PyIndexError::new_err("model_rows(): a row position beyond isize"))?;
    // SAFETY: `row` is a live object; PySequence_GetItem returns a new reference or NULL with
    // an exception set (a row type without the sequence protocol: TypeError).
    unsafe {
        let found = pyo3::ffi::PySequence_GetItem(row.as_ptr(), index);
        if found.is_null() {
            return Err(PyErr::fetch(row.py()));
        }
        Ok(Bound::from_owned_ptr(row.py(), found))
    }
}

/// A plan checked against one model class: builds its instances from values read by position.
pub(crate) struct Loader {
    validator: Py<crate::validate::schema_validator::SchemaValidator>,
    steps: Vec<Step>,
    /// The class an `Exception` a converter raises is wrapped in (`marker(error)`, caused
    /// by it), so that the caller tells it from the driver's errors; None: raised as it is.
    marker: Option<PyObject>,
}

/// A plan's parts, by identity: the ORM passes the same tuples for every run of a cached
/// query shape, so that its `Loader` is checked and built once (`Loader::shared`).
struct Kept {
    parts: [PyObject; 5],
    loader: Arc<Loader>,
}

impl Kept {
    /// Whether it was built for these very objects (compared by address: it holds them).
    fn is_for(&self, wanted: &[*mut pyo3::ffi::PyObject; 5]) -> bool {
        self.parts.iter().zip(wanted).all(|(a, b)| a.as_ptr() == *b)
    }
}

/// The loaders built last (a few query shapes in turn each find theirs).
static KEPT: Mutex<Vec<Kept>> = Mutex::new(Vec::new());
const KEPT_SIZE: usize = 32;

/// `KEPT`, locked (no Python may run while the guard lives: it could come back here).
fn kept() -> std::sync::MutexGuard<'static, Vec<Kept>> {
    KEPT.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Loader {
    /// `Loader::new`, or the loader built for these very objects before, while the class
    /// still has the validator it was built with (a rebuilt model gets a new one).
    pub(crate) fn shared<'py>(
        cls: &Bound<'py, PyType>,
        names: &Bound<'py, PyTuple>,
        positions: &Bound<'py, PyTuple>,
        converters: &Bound<'py, PyTuple>,
        marker: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Arc<Self>> {
        let py = cls.py();
        let none = py.None();
        let marker_ptr = marker.map_or(none.as_ptr(), Bound::as_ptr);
        let wanted = [
            cls.as_ptr(),
            names.as_ptr(),
            positions.as_ptr(),
            converters.as_ptr(),
            marker_ptr,
        ];
        let found = {
            // No Python runs while the lock is held (pointer comparisons only).
            kept()
                .iter()
                .find(|k| k.is_for(&wanted))
                .map(|k| Arc::clone(&k.loader))
        };
        if let Some(loader) = found {
            if class_validator(cls)?.is(loader.validator.bind(py)) {
                return Ok(loader);
            }
        }
        let loader = Arc::new(Loader::new(cls, names, positions, converters, marker)?);
        let entry = Kept {
            parts: [
                cls.clone().into_any().unbind(),
                names.clone().into_any().unbind(),
                positions.clone().into_any().unbind(),
                converters.clone().into_any().unbind(),
                marker.map_or(none, |m| m.clone().unbind()),
            ],
            loader: Arc::clone(&loader),
        };
        let dropped = {
            let mut kept = kept();
            let stale = kept.iter().position(|k| k.is_for(&wanted));
            let dropped = match stale {
                Some(index) => Some(kept.remove(index)),
                None if kept.len() >= KEPT_SIZE => Some(kept.remove(0)),
                None => None,
            };
            kept.push(entry);
            dropped
        };
        drop(dropped); // outside the lock: dropping it may run Python code
        Ok(loader)
    }

    pub(crate) fn new<'py>(
        cls: &Bound<'py, PyType>,
        names: &Bound<'py, PyTuple>,
        positions: &Bound<'py, PyTuple>,
        converters: &Bound<'py, PyTuple>,
        marker: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        let validator = class_validator(cls)?;
        let steps = {
            let borrowed = validator.borrow();
            plan(&borrowed.model()?.class, names, positions, converters)?
        };
        Ok(Loader {
            validator: validator.unbind(),
            steps,
            marker: marker.map(|m| m.clone().unbind()),
        })
    }

    /// One instance, its loaded fields read with `value_at(position)`.
    pub(crate) fn build<'py>(
        &self,
        py: Python<'py>,
        mut value_at: impl FnMut(usize) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let validator = self.validator.bind(py).borrow();
        let class = &validator.model()?.class;
        let instance = class.allocate(py)?;
        for step in &self.steps {
            let mut value = value_at(step.position)?;
            if let Some(convert) = &step.convert {
                let passes = step
                    .skip_for
                    .as_ref()
                    .is_some_and(|kind| value.get_type().is(kind.bind(py)));
                if !passes && !value.is_none() {
                    value = match convert.bind(py).call1((value,)) {
                        Ok(converted) => converted,
                        Err(error) => return Err(self.marked(py, error)),
                    };
                }
            }
            class.fields[step.field]
                .slot
                .store_new(py, &instance, value)?;
        }
        class.finish_instance(py, instance, None)
    }

    /// A converter's `error`, wrapped in the marker class where there is one and it is an
    /// `Exception` (the plan `sqlite_native.marked_plan` makes names `ConverterError`; what
    /// it wraps is what its Python closure around each converter caught before).
    fn marked(&self, py: Python<'_>, error: PyErr) -> PyErr {
        let Some(marker) = &self.marker else {
            return error;
        };
        if !error.is_instance_of::<pyo3::exceptions::PyException>(py) {
            return error;
        }
        match marker.bind(py).call1((error.value(py),)) {
            Ok(wrapped) => {
                let wrapped = PyErr::from_value(wrapped);
                wrapped.set_cause(py, Some(error));
                wrapped
            }
            Err(failed) => failed,
        }
    }
}

/// `[instance of cls filled from row for row in rows]`.
#[pyfunction]
pub(crate) fn model_rows<'py>(
    cls: &Bound<'py, PyType>,
    rows: &Bound<'py, PyAny>,
    names: &Bound<'py, PyTuple>,
    positions: &Bound<'py, PyTuple>,
    converters: &Bound<'py, PyTuple>,
) -> PyResult<Bound<'py, PyList>> {
    crate::errors::guard(cls.py(), || {
        let py = cls.py();
        let loader = Loader::shared(cls, names, positions, converters, None)?;
        // Thousands of new tracked objects would set off collections that walk every live
        // object; collect once afterwards instead (as the collector would have, later).
        let _paused = GcPause::new();
        let out = PyList::empty(py);
        // The row count is read again at every step: a converter may change the list.
        let mut index = 0;
        while let Some(row) = super::row_at(rows, index, "model_rows")? {
            out.append(loader.build(py, |position| item(&row, position))?)?;
            index += 1;
        }
        Ok(out)
    })
}
