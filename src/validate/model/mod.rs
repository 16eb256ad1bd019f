//! `model`: a dict, keyword arguments or a JSON object → an instance of the class, each field
//! validated straight into its slot (`crate::model` owns the class layout).

pub(crate) mod assign;
pub(crate) mod held;
mod hooks;
mod read;
mod reference;
mod sink;
mod source;
mod stream;

use jiter::JsonValue;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};
use pyo3::Borrowed;

use hooks::Hook;
pub(crate) use reference::{class_validator, ModelRefValidator};
use sink::{Fresh, Into, Sink};
use source::{DictSource, KwSource, Source};

use super::errors::{line_with_ctx, Errors, LineError, Loc, ValError, ValResult};
use super::{schema, Exactness, State, Validator, MAX_DEPTH};
use crate::conv::{json_to_py, py_mapping_abc};
use crate::input::Input;
use crate::model::fields_set::Unset;
use crate::model::{Extra, Field, ModelClass, SECRET_MASK};

/// What validation adds to a field of the class: its validator and custom error messages.
pub(crate) struct FieldCheck {
    pub(crate) validator: Validator,
    messages: Vec<(String, PyObject)>,
    /// The validator can run user code: take a reference to the input value, never borrow it.
    borrow_unsafe: bool,
    /// `Field(secret=True)`: an error reports `SECRET_MASK` as its input, never the value.
    secret: bool,
    /// `validate_default`: a default goes through `validator` when it is used.
    validate_default: bool,
    /// The address of the type whose exact instances `validator` returns unchanged (0: none).
    passthrough: usize,
    /// A bounded int field (an ORM integer column): the range in which an exact `int` is
    /// returned unchanged without the validator's call.
    int_range: Option<(i64, i64)>,
}

impl FieldCheck {
    fn build(field: &Bound<'_, PyDict>) -> PyResult<Self> {
        let messages = match schema::object(field, "messages")? {
            Some(m) => m
                .downcast::<PyDict>()?
                .iter()
                .map(|(k, v)| Ok((k.extract::<String>()?, v.unbind())))
                .collect::<PyResult<Vec<_>>>()?,
            None => Vec::new(),
        };
        let validator = Validator::build(&schema::sub_schema(field, "schema")?)?;
        Ok(FieldCheck {
            borrow_unsafe: validator.runs_user_code(),
            passthrough: validator.passthrough_type().map_or(0, |t| t as usize),
            int_range: validator.int_range(),
            validator,
            messages,
            secret: schema::flag(field, "secret")?,
            validate_default: schema::flag(field, "validate_default")?,
        })
    }

    /// `value` itself when the validator would hand it back unchanged (its exact type is the
    /// plain `str`/`int`/`float` the field takes), else the validator's answer.
    #[inline(always)]
    pub(crate) fn run<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        // SAFETY: a live object's type pointer, compared by address only.
        let kind = unsafe { ffi::Py_TYPE(value.as_ptr()) };
        if self.passthrough != 0 && kind as usize == self.passthrough {
            return Ok(value.clone());
        }
        if let Some((lo, hi)) = self.int_range {
            if kind == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
                let mut overflow: std::os::raw::c_int = 0;
                // SAFETY: an exact int (no __index__ to call); beyond 64 bits sets `overflow`
                // and raises nothing.
                let v = unsafe { ffi::PyLong_AsLongLongAndOverflow(value.as_ptr(), &mut overflow) };
                if overflow == 0 && lo <= v && v <= hi {
                    return Ok(value.clone());
                }
            }
        }
        self.validator.validate(py, Input::Py(value), state)
    }

    /// The value a missing field takes (validated with `validate_default`; the caller puts
    /// the field's name on an error), `None` when the field is required.
    pub(crate) fn default_of<'py>(
        &self,
        py: Python<'py>,
        field: &Field,
        state: &mut State,
    ) -> ValResult<Option<Bound<'py, PyAny>>> {
        match field.default_value(py)? {
            Some(value) if self.validate_default => Ok(Some(self.validator.validate(
                py,
                Input::Py(&value),
                state,
            )?)),
            found => Ok(found),
        }
    }

    /// Replace messages of the codes this field customises; a secret field's inputs become
    /// `SECRET_MASK`.
    pub(crate) fn customise(&self, py: Python<'_>, err: ValError) -> ValError {
        if self.messages.is_empty() && !self.secret {
            return err;
        }
        match err {
            ValError::Lines(mut lines) => {
                for line in &mut lines {
                    if self.secret {
                        line.input = PyString::intern(py, SECRET_MASK).into_any().unbind();
                    }
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

    /// The `missing` error of this field; `input` is the whole input mapping.
    pub(crate) fn missing(&self, py: Python<'_>, field: &Field, input: PyObject) -> LineError {
        let loc = match field.paths.first() {
            Some(path) => path.loc(py), // where the first choice would have been
            None => smallvec::smallvec![Loc::Key(
                field
                    .key_for(field.alias.is_some())
                    .clone_ref(py)
                    .into_any()
            )],
        };
        let mut line = LineError {
            kind: "missing".into(),
            loc,
            input,
            ctx: None,
            msg: None,
        };
        if let Some((_, msg)) = self.messages.iter().find(|(code, _)| code == "missing") {
            line.msg = Some(msg.clone_ref(py));
        }
        line
    }
}

pub(crate) struct ModelValidator {
    pub(crate) class: ModelClass,
    /// One per field of `class`, in the same order.
    pub(crate) checks: Vec<FieldCheck>,
    before: Vec<Hook>,
    /// The outer layers in declaration order: after-validators and wrap validators.
    after: Vec<Hook>,
    /// Some layer is a wrap validator: validation goes through `layer`.
    has_wrap: bool,
    /// A function in a field's type takes `info`: `State::frame` is kept per field.
    field_info: bool,
    /// `ValidationInfo.config` of this model's validators.
    config: PyObject,
    /// This validator itself, for the handlers of its wrap validators.
    me: std::sync::Weak<ModelValidator>,
    /// `model_post_init(self, context)`, when the class defines one.
    post_init: Option<PyObject>,
    /// `Page` for `Page[int]`: an instance of it (`Page`, `Page[str]`) is validated again from
    /// its fields, as pydantic does.
    generic_origin: Option<Py<PyType>>,
    /// `revalidate_instances`: which instances given as input are validated again.
    revalidate: Revalidate,
}

/// `revalidate_instances`: an instance of the class given as input is kept as it is
/// (`Never`), or validated again from its fields (always, or only a subclass's instance).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Revalidate {
    Never,
    Always,
    SubclassInstances,
}

/// Whether `from_attributes` reads `obj` (scalars, strings and sequences are a type error as
/// before: they are never a model's attributes).
pub(crate) fn has_attributes(obj: &Bound<'_, PyAny>) -> bool {
    !(obj.is_none()
        || obj.is_instance_of::<pyo3::types::PyString>()
        || obj.is_instance_of::<pyo3::types::PyBytes>()
        || obj.is_instance_of::<pyo3::types::PyByteArray>()
        || obj.is_instance_of::<pyo3::types::PyInt>()
        || obj.is_instance_of::<pyo3::types::PyFloat>()
        || obj.is_instance_of::<pyo3::types::PyList>()
        || obj.is_instance_of::<pyo3::types::PyTuple>())
}

impl ModelValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let checks = schema::schema_list(schema, "fields")?
            .iter()
            .map(FieldCheck::build)
            .collect::<PyResult<Vec<_>>>()?;
        let hooks = |key: &'static str| -> PyResult<Vec<Hook>> {
            Ok(match schema::object(schema, key)? {
                Some(list) => list
                    .try_iter()?
                    .map(|f| f.and_then(Hook::build))
                    .collect::<PyResult<_>>()?,
                None => Vec::new(),
            })
        };
        let after = hooks("after_validators")?;
        Ok(ModelValidator {
            class: ModelClass::build(schema)?,
            checks,
            before: hooks("before_validators")?,
            has_wrap: after.iter().any(|h| h.wrap),
            after,
            field_info: schema::flag(schema, "field_info")?,
            config: match schema::object(schema, "config")? {
                Some(config) => config.unbind(),
                None => PyDict::new(schema.py()).into_any().unbind(),
            },
            me: std::sync::Weak::new(),
            post_init: schema::object(schema, "post_init")?.map(Bound::unbind),
            generic_origin: match schema::object(schema, "generic_origin")? {
                Some(origin) => Some(origin.downcast_into::<PyType>()?.unbind()),
                None => None,
            },
            revalidate: match schema::optional::<String>(schema, "revalidate_instances")?.as_deref()
            {
                None | Some("never") => Revalidate::Never,
                Some("always") => Revalidate::Always,
                Some("subclass-instances") => Revalidate::SubclassInstances,
                Some(other) => {
                    return Err(pyo3::exceptions::PyValueError::new_err(format!(
                        "unknown revalidate_instances {other:?}"
                    )))
                }
            },
        })
    }

    /// `build`, shared: its wrap validators' handlers hold it.
    pub(crate) fn build_shared(schema: &Bound<'_, PyDict>) -> PyResult<std::sync::Arc<Self>> {
        let built = ModelValidator::build(schema)?;
        Ok(std::sync::Arc::new_cyclic(|me| ModelValidator {
            me: me.clone(),
            ..built
        }))
    }

    /// An instance of the class given as input is kept as it is (see `Revalidate`).
    fn keeps(&self, py: Python<'_>, obj: &Bound<'_, PyAny>) -> bool {
        match self.revalidate {
            Revalidate::Never => true,
            Revalidate::Always => false,
            Revalidate::SubclassInstances => obj.get_type().is(self.cls(py)),
        }
    }

    /// `revalidate_instances`: the set fields of `obj` (those of its own class) under the
    /// keys this model reads them by, then its extra values, as the dict a mapping would give.
    fn instance_fields<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        let own = class_validator(&obj.get_type())?;
        let own = own.get().model()?;
        for field in &own.class.fields {
            let Some(value) = field.slot.load(py, obj) else {
                continue;
            };
            let key = match self
                .class
                .fields
                .iter()
                .find(|f| f.name_str == field.name_str)
            {
                Some(mine) => mine.key_for(mine.alias.is_some()),
                None => &field.name,
            };
            dict.set_item(key.bind(py), value)?;
        }
        if let Some(slot) = &own.class.extra_slot {
            if let Some(extras) = slot.load(py, obj) {
                if let Ok(extras) = extras.downcast::<PyDict>() {
                    dict.update(extras.as_mapping())?;
                }
            }
        }
        Ok(dict)
    }

    pub(crate) fn class_name(&self, py: Python<'_>) -> PyObject {
        self.class.class_name(py)
    }

    /// Whether `obj` is an instance of the model's class by its real type: `isinstance`
    /// believes a `__class__` that claims the class, and the slots of such an object would
    /// then be read and written at the class's offsets.
    pub(crate) fn owns(&self, py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<bool> {
        obj.get_type().is_subclass(self.cls(py))
    }

    pub(crate) fn title<'py>(&self, py: Python<'py>) -> &Bound<'py, PyString> {
        self.class.title.bind(py)
    }

    fn cls<'py>(&self, py: Python<'py>) -> &Bound<'py, PyType> {
        self.class.cls.bind(py)
    }

    /// The fields with their checks, in declaration order.
    pub(crate) fn fields(&self) -> impl Iterator<Item = (&Field, &FieldCheck)> {
        self.class.fields.iter().zip(&self.checks)
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
        let result = if self.field_info {
            self.validate_framed(py, input, state)
        } else {
            self.validate_inner(py, input, state)
        };
        state.depth -= 1;
        if key != 0 {
            state.active.pop();
        }
        result
    }

    /// `validate_inner` for a model whose fields set frames: the outer model's frame is
    /// put back afterwards.
    #[cold]
    #[inline(never)]
    fn validate_framed<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let outer = state.frame.take();
        let result = self.validate_inner(py, input, state);
        state.frame = outer;
        result
    }

    fn validate_inner<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.has_wrap {
            return self.layer(py, self.after.len(), input, state);
        }
        match self.build_fields(py, input, state, None)? {
            Built::Ready(instance) => Ok(instance),
            Built::Fresh(instance) => self.finish(py, instance, input, state),
        }
    }

    /// The before-validators, then the fields into a new instance, or into `target` (not
    /// finished yet).
    fn build_fields<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
        target: Option<&Bound<'py, PyAny>>,
    ) -> ValResult<Built<'py>> {
        if !self.before.is_empty() {
            let mut data = input.to_object(py).into_bound(py);
            for hook in &self.before {
                data = self.call_hook(py, hook, &data, state, || self.reported(py, &data))?;
            }
            return self.build_from(py, Input::Py(&data), state, target);
        }
        self.build_from(py, input, state, target)
    }

    fn build_from<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
        target: Option<&Bound<'py, PyAny>>,
    ) -> ValResult<Built<'py>> {
        if self.class.root {
            return self.build_root(py, input, state, target);
        }
        let fields_of = |dict: &Bound<'py, PyDict>, state: &mut State| match target {
            None => {
                let fresh = Fresh(self.class.allocate(py)?);
                self.fields_from(py, &DictSource::new(dict), state, fresh)
            }
            Some(target) => {
                let into = Into::new(target, self.checks.len());
                self.fields_from(py, &DictSource::new(dict), state, into)
            }
        };
        let strict = state.strict(self.class.strict);
        let exactness = state.exactness;
        state.floor(Exactness::Strict); // building an instance is not an exact match
        let instance = match input {
            Input::Py(obj) => {
                if let Ok(dict) = obj.downcast_exact::<PyDict>() {
                    fields_of(dict, state)?
                } else if self.owns(py, obj)? {
                    if self.keeps(py, obj) {
                        state.exactness = exactness;
                        return Ok(Built::Ready(obj.clone()));
                    }
                    let dict = self.instance_fields(py, obj)?;
                    let built = fields_of(&dict, state)?;
                    // the instance keeps the record of its fields set, as pydantic does
                    self.class.copy_given(py, obj, &built)?;
                    built
                } else if let Ok(dict) = obj.downcast::<PyDict>() {
                    if source::reads_overridden(obj)? {
                        let dict = source::read_through_methods(&self.class, obj)?;
                        fields_of(&dict, state)?
                    } else {
                        fields_of(dict, state)?
                    }
                } else if !strict && obj.is_instance(py_mapping_abc(py))? {
                    let dict = PyDict::from_sequence(&obj.call_method0("items")?)?;
                    fields_of(&dict, state)?
                } else if (self.class.from_attributes || state.from_attributes)
                    && has_attributes(obj)
                {
                    let dict = self.attributes_of(py, obj)?;
                    fields_of(&dict, state)?
                } else if let Some(dict) = self.origin_fields(py, obj)? {
                    fields_of(&dict, state)?
                } else {
                    return Err(self.type_error(py, input));
                }
            }
            Input::Json(JsonValue::Object(pairs)) if self.field_info => {
                self.json_object_framed(py, pairs, state)?
            }
            Input::Json(JsonValue::Object(pairs)) => {
                self.validate_json_object::<false>(py, pairs, state)?
            }
            Input::Json(_) => return Err(self.type_error(py, input)),
        };
        Ok(Built::Fresh(instance))
    }

    /// A root model: the whole input is the value of its one field, `root` (an instance of
    /// the class is kept as it is); errors keep the value's own locations, as pydantic's do.
    #[inline(never)]
    fn build_root<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
        target: Option<&Bound<'py, PyAny>>,
    ) -> ValResult<Built<'py>> {
        if let Input::Py(obj) = input {
            if self.owns(py, obj)? {
                return Ok(Built::Ready(obj.clone()));
            }
        }
        let (Some(field), Some(check)) = (self.class.fields.first(), self.checks.first()) else {
            return Err(self.type_error(py, input));
        };
        state.floor(Exactness::Strict); // building an instance is not an exact match
        let value = check
            .validator
            .validate(py, input, state)
            .map_err(|err| check.customise(py, err))?;
        let instance = match target {
            None => {
                let fresh = self.class.allocate(py)?;
                field.slot.store_new(py, &fresh, value)?;
                fresh
            }
            Some(target) => {
                field.slot.replace(py, target, value)?;
                target.clone()
            }
        };
        Ok(Built::Fresh(instance))
    }

    /// `RootModel(value)` / `RootModel(root=value)`: `data` holds the value under `root`;
    /// without it the field's default is taken as it is, or the input is `missing`.
    fn init_root<'py>(
        &self,
        py: Python<'py>,
        instance: &Bound<'py, PyAny>,
        data: &Bound<'py, PyDict>,
    ) -> ValResult<()> {
        let Some(field) = self.class.fields.first() else {
            return Err(self.type_error(py, Input::Py(data.as_any())));
        };
        let Some(root) = data.get_item(pyo3::intern!(py, "root"))? else {
            let Some(value) = field.default_value(py)? else {
                return Err(ValError::Lines(vec![LineError {
                    kind: "missing".into(),
                    loc: smallvec::SmallVec::new(),
                    input: data.clone().into_any().unbind(),
                    ctx: None,
                    msg: None,
                }]));
            };
            field.slot.replace(py, instance, value)?;
            let state = State::new(None);
            self.finish(py, instance.clone(), Input::Py(data.as_any()), &state)?;
            return Ok(());
        };
        let mut state = State::new(None);
        if let Built::Ready(given) =
            self.build_fields(py, Input::Py(&root), &mut state, Some(instance))?
        {
            if !given.is(instance) {
                self.class.move_into(py, &given, instance)?;
            }
        }
        self.finish(py, instance.clone(), Input::Py(&root), &state)?;
        Ok(())
    }

    /// `from_attributes`: the fields read from `obj`'s attributes (by alias where a field has
    /// one), as the dict a mapping would give; an attribute that is not there is left out (the
    /// field's default, or a `missing` error). Other errors of a getter are the object's own.
    fn attributes_of<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for field in &self.class.fields {
            let key = match &field.alias {
                Some((alias, _)) => alias.bind(py),
                None => field.name.bind(py),
            };
            // a field read by paths: the first key of each (the rest is read from the values)
            let path_keys = field.paths.iter().map(|p| p.first().0.bind(py));
            let keys: smallvec::SmallVec<[&Bound<'py, PyString>; 2]> = if field.paths.is_empty() {
                smallvec::smallvec![key]
            } else {
                path_keys.collect()
            };
            for key in keys {
                match obj.getattr(key) {
                    Ok(value) => dict.set_item(key, value)?,
                    Err(err) if absent(py, &err) => {}
                    Err(err) => return Err(err),
                }
            }
        }
        Ok(dict)
    }

    /// The fields of an instance of the generic origin (keyed as the input of this class looks
    /// them up), or None when `obj` is none.
    #[inline(never)]
    fn origin_fields<'py>(
        &self,
        py: Python<'py>,
        obj: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(origin) = &self.generic_origin else {
            return Ok(None);
        };
        if !obj.is_instance(origin.bind(py))? {
            return Ok(None);
        }
        let dict = PyDict::new(py);
        for field in &self.class.fields {
            let key = match &field.alias {
                Some((alias, _)) => alias.bind(py),
                None => field.name.bind(py),
            };
            match obj.getattr(field.name.bind(py)) {
                Ok(value) => dict.set_item(key, value)?,
                Err(err) if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(Some(dict))
    }

    /// Keyword arguments of a constructor call, read without building a dict.
    pub(crate) fn validate_kwargs<'py>(
        &self,
        py: Python<'py>,
        names: &[Borrowed<'_, 'py, PyAny>],
        values: &[Borrowed<'_, 'py, PyAny>],
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut state = State::new(None);
        let source = KwSource::new(names, values);
        if !self.before.is_empty() || self.post_init.is_some() || self.has_wrap {
            // before-validators and model_post_init see the keywords as one dict
            let dict = source.whole(py)?.into_bound(py);
            let built = self.validate(py, Input::Py(&dict), &mut state)?;
            if self.has_wrap {
                self.check_built(py, &built)?;
            }
            return Ok(built);
        }
        let fresh = Fresh(self.class.allocate(py)?);
        let instance = self.fields_from(py, &source, &mut state, fresh)?;
        self.run_after(py, instance, &state)
    }

    /// The whole input as a `missing` error reports it: a copy with the values of the secret
    /// fields (under their name or alias) replaced by `SECRET_MASK`.
    fn masked(&self, py: Python<'_>, whole: PyObject) -> PyResult<PyObject> {
        if !self.class.has_secret {
            return Ok(whole);
        }
        let Ok(dict) = whole.bind(py).downcast::<PyDict>() else {
            return Ok(whole);
        };
        let copy = dict.copy()?;
        let mask = PyString::intern(py, SECRET_MASK);
        for field in self.class.fields.iter().filter(|f| f.secret) {
            let keys = std::iter::once(field.name.bind(py))
                .chain(field.alias.as_ref().map(|(alias, _)| alias.bind(py)));
            for key in keys {
                if copy.contains(key)? {
                    copy.set_item(key, &mask)?;
                }
            }
        }
        Ok(copy.into_any().unbind())
    }

    /// `input` as an error reports it (`masked` when it is a mapping with secret values; the
    /// mask alone if masking fails, never the unmasked input).
    fn reported<'py>(&self, py: Python<'py>, input: &Bound<'py, PyAny>) -> Bound<'py, PyAny> {
        match self.masked(py, input.clone().unbind()) {
            Ok(masked) => masked.into_bound(py),
            Err(_) => PyString::intern(py, SECRET_MASK).into_any(),
        }
    }

    /// `__init__`: validate `data` and fill the existing `instance`, all or nothing (on error
    /// it keeps what it had); then `model_post_init` and the after-validators see `instance`.
    pub(crate) fn init_instance<'py>(
        &self,
        py: Python<'py>,
        instance: &Bound<'py, PyAny>,
        data: &Bound<'py, PyDict>,
    ) -> ValResult<()> {
        if self.class.root {
            return self.init_root(py, instance, data);
        }
        let mut state = State::new(None);
        if self.has_wrap {
            // the layers make a new instance; its values then move into this one
            let built = self.layer(py, self.after.len(), Input::Py(data.as_any()), &mut state)?;
            self.check_built(py, &built)?;
            if !built.is(instance) {
                self.class.move_into(py, &built, instance)?;
            }
            return Ok(());
        }
        match self.build_fields(py, Input::Py(data.as_any()), &mut state, Some(instance))? {
            Built::Ready(given) if !given.is(instance) => {
                self.class.move_into(py, &given, instance)?
            }
            _ => {}
        }
        self.finish(py, instance.clone(), Input::Py(data.as_any()), &state)?;
        Ok(())
    }
}

/// What the field step produced: an instance given as input (returned as it is), or a new one
/// that still needs `model_post_init` and the after-validators.
enum Built<'py> {
    Ready(Bound<'py, PyAny>),
    Fresh(Bound<'py, PyAny>),
}

/// Whether a getter's error says the attribute is not there (its `AttributeError`: the field
/// then takes its default), rather than that ferrule refuses to read it: a relation no query
/// loaded raises `RelationNotLoadedError`, an `AttributeError` too (for `hasattr`), which read
/// as "absent" gave an optional field a silent `None` where the object has a value.
fn absent(py: Python<'_>, err: &PyErr) -> bool {
    err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py)
        && !crate::errors::error_class(py, "RelationNotLoadedError")
            .is_ok_and(|class| err.is_instance(py, &class))
}
