//! The Python methods of `SchemaValidator`: convert, call the core, map errors.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString, PyTuple};

use crate::errors::{ferrule_err, guard};
use crate::input::Input;
use crate::json::read::parse;
use crate::serialize::{indent_arg, json_mode, to_json, to_python, Filter, Options};
use crate::validate::errors::validation_error;
use crate::validate::info::InputMode;
use crate::validate::schema_validator::{json_bytes, json_invalid, SchemaValidator};
use crate::validate::{State, Validator};

#[pymethods]
impl SchemaValidator {
    #[new]
    #[pyo3(signature = (schema, title = None))]
    fn new(py: Python<'_>, schema: &Bound<'_, PyAny>, title: Option<String>) -> PyResult<Self> {
        guard(py, || SchemaValidator::build(py, schema, title))
    }

    /// `strings`: `TypeAdapter.validate_strings` (`info.mode` is "string").
    #[pyo3(signature = (value, *, strict = None, from_attributes = None, context = None, strings = false))]
    fn validate_python<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        strict: Option<bool>,
        from_attributes: Option<bool>,
        context: Option<Bound<'py, PyAny>>,
        strings: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut state = State::new(strict);
        state.from_attributes = from_attributes.unwrap_or(false);
        state.context = context.filter(|c| !c.is_none()).map(Bound::unbind);
        if strings {
            state.mode = InputMode::Strings;
        }
        guard(py, || self.run_state(py, Input::Py(value), state))
    }

    #[pyo3(signature = (data, *, strict = None, context = None))]
    fn validate_json<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        strict: Option<bool>,
        context: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let context = context.filter(|c| !c.is_none());
        guard(py, || {
            let bytes = json_bytes(data)?;
            match parse(py, &bytes) {
                Ok(value) => {
                    self.run_with(py, Input::Json(&value), strict, false, context.as_ref())
                }
                Err(reason) => Err(validation_error(
                    py,
                    self.title(py),
                    vec![json_invalid(py, data, &reason)],
                )),
            }
        })
    }

    fn validate_assignment(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        guard(py, || match &self.root {
            Validator::Model(model) => model.assign_checked(py, instance, name, value),
            _ => Err(ferrule_err(
                py,
                "SchemaError",
                "validate_assignment needs a model schema",
            )),
        })
    }

    fn validate_field(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        guard(py, || match &self.root {
            Validator::Model(model) => model.check_field(py, instance, name, value),
            _ => Err(ferrule_err(
                py,
                "SchemaError",
                "validate_field needs a model schema",
            )),
        })
    }

    #[pyo3(signature = (items, *, collect))]
    fn validate_many<'py>(
        &self,
        py: Python<'py>,
        items: &Bound<'py, PyAny>,
        collect: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let items: Vec<Bound<'py, PyAny>> = items.try_iter()?.collect::<PyResult<_>>()?;
            let outcomes = items
                .iter()
                .map(|item| Ok(self.record(py, Input::Py(item))));
            self.many(py, outcomes, items.len(), collect)
        })
    }

    /// `lines`: NDJSON whatever the first character (a block of a stream that began as NDJSON).
    #[pyo3(signature = (data, *, collect, lines = false))]
    fn validate_json_many<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        collect: bool,
        lines: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        guard(py, || {
            let bytes = json_bytes(data)?;
            self.json_many(py, data, &bytes, collect, lines)
        })
    }

    #[pyo3(signature = (value, *, mode = "python", by_alias = false, exclude_none = false, include = None, exclude = None, reveal_secrets = false, exclude_unset = false, exclude_defaults = false, round_trip = false, context = None))]
    #[allow(clippy::too_many_arguments)]
    fn to_python<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        mode: &str,
        by_alias: bool,
        exclude_none: bool,
        include: Option<&Bound<'py, PyAny>>,
        exclude: Option<&Bound<'py, PyAny>>,
        reveal_secrets: bool,
        exclude_unset: bool,
        exclude_defaults: bool,
        round_trip: bool,
        context: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        guard(py, || {
            let options = Options {
                json_mode: json_mode(mode)?,
                by_alias,
                exclude_none,
                indent: None,
                reveal_secrets,
                exclude_unset,
                exclude_defaults,
                round_trip,
                context: context.filter(|c| !c.is_none(py)),
                ..Options::default()
            };
            let filter = Filter::from_args(include, exclude)?;
            to_python(py, value, &options, &filter, 0)
        })
    }

    #[pyo3(signature = (value, *, by_alias = false, exclude_none = false, include = None, exclude = None, indent = None, reveal_secrets = false, exclude_unset = false, exclude_defaults = false, round_trip = false, context = None))]
    #[allow(clippy::too_many_arguments)]
    fn to_json<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        by_alias: bool,
        exclude_none: bool,
        include: Option<&Bound<'py, PyAny>>,
        exclude: Option<&Bound<'py, PyAny>>,
        indent: Option<&Bound<'py, PyAny>>,
        reveal_secrets: bool,
        exclude_unset: bool,
        exclude_defaults: bool,
        round_trip: bool,
        context: Option<Py<PyAny>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        guard(py, || {
            let options = Options {
                json_mode: true,
                by_alias,
                exclude_none,
                indent: indent_arg(indent)?,
                reveal_secrets,
                exclude_unset,
                exclude_defaults,
                round_trip,
                context: context.filter(|c| !c.is_none(py)),
                ..Options::default()
            };
            let filter = Filter::from_args(include, exclude)?;
            let mut out = Vec::with_capacity(128);
            to_json(py, value, &options, &filter, &mut out, false)?;
            Ok(PyBytes::new(py, &out))
        })
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("SchemaValidator({})", self.title(py))
    }
}
