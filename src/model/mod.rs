//! The compiled model class: its field table, slot layout, allocation and configuration, and
//! the registry of model classes. Validators (`validate`), output (`serialize`) and row decoding
//! (`rows`) build on it; it depends on none of them.

pub(crate) mod field;
pub(crate) mod registry;
pub(crate) mod serializers;
pub(crate) mod slot;

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};

pub(crate) use field::{Field, SECRET_MASK};
use slot::Slot;

use crate::errors::ferrule_err;
use crate::schema;

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Extra {
    Ignore,
    Forbid,
    Allow,
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
    alloc: Alloc,
    /// `{field name: None}` for every dumped field, in order: `model_dump()` copies it.
    pub(crate) dump_template: Py<PyDict>,
    /// Field/model serializers and computed fields (None: the dumps' fast paths apply).
    pub(crate) serializers: Option<Box<serializers::Serializers>>,
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
        let serializers = serializers::Serializers::build(model, fields.len())?;
        let title: String = schema::optional(model, "name")?.unwrap_or(cls.name()?.to_string());
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
            alloc,
            dump_template: dump_template.unbind(),
            serializers,
        })
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.cls
            .bind(py)
            .name()
            .map(|n| n.into_any().unbind())
            .unwrap_or_else(|_| py.None())
    }

    /// An empty instance of the class from its own `tp_alloc` (all slots NULL), for a caller
    /// that fills the slots itself and then calls `finish_instance`. Runs no user code.
    pub(crate) fn allocate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: alloc is the class's own tp_alloc; it returns a new reference or NULL.
        unsafe {
            let ptr = (self.alloc)(self.cls.bind(py).as_ptr().cast(), 0);
            if ptr.is_null() {
                return Err(PyErr::fetch(py));
            }
            Ok(Bound::from_owned_ptr(py, ptr))
        }
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
        Ok(instance)
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
        if let Some(slot) = &self.extra_slot {
            if let Some(extras) = slot.load(py, source) {
                slot.store(py, target, &extras)?;
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

    /// The field whose name is this very string object (names are interned).
    #[inline]
    pub(crate) fn field_by_ptr(&self, name: &Bound<'_, PyString>) -> Option<&Field> {
        let ptr = name.as_ptr();
        self.fields.iter().find(|f| f.name.as_ptr() == ptr)
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
            None if same_key(&f.name_str, key) => Some(false),
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
