//! Values → Python data: `model_dump()` (`mode="python"` keeps Python values, `mode="json"`
//! makes every value JSON-able).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyFrozenSet, PyList, PySet, PyString, PyTuple};

use super::classify::{classify, Kind};
use super::custom::{computed_value, field_value, keep_alive, model_result};
use super::direct;
use super::filter::Filter;
use super::omit::Omit;
use super::text::special_text;
use super::{
    json_error, model_items, not_serializable, root_value, too_deep, with_model, NanMode, Options,
    MAX_DEPTH,
};
use crate::conv::dict_items;
use crate::json::float::write_float_repr;
use crate::model::serializers::Serializers;
use crate::model::ModelClass;
use crate::validate::model::ModelValidator;

/// A model instance as a dict (the receiver of `model_dump()`, known to be a model).
pub(crate) fn model_to_python<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    with_model(value, |model| {
        if filter.is_empty() {
            if let Some(dict) = direct::try_dump(py, &model.class, value, options, depth)? {
                return Ok(dict);
            }
        }
        let own = options.for_model(py, &model.class);
        let options = own.as_ref().unwrap_or(options);
        if model.class.root {
            return root_to_python(py, model, value, options, filter, depth);
        }
        if filter.is_empty() {
            if let Some(dict) = plain_dump(py, model, value, options, depth)? {
                return Ok(dict);
            }
        }
        model_dict(py, model, value, options, filter, depth)
    })
}

/// A root model is dumped as its `root` value.
#[inline(never)]
fn root_to_python<'py>(
    py: Python<'py>,
    model: &ModelValidator,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    match root_value(py, &model.class, value) {
        Some(item) => to_python(py, &item, options, filter, depth + 1),
        None => Ok(py.None().into_bound(py)),
    }
}

fn model_dict<'py>(
    py: Python<'py>,
    model: &ModelValidator,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(out) = model_result(py, &model.class, value, options, filter)? {
        return to_python(py, &out, options, &Filter::default(), depth + 1);
    }
    let class = &model.class;
    if let Some(custom) = class.serializers.as_deref() {
        if filter.is_empty()
            && !options.exclude_none
            && !options.exclude_unset
            && !options.exclude_defaults
            && class.extra_slot.is_none()
        {
            return custom_dump(py, class, custom, value, options, depth);
        }
    }
    model_fields_dict(py, class, value, options, filter, depth)
}

/// `plain_dump` for a model with field serializers or computed fields (its model serializer,
/// if any, does not apply): each value held (owned) while user code runs, through its field's
/// serializer when it has one; the computed fields follow the fields.
fn custom_dump<'py>(
    py: Python<'py>,
    class: &ModelClass,
    custom: &Serializers,
    value: &Bound<'py, PyAny>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let _keep = keep_alive(py, class)?;
    let none = Filter::default();
    let dict = PyDict::new(py);
    let key_of = |name: &Bound<'py, PyString>, alias: Option<&Bound<'py, PyString>>| match alias {
        Some(alias) if options.by_alias => alias.clone(),
        _ => name.clone(),
    };
    for (field, serializer) in class.fields.iter().zip(&custom.fields) {
        if field.exclude {
            continue;
        }
        let Some(item) = field.slot.load(py, value) else {
            continue;
        };
        let key = key_of(
            field.name.bind(py),
            field.ser_alias.as_ref().map(|a| a.bind(py)),
        );
        let item = if options.masks(field, &item) {
            secret_mask(py)
        } else {
            match serializer {
                Some(f) if f.applies(&item, options.json_mode) => {
                    let name = field.name.bind(py);
                    field_value(py, f, value, item, options, &none, name)?
                }
                _ => item,
            }
        };
        let item = if is_atomic(&item, options.json_mode) {
            item
        } else {
            to_python(py, &item, options, &none, depth + 1)?
        };
        set_item(&dict, &key, &item)?;
    }
    for computed in &custom.computed {
        let name = computed.name.bind(py);
        let item = computed_value(py, computed, value)?;
        let item = match &computed.serializer {
            Some(f) if f.applies(&item, options.json_mode) => {
                field_value(py, f, value, item, options, &none, name)?
            }
            _ => item,
        };
        let item = if is_atomic(&item, options.json_mode) {
            item
        } else {
            to_python(py, &item, options, &none, depth + 1)?
        };
        set_item(
            &dict,
            &key_of(name, computed.alias.as_ref().map(|a| a.bind(py))),
            &item,
        )?;
    }
    Ok(dict.into_any())
}

/// The dict of a model's fields (field serializers and computed fields applied).
#[inline]
pub(crate) fn model_fields_dict<'py>(
    py: Python<'py>,
    class: &ModelClass,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let dict = PyDict::new(py);
    for (key, item, child) in model_items(py, class, value, options, filter)? {
        dict.set_item(key, to_python(py, &item, options, &child, depth + 1)?)?;
    }
    Ok(dict.into_any())
}

pub(crate) fn to_python<'py>(
    py: Python<'py>,
    value: &Bound<'py, PyAny>,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    if depth > MAX_DEPTH {
        return Err(too_deep(py));
    }
    let kind = classify(value);
    match kind {
        Kind::Str | Kind::Int | Kind::Bool | Kind::None => Ok(value.clone()),
        Kind::Float => {
            let f = value.downcast::<PyFloat>()?.value();
            // NaN and the infinities are None unless the model keeps them (pydantic's floats)
            Ok(
                if options.json_mode && !f.is_finite() && options.nan == NanMode::Null {
                    py.None().into_bound(py)
                } else {
                    value.clone()
                },
            )
        }
        Kind::Model => model_to_python(py, value, options, filter, depth),
        Kind::List => {
            let list = value.downcast::<PyList>()?;
            if filter.is_empty() && depth < MAX_DEPTH && atomic_items(list, options.json_mode) {
                // nothing inside needs converting: one C-level copy
                return Ok(list.get_slice(0, list.len()).into_any());
            }
            if filter.is_empty() {
                return list_items(py, list, options, depth);
            }
            let items = sequence(py, list.iter(), list.len(), options, filter, depth)?;
            Ok(PyList::new(py, items)?.into_any())
        }
        Kind::Dict => {
            let out = PyDict::new(py);
            for (k, v) in dict_items(value.downcast::<PyDict>()?) {
                let Some(child) = filter.child(&k)? else {
                    continue;
                };
                let key = if options.json_mode {
                    json_key(py, &k)?.into_any()
                } else {
                    k
                };
                out.set_item(key, to_python(py, &v, options, &child, depth + 1)?)?;
            }
            Ok(out.into_any())
        }
        Kind::Tuple | Kind::Set | Kind::FrozenSet => {
            let items: Vec<Bound<'py, PyAny>> = value.try_iter()?.collect::<PyResult<_>>()?;
            let count = items.len();
            let items = sequence(py, items.into_iter(), count, options, filter, depth)?;
            if options.json_mode {
                return Ok(PyList::new(py, items)?.into_any());
            }
            Ok(match kind {
                Kind::Tuple => PyTuple::new(py, items)?.into_any(),
                Kind::Set => PySet::new(py, items)?.into_any(),
                _ => PyFrozenSet::new(py, items)?.into_any(),
            })
        }
        Kind::ForeignModel => with_model(value, |model| {
            let own = options.for_model(py, &model.class);
            let options = own.as_ref().unwrap_or(options);
            if model.class.root {
                return root_to_python(py, model, value, options, filter, depth);
            }
            model_dict(py, model, value, options, filter, depth)
        }),
        Kind::Dataclass => {
            let inner = super::classify::encoded(value)?;
            to_python(py, &inner, options, filter, depth + 1)
        }
        _ if !options.json_mode => Ok(value.clone()),
        Kind::StrSubclass | Kind::IntSubclass | Kind::FloatSubclass => Ok(value.clone()),
        Kind::Enum => {
            let inner = value.getattr(pyo3::intern!(py, "value"))?;
            to_python(py, &inner, options, filter, depth + 1)
        }
        Kind::Encoded => {
            let inner = super::classify::encoded(value)?;
            to_python(py, &inner, options, filter, depth + 1)
        }
        Kind::EncodedText => Ok(value.str()?.into_any()),
        Kind::TimeDelta if options.output.timedelta_float => {
            value.call_method0(pyo3::intern!(py, "total_seconds"))
        }
        _ => match special_text(value, kind, &options.output)? {
            Some(text) => Ok(text.into_py(py).into_any()),
            None => Err(not_serializable(value)),
        },
    }
}

/// A list's items through `to_python` into a new list of the same size (no filter).
fn list_items<'py>(
    py: Python<'py>,
    list: &Bound<'py, PyList>,
    options: &Options,
    depth: u32,
) -> PyResult<Bound<'py, PyAny>> {
    let none = Filter::default();
    let count = list.len();
    // SAFETY: a new list of `count` empty slots, each filled once with a new reference
    // (PyList_SetItem steals it); slots left empty (the source shrank meanwhile) are cut off
    // before the list is handed out.
    unsafe {
        let out = Bound::from_owned_ptr_or_err(py, pyo3::ffi::PyList_New(count as isize))?;
        let mut filled = 0;
        // a converter may run user code that shrinks the list: read by index, checked each time
        while filled < count && filled < list.len() {
            let item = list.get_item(filled)?;
            let converted = to_python(py, &item, options, &none, depth + 1)?;
            pyo3::ffi::PyList_SetItem(out.as_ptr(), filled as isize, converted.into_ptr());
            filled += 1;
        }
        if filled < count
            && pyo3::ffi::PyList_SetSlice(
                out.as_ptr(),
                filled as isize,
                count as isize,
                std::ptr::null_mut(),
            ) < 0
        {
            return Err(PyErr::fetch(py));
        }
        Ok(out)
    }
}

/// The items of a list, tuple or set, each through `to_python` with its own filter.
fn sequence<'py>(
    py: Python<'py>,
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    count: usize,
    options: &Options,
    filter: &Filter<'py>,
    depth: u32,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let mut out = Vec::new();
    for (index, item) in items.enumerate() {
        let Some(child) = filter.child_at(py, index, count)? else {
            continue;
        };
        out.push(to_python(py, &item, options, &child, depth + 1)?);
    }
    Ok(out)
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
    let class = &model.class;
    if options.by_alias
        || options.exclude_none
        || class.extra_slot.is_some()
        || class.serializers.is_some()
    {
        return Ok(None);
    }
    let omit = Omit::for_instance(class, value, options)?;
    // a few keys go into a new dict faster than a template is copied and overwritten (and a
    // dump that leaves fields out cannot start from all the keys)
    let dict = if class.fields.len() <= 5 || omit.is_some() {
        PyDict::new(py)
    } else {
        class.dump_template.bind(py).copy()?
    };
    let none = Filter::default();
    for (index, field) in class.fields.iter().enumerate() {
        if field.exclude {
            continue;
        }
        // the slot's value borrowed where its offset is known: no reference counting for the
        // common atomic values, which the dict takes its own reference to (never while an
        // omission check may run user code: `==` on a default)
        if let Some(ptr) = field.slot.peek(value.as_ptr()).filter(|_| omit.is_none()) {
            if ptr.is_null() {
                return Ok(None);
            }
            // SAFETY: a live value owned by the instance, borrowed while it is read
            let item = unsafe { pyo3::Borrowed::from_ptr(py, ptr) };
            if options.masks(field, &item) {
                set_item(&dict, field.name.bind(py), &secret_mask(py))?;
            } else if is_atomic(&item, options.json_mode) {
                set_item(&dict, field.name.bind(py), &item)?;
            } else {
                let converted = to_python(py, &item, options, &none, depth + 1)?;
                set_item(&dict, field.name.bind(py), &converted)?;
            }
            continue;
        }
        let Some(item) = field.slot.load(py, value) else {
            return Ok(None);
        };
        if let Some(omit) = &omit {
            if omit.omits(index, field, &item)? {
                continue;
            }
        }
        if options.masks(field, &item) {
            set_item(&dict, field.name.bind(py), &secret_mask(py))?;
        } else if is_atomic(&item, options.json_mode) {
            set_item(&dict, field.name.bind(py), &item)?;
        } else {
            let converted = to_python(py, &item, options, &none, depth + 1)?;
            set_item(&dict, field.name.bind(py), &converted)?;
        }
    }
    Ok(Some(dict.into_any()))
}

/// What a masked secret is dumped as.
fn secret_mask(py: Python<'_>) -> Bound<'_, PyAny> {
    PyString::intern(py, crate::model::SECRET_MASK).into_any()
}

/// `dict[key] = value` straight through the C API (the dict takes its own references).
#[inline(always)]
fn set_item(
    dict: &Bound<'_, PyDict>,
    key: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: live objects; PyDict_SetItem increfs key and value itself.
    if unsafe { pyo3::ffi::PyDict_SetItem(dict.as_ptr(), key.as_ptr(), value.as_ptr()) } < 0 {
        Err(PyErr::fetch(dict.py()))
    } else {
        Ok(())
    }
}

/// str, int, bool, None (and float outside JSON mode): `to_python` would return them unchanged.
#[inline]
pub(super) fn is_atomic(item: &Bound<'_, PyAny>, json_mode: bool) -> bool {
    match classify_atomic(item) {
        Some(Kind::Float) => !json_mode,
        Some(_) => true,
        None => false,
    }
}

/// The kind of the exact builtin scalars only (no table lookup).
#[inline]
fn classify_atomic(item: &Bound<'_, PyAny>) -> Option<Kind> {
    let ptr = item.as_ptr();
    // SAFETY: comparing a live object's type pointer with the addresses of static type objects.
    unsafe {
        let tp = pyo3::ffi::Py_TYPE(ptr);
        if tp == std::ptr::addr_of_mut!(pyo3::ffi::PyUnicode_Type) {
            Some(Kind::Str)
        } else if tp == std::ptr::addr_of_mut!(pyo3::ffi::PyLong_Type) {
            Some(Kind::Int)
        } else if ptr == pyo3::ffi::Py_None() {
            Some(Kind::None)
        } else if tp == std::ptr::addr_of_mut!(pyo3::ffi::PyBool_Type) {
            Some(Kind::Bool)
        } else if tp == std::ptr::addr_of_mut!(pyo3::ffi::PyFloat_Type) {
            Some(Kind::Float)
        } else {
            None
        }
    }
}

/// Every item of the list is atomic (see `is_atomic`): the list copies in one call.
pub(super) fn atomic_items(list: &Bound<'_, PyList>, json_mode: bool) -> bool {
    // borrowed reads, no reference counting: nothing runs between them
    (0..list.len()).all(|index| {
        // SAFETY: a live list and an index below its length: a borrowed item
        let item =
            unsafe { pyo3::ffi::PyList_GetItem(list.as_ptr(), index as pyo3::ffi::Py_ssize_t) };
        // SAFETY: a live item, borrowed for the check only
        !item.is_null()
            && is_atomic(
                &*unsafe { pyo3::Borrowed::from_ptr(list.py(), item) },
                json_mode,
            )
    })
}

/// A dict key in JSON mode: str as is; None, bools, ints, floats and enums as their JSON text.
pub(crate) fn json_key<'py>(
    py: Python<'py>,
    key: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyString>> {
    match classify(key) {
        Kind::Str | Kind::StrSubclass => Ok(key.downcast::<PyString>()?.clone()),
        Kind::None => Ok(PyString::new(py, "null")),
        Kind::Bool => Ok(PyString::new(
            py,
            if key.is_truthy()? { "true" } else { "false" },
        )),
        Kind::Int | Kind::IntSubclass => super::exact_int(py, key)?.str(),
        Kind::Float | Kind::FloatSubclass => {
            let f = key.downcast::<PyFloat>()?.value();
            if !f.is_finite() {
                return Ok(PyString::new(py, "null"));
            }
            let mut out = Vec::new();
            write_float_repr(f, &mut out);
            Ok(PyString::new(py, &String::from_utf8_lossy(&out)))
        }
        Kind::Enum => json_key(py, &key.getattr(pyo3::intern!(py, "value"))?),
        _ => Err(json_error(
            py,
            format!(
                "keys must be str, int, float, bool or None, not {}",
                key.get_type().name()?
            ),
        )),
    }
}
