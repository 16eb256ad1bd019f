//! `model`: a dict, keyword arguments or a JSON object → an instance of the class, each field
//! validated straight into its slot (`crate::model` owns the class layout).

mod assign;
mod hooks;
mod reference;
mod source;
mod stream;

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};
use pyo3::Borrowed;

use hooks::Hook;
pub(crate) use reference::{class_validator, ModelRefValidator};
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
            validator,
            messages,
            secret: schema::flag(field, "secret")?,
            validate_default: schema::flag(field, "validate_default")?,
        })
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
        let hooks = |key: &str| -> PyResult<Vec<Hook>> {
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
                } else if obj.is_instance(self.cls(py))? {
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
                    fields_of(dict, state)?
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
            if obj.is_instance(self.cls(py))? {
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
                    Err(err) if err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {}
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

    /// The fields read from `source` into a new instance, or into `target` when given (then
    /// nothing is stored unless every field is valid, and no temporary instance of the user's
    /// class is made: its `__del__` must not run for one).
    #[inline(always)]
    fn fields_from<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.field_info {
            return self.fields_framed(py, source, state, sink);
        }
        if self.class.has_paths {
            self.read_source::<true, false, S, K>(py, source, state, sink)
        } else {
            self.read_source::<false, false, S, K>(py, source, state, sink)
        }
    }

    /// `fields_from` for `field_info` models: the loop that keeps `info.data` and the frame.
    #[cold]
    #[inline(never)]
    fn fields_framed<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.read_source::<true, true, S, K>(py, source, state, sink)
    }

    /// `fields_from`, compiled apart for each case: `PATHS` says some field may read alias
    /// paths, `INFO` that validators see `ValidationInfo` (without either, the loop has no
    /// trace of it).
    fn read_source<'py, const PATHS: bool, const INFO: bool, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        state: &mut State,
        mut sink: K,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut errors = Errors::default();
        let mut used = 0usize;
        let mut unset = Unset::default();
        // per field: None when absent, else whether the value came by the alias (kept only
        // when extra keys matter)
        let track = self.class.extra != Extra::Ignore;
        let mut taken: smallvec::SmallVec<[Option<bool>; 16]> = if track {
            smallvec::SmallVec::from_elem(None, self.checks.len())
        } else {
            smallvec::SmallVec::new()
        };
        // info.data: the live dict of the fields valid so far
        let so_far = if INFO {
            let data = PyDict::new(py);
            state.frame = Some(self.open_frame(py, &data));
            Some(data)
        } else {
            None
        };
        let so_far = so_far.as_ref();
        // (field, choice) of the alias paths that gave a value: their first keys are used
        let mut path_keys: Vec<(usize, usize)> = Vec::new();
        for (index, (field, check)) in self.fields().enumerate() {
            if INFO {
                if let Some(frame) = state.frame.as_mut() {
                    frame.field_name = field.name.clone_ref(py).into_any();
                }
            }
            if PATHS && !field.paths.is_empty() {
                let hit = self.find_by_paths(py, source, field)?;
                if let Some((choice, raw)) = hit {
                    used += 1;
                    if track {
                        taken[index] = Some(choice.is_some());
                        path_keys.extend(choice.map(|c| (index, c)));
                    }
                    match check.validator.validate(py, Input::Py(&raw), state) {
                        Ok(value) => {
                            record(py, so_far, field, &value)?;
                            sink.put(py, &self.class, index, value)?
                        }
                        Err(err) => {
                            let err = check.customise(py, err);
                            match choice {
                                Some(c) => {
                                    let path = &field.paths[c];
                                    let err = path.locate_inner(py, err);
                                    errors.absorb(err, || path.first_loc(py))?;
                                }
                                None => errors.absorb(err, || {
                                    Loc::Key(field.name.clone_ref(py).into_any())
                                })?,
                            }
                        }
                    }
                    continue;
                }
                unset.set(index);
                let target = (&mut sink, index, so_far);
                self.take_default(py, source, field, check, state, target, &mut errors)?;
                continue;
            }
            let (found, alias_used) = match &field.alias {
                Some((alias, alias_str)) => match source.get(py, alias, alias_str)? {
                    Some(v) => (Some(v), true),
                    None if self.class.populate_by_name => {
                        (source.get(py, &field.name, &field.name_str)?, false)
                    }
                    None => (None, false),
                },
                None => (source.get(py, &field.name, &field.name_str)?, false),
            };
            match found {
                Some(raw) => {
                    used += 1;
                    if track {
                        taken[index] = Some(alias_used);
                    }
                    // borrowed is safe only if nothing below can run user code
                    let owned = check.borrow_unsafe.then(|| raw.to_owned());
                    let raw: &Bound<'py, PyAny> = owned.as_ref().unwrap_or(&raw);
                    match check.validator.validate(py, Input::Py(raw), state) {
                        Ok(value) => {
                            if INFO {
                                record(py, so_far, field, &value)?;
                            }
                            sink.put(py, &self.class, index, value)?
                        }
                        Err(err) => {
                            let key = field.key_for(alias_used);
                            errors.absorb(check.customise(py, err), || {
                                Loc::Key(key.clone_ref(py).into_any())
                            })?;
                        }
                    }
                }
                None => {
                    unset.set(index);
                    let target = (&mut sink, index, so_far);
                    self.take_default(py, source, field, check, state, target, &mut errors)?;
                }
            }
        }
        state.add_fields_set(used); // unions prefer the model that took more fields
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.class.extra != Extra::Ignore && used < source.len() {
            for (key, value) in source.items(py)? {
                if self.was_taken(&key, &taken, &path_keys) {
                    continue;
                }
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        // an empty vector owns no memory: forgetting it skips a drop call and leaks nothing
        std::mem::forget(errors);
        Ok(sink.finish(py, &self.class, extras, &unset)?)
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

    /// Did this very key give a field its value? A field's name given beside its alias did
    /// not (the alias wins), so it is an extra key like any other.
    fn was_taken(
        &self,
        key: &Bound<'_, PyAny>,
        taken: &[Option<bool>],
        path_keys: &[(usize, usize)],
    ) -> bool {
        let Ok(text) = key.downcast::<PyString>().map(|s| s.to_str()) else {
            return false;
        };
        let Ok(text) = text else { return false };
        self.key_taken(text, taken, path_keys)
    }

    /// `was_taken` for a key's text: it gave a field its value, or starts an alias path that did.
    fn key_taken(&self, text: &str, taken: &[Option<bool>], path_keys: &[(usize, usize)]) -> bool {
        let by_path = || {
            path_keys
                .iter()
                .any(|&(field, choice)| self.class.fields[field].paths[choice].first().1 == text)
        };
        match self.class.field_for_key_from(text, 0) {
            Some((index, via_alias)) if taken[index] == Some(via_alias) => true,
            _ => by_path(),
        }
    }

    /// A field the input did not give: its default (validated with `validate_default`), or a
    /// `missing` error.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn take_default<'py, S: Source<'py>, K: Sink<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        field: &Field,
        check: &FieldCheck,
        state: &mut State,
        (sink, index, so_far): (&mut K, usize, Option<&Bound<'py, PyDict>>),
        errors: &mut Errors,
    ) -> PyResult<()> {
        match check.default_of(py, field, state) {
            Ok(Some(value)) => {
                record(py, so_far, field, &value)?;
                sink.put(py, &self.class, index, value)?
            }
            Ok(None) => {
                let whole = self.masked(py, source.whole(py)?)?;
                errors.push(check.missing(py, field, whole));
            }
            Err(err) => errors.absorb(check.customise(py, err), || {
                Loc::Key(field.name.clone_ref(py).into_any())
            })?,
        }
        Ok(())
    }

    /// A field read by alias paths: the value of the first path found, with its choice, else
    /// (`populate_by_name`) the value under the field's name (choice `None`).
    fn find_by_paths<'py, S: Source<'py>>(
        &self,
        py: Python<'py>,
        source: &S,
        field: &Field,
    ) -> PyResult<Option<(Option<usize>, Bound<'py, PyAny>)>> {
        for (choice, path) in field.paths.iter().enumerate() {
            let (key, text) = path.first();
            let Some(top) = source.get(py, key, text)? else {
                continue;
            };
            if let Some(value) = path.follow(top.to_owned())? {
                return Ok(Some((Some(choice), value)));
            }
        }
        if self.class.populate_by_name {
            if let Some(value) = source.get(py, &field.name, &field.name_str)? {
                return Ok(Some((None, value.to_owned())));
            }
        }
        Ok(None)
    }

    #[cold]
    #[inline(never)]
    fn json_object_framed<'py>(
        &self,
        py: Python<'py>,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        self.validate_json_object::<true>(py, pairs, state)
    }

    fn validate_json_object<'py, const INFO: bool>(
        &self,
        py: Python<'py>,
        pairs: &[(std::borrow::Cow<'_, str>, JsonValue<'_>)],
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut values: Vec<Bound<'py, PyAny>> = Vec::with_capacity(self.checks.len());
        let mut errors = Errors::default();
        let mut taken: smallvec::SmallVec<[Option<bool>; 16]> =
            smallvec::SmallVec::from_elem(None, self.checks.len());
        let mut unset = Unset::default();
        let find = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k.as_ref() == key)
                .map(|(_, v)| v)
        };
        let so_far = if INFO {
            let data = PyDict::new(py);
            state.frame = Some(self.open_frame(py, &data));
            Some(data)
        } else {
            None
        };
        let so_far = so_far.as_ref();
        let mut path_keys: Vec<(usize, usize)> = Vec::new();
        for (index, (field, check)) in self.fields().enumerate() {
            if INFO {
                if let Some(frame) = state.frame.as_mut() {
                    frame.field_name = field.name.clone_ref(py).into_any();
                }
            }
            let mut choice = None;
            let (found, alias_used) = match &field.alias {
                _ if !field.paths.is_empty() => {
                    let hit = field
                        .paths
                        .iter()
                        .enumerate()
                        .find_map(|(c, path)| path.follow_json(pairs).map(|v| (c, v)));
                    match hit {
                        Some((c, value)) => {
                            choice = Some(c);
                            path_keys.push((index, c));
                            (Some(value), true)
                        }
                        None if self.class.populate_by_name => (find(&field.name_str), false),
                        None => (None, false),
                    }
                }
                Some((_, alias)) => match find(alias) {
                    Some(v) => (Some(v), true),
                    None if self.class.populate_by_name => (find(&field.name_str), false),
                    None => (None, false),
                },
                None => (find(&field.name_str), false),
            };
            if found.is_some() {
                taken[index] = Some(alias_used);
                state.add_fields_set(1); // unions prefer the model that took more fields
            }
            match found {
                Some(raw) => match check.validator.validate(py, Input::Json(raw), state) {
                    Ok(value) => {
                        if INFO {
                            record(py, so_far, field, &value)?;
                        }
                        values.push(value)
                    }
                    Err(err) => match choice {
                        Some(c) => {
                            let path = &field.paths[c];
                            let err = path.locate_inner(py, check.customise(py, err));
                            errors.absorb(err, || path.first_loc(py))?;
                        }
                        None => {
                            let key = field.key_for(alias_used);
                            errors.absorb(check.customise(py, err), || {
                                Loc::Key(key.clone_ref(py).into_any())
                            })?;
                        }
                    },
                },
                None => match check.default_of(py, field, state) {
                    Err(err) => errors.absorb(check.customise(py, err), || {
                        Loc::Key(field.name.clone_ref(py).into_any())
                    })?,
                    Ok(Some(value)) => {
                        unset.set(index);
                        record(py, so_far, field, &value)?;
                        values.push(value)
                    }
                    Ok(None) => {
                        let whole = PyDict::new(py);
                        for (k, v) in pairs {
                            whole.set_item(k.as_ref(), json_to_py(py, v)?)?;
                        }
                        let whole = self.masked(py, whole.into_any().unbind())?;
                        errors.push(check.missing(py, field, whole));
                    }
                },
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if self.class.extra != Extra::Ignore {
            // json.loads semantics for repeated keys: first position, last value
            let unknown = PyDict::new(py);
            for (key, value) in pairs.iter() {
                if !self.key_taken(key, &taken, &path_keys) {
                    unknown.set_item(key.as_ref(), json_to_py(py, value)?)?;
                }
            }
            for (key, value) in unknown.iter() {
                self.handle_extra(py, key, value, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        let instance = self.class.instantiate(py, values, extras)?;
        self.class.record_given(py, &instance, &unset)?;
        Ok(instance)
    }

    /// An input key that feeds no field: an error, kept, or dropped, as `extra` says.
    fn handle_extra<'py>(
        &self,
        py: Python<'py>,
        key: Bound<'py, PyAny>,
        value: Bound<'py, PyAny>,
        extras: &mut Option<Bound<'py, PyDict>>,
        errors: &mut Errors,
    ) {
        match self.class.extra {
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

/// Where `validate_source` puts valid values (monomorphised: the hot path has no branch).
trait Sink<'py> {
    fn put(
        &mut self,
        py: Python<'py>,
        class: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()>;
    /// Every field was valid: the instance, extras and the given fields (`fields_set`) stored.
    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>>;
}

/// Straight into the slots of a fresh instance (dropped, unfinished, on any error).
struct Fresh<'py>(Bound<'py, PyAny>);

impl<'py> Sink<'py> for Fresh<'py> {
    #[inline(always)]
    fn put(
        &mut self,
        py: Python<'py>,
        class: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        class.fields[index].slot.store_new(py, &self.0, value)
    }

    #[inline(always)]
    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>> {
        class.record_given(py, &self.0, unset)?;
        class.finish_instance(py, self.0, extras)
    }
}

/// Aside until every field is valid, then into an existing instance (`__init__`): all or
/// nothing, and no temporary instance of the user's class (its `__del__` must not run).
struct Into<'a, 'py> {
    target: &'a Bound<'py, PyAny>,
    pending: smallvec::SmallVec<[Option<Bound<'py, PyAny>>; 8]>,
}

impl<'a, 'py> Into<'a, 'py> {
    fn new(target: &'a Bound<'py, PyAny>, count: usize) -> Self {
        Into {
            target,
            pending: smallvec::SmallVec::from_elem(None, count),
        }
    }
}

impl<'py> Sink<'py> for Into<'_, 'py> {
    fn put(
        &mut self,
        _: Python<'py>,
        _: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        self.pending[index] = Some(value);
        Ok(())
    }

    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>> {
        class.replace_given(py, self.target, unset)?;
        for (field, value) in class.fields.iter().zip(self.pending) {
            if let Some(value) = value {
                field.slot.replace(py, self.target, value)?;
            }
        }
        if let Some(slot) = &class.extra_slot {
            let extras = extras.unwrap_or_else(|| PyDict::new(py));
            slot.store(py, self.target, extras.as_any())?;
        }
        Ok(self.target.clone())
    }
}

/// What the field step produced: an instance given as input (returned as it is), or a new one
/// that still needs `model_post_init` and the after-validators.
enum Built<'py> {
    Ready(Bound<'py, PyAny>),
    Fresh(Bound<'py, PyAny>),
}

/// `info.data`: a field's valid value into the dict of those so far (when validators see it).
#[inline(always)]
fn record<'py>(
    py: Python<'py>,
    so_far: Option<&Bound<'py, PyDict>>,
    field: &Field,
    value: &Bound<'py, PyAny>,
) -> PyResult<()> {
    match so_far {
        Some(data) => data.set_item(field.name.bind(py), value),
        None => Ok(()),
    }
}
