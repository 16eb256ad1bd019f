//! The compiled model class: its field table, slot layout, allocation and configuration, and
//! the registry of model classes. Validators (`validate`), output (`serialize`) and row decoding
//! (`rows`) build on it; it depends on none of them.

pub(crate) mod alias_path;
pub(crate) mod chain;
pub(crate) mod copier;
pub(crate) mod dump_plan;
pub(crate) mod field;
pub(crate) mod fields_set;
pub(crate) mod registry;
pub(crate) mod serializers;
pub(crate) mod slot;

use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyString, PyType};

use dump_plan::DumpPlan;
pub(crate) use field::{Field, SECRET_MASK};
use slot::Slot;

use crate::cpython::gc;
use crate::errors::ferrule_err;
use crate::json::bytes_codec::BytesMode;
use crate::schema;

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Extra {
    Ignore,
    Forbid,
    Allow,
}

/// The model's `ser_json_*` options: how the values of its fields are written as JSON.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct JsonOutput {
    /// `ser_json_timedelta="float"`: seconds as a float, not ISO 8601 text.
    pub(crate) timedelta_float: bool,
    pub(crate) bytes: BytesMode,
    pub(crate) inf_nan: InfNan,
}

/// `ser_json_inf_nan`: what JSON text NaN and the infinities become.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum InfNan {
    #[default]
    Null,
    /// `NaN`, `Infinity`, `-Infinity`.
    Constants,
    /// `"NaN"`, `"Infinity"`, `"-Infinity"`.
    Strings,
}

impl JsonOutput {
    fn build(model: &Bound<'_, PyDict>) -> PyResult<Self> {
        let bad = |what: &str, value: &str| {
            pyo3::exceptions::PyValueError::new_err(format!("unknown {what} {value:?}"))
        };
        let text = |key: &'static str| schema::optional::<String>(model, key);
        Ok(JsonOutput {
            timedelta_float: match text("ser_json_timedelta")?.as_deref() {
                None | Some("iso8601") => false,
                Some("float") => true,
                Some(other) => return Err(bad("ser_json_timedelta", other)),
            },
            bytes: match text("ser_json_bytes")? {
                None => BytesMode::Utf8,
                Some(name) => {
                    BytesMode::named(&name).ok_or_else(|| bad("ser_json_bytes", &name))?
                }
            },
            inf_nan: match text("ser_json_inf_nan")?.as_deref() {
                None | Some("null") => InfNan::Null,
                Some("constants") => InfNan::Constants,
                Some("strings") => InfNan::Strings,
                Some(other) => return Err(bad("ser_json_inf_nan", other)),
            },
        })
    }
}

type Alloc = unsafe extern "C" fn(*mut ffi::PyTypeObject, ffi::Py_ssize_t) -> *mut ffi::PyObject;

/// A model class as the core sees it: built once from the class's schema.
pub(crate) struct ModelClass {
    pub(crate) cls: Py<PyType>,
    pub(crate) title: Py<PyString>,
    pub(crate) fields: Vec<Field>,
    pub(crate) extra: Extra,
    pub(crate) strict: bool,
    pub(crate) frozen: bool,
    pub(crate) populate_by_name: bool,
    pub(crate) validate_assignment: bool,
    /// The `__ferrule_extra__` slot of an `extra="allow"` class.
    pub(crate) extra_slot: Option<Slot>,
    /// Some field is `secret`: output takes the general path, which masks it.
    pub(crate) has_secret: bool,
    /// `from_attributes`: an object that is not a dict is read through its attributes.
    pub(crate) from_attributes: bool,
    /// A `RootModel`: its one field, `root`, is the whole input and the whole output.
    pub(crate) root: bool,
    /// The private attributes with a default: set on every new instance.
    private: Vec<(Slot, field::Default)>,
    /// The hidden slot saying which fields an instance was given (`fields_set`); a class
    /// without it (a hand-made schema's) has every field given.
    pub(crate) fields_set_slot: Option<Slot>,
    /// The int with a bit for every field (a record equal to it is cleared).
    pub(crate) all_given: PyObject,
    /// Some field reads its input through `AliasPath`/`AliasChoices` paths.
    pub(crate) has_paths: bool,
    alloc: Alloc,
    /// `{field name: None}` for every dumped field, in order: `model_dump()` copies it.
    pub(crate) dump_template: Py<PyDict>,
    /// The `ser_json_*` options its fields are written by.
    pub(crate) json_output: JsonOutput,
    /// Field/model serializers and computed fields (None: the dumps' fast paths apply).
    pub(crate) serializers: Option<Box<serializers::Serializers>>,
    /// How the plain `model_dump()` fills a template copy (decided on the first dump).
    dump_plan: GILOnceCell<Option<DumpPlan>>,
    /// Instances may leave the cyclic collector when their fields hold nothing collectable:
    /// the class has no `__dict__`, no extras dict and no private attributes (`settle`).
    untrackable: bool,
    /// The field last found holding a collectable value: checked first, since a class whose
    /// instances hold a list usually holds it in the same field every time.
    collectable_hint: AtomicUsize,
}

impl ModelClass {
    pub(crate) fn build(model: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = model.py();
        let cls: Bound<'_, PyType> = schema::required(model, "cls")?;
        let fields = schema::schema_list(model, "fields")?
            .iter()
            .map(|f| Field::build(&cls, f))
            .collect::<PyResult<Vec<_>>>()?;
        let extra = match schema::optional::<String>(model, "extra")?.as_deref() {
            Some("forbid") => Extra::Forbid,
            Some("allow") => Extra::Allow,
            _ => Extra::Ignore,
        };
        let extra_slot = if extra == Extra::Allow {
            Some(Slot::lookup(&cls, "__ferrule_extra__")?)
        } else {
            None
        };
        // SAFETY: every heap type has tp_alloc (PyType_GenericAlloc unless overridden).
        let alloc = unsafe {
            let ptr = ffi::PyType_GetSlot(cls.as_ptr().cast(), ffi::Py_tp_alloc);
            if ptr.is_null() {
                return Err(ferrule_err(
                    py,
                    "SchemaError",
                    "model class without tp_alloc",
                ));
            }
            std::mem::transmute::<*mut std::ffi::c_void, Alloc>(ptr)
        };
        let dump_template = PyDict::new(py);
        for field in fields.iter().filter(|f| !f.exclude) {
            dump_template.set_item(field.name.bind(py), py.None())?;
        }
        let has_secret = fields.iter().any(|f| f.secret);
        let private = match schema::object(model, "private")? {
            Some(entries) => entries
                .try_iter()?
                .map(|entry| private_default(&cls, &entry?))
                .collect::<PyResult<Vec<_>>>()?,
            None => Vec::new(),
        };
        let root = schema::flag(model, "root")?;
        if root && fields.len() != 1 {
            return Err(ferrule_err(
                py,
                "SchemaError",
                "a root model has exactly one field",
            ));
        }
        let fields_set_slot = if cls.hasattr(fields_set::SLOT_NAME)? {
            Some(Slot::lookup(&cls, fields_set::SLOT_NAME)?)
        } else {
            None
        };
        let all_given = fields_set::all_bits(py, fields.len())?;
        let has_paths = fields.iter().any(|f| !f.paths.is_empty());
        let serializers = serializers::Serializers::build(model, fields.len())?;
        let title: String = schema::optional(model, "name")?.unwrap_or(cls.name()?.to_string());
        let untrackable = extra_slot.is_none()
            && private.is_empty()
            && cls
                .getattr(pyo3::intern!(py, "__dictoffset__"))?
                .extract::<isize>()?
                == 0;
        Ok(ModelClass {
            title: PyString::new(py, &title).unbind(),
            cls: cls.unbind(),
            fields,
            extra,
            strict: schema::flag(model, "strict")?,
            frozen: schema::flag(model, "frozen")?,
            populate_by_name: schema::flag(model, "populate_by_name")?,
            validate_assignment: schema::optional::<bool>(model, "validate_assignment")?
                .unwrap_or(true),
            extra_slot,
            has_secret,
            from_attributes: schema::optional::<bool>(model, "from_attributes")?.unwrap_or(false),
            root,
            private,
            fields_set_slot,
            all_given,
            has_paths,
            alloc,
            dump_template: dump_template.unbind(),
            json_output: JsonOutput::build(model)?,
            serializers,
            dump_plan: GILOnceCell::new(),
            untrackable,
            collectable_hint: AtomicUsize::new(0),
        })
    }

    /// The direct `model_dump()` plan of the class, if it has one.
    #[inline]
    pub(crate) fn dump_plan(&self, py: Python<'_>) -> Option<&DumpPlan> {
        self.dump_plan
            .get_or_init(py, || DumpPlan::build(py, self))
            .as_ref()
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.cls
            .bind(py)
            .name()
            .map(|n| n.into_any().unbind())
            .unwrap_or_else(|_| py.None())
    }

    /// An instance of the class from its own `tp_alloc` (the field slots NULL), for a caller
    /// that fills the slots itself and then calls `finish_instance`. Runs no user code, but
    /// for the default factories of private attributes (their defaults are set here).
    pub(crate) fn allocate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: alloc is the class's own tp_alloc; it returns a new reference or NULL.
        let instance = unsafe {
            let ptr = (self.alloc)(self.cls.bind(py).as_ptr().cast(), 0);
            if ptr.is_null() {
                return Err(PyErr::fetch(py));
            }
            Bound::from_owned_ptr(py, ptr)
        };
        if !self.private.is_empty() {
            self.start_private(py, &instance)?;
        }
        Ok(instance)
    }

    #[inline(never)]
    fn start_private(&self, py: Python<'_>, instance: &Bound<'_, PyAny>) -> PyResult<()> {
        for (slot, default) in &self.private {
            let value = match default {
                field::Default::Factory(factory) => factory.bind(py).call0()?,
                field::Default::Value(value, _) => value.bind(py).clone(),
                field::Default::Required => continue,
            };
            slot.store_new(py, instance, value)?;
        }
        Ok(())
    }

    /// Store the extra values (an `extra="allow"` class always gets a dict).
    pub(crate) fn finish_instance<'py>(
        &self,
        py: Python<'py>,
        instance: Bound<'py, PyAny>,
        extras: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if let Some(slot) = &self.extra_slot {
            let extras = extras.unwrap_or_else(|| PyDict::new(py));
            slot.store(py, &instance, extras.as_any())?;
        }
        if gc::in_batch() {
            self.settle(py, &instance);
        }
        Ok(instance)
    }

    /// Take a new instance out of the cyclic collector when none of its slots holds an object
    /// the collector could reach (see `cpython::gc`); every later store re-tracks it.
    #[inline]
    fn settle(&self, py: Python<'_>, instance: &Bound<'_, PyAny>) {
        if !self.untrackable {
            return;
        }
        let holds = |slot: &Slot| holds_collectable(py, slot, instance);
        let hint = self.collectable_hint.load(Ordering::Relaxed);
        if self.fields.get(hint).is_some_and(|f| holds(&f.slot)) {
            return;
        }
        if let Some(index) = self.fields.iter().position(|f| holds(&f.slot)) {
            self.collectable_hint.store(index, Ordering::Relaxed);
            return;
        }
        if self.fields_set_slot.as_ref().is_some_and(holds) {
            return;
        }
        gc::untrack(instance.as_ptr());
    }

    /// A new instance with `values` in field order; runs no `__init__` and no validation.
    pub(crate) fn instantiate<'py>(
        &self,
        py: Python<'py>,
        values: Vec<Bound<'py, PyAny>>,
        extras: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let instance = self.allocate(py)?;
        for (field, value) in self.fields.iter().zip(values) {
            field.slot.store_new(py, &instance, value)?;
        }
        self.finish_instance(py, instance, extras)
    }

    /// Move every field (and the extras) of `source`, a fresh instance of this class, into
    /// `target`: `__init__` validates into a new instance, then fills `self` from it.
    pub(crate) fn move_into(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        target: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        for field in &self.fields {
            if let Some(value) = field.slot.load(py, source) {
                field.slot.store(py, target, &value)?;
            }
        }
        for slot in self.extra_slot.iter().chain(&self.fields_set_slot) {
            match slot.load(py, source) {
                Some(value) => slot.store(py, target, &value)?,
                None if slot.load(py, target).is_some() => slot.clear(py, target)?,
                None => {}
            }
        }
        Ok(())
    }

    /// The position of the field called `name` in the table.
    pub(crate) fn field_index(&self, name: &Bound<'_, PyString>) -> Option<usize> {
        let ptr = name.as_ptr();
        if let Some(index) = self.fields.iter().position(|f| f.name.as_ptr() == ptr) {
            return Some(index);
        }
        let text = name.to_str().ok()?;
        self.fields.iter().position(|f| f.name_str == text)
    }

    /// The index of the field whose name is this very string object (names are interned).
    #[inline]
    pub(crate) fn field_index_by_ptr(&self, name: &Bound<'_, PyString>) -> Option<usize> {
        let ptr = name.as_ptr();
        self.fields.iter().position(|f| f.name.as_ptr() == ptr)
    }

    pub(crate) fn field_by_name(&self, name: &Bound<'_, PyString>) -> Option<&Field> {
        self.field_index(name).map(|index| &self.fields[index])
    }

    /// The field an input key feeds (and whether the key was its alias), trying `hint` first:
    /// keys usually arrive in declaration order, so the next expected field is one comparison away.
    pub(crate) fn field_for_key_from(&self, key: &str, hint: usize) -> Option<(usize, bool)> {
        let matches = |f: &Field| match &f.alias {
            Some((_, alias)) if same_key(alias, key) => Some(true),
            Some(_) if self.populate_by_name && same_key(&f.name_str, key) => Some(false),
            Some(_) => None,
            // a field read by paths takes its name only with `populate_by_name`
            None if same_key(&f.name_str, key) && (f.paths.is_empty() || self.populate_by_name) => {
                Some(false)
            }
            None => None,
        };
        if let Some(alias) = self.fields.get(hint).and_then(matches) {
            return Some((hint, alias));
        }
        self.fields
            .iter()
            .enumerate()
            .find_map(|(i, f)| matches(f).map(|alias| (i, alias)))
    }
}

/// Whether the slot of `instance` holds an object the collector could reach.
#[inline(always)]
fn holds_collectable(py: Python<'_>, slot: &Slot, instance: &Bound<'_, PyAny>) -> bool {
    match slot.peek(instance.as_ptr()) {
        Some(ptr) => !ptr.is_null() && gc::may_be_tracked(ptr),
        None => slot
            .load(py, instance)
            .is_some_and(|value| gc::may_be_tracked(value.as_ptr())),
    }
}

/// One entry of a model schema's `"private"` list: the slot and its default (a mutable
/// default comes as a factory that copies it).
fn private_default(
    cls: &Bound<'_, PyType>,
    entry: &Bound<'_, PyAny>,
) -> PyResult<(Slot, field::Default)> {
    let entry = entry.downcast::<PyDict>()?;
    let name: String = schema::required(entry, "name")?;
    let default = match schema::object(entry, "default_factory")? {
        Some(factory) => field::Default::Factory(factory.unbind()),
        None => match entry.get_item("default")? {
            Some(value) => field::Default::Value(value.unbind(), false),
            None => field::Default::Required,
        },
    };
    Ok((Slot::lookup(cls, &name)?, default))
}

/// `a == b` for short keys without a call to `memcmp`: field names are short, and comparing
/// them is most of matching a JSON key to its field.
#[inline(always)]
fn same_key(a: &str, b: &str) -> bool {
    crate::json::write::same_bytes(a.as_bytes(), b.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::same_key;

    #[test]
    fn same_key_sees_a_difference_at_every_position_and_length() {
        for len in 0..24usize {
            let base: String = (0..len).map(|i| (b'a' + (i % 26) as u8) as char).collect();
            assert!(same_key(&base, &base.clone()), "equal at {len}");
            for at in 0..len {
                let mut other = base.clone().into_bytes();
                other[at] = b'Z';
                let other = String::from_utf8(other).unwrap();
                assert!(!same_key(&base, &other), "length {len}, differs at {at}");
            }
            assert!(!same_key(&base, &format!("{base}x")), "longer than {len}");
        }
    }
}
