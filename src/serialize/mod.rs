//! Model instances and plain data → Python data (`model_dump`) or JSON bytes (`json_bytes`).
//! Both outputs dispatch on one type classifier (`classify`) and read a model's fields from its
//! field table (`crate::model`); `filter` carries pydantic's nested include/exclude.

mod classify;
mod custom;
mod direct;
mod filter;
mod json;
mod omit;
mod python;
mod text;
mod zone;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

pub(crate) use filter::Filter;
pub(crate) use json::{plain_to_json, to_json, KeyCache};
pub(crate) use python::{model_to_python, to_python};

use crate::errors::ferrule_err;
use crate::model::{Field, InfNan, JsonOutput, ModelClass, SECRET_MASK};
use crate::validate::class_validator;
use crate::validate::model::ModelValidator;

/// Containers around a value beyond this (or a cycle) are an error, never a stack overflow.
const MAX_DEPTH: u32 = 255;

/// The largest `indent` accepted (wider would only build enormous whitespace).
pub(crate) const MAX_INDENT: usize = 1024;

/// Per-call output settings that do not change with the depth.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) json_mode: bool,
    pub(crate) by_alias: bool,
    pub(crate) exclude_none: bool,
    /// Leave out the fields an instance was not given (`model_fields_set`).
    pub(crate) exclude_unset: bool,
    /// Leave out the fields equal to their default.
    pub(crate) exclude_defaults: bool,
    pub(crate) indent: Option<usize>,
    /// Object keys in sorted order (`ferrule.json.dumps(sort_keys=True)`).
    pub(crate) sort_keys: bool,
    /// What JSON text a NaN or an infinity becomes.
    pub(crate) nan: NanMode,
    /// `ferrule.json.dumps`: a Decimal is written as a JSON number (exact), a dataclass as an
    /// object, and `default` is asked about any other type.
    pub(crate) plain_data: bool,
    pub(crate) default: Option<Py<PyAny>>,
    /// `reveal_secrets=True`: `secret` fields are written as they are, not as `SECRET_MASK`.
    pub(crate) reveal_secrets: bool,
    /// The `ser_json_*` options of the model whose fields are being written (the defaults
    /// outside any model).
    pub(crate) output: JsonOutput,
    /// `round_trip=` and `context=`: handed to serializer functions in their `info`.
    pub(crate) round_trip: bool,
    pub(crate) context: Option<Py<PyAny>>,
}

impl Options {
    /// The options a model's fields are written with: its own `ser_json_*` settings (`None`:
    /// the same as `self`, the common case, which costs one compare).
    #[inline]
    pub(crate) fn for_model(&self, py: Python<'_>, class: &ModelClass) -> Option<Options> {
        if class.json_output == self.output {
            return None;
        }
        Some(self.with_output(py, class.json_output))
    }

    #[inline(never)]
    fn with_output(&self, py: Python<'_>, output: JsonOutput) -> Options {
        Options {
            json_mode: self.json_mode,
            by_alias: self.by_alias,
            exclude_none: self.exclude_none,
            indent: self.indent,
            sort_keys: self.sort_keys,
            nan: match output.inf_nan {
                InfNan::Null => NanMode::Null,
                InfNan::Constants => NanMode::Literal,
                InfNan::Strings => NanMode::Strings,
            },
            plain_data: self.plain_data,
            default: self.default.as_ref().map(|d| d.clone_ref(py)),
            reveal_secrets: self.reveal_secrets,
            exclude_unset: self.exclude_unset,
            exclude_defaults: self.exclude_defaults,
            output,
            round_trip: self.round_trip,
            context: self.context.as_ref().map(|c| c.clone_ref(py)),
        }
    }

    /// The value `item` of `field` is written as `SECRET_MASK` (a set secret, not revealed).
    #[inline(always)]
    pub(crate) fn masks(&self, field: &Field, item: &Bound<'_, PyAny>) -> bool {
        field.secret && !self.reveal_secrets && !item.is_none()
    }
}

/// NaN and the infinities: JSON has no form for them.
#[derive(Default, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NanMode {
    /// `null` (pydantic's answer for models).
    #[default]
    Null,
    /// An error (`ferrule.json.dumps` unless `allow_nan=True`).
    Error,
    /// `NaN`, `Infinity`, `-Infinity` (what Python's `json` writes).
    Literal,
    /// `"NaN"`, `"Infinity"`, `"-Infinity"` (`ser_json_inf_nan="strings"`).
    Strings,
}

/// `mode="python"|"json"` of `model_dump`/`to_python`.
pub(crate) fn json_mode(mode: &str) -> PyResult<bool> {
    match mode {
        "python" => Ok(false),
        "json" => Ok(true),
        other => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "mode must be 'python' or 'json', not {other:?}"
        ))),
    }
}

/// `indent=`: None, or an int from 0 to `MAX_INDENT`.
pub(crate) fn indent_arg(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<usize>> {
    let Some(value) = value.filter(|v| !v.is_none()) else {
        return Ok(None);
    };
    if !value.is_instance_of::<pyo3::types::PyInt>()
        || value.is_instance_of::<pyo3::types::PyBool>()
    {
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "indent must be an int or None, not {}",
            value.get_type().name()?
        )));
    }
    match value.extract::<i64>() {
        Ok(width) if (0..=MAX_INDENT as i64).contains(&width) => Ok(Some(width as usize)),
        _ => Err(pyo3::exceptions::PyValueError::new_err(format!(
            "indent must be between 0 and {MAX_INDENT}, not {value}"
        ))),
    }
}

/// The value of an `int` subclass instance as an exact `int`: `int.__int__` copies the digits;
/// `int(value)` would ask the subclass's own `__int__`/`__index__`, which may say anything.
fn exact_int<'py>(py: Python<'py>, value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    py.get_type::<pyo3::types::PyInt>()
        .getattr(pyo3::intern!(py, "__int__"))?
        .call1((value,))
}

fn json_error(py: Python<'_>, message: impl Into<String>) -> PyErr {
    ferrule_err(py, "JSONError", message.into())
}

/// A value of a type JSON has no form for (JSON mode).
fn not_serializable(value: &Bound<'_, PyAny>) -> PyErr {
    let name = value
        .get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    json_error(
        value.py(),
        format!("Object of type {name} is not JSON serializable"),
    )
}

fn too_deep(py: Python<'_>) -> PyErr {
    json_error(
        py,
        "recursion limit reached: the data is nested too deeply or cyclic",
    )
}

/// The compiled model of `value`'s class.
#[inline]
fn with_model<'py, T>(
    value: &Bound<'py, PyAny>,
    f: impl FnOnce(&ModelValidator) -> PyResult<T>,
) -> PyResult<T> {
    // SAFETY: the type pointer of a live object; a cached entry is a SchemaValidator the cache
    // keeps alive (`validate::class_validator` is its only writer), borrowed for this call.
    unsafe {
        let key = pyo3::ffi::Py_TYPE(value.as_ptr()) as usize;
        if let Some(found) = crate::model::registry::cached(key) {
            let borrowed = pyo3::Borrowed::from_ptr(value.py(), found);
            let validator =
                borrowed.downcast_unchecked::<crate::validate::schema_validator::SchemaValidator>();
            return f(validator.get().model()?);
        }
    }
    let validator = class_validator(&value.get_type())?;
    f(validator.get().model()?)
}

/// One output entry of a model: its key, its value and the filter below it.
type Item<'py> = (Bound<'py, PyString>, Bound<'py, PyAny>, Filter<'py>);

/// A model instance's `(key, value, filter)` triples that the options and the filter keep, in
/// declaration order, then extra values, then computed fields (pydantic's order).
fn model_items<'py>(
    py: Python<'py>,
    class: &ModelClass,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
) -> PyResult<Vec<Item<'py>>> {
    let mut items = Vec::with_capacity(class.fields.len());
    // two copies of the loop: without serializers it has no per-field check for them
    let _keep = match class.serializers.as_deref() {
        None => {
            field_items(py, class, None, value, options, filter, &mut items)?;
            None
        }
        custom => {
            let keep = custom::keep_alive(py, class)?;
            field_items(py, class, custom, value, options, filter, &mut items)?;
            Some(keep)
        }
    };
    if let Some(slot) = &class.extra_slot {
        if let Some(extras) = slot.load(py, value) {
            if let Ok(extras) = extras.downcast::<PyDict>() {
                for (k, v) in crate::conv::dict_items(extras) {
                    let Ok(k) = k.downcast_into::<PyString>() else {
                        continue;
                    };
                    if options.exclude_none && v.is_none() {
                        continue;
                    }
                    let Some(child) = filter.child(k.as_any())? else {
                        continue;
                    };
                    items.push((k, v, child));
                }
            }
        }
    }
    let custom = class.serializers.as_deref();
    for computed in custom.map_or(&[][..], |c| &c.computed[..]) {
        let name = computed.name.bind(py);
        let Some(child) = filter.child(name.as_any())? else {
            continue;
        };
        let item = custom::computed_value(py, computed, value)?;
        if options.exclude_none && item.is_none() {
            continue;
        }
        let (item, child) = match &computed.serializer {
            Some(f) if f.applies(&item, options.json_mode) => {
                let out = custom::field_value(py, f, value, item, options, &child, name)?;
                (out, Filter::default())
            }
            _ => (item, child),
        };
        let key = match (&computed.alias, options.by_alias) {
            (Some(alias), true) => alias.bind(py).clone(),
            _ => name.clone(),
        };
        items.push((key, item, child));
    }
    Ok(items)
}

/// The value of a root model's `root` field (None: not set, as after `model_construct()`).
fn root_value<'py>(
    py: Python<'py>,
    class: &ModelClass,
    value: &Bound<'py, PyAny>,
) -> Option<Bound<'py, PyAny>> {
    class
        .fields
        .first()
        .and_then(|field| field.slot.load(py, value))
}

/// The declared fields' part of `model_items` (inlined twice, once with `custom` None).
#[inline(always)]
fn field_items<'py>(
    py: Python<'py>,
    class: &ModelClass,
    custom: Option<&crate::model::serializers::Serializers>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    items: &mut Vec<Item<'py>>,
) -> PyResult<()> {
    let omit = omit::Omit::for_instance(class, value, options)?;
    for (index, field) in class.fields.iter().enumerate() {
        if field.exclude {
            continue;
        }
        let Some(child) = filter.child(field.name.bind(py).as_any())? else {
            continue;
        };
        let Some(item) = field.slot.load(py, value) else {
            continue;
        };
        if options.exclude_none && item.is_none() {
            continue;
        }
        if let Some(omit) = &omit {
            if omit.omits(index, field, &item)? {
                continue;
            }
        }
        // a serializer's result is written whole: the filter went to the serializer
        let (item, child) = if options.masks(field, &item) {
            (PyString::intern(py, SECRET_MASK).into_any(), child)
        } else {
            match custom
                .and_then(|c| c.fields.get(index))
                .and_then(Option::as_ref)
            {
                Some(f) if f.applies(&item, options.json_mode) => {
                    let name = field.name.bind(py);
                    let out = custom::field_value(py, f, value, item, options, &child, name)?;
                    (out, Filter::default())
                }
                _ => (item, child),
            }
        };
        let key = match (&field.ser_alias, options.by_alias) {
            (Some(alias), true) => alias.bind(py).clone(),
            _ => field.name.bind(py).clone(),
        };
        items.push((key, item, child));
    }
    Ok(())
}
