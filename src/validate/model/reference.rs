//! A nested model (`{"type": "model", "cls": ...}` without fields), and the lookup of a class's
//! compiled validator through `crate::model::registry`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyType};

use super::super::schema_validator::SchemaValidator;
use super::super::{schema, State};
use crate::input::Input;
use crate::model::registry;
use crate::validate::errors::ValResult;

/// A nested model: validated by the class's own compiled validator, looked up when used so
/// self-references and forward references need nothing special.
pub(crate) struct ModelRefValidator {
    cls: Py<PyType>,
    /// The class's compiled validator, once it exists (a class is compiled once).
    resolved: pyo3::sync::GILOnceCell<Py<SchemaValidator>>,
}

impl ModelRefValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(ModelRefValidator {
            cls: schema::required::<Bound<'_, PyType>>(schema, "cls")?.unbind(),
            resolved: pyo3::sync::GILOnceCell::new(),
        })
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.cls
            .bind(py)
            .name()
            .map(|n| n.into_any().unbind())
            .unwrap_or_else(|_| py.None())
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.compiled(py)?.get().root.validate(py, input, state)
    }

    /// The class's validator, looked up on first use and kept.
    pub(crate) fn compiled<'a>(&'a self, py: Python<'_>) -> PyResult<&'a Py<SchemaValidator>> {
        if let Some(found) = self.resolved.get(py) {
            return Ok(found);
        }
        let validator = class_validator(self.cls.bind(py))?.unbind();
        Ok(self.resolved.get_or_init(py, || validator))
    }
}

/// `cls.__ferrule_validator__`, compiling the class first if it was waiting on forward refs.
/// A class that only carries `__ferrule_schema__` (or a validator of the other core) gets a
/// native validator compiled once and cached.
#[inline]
pub(crate) fn class_validator<'py>(
    cls: &Bound<'py, PyType>,
) -> PyResult<Bound<'py, SchemaValidator>> {
    let found = registry::compiled(cls, |cls| lookup_class_validator(cls).map(Bound::into_any))?;
    // SAFETY: the registry holds only what `lookup_class_validator` returned: SchemaValidators.
    Ok(unsafe { found.downcast_into_unchecked() })
}

fn lookup_class_validator<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, SchemaValidator>> {
    let py = cls.py();
    if let Ok(attr) = cls.getattr(pyo3::intern!(py, "__ferrule_validator__")) {
        let attr = if attr.is_none() {
            cls.call_method0(pyo3::intern!(py, "__ferrule_complete__"))?
        } else {
            attr
        };
        if let Ok(native) = attr.downcast_into::<SchemaValidator>() {
            return Ok(native);
        }
    }
    static CACHE: pyo3::sync::GILOnceCell<Py<PyDict>> = pyo3::sync::GILOnceCell::new();
    let cache = CACHE.get_or_init(py, || PyDict::new(py).unbind()).bind(py);
    if let Some(found) = cache.get_item(cls)? {
        return Ok(found.downcast_into::<SchemaValidator>()?);
    }
    let schema = cls.getattr(pyo3::intern!(py, "__ferrule_schema__"))?;
    let validator = py
        .get_type::<SchemaValidator>()
        .call1((schema,))?
        .downcast_into::<SchemaValidator>()?;
    cache.set_item(cls, &validator)?;
    Ok(validator)
}
