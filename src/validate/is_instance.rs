//! `is_instance` (`arbitrary_types_allowed`): any instance of the class, kept as it is. JSON
//! holds no instances of a Python class: a JSON input is always an error.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::schema;
use crate::input::Input;

pub(crate) struct IsInstanceValidator {
    cls: Py<PyAny>,
    /// The class's `__name__`, as the errors name it.
    name: Py<PyString>,
}

impl IsInstanceValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let cls: Bound<'_, PyAny> = schema::required(schema, "cls")?;
        let name = match cls.getattr(pyo3::intern!(py, "__name__")) {
            Ok(name) => name.str()?,
            Err(_) => cls.repr()?,
        };
        Ok(IsInstanceValidator {
            cls: cls.unbind(),
            name: name.unbind(),
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        match input {
            Input::Py(obj) if obj.is_instance(self.cls.bind(py))? => Ok(obj.clone()),
            Input::Py(_) => Err(ValError::Lines(vec![line_with_ctx(
                py,
                "is_instance_of",
                input.to_object(py),
                &[("class", self.name.clone_ref(py).into_any())],
            )])),
            Input::Json(_) => Err(ValError::Lines(vec![line_with_ctx(
                py,
                "needs_python_object",
                input.to_object(py),
                &[(
                    "method_name",
                    PyString::new(py, "isinstance").into_any().unbind(),
                )],
            )])),
        }
    }
}
