//! Model instances and plain data → Python dicts or JSON bytes, dispatching on the value's
//! type with the hot types first.

use std::collections::HashSet;

use pyo3::prelude::*;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString,
    PyTuple,
};

use crate::conv::{
    py_date_type, py_datetime_type, py_decimal_type, py_enum_type, py_time_type, py_timedelta_type,
    py_uuid_type,
};
use crate::errors::ferrule_err;
use crate::model_base::is_model_instance;
use crate::parse::float_repr::write_float_repr;
use crate::parse::json_write::{write_duration_iso, write_json_str};
use crate::validate::model::{class_validator, ModelValidator};

const MAX_DEPTH: u32 = 255;

/// Output options; `include`/`exclude` apply to the top-level model only.
#[derive(Default)]
pub(crate) struct Options {
    pub(crate) json_mode: bool,
    pub(crate) by_alias: bool,
    pub(crate) exclude_none: bool,
    pub(crate) include: Option<HashSet<String>>,
    pub(crate) exclude: Option<HashSet<String>>,
    pub(crate) indent: Option<usize>,
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

/// `include=`/`exclude=`: any iterable of field names, or None.
pub(crate) fn name_set(value: Option<&Bound<'_, PyAny>>) -> PyResult<Option<HashSet<String>>> {
    match value {
        Some(v) if !v.is_none() => v
            .try_iter()?
            .map(|item| item?.extract::<String>())
            .collect::<PyResult<HashSet<_>>>()
            .map(Some),
        _ => Ok(None),
    }
}

fn json_error(py: Python<'_>, message: String) -> PyErr {
    ferrule_err(py, "JSONError", message)
}

/// A model instance of either kind: a native `ModelBase` subclass, or any class carrying a
/// compiled `__ferrule_schema__` (checked only after every fast type test failed).
fn is_model(value: &Bound<'_, PyAny>) -> bool {
    is_model_instance(value)
        || value
            .get_type()
            .hasattr(pyo3::intern!(value.py(), "__ferrule_schema__"))
            .unwrap_or(false)
}

fn with_model<'py, T>(
    value: &Bound<'py, PyAny>,
    f: impl FnOnce(&ModelValidator) -> PyResult<T>,
) -> PyResult<T> {
    let validator = class_validator(&value.get_type())?;
    f(validator.get().model()?)
}

/// The fields of a model instance that the options keep, in declaration order.
fn model_items<'py>(
    py: Python<'py>,
    model: &ModelValidator,
    value: &Bound<'py, PyAny>,
    options: &Options,
    top: bool,
) -> Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)> {
    let mut items = Vec::with_capacity(model.fields.len());
    for field in &model.fields {
        if field.exclude {
            continue;
        }
        if top {
            if let Some(include) = &options.include {
                if !include.contains(&field.name_str) {
                    continue;
                }
            }
            if let Some(exclude) = &options.exclude {
                if exclude.contains(&field.name_str) {
                    continue;
                }
            }
        }
        let Some(item) = field.slot.load(py, value) else {
            continue;
        };
        if options.exclude_none && item.is_none() {
            continue;
        }
        let key = match (&field.alias, options.by_alias) {
            (Some((alias, _)), true) => alias.bind(py).clone(),
            _ => field.name.bind(py).clone(),
        };
        items.push((key, item));
    }
    if let Some(slot) = &model.extra_slot {
        if let Some(extras) = slot.load(py, value) {
            if let Ok(extras) = extras.downcast::<PyDict>() {
                for (k, v) in extras.iter() {
                    if let Ok(k) = k.downcast_into::<PyString>() {
                        if !(options.exclude_none && v.is_none()) {
                            items.push((k, v));
                        }
                    }
                }
            }
        }
    }
    items
}

// --- to Python ----------------------------------------------------------------------------------

/// A model instance as a dict: `to_python` for a value known to be a model instance (the
/// receiver of `model_dump()`), without the type dispatch.
pub(crate) fn model_to_python<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    with_model(value, |model| {
        if let Some(dict) = plain_dump(py, model, value, options, depth)? {
            return Ok(dict);
        }
        let dict = PyDict::new(py);
        for (key, item) in model_items(py, model, value, options, depth == 0) {
            dict.set_item(key, to_python(py, &item, options, depth + 1)?)?;
        }
        Ok(dict.into_any())
    })
}

pub(crate) fn to_python<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    if depth > MAX_DEPTH {
        return Err(json_error(
            py,
            "recursion limit reached: the data is nested too deeply or cyclic".into(),
        ));
    }
    if value.is_exact_instance_of::<PyString>()
        || value.is_exact_instance_of::<PyInt>()
        || value.is_instance_of::<PyBool>()
        || value.is_none()
    {
        return Ok(value.clone());
    }
    if let Ok(f) = value.downcast_exact::<PyFloat>() {
        if options.json_mode && !f.value().is_finite() {
            return Ok(py.None().into_bound(py));
        }
        return Ok(value.clone());
    }
    if is_model_instance(value) {
        return model_to_python(py, value, options, depth);
    }
    if let Ok(list) = value.downcast::<PyList>() {
        // (items sit one level deeper: the depth limit still applies to them)
        if depth < MAX_DEPTH && atomic_items(list, options.json_mode) {
            // nothing inside needs converting: one C-level copy
            return Ok(list.get_slice(0, list.len()).into_any());
        }
        let items = list
            .iter()
            .map(|item| to_python(py, &item, options, depth + 1))
            .collect::<PyResult<Vec<_>>>()?;
        return Ok(PyList::new(py, items)?.into_any());
    }
    if let Ok(dict) = value.downcast::<PyDict>() {
        let out = PyDict::new(py);
        for (k, v) in dict.iter() {
            let key = if options.json_mode {
                json_key(py, &k)?.into_any()
            } else {
                k
            };
            out.set_item(key, to_python(py, &v, options, depth + 1)?)?;
        }
        return Ok(out.into_any());
    }
    if value.is_instance_of::<PyTuple>()
        || value.is_instance_of::<PySet>()
        || value.is_instance_of::<PyFrozenSet>()
    {
        let items = value
            .try_iter()?
            .map(|item| to_python(py, &item?, options, depth + 1))
            .collect::<PyResult<Vec<_>>>()?;
        if options.json_mode {
            return Ok(PyList::new(py, items)?.into_any());
        }
        return Ok(if value.is_instance_of::<PyTuple>() {
            PyTuple::new(py, items)?.into_any()
        } else if value.is_instance_of::<PySet>() {
            PySet::new(py, items)?.into_any()
        } else {
            PyFrozenSet::new(py, items)?.into_any()
        });
    }
    if is_model(value) {
        return with_model(value, |model| {
            let dict = PyDict::new(py);
            for (key, item) in model_items(py, model, value, options, depth == 0) {
                dict.set_item(key, to_python(py, &item, options, depth + 1)?)?;
            }
            Ok(dict.into_any())
        });
    }
    if !options.json_mode {
        return Ok(value.clone());
    }
    if value.is_instance_of::<PyFloat>()
        || value.is_instance_of::<PyInt>()
        || value.is_instance_of::<PyString>()
    {
        return Ok(value.clone());
    }
    if value.is_instance(py_enum_type(py))? {
        return to_python(py, &value.getattr("value")?, options, depth + 1);
    }
    let mut buffer = Vec::new();
    if write_special(py, value, &mut buffer)? {
        // strings written as JSON literals: drop the quotes and unescape through JSON rules
        let text = std::str::from_utf8(&buffer).map_err(|e| json_error(py, e.to_string()))?;
        let inner = &text[1..text.len() - 1];
        return Ok(if inner.contains('\\') {
            crate::conv::json_to_py(
                py,
                &jiter::JsonValue::parse(text.as_bytes(), false)
                    .map_err(|e| json_error(py, e.to_string()))?,
            )
        } else {
            PyString::new(py, inner).into_any()
        });
    }
    Err(json_error(
        py,
        format!(
            "Object of type {} is not JSON serializable",
            value.get_type().name()?
        ),
    ))
}

/// The common `model_dump()`: no options, every field set, no extras. The dict starts as a
/// copy of the model's key template (one memcpy, no resizing) and only its values are replaced.
fn plain_dump<'py>(
    py: Python<'py>,
    model: &ModelValidator,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    if options.by_alias
        || options.exclude_none
        || (depth == 0 && (options.include.is_some() || options.exclude.is_some()))
        || model.extra_slot.is_some()
    {
        return Ok(None);
    }
    let dict = model.dump_template.bind(py).copy()?;
    for field in model.fields.iter().filter(|f| !f.exclude) {
        let Some(item) = field.slot.load(py, value) else {
            return Ok(None);
        };
        if is_atomic(&item, options.json_mode) {
            dict.set_item(field.name.bind(py), item)?;
        } else {
            dict.set_item(
                field.name.bind(py),
                to_python(py, &item, options, depth + 1)?,
            )?;
        }
    }
    Ok(Some(dict.into_any()))
}

/// str, int, bool, None (and float outside JSON mode): `to_python` would return them unchanged.
#[inline]
fn is_atomic(item: &Bound<'_, PyAny>, json_mode: bool) -> bool {
    is_atomic_ptr(item.as_ptr(), json_mode)
}

fn is_atomic_ptr(item: *mut pyo3::ffi::PyObject, json_mode: bool) -> bool {
    // SAFETY: comparing a live object's type pointer with the addresses of static type objects.
    unsafe {
        let kind = pyo3::ffi::Py_TYPE(item);
        kind == std::ptr::addr_of_mut!(pyo3::ffi::PyUnicode_Type)
            || kind == std::ptr::addr_of_mut!(pyo3::ffi::PyLong_Type)
            || kind == std::ptr::addr_of_mut!(pyo3::ffi::PyBool_Type)
            || item == pyo3::ffi::Py_None()
            || (!json_mode && kind == std::ptr::addr_of_mut!(pyo3::ffi::PyFloat_Type))
    }
}

/// Every item of the list is atomic (see `is_atomic`): the list copies in one call.
fn atomic_items(list: &Bound<'_, PyList>, json_mode: bool) -> bool {
    (0..list.len()).all(|index| {
        // SAFETY: index < len; GetItem returns a borrowed reference.
        let item =
            unsafe { pyo3::ffi::PyList_GetItem(list.as_ptr(), index as pyo3::ffi::Py_ssize_t) };
        if item.is_null() {
            unsafe { pyo3::ffi::PyErr_Clear() };
            return false;
        }
        is_atomic_ptr(item, json_mode)
    })
}

fn json_key<'py>(py: Python<'py>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
    if let Ok(s) = key.downcast::<PyString>() {
        return Ok(s.clone());
    }
    let mut out = Vec::new();
    if key.is_none() {
        return Ok(PyString::new(py, "null"));
    }
    if key.is_instance_of::<PyBool>() {
        return Ok(PyString::new(
            py,
            if key.is_truthy()? { "true" } else { "false" },
        ));
    }
    if key.is_instance_of::<PyInt>() {
        return key.str();
    }
    if let Ok(f) = key.downcast::<PyFloat>() {
        write_float(f.value(), &mut out);
        return Ok(PyString::new(
            py,
            std::str::from_utf8(&out).unwrap_or("null"),
        ));
    }
    if key.is_instance(py_enum_type(py))? {
        return json_key(py, &key.getattr("value")?);
    }
    Err(json_error(
        py,
        format!(
            "keys must be str, int, float, bool or None, not {}",
            key.get_type().name()?
        ),
    ))
}

// --- to JSON ------------------------------------------------------------------------------------

fn write_float(f: f64, out: &mut Vec<u8>) {
    if f.is_finite() {
        write_float_repr(f, out);
    } else {
        out.extend_from_slice(b"null");
    }
}

fn write_str(py: Python<'_>, s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> PyResult<()> {
    match s.to_str() {
        Ok(text) => {
            write_json_str(text, out);
            Ok(())
        }
        Err(_) => {
            let _ = py;
            write_surrogates(s, out)
        }
    }
}

struct Writer<'o> {
    out: &'o mut Vec<u8>,
    indent: Option<usize>,
}

impl<'o> Writer<'o> {
    fn new(out: &'o mut Vec<u8>, options: &Options) -> Self {
        Writer {
            out,
            indent: options.indent,
        }
    }

    fn newline(&mut self, depth: u32) {
        if let Some(width) = self.indent {
            self.out.push(b'\n');
            self.out
                .resize(self.out.len() + width * depth as usize, b' ');
        }
    }

    fn colon(&mut self) {
        self.out.push(b':');
        if self.indent.is_some() {
            self.out.push(b' ');
        }
    }
}

/// `value` as JSON into `out`; `is_model` says it is known to be a model instance (the
/// receiver of `json_bytes()`), which skips the type dispatch.
pub(crate) fn to_json(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    options: &Options,
    out: &mut Vec<u8>,
    is_model: bool,
) -> PyResult<()> {
    let writer = &mut Writer::new(out, options);
    if is_model {
        write_model(py, value, options, writer, 0)
    } else {
        write_value(py, value, options, writer, 0)
    }
}

fn write_model(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    with_model(value, |model| {
        if compact_model(model, options, w, depth) {
            return write_model_compact(py, model, value, options, w, depth);
        }
        let items = model_items(py, model, value, options, depth == 0);
        write_object(py, items.into_iter(), options, w, depth)
    })
}

fn write_value(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(json_error(
            py,
            "recursion limit reached: the data is nested too deeply or cyclic".into(),
        ));
    }
    if let Ok(s) = value.downcast_exact::<PyString>() {
        return write_str(py, s, w.out);
    }
    if value.is_exact_instance_of::<PyInt>() {
        match value.extract::<i64>() {
            Ok(i) => w
                .out
                .extend_from_slice(itoa::Buffer::new().format(i).as_bytes()),
            Err(_) => write_big_int(value, w.out)?,
        }
        return Ok(());
    }
    if let Ok(f) = value.downcast_exact::<PyFloat>() {
        write_float(f.value(), w.out);
        return Ok(());
    }
    if let Ok(b) = value.downcast::<PyBool>() {
        w.out
            .extend_from_slice(if b.is_true() { b"true" } else { b"false" });
        return Ok(());
    }
    if value.is_none() {
        w.out.extend_from_slice(b"null");
        return Ok(());
    }
    if is_model_instance(value) {
        return write_model(py, value, options, w, depth);
    }
    if let Ok(list) = value.downcast::<PyList>() {
        return write_array(py, list.iter(), options, w, depth);
    }
    if let Ok(dict) = value.downcast::<PyDict>() {
        let mut items = Vec::with_capacity(dict.len());
        for (k, v) in dict.iter() {
            items.push((json_key(py, &k)?, v));
        }
        return write_object(py, items.into_iter(), options, w, depth);
    }
    if value.is_instance_of::<PyTuple>()
        || value.is_instance_of::<PySet>()
        || value.is_instance_of::<PyFrozenSet>()
    {
        let items = value.try_iter()?.collect::<PyResult<Vec<_>>>()?;
        return write_array(py, items.into_iter(), options, w, depth);
    }
    if let Ok(s) = value.downcast::<PyString>() {
        return write_str(py, s, w.out);
    }
    if value.is_instance_of::<PyInt>() {
        w.out.extend_from_slice(
            py.get_type::<PyInt>()
                .call1((value,))?
                .str()?
                .to_str()?
                .as_bytes(),
        );
        return Ok(());
    }
    if let Ok(f) = value.downcast::<PyFloat>() {
        write_float(f.value(), w.out);
        return Ok(());
    }
    if value.is_instance(py_enum_type(py))? {
        return write_value(py, &value.getattr("value")?, options, w, depth + 1);
    }
    if write_special(py, value, w.out)? {
        return Ok(());
    }
    if is_model(value) {
        return with_model(value, |model| {
            let items = model_items(py, model, value, options, depth == 0);
            write_object(py, items.into_iter(), options, w, depth)
        });
    }
    Err(json_error(
        py,
        format!(
            "Object of type {} is not JSON serializable",
            value.get_type().name()?
        ),
    ))
}

fn write_array<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'[');
    let mut first = true;
    for item in items {
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.newline(depth + 1);
        write_value(py, &item, options, w, depth + 1)?;
    }
    if !first {
        w.newline(depth);
    }
    w.out.push(b']');
    Ok(())
}

/// Compact output without per-call options: the common `json_bytes()`.
fn compact_model(model: &ModelValidator, options: &Options, w: &Writer<'_>, depth: u32) -> bool {
    w.indent.is_none()
        && !options.exclude_none
        && model.extra_slot.is_none()
        && (depth > 0 || (options.include.is_none() && options.exclude.is_none()))
}

/// Fields straight from their slots, keys pre-encoded: no intermediate pairs, no key strings.
fn write_model_compact(
    py: Python<'_>,
    model: &ModelValidator,
    value: &Bound<'_, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'{');
    let mut first = true;
    for field in model.fields.iter().filter(|f| !f.exclude) {
        let Some(item) = field.slot.load(py, value) else {
            continue;
        };
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.out.extend_from_slice(if options.by_alias {
            &field.json_alias_key
        } else {
            &field.json_key
        });
        write_value(py, &item, options, w, depth + 1)?;
    }
    w.out.push(b'}');
    Ok(())
}

fn write_object<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = (Bound<'py, PyString>, Bound<'py, PyAny>)>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'{');
    let mut first = true;
    for (key, item) in items {
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.newline(depth + 1);
        write_str(py, &key, w.out)?;
        w.colon();
        write_value(py, &item, options, w, depth + 1)?;
    }
    if !first {
        w.newline(depth);
    }
    w.out.push(b'}');
    Ok(())
}

/// Types JSON has no form for, written as strings. Returns false when `value` is none of them.
fn write_special(py: Python<'_>, value: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<bool> {
    if value.is_instance(py_datetime_type(py))?
        || value.is_instance(py_date_type(py))?
        || value.is_instance(py_time_type(py))?
    {
        let text = value.call_method0("isoformat")?;
        write_json_str(text.downcast::<PyString>()?.to_str()?, out);
        return Ok(true);
    }
    if value.is_instance(py_timedelta_type(py))? {
        let days: i64 = value.getattr("days")?.extract()?;
        let (negative, magnitude) = if days < 0 {
            (true, value.call_method0("__neg__")?)
        } else {
            (false, value.clone())
        };
        let days: u64 = magnitude.getattr("days")?.extract()?;
        let seconds: u32 = magnitude.getattr("seconds")?.extract()?;
        let micros: u32 = magnitude.getattr("microseconds")?.extract()?;
        write_duration_iso(negative, days, seconds, micros, out);
        return Ok(true);
    }
    if value.is_instance(py_uuid_type(py))? || value.is_instance(py_decimal_type(py))? {
        write_json_str(value.str()?.to_str()?, out);
        return Ok(true);
    }
    if value.is_instance_of::<PyBytes>() || value.is_instance_of::<PyByteArray>() {
        let raw: Vec<u8> = value.extract()?;
        let text = std::str::from_utf8(&raw).map_err(|_| {
            json_error(
                py,
                "bytes are not valid UTF-8 and cannot be written as JSON text".into(),
            )
        })?;
        write_json_str(text, out);
        return Ok(true);
    }
    Ok(false)
}

/// A str with lone surrogates: written code point by code point, surrogates as `\\uXXXX`
/// escapes (what `json.dumps(..., ensure_ascii=False)` gives).
fn write_surrogates(s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> PyResult<()> {
    let codes: Vec<u32> = s
        .call_method0("__iter__")?
        .try_iter()?
        .map(|c| c.and_then(|c| py_ord(&c)))
        .collect::<PyResult<_>>()?;
    let mut text = String::new();
    out.push(b'"');
    for code in codes {
        match char::from_u32(code) {
            Some(c) => text.push(c),
            None => {
                flush_text(&mut text, out);
                out.extend_from_slice(format!("\\u{code:04x}").as_bytes());
            }
        }
    }
    flush_text(&mut text, out);
    out.push(b'"');
    Ok(())
}

fn flush_text(text: &mut String, out: &mut Vec<u8>) {
    if !text.is_empty() {
        let mut quoted = Vec::with_capacity(text.len() + 2);
        write_json_str(text, &mut quoted);
        out.extend_from_slice(&quoted[1..quoted.len() - 1]);
        text.clear();
    }
}

fn py_ord(c: &Bound<'_, PyAny>) -> PyResult<u32> {
    c.py()
        .import("builtins")?
        .getattr("ord")?
        .call1((c,))?
        .extract()
}

/// Ints beyond i64: `str()` refuses more than 4300 digits, `Decimal` has no such limit.
fn write_big_int(value: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<()> {
    let text = match value.str() {
        Ok(text) => text,
        Err(_) => py_decimal_type(value.py()).call1((value,))?.str()?,
    };
    out.extend_from_slice(text.to_str()?.as_bytes());
    Ok(())
}
