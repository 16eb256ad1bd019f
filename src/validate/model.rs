//! `model`: a dict (or JSON object) → an instance of the class, fields stored straight into the
//! class's `__slots__` through their member descriptors.

use std::os::raw::c_int;

use jiter::JsonValue;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyType};
use pyo3::Borrowed;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};

use super::errors::{line_with_ctx, Errors, LineError, Loc, ValError, ValResult};
use super::function::user_error;
use super::{schema, State, Validator, MAX_DEPTH};
use crate::conv::{json_to_py, py_mapping_abc};
use crate::errors::ferrule_err;
use crate::input::Input;
use crate::schema_validator::SchemaValidator;

type DescrSet =
    unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> c_int;
type DescrGet = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *mut ffi::PyObject,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;
type Alloc = unsafe extern "C" fn(*mut ffi::PyTypeObject, ffi::Py_ssize_t) -> *mut ffi::PyObject;

/// A `__slots__` member: its descriptor and the C functions that read and write it.
pub(crate) struct Slot {
    descr: PyObject,
    set: DescrSet,
    get: DescrGet,
    /// The slot's byte offset in the instance, when it could be read from the descriptor and
    /// verified; then fresh instances are filled and slots read without calling the descriptor.
    offset: Option<usize>,
}

/// `PyMemberDescrObject.d_member` and `PyMemberDef.offset` (CPython 3.10-3.14, 64-bit).
const DESCR_MEMBER: usize = 40;
const MEMBER_OFFSET: usize = 16;

/// Read the slot offset out of a member descriptor, then prove it on a scratch instance:
/// a value stored through the descriptor must be found at that offset.
/// The slot at `offset` bytes into `obj`.
///
/// # Safety
/// `offset` must be a verified slot offset of `obj`'s class.
#[inline(always)]
unsafe fn slot_at(obj: &Bound<'_, PyAny>, offset: usize) -> *mut *mut ffi::PyObject {
    obj.as_ptr().cast::<u8>().add(offset).cast()
}

fn verified_offset(
    cls: &Bound<'_, PyType>,
    descr: &Bound<'_, PyAny>,
    set: DescrSet,
) -> Option<usize> {
    if !cfg!(target_pointer_width = "64") {
        return None;
    }
    let py = cls.py();
    let basicsize: usize = cls.getattr("__basicsize__").ok()?.extract().ok()?;
    // SAFETY: reads inside a live member descriptor; the candidate offset is bounds-checked
    // against the instance size before the scratch instance is touched.
    unsafe {
        let member = *(descr
            .as_ptr()
            .cast::<u8>()
            .add(DESCR_MEMBER)
            .cast::<*const u8>());
        if member.is_null() {
            return None;
        }
        let offset = *(member.add(MEMBER_OFFSET).cast::<isize>());
        if offset < 16 || offset as usize + 8 > basicsize || offset % 8 != 0 {
            return None;
        }
        let alloc = ffi::PyType_GetSlot(cls.as_ptr().cast(), ffi::Py_tp_alloc);
        if alloc.is_null() {
            return None;
        }
        let alloc = std::mem::transmute::<*mut std::ffi::c_void, Alloc>(alloc);
        let scratch = alloc(cls.as_ptr().cast(), 0);
        if scratch.is_null() {
            ffi::PyErr_Clear();
            return None;
        }
        let scratch = Bound::from_owned_ptr(py, scratch);
        let marker = PyDict::new(py);
        if set(descr.as_ptr(), scratch.as_ptr(), marker.as_ptr()) < 0 {
            ffi::PyErr_Clear();
            return None;
        }
        let found = *(scratch
            .as_ptr()
            .cast::<u8>()
            .add(offset as usize)
            .cast::<*mut ffi::PyObject>());
        (found == marker.as_ptr()).then_some(offset as usize)
    }
}

impl Slot {
    fn lookup(cls: &Bound<'_, PyType>, name: &str) -> PyResult<Slot> {
        let py = cls.py();
        let descr = cls.getattr(name)?;
        if descr.get_type().name()? != "member_descriptor" {
            return Err(ferrule_err(
                py,
                "SchemaError",
                format!("{}.{name} is not a slot", cls.name()?),
            ));
        }
        // SAFETY: member_descriptor is a static type; PyType_GetSlot accepts static types on 3.10+.
        unsafe {
            let tp = ffi::Py_TYPE(descr.as_ptr());
            let set = ffi::PyType_GetSlot(tp, ffi::Py_tp_descr_set);
            let get = ffi::PyType_GetSlot(tp, ffi::Py_tp_descr_get);
            if set.is_null() || get.is_null() {
                return Err(ferrule_err(
                    py,
                    "SchemaError",
                    "member descriptor without get/set",
                ));
            }
            let set = std::mem::transmute::<*mut std::ffi::c_void, DescrSet>(set);
            let offset = verified_offset(cls, &descr, set);
            Ok(Slot {
                descr: descr.unbind(),
                set,
                get: std::mem::transmute::<*mut std::ffi::c_void, DescrGet>(get),
                offset,
            })
        }
    }

    #[inline]
    pub(crate) fn store(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        // SAFETY: the descriptor belongs to obj's class (checked at build); set increfs value.
        let rc = unsafe { (self.set)(self.descr.as_ptr(), obj.as_ptr(), value.as_ptr()) };
        if rc < 0 {
            Err(PyErr::fetch(py))
        } else {
            Ok(())
        }
    }

    /// Store into a slot that may hold a value already (assignment), dropping the old one.
    #[inline]
    pub(crate) fn replace(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: Bound<'_, PyAny>,
    ) -> PyResult<()> {
        match self.offset {
            // SAFETY: verified offset inside an instance of the slot's class; the new reference
            // is moved in and the old one released after the store, as member_set does.
            Some(offset) => unsafe {
                let old = std::ptr::replace(slot_at(obj, offset), value.into_ptr());
                if !old.is_null() {
                    ffi::Py_DecRef(old);
                }
                Ok(())
            },
            None => self.store(py, obj, &value),
        }
    }

    /// Fill the slot of an instance fresh from `tp_alloc` (slot still NULL), moving `value` in.
    #[inline]
    pub(crate) fn store_new(
        &self,
        py: Python<'_>,
        obj: &Bound<'_, PyAny>,
        value: Bound<'_, PyAny>,
    ) -> PyResult<()> {
        match self.offset {
            // SAFETY: verified offset inside the instance; the slot is NULL, so nothing leaks.
            Some(offset) => unsafe {
                *slot_at(obj, offset) = value.into_ptr();
                Ok(())
            },
            None => self.store(py, obj, &value),
        }
    }

    /// The slot's value, or `None` when it was never set.
    #[inline]
    pub(crate) fn load<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> Option<Bound<'py, PyAny>> {
        if let Some(offset) = self.offset {
            // SAFETY: verified offset; a non-NULL slot holds a live reference owned by obj.
            unsafe {
                let ptr = *slot_at(obj, offset);
                return if ptr.is_null() {
                    None
                } else {
                    Some(Bound::from_borrowed_ptr(py, ptr))
                };
            }
        }
        // SAFETY: returns a new reference or NULL with an AttributeError set.
        unsafe {
            let ptr = (self.get)(
                self.descr.as_ptr(),
                obj.as_ptr(),
                ffi::Py_TYPE(obj.as_ptr()).cast(),
            );
            if ptr.is_null() {
                ffi::PyErr_Clear();
                None
            } else {
                Some(Bound::from_owned_ptr(py, ptr))
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Extra {
    Ignore,
    Forbid,
    Allow,
}

enum Default {
    Required,
    Value(PyObject, bool),
    Factory(PyObject),
}

pub(crate) struct Field {
    pub(crate) name: Py<PyString>,
    pub(crate) name_str: String,
    pub(crate) alias: Option<(Py<PyString>, String)>,
    validator: Validator,
    default: Default,
    frozen: bool,
    pub(crate) exclude: bool,
    messages: Vec<(String, PyObject)>,
    pub(crate) slot: Slot,
    /// The validator can run user code: take a reference to the input value, never borrow it.
    borrow_unsafe: bool,
    /// `"name":` and `"alias":` already JSON-encoded, for compact JSON output.
    pub(crate) json_key: Vec<u8>,
    pub(crate) json_alias_key: Vec<u8>,
}

impl Field {
    fn build(cls: &Bound<'_, PyType>, schema: &Bound<'_, PyDict>) -> PyResult<Field> {
        let py = cls.py();
        let name_str: String = schema::required(schema, "name")?;
        let alias = schema::optional::<String>(schema, "alias")?
            .map(|a| (PyString::intern(py, &a).unbind(), a));
        let default = if let Some(factory) = schema::object(schema, "default_factory")? {
            Default::Factory(factory.unbind())
        } else if let Some(value) = schema.get_item("default")? {
            let copy = value.is_instance_of::<PyList>()
                || value.is_instance_of::<PyDict>()
                || value.is_instance_of::<pyo3::types::PySet>()
                || value.is_instance_of::<pyo3::types::PyByteArray>();
            Default::Value(value.unbind(), copy)
        } else {
            Default::Required
        };
        let messages = match schema::object(schema, "messages")? {
            Some(m) => m
                .downcast::<PyDict>()?
                .iter()
                .map(|(k, v)| Ok((k.extract::<String>()?, v.unbind())))
                .collect::<PyResult<Vec<_>>>()?,
            None => Vec::new(),
        };
        let encoded = |text: &str| {
            let mut out = Vec::with_capacity(text.len() + 3);
            crate::parse::json_write::write_json_str(text, &mut out);
            out.push(b':');
            out
        };
        let json_key = encoded(&name_str);
        let json_alias_key = alias
            .as_ref()
            .map_or_else(|| json_key.clone(), |(_, a)| encoded(a));
        let validator = Validator::build(&schema::sub_schema(schema, "schema")?)?;
        Ok(Field {
            borrow_unsafe: validator.runs_user_code(),
            json_key,
            json_alias_key,
            name: PyString::intern(py, &name_str).unbind(),
            slot: Slot::lookup(cls, &name_str)?,
            name_str,
            alias,
            validator,
            default,
            frozen: schema::flag(schema, "frozen")?,
            exclude: schema::flag(schema, "exclude")?,
            messages,
        })
    }

    pub(crate) fn validator(&self) -> &Validator {
        &self.validator
    }

    pub(crate) fn missing_line(&self, py: Python<'_>, input: PyObject) -> LineError {
        missing(py, self, input)
    }

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

    /// Replace messages of the codes this field customises.
    pub(crate) fn customise(&self, py: Python<'_>, err: ValError) -> ValError {
        if self.messages.is_empty() {
            return err;
        }
        match err {
            ValError::Lines(mut lines) => {
                for line in &mut lines {
                    if let Some((_, msg)) =
                        self.messages.iter().find(|(code, _)| *code == line.kind)
                    {
                        line.msg = Some(msg.clone_ref(py));
                    }
                }
                ValError::Lines(lines)
            }
            other => other,
        }
    }

    pub(crate) fn key_for(&self, alias_used: bool) -> &Py<PyString> {
        match (&self.alias, alias_used) {
            (Some((alias, _)), true) => alias,
            _ => &self.name,
        }
    }
}

pub(crate) struct ModelValidator {
    pub(crate) cls: Py<PyType>,
    pub(crate) title: Py<PyString>,
    pub(crate) fields: Vec<Field>,
    extra: Extra,
    strict: bool,
    frozen: bool,
    populate_by_name: bool,
    validate_assignment: bool,
    before: Vec<PyObject>,
    after: Vec<PyObject>,
    pub(crate) extra_slot: Option<Slot>,
    alloc: Alloc,
    /// `{field name: None}` for every dumped field, in order: `model_dump()` copies it.
    pub(crate) dump_template: Py<PyDict>,
}

impl ModelValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let cls: Bound<'_, PyType> = schema::required(schema, "cls")?;
        let fields = schema::schema_list(schema, "fields")?
            .iter()
            .map(|f| Field::build(&cls, f))
            .collect::<PyResult<Vec<_>>>()?;
        let extra = match schema::optional::<String>(schema, "extra")?.as_deref() {
            Some("forbid") => Extra::Forbid,
            Some("allow") => Extra::Allow,
            _ => Extra::Ignore,
        };
        let callables = |key: &str| -> PyResult<Vec<PyObject>> {
            Ok(match schema::object(schema, key)? {
                Some(list) => list
                    .try_iter()?
                    .map(|f| f.map(Bound::unbind))
                    .collect::<PyResult<_>>()?,
                None => Vec::new(),
            })
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
        let dump_template = dump_template.unbind();
        let title: String = schema::optional(schema, "name")?.unwrap_or(cls.name()?.to_string());
        Ok(ModelValidator {
            title: PyString::new(py, &title).unbind(),
            cls: cls.unbind(),
            fields,
            extra,
            strict: schema::flag(schema, "strict")?,
            frozen: schema::flag(schema, "frozen")?,
            populate_by_name: schema::flag(schema, "populate_by_name")?,
            validate_assignment: schema::optional::<bool>(schema, "validate_assignment")?
                .unwrap_or(true),
            before: callables("before_validators")?,
            after: callables("after_validators")?,
            extra_slot,
            alloc,
            dump_template,
        })
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.cls
            .bind(py)
            .name()
            .map(|n| n.into_any().unbind())
            .unwrap_or_else(|_| py.None())
    }

    fn type_error(&self, py: Python<'_>, input: Input<'_, '_>) -> ValError {
        ValError::Lines(vec![line_with_ctx(
            py,
            "model_type",
            input.to_object(py),
            &[("class_name", self.class_name(py))],
        )])
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if state.depth >= MAX_DEPTH {
            return Err(ValError::new(py, "recursion_loop", input));
        }
        let key = match input {
            Input::Py(obj) if obj.is_instance_of::<PyDict>() => obj.as_ptr() as usize,
            _ => 0,
        };
        if key != 0 {
            if state.active.contains(&key) {
                return Err(ValError::new(py, "recursion_loop", input));
            }
            state.active.push(key);
        }
        state.depth += 1;
        let result = self.validate_inner(py, input, state);
        state.depth -= 1;
        if key != 0 {
            state.active.pop();
        }
        result
    }

    fn validate_inner<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if !self.before.is_empty() {
            let mut data = input.to_object(py).into_bound(py);
            for function in &self.before {
                data = function
                    .bind(py)
                    .call1((&data,))
                    .map_err(|err| user_error(py, err, &data))?;
            }
            return self.validate_data(py, Input::Py(&data), state);
        }
        self.validate_data(py, input, state)
    }

    fn validate_data<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let instance = match input {
            Input::Py(obj) => {
                if let Ok(dict) = obj.downcast_exact::<PyDict>() {
                    self.validate_dict(py, dict, state)?
                } else if obj.is_instance(self.cls.bind(py))? {
                    return Ok(obj.clone());
                } else if let Ok(dict) = obj.downcast::<PyDict>() {
                    self.validate_dict(py, dict, state)?
                } else if !strict && obj.is_instance(py_mapping_abc(py))? {
                    let dict = PyDict::from_sequence(&obj.call_method0("items")?)?;
                    self.validate_dict(py, &dict, state)?
                } else {
                    return Err(self.type_error(py, input));
                }
            }
            Input::Json(JsonValue::Object(pairs)) => self.validate_json_object(py, pairs, state)?,
            Input::Json(_) => return Err(self.type_error(py, input)),
        };
        self.run_after(py, instance)
    }

    fn run_after<'py>(
        &self,
        py: Python<'py>,
        mut instance: Bound<'py, PyAny>,
    ) -> ValResult<Bound<'py, PyAny>> {
        for function in &self.after {
            let result = function
                .bind(py)
                .call1((&instance,))
                .map_err(|err| user_error(py, err, &instance))?;
            if !result.is_none() {
                instance = result;
            }
        }
        Ok(instance)
    }

    fn validate_dict<'py>(
        &self,
        py: Python<'py>,
        dict: &Bound<'py, PyDict>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.validate_source(py, &DictSource::new(dict), state)
    }

    /// Keyword arguments of a constructor call, read without building a dict.
    pub(crate) fn validate_kwargs<'py>(
        &self,
        py: Python<'py>,
        names: &[Borrowed<'_, 'py, PyAny>],
        values: &[Borrowed<'_, 'py, PyAny>],
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut state = State::new(None);
        let source = KwSource {
            names,
            values,
            next: std::cell::Cell::new(0),
        };
        if !self.before.is_empty() {
            // before-validators see the keywords as one dict
            let dict = source.whole(py)?.into_bound(py);
            return self.validate(py, Input::Py(&dict), &mut state);
        }
        let instance = self.validate_source(py, &source, &mut state)?;
        self.run_after(py, instance)
    }

    fn validate_source<'py, S: Source<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        // values go straight into the slots of a fresh instance; on errors it is dropped
        // (deallocation skips the slots still NULL)
        let instance = self.allocate(py)?;
        let mut errors = Errors::default();
        let mut used = 0usize;
        for field in &self.fields {
            let (found, alias_used) = match &field.alias {
                Some((alias, alias_str)) => match source.get(py, alias, alias_str)? {
                    Some(v) => (Some(v), true),
                    None if self.populate_by_name => {
                        (source.get(py, &field.name, &field.name_str)?, false)
                    }
                    None => (None, false),
                },
                None => (source.get(py, &field.name, &field.name_str)?, false),
            };
            match found {
                Some(raw) => {
                    used += 1;
                    // borrowed is safe only if nothing below can run user code
                    let owned = field.borrow_unsafe.then(|| raw.to_owned());
                    let raw: &Bound<'py, PyAny> = owned.as_ref().unwrap_or(&raw);
                    match field.validator.validate(py, Input::Py(raw), state) {
                        Ok(value) => field.slot.store_new(py, &instance, value)?,
                        Err(err) => {
                            let key = field.key_for(alias_used);
                            errors.absorb(field.customise(py, err), || {
                                Loc::Key(key.clone_ref(py).into_any())
                            })?;
                        }
                    }
                }
                None => match field.default_value(py)? {
                    Some(value) => field.slot.store_new(py, &instance, value)?,
                    None => errors.push(missing(py, field, source.whole(py)?)),
                },
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.extra != Extra::Ignore && used < source.len() {
            for (key, value) in source.items(py)? {
                if self.is_field_key(&key) {
                    continue;
                }
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        Ok(self.finish_instance(py, instance, extras)?)
    }

    fn validate_json_object<'py>(
        &self,
        py: Python<'py>,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut values: Vec<Bound<'py, PyAny>> = Vec::with_capacity(self.fields.len());
        let mut errors = Errors::default();
        let find = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v)
        };
        for field in &self.fields {
            let (found, alias_used) = match &field.alias {
                Some((_, alias)) => match find(alias) {
                    Some(v) => (Some(v), true),
                    None if self.populate_by_name => (find(&field.name_str), false),
                    None => (None, false),
                },
                None => (find(&field.name_str), false),
            };
            match found {
                Some(raw) => match field.validator.validate(py, Input::Json(raw), state) {
                    Ok(value) => values.push(value),
                    Err(err) => {
                        let key = field.key_for(alias_used);
                        errors.absorb(field.customise(py, err), || {
                            Loc::Key(key.clone_ref(py).into_any())
                        })?;
                    }
                },
                None => self.fill_default_json(py, field, &mut values, &mut errors, pairs)?,
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.extra != Extra::Ignore {
            // json.loads semantics for repeated keys: first position, last value
            let unknown = PyDict::new(py);
            for (key, value) in pairs.iter() {
                if !self.is_field_name(key) {
                    unknown.set_item(key.as_ref(), json_to_py(py, value))?;
                }
            }
            for (key, value) in unknown.iter() {
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        Ok(self.instantiate(py, &values, extras)?)
    }

    /// Streaming JSON: takes no before-validators (they need the whole input first).
    pub(crate) fn streams(&self) -> bool {
        self.before.is_empty()
    }

    pub(crate) fn extra(&self) -> Extra {
        self.extra
    }

    /// The field a JSON key feeds, and whether the key was its alias (same rules as lookups).
    /// The field a JSON key feeds (and whether the key was its alias), trying `hint` first: keys usually arrive in declaration
    /// order, so the next expected field is one comparison away.
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

    pub(crate) fn after_validators<'py>(
        &self,
        py: Python<'py>,
        instance: Bound<'py, PyAny>,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.run_after(py, instance)
    }

    pub(crate) fn extra_item<'py>(
        &self,
        py: Python<'py>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
        extras: &mut Option<Bound<'py, PyDict>>,
        errors: &mut Errors,
    ) {
        self.handle_extra(py, key, value, extras, errors)
    }

    fn is_field_name(&self, key: &str) -> bool {
        self.fields.iter().any(|f| {
            f.alias.as_ref().map_or(f.name_str == key, |(_, alias)| {
                alias == key || (self.populate_by_name && f.name_str == key)
            })
        })
    }

    fn is_field_key(&self, key: &Bound<'_, PyAny>) -> bool {
        match key.downcast::<PyString>() {
            Ok(s) => s.to_str().is_ok_and(|k| self.is_field_name(k)),
            Err(_) => false,
        }
    }

    fn handle_extra<'py>(
        &self,
        py: Python<'py>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
        extras: &mut Option<Bound<'py, PyDict>>,
        errors: &mut Errors,
    ) {
        match self.extra {
            Extra::Forbid => {
                let mut line = LineError {
                    kind: "extra_forbidden".into(),
                    loc: smallvec::SmallVec::new(),
                    input: value.unbind(),
                    ctx: None,
                    msg: None,
                };
                line.loc.push(Loc::Key(key.unbind()));
                errors.push(line);
            }
            Extra::Allow => {
                let dict = extras.get_or_insert_with(|| PyDict::new(py));
                let _ = dict.set_item(key, value);
            }
            Extra::Ignore => {}
        }
    }

    fn fill_default_json<'py>(
        &self,
        py: Python<'py>,
        field: &Field,
        values: &mut Vec<Bound<'py, PyAny>>,
        errors: &mut Errors,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
    ) -> PyResult<()> {
        match field.default_value(py)? {
            Some(value) => values.push(value),
            None => {
                let dict = PyDict::new(py);
                for (k, v) in pairs {
                    dict.set_item(k.as_ref(), json_to_py(py, v))?;
                }
                errors.push(missing(py, field, dict.into_any().unbind()));
            }
        }
        Ok(())
    }

    /// A new instance with `values` in field order; never runs `__init__` or validation.
    pub(crate) fn instantiate<'py>(
        &self,
        py: Python<'py>,
        values: &[Bound<'py, PyAny>],
        extras: Option<Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let instance = self.allocate(py)?;
        for (field, value) in self.fields.iter().zip(values) {
            field.slot.store_new(py, &instance, value.clone())?;
        }
        self.finish_instance(py, instance, extras)
    }

    /// An empty instance of the class from its own `tp_alloc` (all slots NULL), for a caller
    /// that fills the slots itself and then calls `finish_instance`.
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

    /// `instance.name = value`: validated unless the model turned that off.
    /// `assign` for an object that may be of any type (the public `validate_assignment`).
    pub(crate) fn assign_checked(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        if !instance.is_instance(self.cls.bind(py))? {
            return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "validate_assignment() needs an instance of {}",
                self.cls.bind(py).name()?
            )));
        }
        self.assign(py, instance, name, value)
    }

    /// `instance.name = value` where `instance` is known to be of this model's class.
    pub(crate) fn assign(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        // the usual case: the attribute name is the field's own interned string
        let known = self.field_by_ptr(name);
        if known.is_none() && name.to_str().map(|n| n.starts_with('_')).unwrap_or(false) {
            // private attributes are plain stores, never validated or frozen
            // SAFETY: borrowed live pointers.
            let rc = unsafe {
                ffi::PyObject_GenericSetAttr(instance.as_ptr(), name.as_ptr(), value.as_ptr())
            };
            return if rc < 0 {
                Err(PyErr::fetch(py))
            } else {
                Ok(())
            };
        }
        let title = self.title.bind(py).as_any();
        let fail = |kind: &'static str, ctx: &[(&'static str, PyObject)]| -> PyErr {
            let mut line = if ctx.is_empty() {
                LineError {
                    kind: kind.into(),
                    loc: smallvec::SmallVec::new(),
                    input: value.clone().unbind(),
                    ctx: None,
                    msg: None,
                }
            } else {
                line_with_ctx(py, kind, value.clone().unbind(), ctx)
            };
            line.loc.push(Loc::Key(name.clone().into_any().unbind()));
            super::errors::validation_error(py, title, vec![line])
        };
        if self.frozen {
            return Err(fail("frozen_instance", &[]));
        }
        let field = match known.or_else(|| self.field_by_name(name)) {
            Some(field) => field,
            None => {
                if let Some(slot) = &self.extra_slot {
                    let extras = match slot.load(py, instance) {
                        Some(d) => d,
                        None => {
                            let d = PyDict::new(py).into_any();
                            slot.store(py, instance, &d)?;
                            d
                        }
                    };
                    return extras.set_item(name, value);
                }
                return Err(fail(
                    "no_such_attribute",
                    &[("attribute", name.clone().into_any().unbind())],
                ));
            }
        };
        if field.frozen {
            return Err(fail("frozen_field", &[]));
        }
        if !self.validate_assignment {
            return field.slot.store(py, instance, value);
        }
        let mut state = State::new(None);
        match field.validator.validate(py, Input::Py(value), &mut state) {
            Ok(valid) => field.slot.replace(py, instance, valid),
            Err(err) => {
                let err = field
                    .customise(py, err)
                    .at(|| Loc::Key(name.clone().into_any().unbind()));
                match err {
                    ValError::Lines(lines) => {
                        Err(super::errors::validation_error(py, title, lines))
                    }
                    ValError::Internal(err) => Err(err),
                }
            }
        }
    }

    /// The field whose name is this very string object (names are interned).
    #[inline]
    pub(crate) fn field_by_ptr(&self, name: &Bound<'_, PyString>) -> Option<&Field> {
        let ptr = name.as_ptr();
        self.fields.iter().find(|f| f.name.as_ptr() == ptr)
    }

    pub(crate) fn field_by_name(&self, name: &Bound<'_, PyString>) -> Option<&Field> {
        let ptr = name.as_ptr();
        if let Some(field) = self.fields.iter().find(|f| f.name.as_ptr() == ptr) {
            return Some(field);
        }
        let text = name.to_str().ok()?;
        self.fields.iter().find(|f| f.name_str == text)
    }
}

/// `a == b` for short keys without a call to `memcmp`: field names are short, and comparing
/// them is most of matching a JSON key to its field.
#[inline(always)]
fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4"));
    match n {
        // first and last word overlap: every byte compared, two loads per side
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        4..=7 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        0..=3 => a == b,
        _ => a == b,
    }
}

fn missing(py: Python<'_>, field: &Field, input: PyObject) -> LineError {
    let key = field
        .key_for(field.alias.is_some())
        .clone_ref(py)
        .into_any();
    let mut line = LineError {
        kind: "missing".into(),
        loc: smallvec::smallvec![Loc::Key(key)],
        input,
        ctx: None,
        msg: None,
    };
    if let Some((_, msg)) = field.messages.iter().find(|(code, _)| code == "missing") {
        line.msg = Some(msg.clone_ref(py));
    }
    line
}

/// Where a model reads its input fields from: a dict, or a call's keyword arguments.
trait Source<'py> {
    /// The value under `key`, borrowed from the source (no reference counting).
    fn get<'s>(
        &'s self,
        py: Python<'py>,
        key: &Py<PyString>,
        key_str: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>>;
    fn len(&self) -> usize;
    fn items(&self, py: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>>;
    /// The whole input, as reported with a `missing` error.
    fn whole(&self, py: Python<'py>) -> PyResult<PyObject>;
}

/// A dict read in field order: `next` is the iteration position of the entry expected next,
/// so a dict whose keys come in declaration order (the usual case) costs one step per field
/// instead of a hash lookup.
struct DictSource<'a, 'py> {
    dict: &'a Bound<'py, PyDict>,
    next: std::cell::Cell<ffi::Py_ssize_t>,
}

impl<'a, 'py> DictSource<'a, 'py> {
    fn new(dict: &'a Bound<'py, PyDict>) -> Self {
        DictSource {
            dict,
            next: std::cell::Cell::new(0),
        }
    }
}

impl<'py> Source<'py> for DictSource<'_, 'py> {
    #[inline(always)]
    fn get<'s>(
        &'s self,
        py: Python<'py>,
        key: &Py<PyString>,
        _: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>> {
        // SAFETY: the dict outlives the borrow ('s); PyDict_Next and GetItemWithError return
        // borrowed references (or nothing) and stay in bounds even if the dict changed.
        unsafe {
            let mut pos = self.next.get();
            let mut found_key: *mut ffi::PyObject = std::ptr::null_mut();
            let mut value: *mut ffi::PyObject = std::ptr::null_mut();
            if ffi::PyDict_Next(self.dict.as_ptr(), &mut pos, &mut found_key, &mut value) != 0
                && found_key == key.as_ptr()
            {
                self.next.set(pos);
                return Ok(Some(Borrowed::from_ptr(py, value)));
            }
            let ptr = ffi::PyDict_GetItemWithError(self.dict.as_ptr(), key.as_ptr());
            if ptr.is_null() {
                return match PyErr::take(py) {
                    Some(err) => Err(err),
                    None => Ok(None),
                };
            }
            Ok(Some(Borrowed::from_ptr(py, ptr)))
        }
    }

    fn len(&self) -> usize {
        self.dict.len()
    }

    fn items(&self, _: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
        Ok(self.dict.iter().collect())
    }

    fn whole(&self, _: Python<'py>) -> PyResult<PyObject> {
        Ok(self.dict.clone().into_any().unbind())
    }
}

/// Borrowed straight from the vectorcall argument array: no reference counting per argument.
struct KwSource<'a, 'py> {
    names: &'a [Borrowed<'a, 'py, PyAny>],
    values: &'a [Borrowed<'a, 'py, PyAny>],
    /// The keyword expected next (keywords usually come in declaration order).
    next: std::cell::Cell<usize>,
}

impl<'py> Source<'py> for KwSource<'_, 'py> {
    #[inline(always)]
    fn get<'s>(
        &'s self,
        _: Python<'py>,
        key: &Py<PyString>,
        key_str: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>> {
        // call-site keyword names are interned like the field names: pointers usually match
        let wanted = key.as_ptr();
        let next = self.next.get();
        if self.names.get(next).is_some_and(|n| n.as_ptr() == wanted) {
            self.next.set(next + 1);
            return Ok(Some(self.values[next]));
        }
        if let Some(i) = self.names.iter().position(|n| n.as_ptr() == wanted) {
            return Ok(Some(self.values[i]));
        }
        Ok(self
            .names
            .iter()
            .position(|n| {
                n.downcast::<PyString>()
                    .is_ok_and(|s| s.to_str().is_ok_and(|s| s == key_str))
            })
            .map(|i| self.values[i]))
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn items(&self, _: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
        Ok(self
            .names
            .iter()
            .zip(self.values)
            .map(|(n, v)| (Borrowed::to_owned(*n), Borrowed::to_owned(*v)))
            .collect())
    }

    fn whole(&self, py: Python<'py>) -> PyResult<PyObject> {
        let dict = PyDict::new(py);
        for (name, value) in self.names.iter().zip(self.values) {
            dict.set_item(name, value)?;
        }
        Ok(dict.into_any().unbind())
    }
}

/// A nested model: validated by the class's own compiled validator, looked up when used so
/// self-references and forward references need nothing special.
pub(crate) struct ModelRefValidator {
    cls: Py<PyType>,
    /// The class's compiled validator, once it exists (a class is compiled once).
    resolved: pyo3::sync::GILOnceCell<Py<SchemaValidator>>,
}

impl ModelRefValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(ModelRefValidator {
            cls: schema::required::<Bound<'_, PyType>>(schema, "cls")?.unbind(),
            resolved: pyo3::sync::GILOnceCell::new(),
        })
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.cls
            .bind(py)
            .name()
            .map(|n| n.into_any().unbind())
            .unwrap_or_else(|_| py.None())
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.compiled(py)?.get().root.validate(py, input, state)
    }

    /// The class's validator, looked up on first use and kept.
    pub(crate) fn compiled<'a>(&'a self, py: Python<'_>) -> PyResult<&'a Py<SchemaValidator>> {
        if let Some(found) = self.resolved.get(py) {
            return Ok(found);
        }
        let validator = class_validator(self.cls.bind(py))?.unbind();
        Ok(self.resolved.get_or_init(py, || validator))
    }
}

/// `cls.__ferrule_validator__`, compiling the class first if it was waiting on forward refs.
/// A class that only carries `__ferrule_schema__` (or a validator of the other core) gets a
/// native validator compiled once and cached.
pub(crate) fn class_validator<'py>(
    cls: &Bound<'py, PyType>,
) -> PyResult<Bound<'py, SchemaValidator>> {
    let py = cls.py();
    let key = cls.as_ptr() as usize;
    let index = (key >> 4) % CACHE_SIZE;
    if CACHE_KEYS[index].load(Ordering::Acquire) == key {
        let found = CACHE_VALUES[index].load(Ordering::Acquire);
        // SAFETY: an entry's value is a SchemaValidator kept alive by the reference the cache
        // owns; key and value are only written with the GIL held, value first.
        return Ok(unsafe { Bound::from_borrowed_ptr(py, found).downcast_into_unchecked() });
    }
    let validator = lookup_class_validator(cls)?;
    CACHE_KEYS[index].store(0, Ordering::Release); // never a key with another's value
    let old = CACHE_VALUES[index].swap(validator.clone().into_ptr(), Ordering::AcqRel);
    CACHE_KEYS[index].store(key, Ordering::Release);
    if !old.is_null() {
        // SAFETY: the reference the cache owned for the evicted entry (GIL held).
        unsafe { ffi::Py_DecRef(old) };
    }
    Ok(validator)
}

const CACHE_SIZE: usize = 64;

/// Class -> compiled validator, direct-mapped, process-wide (used only with the GIL held; no
/// thread-local lookup on the hot path). Each value holds a strong reference to the validator,
/// whose schema holds the class: a cached class is never freed, so its address cannot be
/// reused while its entry lives.
static CACHE_KEYS: [AtomicUsize; CACHE_SIZE] = [const { AtomicUsize::new(0) }; CACHE_SIZE];
static CACHE_VALUES: [AtomicPtr<ffi::PyObject>; CACHE_SIZE] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; CACHE_SIZE];

fn lookup_class_validator<'py>(cls: &Bound<'py, PyType>) -> PyResult<Bound<'py, SchemaValidator>> {
    let py = cls.py();
    if let Ok(attr) = cls.getattr(pyo3::intern!(py, "__ferrule_validator__")) {
        let attr = if attr.is_none() {
            cls.call_method0(pyo3::intern!(py, "__ferrule_complete__"))?
        } else {
            attr
        };
        if let Ok(native) = attr.downcast_into::<SchemaValidator>() {
            return Ok(native);
        }
    }
    static CACHE: pyo3::sync::GILOnceCell<Py<PyDict>> = pyo3::sync::GILOnceCell::new();
    let cache = CACHE.get_or_init(py, || PyDict::new(py).unbind()).bind(py);
    if let Some(found) = cache.get_item(cls)? {
        return Ok(found.downcast_into::<SchemaValidator>()?);
    }
    let schema = cls.getattr(pyo3::intern!(py, "__ferrule_schema__"))?;
    let validator = py
        .get_type::<SchemaValidator>()
        .call1((schema,))?
        .downcast_into::<SchemaValidator>()?;
    cache.set_item(cls, &validator)?;
    Ok(validator)
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
