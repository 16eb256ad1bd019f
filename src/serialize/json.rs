//! Values → JSON text: compact by default (`{"a":1,"b":[1,2]}`), or indented. Plain dicts
//! and lists and the common scalars have their own writers (`plain.rs`).

mod keys;
mod plain;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};

use super::classify::{classify, Kind};
use super::custom::{computed_value, field_value, keep_alive, model_result};
use super::filter::Filter;
use super::omit::Omit;
use super::python::json_key;
use super::text::special_text;
use super::{
    json_error, model_items, not_serializable, root_value, too_deep, with_model, NanMode, Options,
    MAX_DEPTH,
};
use crate::conv::py_decimal_type;
use crate::json::float::write_float_repr;
use crate::json::write::{put_int, put_short, write_json_str};
use crate::model::serializers::Serializers;
use crate::model::SECRET_MASK;
use crate::validate::model::ModelValidator;
pub(crate) use keys::KeyCache;
use plain::{write_dict_plain, write_list_plain, write_scalar};

pub(super) struct Writer<'o> {
    pub(super) out: &'o mut Vec<u8>,
    indent: Option<usize>,
    /// Root models being written: each adds to the depth (the cycle guard) but not to the
    /// indentation (a root model is written as its value, at its own level).
    roots: u32,
    /// Encoded dict keys kept between calls (`ferrule.json.dumps`), if the caller has them.
    keys: Option<&'o mut KeyCache>,
}

impl Writer<'_> {
    pub(super) fn newline(&mut self, depth: u32) {
        if let Some(width) = self.indent {
            self.out.push(b'\n');
            // width <= MAX_INDENT and depth <= MAX_DEPTH + 1: bounded
            let level = depth.saturating_sub(self.roots) as usize;
            self.out.resize(self.out.len() + width * level, b' ');
        }
    }

    pub(super) fn colon(&mut self) {
        self.out.push(b':');
        if self.indent.is_some() {
            self.out.push(b' ');
        }
    }
}

/// `value` as JSON into `out`; `is_model` says it is known to be a model instance (the
/// receiver of `json_bytes()`), which skips the type dispatch.
pub(crate) fn to_json<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    out: &mut Vec<u8>,
    is_model: bool,
) -> PyResult<()> {
    let writer = &mut Writer {
        out,
        indent: options.indent,
        roots: 0,
        keys: None,
    };
    if is_model {
        write_model(py, value, options, filter, writer, 0)
    } else {
        write_value(py, value, options, filter, writer, 0)
    }
}

/// `to_json` for plain data, with a cache of the dict keys written before.
pub(crate) fn plain_to_json<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    out: &mut Vec<u8>,
    keys: &mut KeyCache,
) -> PyResult<()> {
    let writer = &mut Writer {
        out,
        indent: options.indent,
        roots: 0,
        keys: Some(keys),
    };
    write_value(py, value, options, &Filter::default(), writer, 0)
}

fn write_model<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    with_model(value, |model| {
        let own = options.for_model(py, &model.class);
        let options = own.as_ref().unwrap_or(options);
        if model.class.root {
            return write_root(py, model, value, options, filter, w, depth);
        }
        if w.indent.is_none()
            && !options.sort_keys
            && !options.exclude_none
            && model.class.extra_slot.is_none()
            && filter.is_empty()
        {
            match model.class.serializers.as_deref() {
                None => return write_model_compact(py, model, value, options, w, depth),
                Some(custom)
                    if custom.model.is_none()
                        && !options.exclude_unset
                        && !options.exclude_defaults =>
                {
                    return write_model_custom(py, model, custom, value, options, w, depth)
                }
                Some(_) => {}
            }
        }
        if let Some(out) = model_result(py, &model.class, value, options, filter)? {
            return write_value(py, &out, options, &Filter::default(), w, depth + 1);
        }
        let items = model_items(py, &model.class, value, options, filter)?;
        write_object(py, sorted(items, options)?, options, w, depth)
    })
}

/// A root model is written as its `root` value.
#[inline(never)]
fn write_root<'py>(
    py: Python<'py>,
    model: &ModelValidator,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    match root_value(py, &model.class, value) {
        Some(item) => {
            w.roots += 1;
            let result = write_value(py, &item, options, filter, w, depth + 1);
            w.roots -= 1;
            result
        }
        None => {
            w.out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// An object member on its way out: key, value, and the filter for the value.
type Member<'py> = (Bound<'py, PyString>, Bound<'py, PyAny>, Filter<'py>);

/// `items` in key order when `sort_keys` asks for it.
fn sorted<'py>(
    mut items: Vec<Member<'py>>,
    options: &Options,
) -> PyResult<std::vec::IntoIter<Member<'py>>> {
    if options.sort_keys {
        let mut keyed = Vec::with_capacity(items.len());
        for item in items.drain(..) {
            // by code point, as Python's `sorted` orders str (lone surrogates included)
            let key: Vec<u32> = item
                .0
                .to_cow()
                .map_or_else(|_| Vec::new(), |text| text.chars().map(u32::from).collect());
            keyed.push((key, item));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        items = keyed.into_iter().map(|(_, item)| item).collect();
    }
    Ok(items.into_iter())
}

pub(super) fn write_value<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(too_deep(py));
    }
    let kind = classify(value);
    match kind {
        Kind::Str | Kind::StrSubclass => write_str(value.downcast::<PyString>()?, w.out),
        Kind::Int => {
            // SAFETY: `Kind::Int` is an exact int, alive while `value` is borrowed.
            let small = unsafe { crate::cpython::int::exact_int_value(py, value.as_ptr()) };
            match small.map_or_else(|| value.extract::<i64>(), Ok) {
                Ok(i) => put_int(w.out, i),
                Err(_) => write_big_int(value, w.out)?,
            }
            Ok(())
        }
        Kind::IntSubclass => write_big_int(&super::exact_int(py, value)?, w.out),
        Kind::Float | Kind::FloatSubclass => {
            write_float(py, value.downcast::<PyFloat>()?.value(), options.nan, w.out)
        }
        Kind::Bool => {
            w.out.extend_from_slice(if value.is_truthy()? {
                b"true"
            } else {
                b"false"
            });
            Ok(())
        }
        Kind::None => {
            w.out.extend_from_slice(b"null");
            Ok(())
        }
        Kind::Model if options.plain_data => {
            write_model(py, value, &model_options(options), filter, w, depth)
        }
        Kind::Model => write_model(py, value, options, filter, w, depth),
        Kind::List if filter.is_empty() => {
            write_list_plain(py, value.downcast::<PyList>()?, options, w, depth)
        }
        Kind::List => {
            let list = value.downcast::<PyList>()?;
            write_array(py, list.iter(), list.len(), options, filter, w, depth)
        }
        // with a `default`, user code runs mid-dict: the items are read first (as the pure
        // twin and Python's json do), so a change made then does not show in the output
        Kind::Dict if filter.is_empty() && !options.sort_keys && options.default.is_none() => {
            write_dict_plain(py, value.downcast::<PyDict>()?, options, w, depth)
        }
        Kind::Dict => {
            let dict = value.downcast::<PyDict>()?;
            let mut items = Vec::with_capacity(dict.len());
            for (k, v) in crate::conv::dict_items(dict) {
                let Some(child) = filter.child(&k)? else {
                    continue;
                };
                items.push((json_key(py, &k)?, v, child));
            }
            write_object(py, sorted(items, options)?, options, w, depth)
        }
        Kind::Tuple | Kind::Set | Kind::FrozenSet => {
            let items: Vec<Bound<'py, PyAny>> = value.try_iter()?.collect::<PyResult<_>>()?;
            let count = items.len();
            write_array(py, items.into_iter(), count, options, filter, w, depth)
        }
        Kind::Enum => {
            let inner = value.getattr(pyo3::intern!(py, "value"))?;
            write_value(py, &inner, options, filter, w, depth + 1)
        }
        Kind::ForeignModel => with_model(value, |model| {
            let own = model_options(options);
            let options = if options.plain_data { &own } else { options };
            let switched = options.for_model(py, &model.class);
            let options = switched.as_ref().unwrap_or(options);
            if model.class.root {
                return write_root(py, model, value, options, filter, w, depth);
            }
            if let Some(out) = model_result(py, &model.class, value, options, filter)? {
                return write_value(py, &out, options, &Filter::default(), w, depth + 1);
            }
            let items = model_items(py, &model.class, value, options, filter)?;
            write_object(py, sorted(items, options)?, options, w, depth)
        }),
        Kind::Decimal if options.plain_data => write_decimal(py, value, options.nan, w.out),
        // `ferrule.json.dumps` keeps its own rules for other types (a dataclass, `default`)
        Kind::Unknown | Kind::Encoded | Kind::EncodedText | Kind::Dataclass
            if options.plain_data =>
        {
            write_plain(py, value, options, w, depth)
        }
        Kind::Encoded | Kind::Dataclass => {
            let inner = super::classify::encoded(value)?;
            write_value(py, &inner, options, filter, w, depth + 1)
        }
        Kind::EncodedText => write_str(&value.str()?, w.out),
        Kind::TimeDelta if options.output.timedelta_float => {
            let seconds: f64 = value
                .call_method0(pyo3::intern!(py, "total_seconds"))?
                .extract()?;
            write_float(py, seconds, options.nan, w.out)
        }
        _ => match special_text(value, kind, &options.output)? {
            Some(text) => text.write_json(w.out),
            None => Err(not_serializable(value)),
        },
    }
}

/// A model inside `ferrule.json.dumps` data is written as `model_dump_json` writes it (its
/// Decimals as strings, NaN as null), laid out as the rest of the document.
fn model_options(options: &Options) -> Options {
    Options {
        json_mode: true,
        indent: options.indent,
        sort_keys: options.sort_keys,
        ..Options::default()
    }
}

/// A Decimal as a JSON number, digit for digit (`str()` of a finite Decimal is valid JSON).
fn write_decimal(
    py: Python<'_>,
    value: &Bound<'_, PyAny>,
    nan: NanMode,
    out: &mut Vec<u8>,
) -> PyResult<()> {
    if !value
        .call_method0(pyo3::intern!(py, "is_finite"))?
        .is_truthy()?
    {
        let as_float: f64 = value.extract().unwrap_or(f64::NAN); // sNaN refuses float()
        return write_float(py, as_float, nan, out);
    }
    out.extend_from_slice(value.str()?.to_str()?.as_bytes());
    Ok(())
}

/// `ferrule.json.dumps`' other types: a dataclass instance as an object of its fields, else
/// whatever `default(value)` returns, else an error naming the type.
fn write_plain<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    let kind = value.get_type();
    if !value.is_instance_of::<pyo3::types::PyType>()
        && kind.hasattr(pyo3::intern!(py, "__dataclass_fields__"))?
    {
        let fields = py
            .import(pyo3::intern!(py, "dataclasses"))?
            .call_method1(pyo3::intern!(py, "fields"), (value,))?;
        let mut items = Vec::new();
        for field in fields.try_iter()? {
            let name = field?
                .getattr(pyo3::intern!(py, "name"))?
                .downcast_into::<PyString>()?;
            let item = value.getattr(&name)?;
            items.push((name, item, Filter::default()));
        }
        return write_object(py, sorted(items, options)?, options, w, depth);
    }
    let Some(default) = &options.default else {
        return Err(not_serializable(value));
    };
    let replaced = default.bind(py).call1((value,))?;
    if replaced.is(value) {
        return Err(not_serializable(value));
    }
    write_value(py, &replaced, options, &Filter::default(), w, depth + 1)
}

pub(super) fn write_array<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    count: usize,
    options: &Options,
    filter: &Filter<'py>,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'[');
    let mut first = true;
    for (index, item) in items.enumerate() {
        let Some(child) = filter.child_at(py, index, count)? else {
            continue;
        };
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.newline(depth + 1);
        // a scalar too deep is still an error (`write_value`'s depth check)
        if depth >= MAX_DEPTH || !write_scalar(py, &item, w.out)? {
            write_value(py, &item, options, &child, w, depth + 1)?;
        }
    }
    if !first {
        w.newline(depth);
    }
    w.out.push(b']');
    Ok(())
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
    let none = Filter::default();
    let omit = Omit::for_instance(&model.class, value, options)?;
    w.out.push(b'{');
    let mut first = true;
    for (index, field) in model.class.fields.iter().enumerate() {
        if field.exclude {
            continue;
        }
        let peeked;
        let loaded;
        // (an omission check may run user code, `==` on a default: then the value is owned)
        let item: &Bound<'_, PyAny> =
            match field.slot.peek(value.as_ptr()).filter(|_| omit.is_none()) {
                // borrowed where the offset is known: no reference counting per field
                Some(ptr) if ptr.is_null() => continue,
                // SAFETY: a live value owned by the instance, borrowed while it is written
                Some(ptr) => {
                    peeked = unsafe { pyo3::Borrowed::from_ptr(py, ptr) };
                    &peeked
                }
                None => match field.slot.load(py, value) {
                    Some(item) => {
                        loaded = item;
                        &loaded
                    }
                    None => continue,
                },
            };
        if let Some(omit) = &omit {
            if omit.omits(index, field, item)? {
                continue;
            }
        }
        member_key(w, field, options.by_alias, &mut first);
        if options.masks(field, item) {
            write_json_str(SECRET_MASK, w.out);
        } else if !write_scalar(py, item, w.out)? {
            write_value(py, item, options, &none, w, depth + 1)?;
        }
    }
    w.out.push(b'}');
    Ok(())
}

/// `write_model_compact` for a model with field serializers or computed fields (and no model
/// serializer): each value is held (owned) while user code runs, passed through its field's
/// serializer when it has one, and the computed fields follow the fields.
fn write_model_custom(
    py: Python<'_>,
    model: &ModelValidator,
    custom: &Serializers,
    value: &Bound<'_, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    let _keep = keep_alive(py, &model.class)?;
    let none = Filter::default();
    w.out.push(b'{');
    let mut first = true;
    for (field, serializer) in model.class.fields.iter().zip(&custom.fields) {
        if field.exclude {
            continue;
        }
        if serializer.is_none() {
            if let Some(ptr) = field.slot.peek(value.as_ptr()) {
                if !ptr.is_null() {
                    write_peeked_field(py, field, ptr, options, w, depth, &mut first)?;
                }
                continue;
            }
        }
        let Some(item) = field.slot.load(py, value) else {
            continue;
        };
        member_key(w, field, options.by_alias, &mut first);
        if options.masks(field, &item) {
            write_json_str(SECRET_MASK, w.out);
            continue;
        }
        let item = match serializer {
            Some(f) if f.applies(&item, true) => {
                field_value(py, f, value, item, options, &none, field.name.bind(py))?
            }
            _ => item,
        };
        if !write_scalar(py, &item, w.out)? {
            write_value(py, &item, options, &none, w, depth + 1)?;
        }
    }
    for computed in &custom.computed {
        let name = computed.name.bind(py);
        let item = computed_value(py, computed, value)?;
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.out.extend_from_slice(if options.by_alias {
            &computed.json_alias_key
        } else {
            &computed.json_key
        });
        let item = match &computed.serializer {
            Some(f) if f.applies(&item, true) => {
                field_value(py, f, value, item, options, &none, name)?
            }
            _ => item,
        };
        if !write_scalar(py, &item, w.out)? {
            write_value(py, &item, options, &none, w, depth + 1)?;
        }
    }
    w.out.push(b'}');
    Ok(())
}

/// A field with no serializer whose value `ptr` was read from its slot: a scalar is written
/// borrowed (no user code runs while it is), anything else is held (owned) while written.
#[inline(always)]
fn write_peeked_field(
    py: Python<'_>,
    field: &crate::model::Field,
    ptr: *mut pyo3::ffi::PyObject,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
    first: &mut bool,
) -> PyResult<()> {
    // SAFETY: a live value owned by the instance, borrowed until it is written or owned
    let peeked = unsafe { pyo3::Borrowed::from_ptr(py, ptr) };
    member_key(w, field, options.by_alias, first);
    if options.masks(field, &peeked) {
        write_json_str(SECRET_MASK, w.out);
    } else if !write_scalar(py, &peeked, w.out)? {
        let item = peeked.to_owned();
        write_value(py, &item, options, &Filter::default(), w, depth + 1)?;
    }
    Ok(())
}

fn write_object<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = (Bound<'py, PyString>, Bound<'py, PyAny>, Filter<'py>)>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'{');
    let mut first = true;
    for (key, item, child) in items {
        if !first {
            w.out.push(b',');
        }
        first = false;
        w.newline(depth + 1);
        write_str(&key, w.out)?;
        w.colon();
        write_value(py, &item, options, &child, w, depth + 1)?;
    }
    if !first {
        w.newline(depth);
    }
    w.out.push(b'}');
    Ok(())
}

fn write_float(py: Python<'_>, f: f64, nan: NanMode, out: &mut Vec<u8>) -> PyResult<()> {
    if f.is_finite() {
        write_float_repr(f, out);
        return Ok(());
    }
    match nan {
        NanMode::Null => out.extend_from_slice(b"null"),
        NanMode::Literal => out.extend_from_slice(if f.is_nan() {
            b"NaN".as_slice()
        } else if f > 0.0 {
            b"Infinity".as_slice()
        } else {
            b"-Infinity".as_slice()
        }),
        NanMode::Strings => out.extend_from_slice(if f.is_nan() {
            b"\"NaN\"".as_slice()
        } else if f > 0.0 {
            b"\"Infinity\"".as_slice()
        } else {
            b"\"-Infinity\"".as_slice()
        }),
        NanMode::Error => {
            return Err(json_error(
                py,
                format!("{f} is not valid JSON (pass allow_nan=True to write it)"),
            ))
        }
    }
    Ok(())
}

#[inline]
pub(super) fn write_str(s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> PyResult<()> {
    match crate::cpython::ascii_bytes(s) {
        Some(ascii) => {
            crate::json::write::write_json_bytes(ascii, out);
            Ok(())
        }
        None => write_str_through_api(s, out),
    }
}

/// `write_str` for a str whose characters cannot be read from the object as ASCII: the UTF-8
/// form CPython keeps with it, read in place when it has one, else from the API (which keeps
/// it for the next time).
#[inline(never)]
fn write_str_through_api(s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> PyResult<()> {
    if let Some(utf8) = crate::cpython::cached_utf8(s) {
        crate::json::write::write_json_bytes(utf8, out);
        return Ok(());
    }
    match s.to_str() {
        Ok(text) => {
            write_json_str(text, out);
            Ok(())
        }
        Err(_) => write_surrogates(s, out),
    }
}

/// A str with lone surrogates: written code point by code point, surrogates as `\uXXXX`
/// escapes (what `json.dumps(..., ensure_ascii=False)` gives). Its code points are copied out
/// through the API (no codec lookup, so no user code runs).
fn write_surrogates(s: &Bound<'_, PyString>, out: &mut Vec<u8>) -> PyResult<()> {
    // SAFETY: a live str; the copy is a PyMem buffer of `length` code points, freed below.
    let codes = unsafe {
        let length = usize::try_from(pyo3::ffi::PyUnicode_GetLength(s.as_ptr()))
            .map_err(|_| PyErr::fetch(s.py()))?;
        let copy = pyo3::ffi::PyUnicode_AsUCS4Copy(s.as_ptr());
        if copy.is_null() {
            return Err(PyErr::fetch(s.py()));
        }
        let codes = std::slice::from_raw_parts(copy, length).to_vec();
        pyo3::ffi::PyMem_Free(copy.cast());
        codes
    };
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

/// Ints beyond i64: `str()` refuses more than 4300 digits, `Decimal` has no such limit.
fn write_big_int(value: &Bound<'_, PyAny>, out: &mut Vec<u8>) -> PyResult<()> {
    let text = match value.str() {
        Ok(text) => text,
        Err(_) => py_decimal_type(value.py()).call1((value,))?.str()?,
    };
    out.extend_from_slice(text.to_str()?.as_bytes());
    Ok(())
}

/// The `,` before every member but the first, then `"key":` of `field` (its alias with
/// `by_alias`).
#[inline(always)]
fn member_key(w: &mut Writer<'_>, field: &crate::model::Field, by_alias: bool, first: &mut bool) {
    if !*first {
        w.out.push(b',');
    }
    *first = false;
    put_short(
        w.out,
        if by_alias {
            &field.json_alias_key
        } else {
            &field.json_key
        },
    );
}
