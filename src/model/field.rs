//! One entry of a model's field table: names, alias, default, flags and the slot it lives in.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyDict, PyList, PySet, PyString, PyType};

use super::alias_path::AliasPath;
use super::slot::Slot;
use crate::json::write::write_json_str;
use crate::schema;

/// What a secret field's value is written as (pydantic's `SecretStr` text).
pub(crate) const SECRET_MASK: &str = "**********";

/// What a missing field gets.
pub(crate) enum Default {
    Required,
    /// The value, and whether it is shallow-copied per instance (list, dict, set, bytearray).
    Value(PyObject, bool),
    Factory(PyObject),
}

pub(crate) struct Field {
    pub(crate) name: Py<PyString>,
    pub(crate) name_str: String,
    /// The input key, when one key (`alias`, or `validation_alias` as a str).
    pub(crate) alias: Option<(Py<PyString>, String)>,
    /// `validation_alias` as paths (`AliasPath`/`AliasChoices`): tried in order, before the
    /// name (`populate_by_name`); empty for a field read by one key.
    pub(crate) paths: Vec<AliasPath>,
    /// The key of `by_alias` output (`serialization_alias`, else `alias`).
    pub(crate) ser_alias: Option<Py<PyString>>,
    pub(crate) default: Default,
    pub(crate) frozen: bool,
    pub(crate) exclude: bool,
    /// `Field(secret=True)`: written as `SECRET_MASK` unless the caller reveals secrets, and
    /// never echoed as an error's input.
    pub(crate) secret: bool,
    pub(crate) slot: Slot,
    /// `"name":` and the `by_alias` output key already JSON-encoded, for compact JSON output.
    pub(crate) json_key: Vec<u8>,
    pub(crate) json_alias_key: Vec<u8>,
    /// `"alias":` (else `"name":`) JSON-encoded: the key the JSON reader expects.
    pub(crate) json_input_key: Vec<u8>,
}

impl Field {
    /// The field described by one entry of a model schema's `"fields"` list.
    pub(crate) fn build(cls: &Bound<'_, PyType>, field: &Bound<'_, PyDict>) -> PyResult<Field> {
        let py = cls.py();
        let name_str: String = schema::required(field, "name")?;
        let alias = schema::optional::<String>(field, "alias")?
            .map(|a| (PyString::intern(py, &a).unbind(), a));
        let default = if let Some(factory) = schema::object(field, "default_factory")? {
            Default::Factory(factory.unbind())
        } else if let Some(value) = field.get_item("default")? {
            let copy = value.is_instance_of::<PyList>()
                || value.is_instance_of::<PyDict>()
                || value.is_instance_of::<PySet>()
                || value.is_instance_of::<PyByteArray>();
            Default::Value(value.unbind(), copy)
        } else {
            Default::Required
        };
        let encoded = |text: &str| {
            let mut out = Vec::with_capacity(text.len() + 3);
            write_json_str(text, &mut out);
            out.push(b':');
            out
        };
        let json_key = encoded(&name_str);
        let json_input_key = alias
            .as_ref()
            .map_or_else(|| json_key.clone(), |(_, a)| encoded(a));
        let ser_alias: Option<String> = match field.get_item("serialization_alias")? {
            Some(value) => value.extract()?,
            None => alias.as_ref().map(|(_, a)| a.clone()),
        };
        let json_alias_key = ser_alias
            .as_deref()
            .map_or_else(|| json_key.clone(), encoded);
        let paths = match schema::object(field, "validation_alias")? {
            Some(paths) => AliasPath::build_all(&paths)?,
            None => Vec::new(),
        };
        let name = PyString::intern(py, &name_str);
        Ok(Field {
            json_key,
            json_alias_key,
            json_input_key,
            paths,
            ser_alias: ser_alias.map(|a| PyString::intern(py, &a).unbind()),
            slot: Slot::lookup_named(cls, &name)?,
            name: name.unbind(),
            name_str,
            alias,
            default,
            frozen: schema::flag(field, "frozen")?,
            exclude: schema::flag(field, "exclude")?,
            secret: schema::flag(field, "secret")?,
        })
    }

    /// The value a missing field takes, or `None` when it is required.
    pub(crate) fn default_value<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(match &self.default {
            Default::Required => None,
            Default::Value(value, false) => Some(value.bind(py).clone()),
            Default::Value(value, true) => Some(value.bind(py).call_method0("copy")?),
            Default::Factory(factory) => Some(factory.bind(py).call0()?),
        })
    }

    /// The key an error location uses: the alias when the value was looked up by it.
    pub(crate) fn key_for(&self, alias_used: bool) -> &Py<PyString> {
        match (&self.alias, alias_used) {
            (Some((alias, _)), true) => alias,
            _ => &self.name,
        }
    }
}
