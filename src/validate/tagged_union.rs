//! `tagged_union`: a discriminated union. The tag is read from the input first (a key of the
//! dict or JSON object, an attribute of an object, or what a user function returns), then only
//! the choice that tag names is validated; its errors sit under the tag in the location.
//!
//! Tags are matched as a Python dict matches keys (`1` finds `1`, `1.0` and `True`; a str-enum
//! member finds its text; `"1"` does not find `1`). String tags, the usual case, are compared
//! in Rust without making a Python object. A key that is absent (or a function that returns
//! None) is `union_tag_not_found`; a tag that names no choice is `union_tag_invalid`.

use jiter::{JsonValue, Peek};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use super::errors::{line_with_ctx, Loc, ValError, ValResult};
use super::model::has_attributes;
use super::stream::{SResult, StreamError};
use super::{schema, State, Validator};
use crate::conv::{json_to_py, py_mapping_abc};
use crate::input::Input;
use crate::json::read::{Key, Scan, ScanError};
use crate::json::write::write_json_str;

/// Where the tag comes from.
enum Source {
    /// The first of these keys (or attributes) the input has: the field's name, then its alias.
    Keys(Vec<(Py<PyString>, String)>),
    /// `Discriminator(function)`: the function's answer (None: no tag).
    Function(PyObject),
}

pub(crate) struct TaggedUnionValidator {
    choices: Vec<Validator>,
    source: Source,
    /// tag → position in `entries` (every tag, for lookups of values that are not plain text)
    lookup: Py<PyDict>,
    /// the text of every string tag (str-enum members by their text) → position in `entries`
    text_tags: Vec<(String, usize)>,
    /// the tags that are exactly `str`, as objects, with the entry their text names: an input
    /// holding the very object (an interned constant) is found by address
    tag_objects: Vec<(PyObject, usize)>,
    /// per tag: the choice it names and the location step its errors go under
    entries: Vec<(usize, PyObject)>,
    discriminator_text: PyObject,
    expected_tags: PyObject,
    /// `Discriminator(f, custom_error_type=...)`: (type, message, context) for any tag error
    custom_error: Option<(String, PyObject, Option<PyObject>)>,
    /// Per choice: it checks the tag itself, so the streaming reader may pick it from an
    /// object's first key (empty: never; see `_unions._reads_own_tag`).
    first_key: Vec<bool>,
    /// The one key as the JSON writer encodes it, colon included (`"kind":`).
    key_json: Vec<u8>,
}

/// The tag found in an input.
enum Found<'a, 'py> {
    Py(Bound<'py, PyAny>),
    Json(&'a JsonValue<'a>),
}

impl TaggedUnionValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let choices = schema::schema_list(schema, "choices")?
            .iter()
            .map(Validator::build)
            .collect::<PyResult<Vec<_>>>()?;
        let discriminator: Bound<'_, PyAny> = schema::required(schema, "discriminator")?;
        let source = match discriminator.downcast::<PyList>() {
            Ok(keys) => Source::Keys(
                keys.iter()
                    .map(|key| {
                        let key = key.downcast_into::<PyString>()?;
                        let text = key.to_str()?.to_owned();
                        Ok((key.unbind(), text))
                    })
                    .collect::<PyResult<_>>()?,
            ),
            Err(_) => Source::Function(discriminator.unbind()),
        };
        let mut first_key: Vec<bool> = schema::optional(schema, "first_key")?.unwrap_or_default();
        let mut key_json = Vec::new();
        match &source {
            Source::Keys(keys) if keys.len() == 1 && first_key.len() == choices.len() => {
                write_json_str(&keys[0].1, &mut key_json);
                key_json.push(b':');
            }
            _ => first_key.clear(),
        }
        let lookup = PyDict::new(py);
        let mut text_tags = Vec::new();
        let mut entries = Vec::new();
        let tags: Bound<'_, PyList> = schema::required(schema, "tags")?;
        for (position, item) in tags.iter().enumerate() {
            let (tag, choice, loc): (Bound<'_, PyAny>, usize, PyObject) = item.extract()?;
            if choice >= choices.len() {
                return Err(crate::errors::ferrule_err(
                    py,
                    "SchemaError",
                    format!("tagged union: tag {position} names no choice"),
                ));
            }
            if let Ok(text) = tag.downcast::<PyString>() {
                text_tags.push((text.to_str()?.to_owned(), position));
            }
            lookup.set_item(&tag, position)?;
            entries.push((choice, loc));
        }
        let tag_objects = tags
            .iter()
            .filter_map(|item| {
                let tag = item.get_item(0).ok()?;
                let text = tag.downcast_exact::<PyString>().ok()?.to_str().ok()?;
                let (_, position) = text_tags.iter().find(|(known, _)| known == text)?;
                Some((tag.unbind(), *position))
            })
            .collect();
        Ok(TaggedUnionValidator {
            choices,
            tag_objects,
            source,
            lookup: lookup.unbind(),
            text_tags,
            entries,
            discriminator_text: schema::required(schema, "discriminator_text")?,
            expected_tags: schema::required(schema, "expected_tags")?,
            custom_error: schema::optional(schema, "custom_error")?,
            first_key,
            key_json,
        })
    }

    pub(crate) fn runs_user_code(&self) -> bool {
        matches!(self.source, Source::Function(_))
            || self.choices.iter().any(|c| c.runs_user_code())
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let found = match &self.source {
            Source::Keys(keys) => self.by_key(py, keys, input)?,
            Source::Function(function) => {
                let value = match input {
                    Input::Py(obj) => obj.clone(),
                    Input::Json(value) => json_to_py(py, value)?,
                };
                let tag = function.bind(py).call1((value,))?;
                (!tag.is_none()).then_some(Found::Py(tag))
            }
        };
        let position = found.as_ref().and_then(|found| self.position(py, found));
        if position.is_none() {
            if let Some(custom) = &self.custom_error {
                return Err(custom_line(py, input, custom));
            }
        }
        let Some(found) = found else {
            return Err(ValError::Lines(vec![line_with_ctx(
                py,
                "union_tag_not_found",
                input.to_object(py),
                &[("discriminator", self.discriminator_text.clone_ref(py))],
            )]));
        };
        let Some(position) = position else {
            return Err(self.invalid(py, input, found));
        };
        let (choice, loc) = &self.entries[position];
        self.choices[*choice]
            .validate(py, input, state)
            .map_err(|err| err.at(|| Loc::Key(loc.clone_ref(py))))
    }

    /// The value under the first key the input has (None: no key); a wrong kind of input is
    /// the error pydantic gives for it.
    fn by_key<'a, 'py>(
        &self,
        py: Python<'py>,
        keys: &[(Py<PyString>, String)],
        input: Input<'a, 'py>,
    ) -> ValResult<Option<Found<'a, 'py>>> {
        match input {
            Input::Json(JsonValue::Object(pairs)) => Ok(keys.iter().find_map(|(_, key)| {
                pairs
                    .iter()
                    .rev()
                    .find(|(k, _)| k.as_ref() == key)
                    .map(|(_, v)| Found::Json(v))
            })),
            Input::Json(_) => Err(ValError::new(py, "dict_type", input)),
            Input::Py(obj) => {
                if let Ok(dict) = obj.downcast::<PyDict>() {
                    if let Some(value) = first_entry_under(dict, keys) {
                        return Ok(Some(Found::Py(value)));
                    }
                    for (key, _) in keys {
                        if let Some(value) = dict.get_item(key.bind(py))? {
                            return Ok(Some(Found::Py(value)));
                        }
                    }
                    return Ok(None);
                }
                let mapping = obj.is_instance(py_mapping_abc(py))?;
                if !mapping && !has_attributes(obj) {
                    return Err(ValError::new(py, "model_attributes_type", input));
                }
                for (key, _) in keys {
                    let got = if mapping {
                        obj.get_item(key.bind(py))
                    } else {
                        obj.getattr(key.bind(py))
                    };
                    match got {
                        Ok(value) => return Ok(Some(Found::Py(value))),
                        Err(err)
                            if err.is_instance_of::<pyo3::exceptions::PyKeyError>(py)
                                || err.is_instance_of::<pyo3::exceptions::PyAttributeError>(py) => {
                        }
                        Err(err) if mapping => return Err(err.into()),
                        Err(err) => return Err(attribute_error(py, input, &err)),
                    }
                }
                Ok(None)
            }
        }
    }

    /// Which entry the tag names (None: none; an unhashable tag names none).
    fn position(&self, py: Python<'_>, found: &Found<'_, '_>) -> Option<usize> {
        if let Found::Py(tag) = found {
            let hit = self
                .tag_objects
                .iter()
                .find(|(t, _)| t.as_ptr() == tag.as_ptr());
            if let Some((_, position)) = hit {
                return Some(*position);
            }
        }
        let text = match found {
            Found::Json(JsonValue::Str(text)) => Some(text.as_ref()),
            Found::Py(tag) if tag.is_exact_instance_of::<PyString>() => tag
                .downcast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok()),
            _ => None,
        };
        if let Some(text) = text {
            return self
                .text_tags
                .iter()
                .find(|(tag, _)| tag == text)
                .map(|(_, position)| *position);
        }
        let tag = match found {
            Found::Py(tag) => tag.clone(),
            Found::Json(value) => json_to_py(py, value).ok()?,
        };
        let hit = self.lookup.bind(py).get_item(tag).ok()??;
        hit.extract::<usize>().ok()
    }

    #[cold]
    fn invalid(&self, py: Python<'_>, input: Input<'_, '_>, found: Found<'_, '_>) -> ValError {
        let tag = match found {
            Found::Py(tag) => Ok(tag),
            Found::Json(value) => json_to_py(py, value),
        };
        let text = match tag.and_then(|tag| tag.str()) {
            Ok(text) => text.into_any().unbind(),
            Err(err) => return ValError::Internal(err),
        };
        ValError::Lines(vec![line_with_ctx(
            py,
            "union_tag_invalid",
            input.to_object(py),
            &[
                ("discriminator", self.discriminator_text.clone_ref(py)),
                ("tag", text),
                ("expected_tags", self.expected_tags.clone_ref(py)),
            ],
        )])
    }
}

/// The value of `dict`'s first entry when its key is the very object of the first tag key
/// (the tag usually comes first, under an interned key): one step instead of a hash lookup,
/// with the answer the lookup would give (a key object is in a dict at most once).
#[inline]
fn first_entry_under<'py>(
    dict: &Bound<'py, PyDict>,
    keys: &[(Py<PyString>, String)],
) -> Option<Bound<'py, PyAny>> {
    let (wanted, _) = keys.first()?;
    let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
    // SAFETY: a live dict; PyDict_Next hands out borrowed references (or nothing), and the
    // value is owned before anything else runs.
    unsafe {
        let found = pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) != 0;
        (found && key == wanted.as_ptr()).then(|| Bound::from_borrowed_ptr(dict.py(), value))
    }
}

/// A callable discriminator's own error (`errors()` hands out a copy of the context).
#[cold]
fn custom_line(
    py: Python<'_>,
    input: Input<'_, '_>,
    (kind, message, context): &(String, PyObject, Option<PyObject>),
) -> ValError {
    ValError::Lines(vec![super::errors::LineError {
        kind: std::borrow::Cow::Owned(kind.clone()),
        loc: smallvec::SmallVec::new(),
        input: input.to_object(py),
        ctx: context
            .as_ref()
            .map(|c| super::errors::Ctx::Dict(c.clone_ref(py))),
        msg: Some(message.clone_ref(py)),
    }])
}

/// A getter that raised something other than `AttributeError`: pydantic's
/// `get_attribute_error`, with the exception as `"Type: message"`.
#[cold]
fn attribute_error(py: Python<'_>, input: Input<'_, '_>, err: &PyErr) -> ValError {
    let kind = err
        .get_type(py)
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "Exception".into());
    let text = err
        .value(py)
        .str()
        .map(|t| t.to_string())
        .unwrap_or_default();
    let error = PyString::new(py, &format!("{kind}: {text}"))
        .into_any()
        .unbind();
    ValError::Lines(vec![line_with_ctx(
        py,
        "get_attribute_error",
        input.to_object(py),
        &[("error", error)],
    )])
}

impl TaggedUnionValidator {
    /// The streaming reader's path for an object and a key discriminator. When the object's
    /// first key is the tag and its choice checks the tag itself (`first_key`), that choice
    /// reads the object at once; otherwise, or when that choice fails, the object's keys are
    /// scanned for the tag (values skipped, not built) and the choice it names reads the object
    /// from its start. Errors about the tag, functions and other inputs take the tree path,
    /// which gives the same answers.
    #[inline(never)] // keeps the per-value dispatcher in stream.rs small
    pub(crate) fn validate_stream<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        let start = jiter.current_index();
        let Source::Keys(keys) = &self.source else {
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        };
        if peek != Peek::Object {
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        }
        let mut first_try: Option<(usize, ValError)> = None;
        let first = self.first_key_tag(jiter)?;
        jiter.set_index(start);
        if let Some(position) = first {
            let before = (state.exactness, state.fields_set);
            match self.stream_entry(py, position, jiter, peek, state) {
                Err(StreamError::Val(ValError::Lines(lines))) => {
                    first_try = Some((position, ValError::Lines(lines)));
                }
                other => return other,
            }
            // what the failed try counted is not the answer's (a union around this one reads it)
            (state.exactness, state.fields_set) = before;
            jiter.set_index(start);
        }
        let (position, end) = self.scan_tag(py, keys, jiter)?;
        if let (Some((tried, err)), Some(position)) = (first_try, position) {
            if tried == position {
                // the choice that failed was the right one: its errors stand
                jiter.set_index(end);
                let (_, loc) = &self.entries[position];
                return Err(StreamError::Val(err.at(|| Loc::Key(loc.clone_ref(py)))));
            }
        }
        jiter.set_index(start);
        let Some(position) = position else {
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        };
        self.stream_entry(py, position, jiter, peek, state)
            .map_err(|err| match err {
                StreamError::Val(err) => {
                    let (_, loc) = &self.entries[position];
                    StreamError::Val(err.at(|| Loc::Key(loc.clone_ref(py))))
                }
                json => json,
            })
    }

    /// The entry's choice reads the object (errors without the tag's step).
    fn stream_entry<'py>(
        &self,
        py: Python<'py>,
        position: usize,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        let (choice, _) = &self.entries[position];
        self.choices[*choice].validate_stream(py, jiter, peek, state)
    }

    /// The entry named by the object's first key, when that key is the tag, its value a string
    /// tag, and its choice checks the tag itself (else None; the reader is left anywhere).
    fn first_key_tag(&self, jiter: &mut Scan<'_>) -> SResult<Option<usize>> {
        if self.first_key.is_empty() {
            return Ok(None);
        }
        if !matches!(jiter.known_object_expecting(&self.key_json)?, Key::Expected) {
            return Ok(None);
        }
        if jiter.peek()? != Peek::String {
            return Ok(None);
        }
        let text = jiter.known_str()?;
        Ok(self
            .text_tags
            .iter()
            .find(|(tag, _)| tag == text)
            .map(|(_, position)| *position)
            .filter(|position| self.first_key[self.entries[*position].0]))
    }

    /// The entry the object's tag names (the name's key before the alias's, the last of
    /// repeated keys; None when there is no tag or it names no entry), and where the object
    /// ends.
    fn scan_tag(
        &self,
        py: Python<'_>,
        keys: &[(Py<PyString>, String)],
        jiter: &mut Scan<'_>,
    ) -> SResult<(Option<usize>, usize)> {
        let mut best: Option<(usize, usize)> = None; // (rank of the key, where its value starts)
        let mut step = jiter.known_object_expecting(NO_KEY)?;
        loop {
            let rank = match step {
                Key::End => break,
                Key::Expected => None,
                Key::Other(key) => keys.iter().position(|(_, k)| k == key),
            };
            let value_peek = jiter.peek()?;
            if let Some(rank) = rank {
                if best.is_none_or(|(current, _)| rank <= current) {
                    best = Some((rank, jiter.current_index()));
                }
            }
            skip(jiter, value_peek)?;
            step = jiter.next_key_expecting(NO_KEY)?;
        }
        let end = jiter.current_index();
        let Some((_, at)) = best else {
            return Ok((None, end));
        };
        jiter.set_index(at);
        let tag_peek = jiter.peek()?;
        if tag_peek == Peek::String {
            let text = jiter.known_str()?;
            let found = self.text_tags.iter().find(|(tag, _)| tag == text);
            return Ok((found.map(|(_, position)| *position), end));
        }
        let value = jiter.known_value(tag_peek)?;
        Ok((self.position(py, &Found::Json(&value)), end))
    }
}

/// Step over a value: scalars by the reader's own fast paths, containers by jiter.
#[inline]
fn skip(jiter: &mut Scan<'_>, peek: Peek) -> Result<(), ScanError> {
    match peek {
        Peek::String => jiter.known_str().map(drop),
        Peek::Null => jiter.known_null(),
        Peek::True | Peek::False => jiter.known_bool(peek).map(drop),
        Peek::Array | Peek::Object => jiter.known_skip(peek),
        _ => jiter.known_number(peek).map(drop),
    }
}

/// Never a key's bytes (a key starts with a quote): every key comes back as `Key::Other`.
const NO_KEY: &[u8] = b"!";
