//! A model's custom serialisation as data: the field serializers, computed fields and model
//! serializer of the schema's `"serializers"` entry (built by `ferrule.models.serializers`).
//! `serialize::custom` runs them; a class without the entry has `None` here and its dumps keep
//! their fast paths.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::json::write::write_json_str;
use crate::schema;

/// `when_used=`: when the function runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum WhenUsed {
    Always,
    UnlessNone,
    Json,
    JsonUnlessNone,
}

/// One user function and how it is called.
pub(crate) struct Function {
    pub(crate) func: Py<PyAny>,
    /// `mode="wrap"`: a handler argument follows the value.
    pub(crate) wrap: bool,
    /// It takes a `SerializationInfo` last.
    pub(crate) info: bool,
    /// It is a method: the instance comes first.
    pub(crate) method: bool,
    pub(crate) when: WhenUsed,
    /// The function's name, for error messages.
    pub(crate) name: String,
}

impl Function {
    fn build(spec: &Bound<'_, PyAny>) -> PyResult<Option<Function>> {
        if spec.is_none() {
            return Ok(None);
        }
        let spec = spec.downcast::<PyDict>()?;
        let when = match schema::required::<String>(spec, "when_used")?.as_str() {
            "unless-none" => WhenUsed::UnlessNone,
            "json" => WhenUsed::Json,
            "json-unless-none" => WhenUsed::JsonUnlessNone,
            _ => WhenUsed::Always,
        };
        Ok(Some(Function {
            func: schema::required::<Bound<'_, PyAny>>(spec, "function")?.unbind(),
            wrap: schema::required::<String>(spec, "mode")? == "wrap",
            info: schema::flag(spec, "info")?,
            method: schema::flag(spec, "method")?,
            when,
            name: schema::required(spec, "name")?,
        }))
    }

    /// The function runs for `value` in this mode.
    #[inline]
    pub(crate) fn applies(&self, value: &Bound<'_, PyAny>, json_mode: bool) -> bool {
        match self.when {
            WhenUsed::Always => true,
            WhenUsed::UnlessNone => !value.is_none(),
            WhenUsed::Json => json_mode,
            WhenUsed::JsonUnlessNone => json_mode && !value.is_none(),
        }
    }
}

/// A computed field: read as an attribute of the instance.
pub(crate) struct Computed {
    pub(crate) name: Py<PyString>,
    pub(crate) alias: Option<Py<PyString>>,
    pub(crate) serializer: Option<Function>,
    /// A property's function, called directly; None: read as an attribute (a cached one).
    pub(crate) getter: Option<Py<PyAny>>,
    /// `"name":` and `"alias":` already JSON-encoded, for compact JSON output.
    pub(crate) json_key: Vec<u8>,
    pub(crate) json_alias_key: Vec<u8>,
}

/// `"text":`, JSON-encoded.
fn json_key(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 3);
    write_json_str(text, &mut out);
    out.push(b':');
    out
}

pub(crate) struct Serializers {
    /// Per field, in the order of the model's field table.
    pub(crate) fields: Vec<Option<Function>>,
    pub(crate) computed: Vec<Computed>,
    pub(crate) model: Option<Function>,
}

impl Serializers {
    /// The `"serializers"` entry of a model schema, if it has one.
    pub(crate) fn build(
        model: &Bound<'_, PyDict>,
        field_count: usize,
    ) -> PyResult<Option<Box<Serializers>>> {
        let Some(entry) = model.get_item("serializers")? else {
            return Ok(None);
        };
        if entry.is_none() {
            return Ok(None);
        }
        let py = model.py();
        let entry = entry.downcast::<PyDict>()?;
        let fields = schema::required::<Bound<'_, PyList>>(entry, "fields")?
            .iter()
            .map(|spec| Function::build(&spec))
            .collect::<PyResult<Vec<_>>>()?;
        if fields.len() != field_count {
            return Err(crate::errors::ferrule_err(
                py,
                "SchemaError",
                "serializers: one entry per field expected",
            ));
        }
        let mut computed = Vec::new();
        for item in schema::required::<Bound<'_, PyList>>(entry, "computed")?.iter() {
            let item = item.downcast::<PyDict>()?;
            let name: String = schema::required(item, "name")?;
            let alias = schema::optional::<String>(item, "alias")?;
            let serializer = match item.get_item("serializer")? {
                Some(spec) => Function::build(&spec)?,
                None => None,
            };
            let getter = schema::object(item, "getter")?.map(Bound::unbind);
            computed.push(Computed {
                getter,
                json_key: json_key(&name),
                json_alias_key: json_key(alias.as_deref().unwrap_or(&name)),
                name: PyString::intern(py, &name).unbind(),
                alias: alias.map(|a| PyString::intern(py, &a).unbind()),
                serializer,
            });
        }
        let model = match entry.get_item("model")? {
            Some(spec) => Function::build(&spec)?,
            None => None,
        };
        Ok(Some(Box::new(Serializers {
            fields,
            computed,
            model,
        })))
    }
}
