//! A model from the JSON token stream: each value validated as it is read and stored straight
//! into the new instance's slot (no parse tree). The rules are those of `validate_json_object`.

use jiter::{JsonValue, Peek};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use smallvec::SmallVec;

use super::ModelValidator;
use crate::conv::json_to_py;
use crate::input::Input;
use crate::json::read::{Key, Scan};
use crate::model::Extra;
use crate::validate::errors::{Errors, Loc, ValError};
use crate::validate::stream::{SResult, StreamError};
use crate::validate::{Exactness, State, MAX_DEPTH};

const SET: u8 = 1;
const FAILED: u8 = 2;
const VIA_ALIAS: u8 = 4;
const HELD: u8 = 8; // the slot holds a value (a repeated key must replace it)

/// The value text of a key, parsed again when it turns out to be an extra key.
fn reparse<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let value = JsonValue::parse(text, false)
        .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    json_to_py(py, &value)
}

impl ModelValidator {
    pub(crate) fn validate_stream<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        if self.class.root && !self.tree_only() && state.depth < MAX_DEPTH {
            return self.stream_root(py, jiter, peek, state);
        }
        if peek != Peek::Object
            || self.tree_only()
            || state.depth >= MAX_DEPTH
            || self.class.root
            || self.class.has_paths
        {
            // wrong type, validators that need the tree path, too deep, a root model or alias
            // paths (which read values nested in others): the tree path gives the same answers
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        }
        let start = jiter.current_index();
        state.depth += 1;
        let result = self.stream_object(py, jiter, state);
        state.depth -= 1;
        let instance = result?;
        if self.post_init.is_some() {
            // model_post_init reports the whole input: parse the object's text again
            let whole = reparse(py, jiter.slice_to_current(start))?;
            return Ok(self.finish(py, instance, Input::Py(&whole), state)?);
        }
        Ok(self.run_after(py, instance, state)?)
    }

    /// A root model: its value read from the stream by the `root` field's validator.
    #[inline(never)]
    fn stream_root<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        let (Some(field), Some(check)) = (self.class.fields.first(), self.checks.first()) else {
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        };
        let start = jiter.current_index();
        state.floor(Exactness::Strict); // building an instance is not an exact match
        state.depth += 1;
        let result = check.validator.validate_stream(py, jiter, peek, state);
        state.depth -= 1;
        let value = match result {
            Ok(value) => value,
            Err(StreamError::Val(err)) => return Err(StreamError::Val(check.customise(py, err))),
            Err(other) => return Err(other),
        };
        let instance = self.class.allocate(py)?;
        field.slot.store_new(py, &instance, value)?;
        if self.post_init.is_some() {
            // model_post_init reports the whole input: parse the value's text again
            let whole = reparse(py, jiter.slice_to_current(start))?;
            return Ok(self.finish(py, instance, Input::Py(&whole), state)?);
        }
        Ok(self.run_after(py, instance, state)?)
    }

    #[inline(never)] // keeps the per-value dispatcher's frame small
    fn stream_object<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        let fields = &self.class.fields;
        let count = fields.len();
        let start = jiter.current_index();
        // values go straight into the new instance's slots; it is dropped on any error
        let instance = self.class.allocate(py)?;
        // per field: SET, FAILED, VIA_ALIAS, HELD (a stack array for the usual model size)
        let mut marks_small = [0u8; 32];
        let mut marks_large: Vec<u8> = Vec::new();
        let marks: &mut [u8] = if count <= marks_small.len() {
            &mut marks_small[..count]
        } else {
            marks_large.resize(count, 0);
            &mut marks_large
        };
        // where the value of a field given by its name lies, while its alias may still come
        let mut by_name: SmallVec<[Option<(usize, usize)>; 4]> = SmallVec::new();
        let mut failed: Vec<(usize, ValError)> = Vec::new();
        let mut unknown: Option<Bound<'py, PyDict>> = None;
        let keep_unknown = self.class.extra != Extra::Ignore;
        // the key borrows the parser: resolve it to a field (or copy it) before reading on.
        // The field expected next (declaration order) is matched on the raw bytes first.
        let expected = |hint: usize| {
            fields
                .get(hint)
                .map_or(&b"!"[..], |f| f.json_input_key.as_slice())
        };
        let resolve = |step: Key<'_>, hint: usize| match step {
            Key::End => None,
            Key::Expected => Some((Some((hint, fields[hint].alias.is_some())), None)),
            Key::Other(k) => Some((
                self.class.field_for_key_from(k, hint),
                keep_unknown.then(|| k.to_owned()),
            )),
        };
        // the straight run: every key the next field's, as encoded; the first other key (or
        // the end) hands over to the general loop below, which takes repeats, aliases, names
        // beside aliases, unknown keys and any order
        let mut hint = 0usize;
        let mut step = jiter.known_object_expecting(expected(0))?;
        while let Key::Expected = step {
            let (field, check) = (&fields[hint], &self.checks[hint]);
            let via_alias = if field.alias.is_some() { VIA_ALIAS } else { 0 };
            let value_peek = jiter.peek()?;
            if let Some(value) = check.validator.stream_quick(py, jiter, value_peek) {
                // the usual field: a plain value that passed its checks
                field.slot.store_new(py, &instance, value)?;
                marks[hint] = SET | HELD | via_alias;
                hint += 1;
                step = jiter.next_key_expecting(expected(hint))?;
                continue;
            }
            marks[hint] = match check
                .validator
                .validate_stream(py, jiter, value_peek, state)
            {
                Ok(value) => {
                    field.slot.store_new(py, &instance, value)?;
                    SET | HELD | via_alias
                }
                Err(StreamError::Val(ValError::Internal(err))) => return Err(err.into()),
                Err(StreamError::Val(err)) => {
                    failed.push((hint, err));
                    FAILED | via_alias
                }
                Err(json) => return Err(json),
            };
            hint += 1;
            step = jiter.next_key_expecting(expected(hint))?;
        }
        let mut key = match step {
            Key::End => None, // the usual end: every key was the next field's
            step => resolve(step, hint),
        };
        while let Some((found, unknown_key)) = key {
            let value_peek = jiter.peek()?;
            match found {
                // a field's name after its alias gave it a value: the alias wins, the name is
                // an extra key like any other
                Some((index, false)) if marks[index] & VIA_ALIAS != 0 => match unknown_key {
                    Some(name) => {
                        let value = jiter.known_value(value_peek)?;
                        let dict = unknown.get_or_insert_with(|| PyDict::new(py));
                        dict.set_item(name.as_str(), json_to_py(py, &value)?)?;
                    }
                    None => jiter.known_skip(value_peek)?,
                },
                Some((index, alias)) => {
                    let (field, check) = (&fields[index], &self.checks[index]);
                    let mark = marks[index];
                    if mark & FAILED != 0 {
                        failed.retain(|(i, _)| *i != index); // a repeated key: the last one counts
                    }
                    if alias && mark & (SET | FAILED) != 0 && keep_unknown {
                        // the field's name came first: its value becomes an extra
                        if let Some((from, to)) = by_name.get(index).copied().flatten() {
                            let value = reparse(py, &jiter.slice_to_current(from)[..to - from])?;
                            let dict = unknown.get_or_insert_with(|| PyDict::new(py));
                            dict.set_item(field.name.bind(py), value)?;
                        }
                    }
                    let value_start = jiter.current_index();
                    let mut next = (if alias { VIA_ALIAS } else { 0 }) | (mark & HELD);
                    match check
                        .validator
                        .validate_stream(py, jiter, value_peek, state)
                    {
                        Ok(value) if mark & HELD != 0 => {
                            field.slot.replace(py, &instance, value)?;
                            next |= SET;
                        }
                        Ok(value) => {
                            field.slot.store_new(py, &instance, value)?;
                            next |= SET | HELD;
                        }
                        Err(StreamError::Val(ValError::Internal(err))) => return Err(err.into()),
                        Err(StreamError::Val(err)) => {
                            failed.push((index, err));
                            next |= FAILED;
                        }
                        Err(json) => return Err(json),
                    }
                    if !alias && field.alias.is_some() && keep_unknown {
                        if by_name.len() < count {
                            by_name.resize(count, None);
                        }
                        by_name[index] = Some((value_start, jiter.current_index()));
                    }
                    marks[index] = next;
                }
                None => match unknown_key {
                    Some(name) => {
                        let value = jiter.known_value(value_peek)?;
                        let dict = unknown.get_or_insert_with(|| PyDict::new(py));
                        dict.set_item(name.as_str(), json_to_py(py, &value)?)?;
                    }
                    None => jiter.known_skip(value_peek)?,
                },
            }
            if let Some((index, _)) = found {
                hint = index + 1;
            }
            key = resolve(jiter.next_key_expecting(expected(hint))?, hint);
        }
        let mut errors = Errors::default();
        let mut unset = crate::model::fields_set::Unset::default();
        for (index, (field, check)) in self.fields().enumerate() {
            let mark = marks[index];
            if mark & SET != 0 {
                continue;
            }
            if mark & FAILED != 0 {
                if let Some(pos) = failed.iter().position(|(i, _)| *i == index) {
                    let (_, err) = failed.swap_remove(pos);
                    let key = field.key_for(mark & VIA_ALIAS != 0);
                    errors.absorb(check.customise(py, err), || {
                        Loc::Key(key.clone_ref(py).into_any())
                    })?;
                }
            } else {
                unset.set(index);
                match check.default_of(py, field, state) {
                    Ok(Some(value)) => field.slot.store_new(py, &instance, value)?,
                    Ok(None) => {
                        let whole = reparse(py, jiter.slice_to_current(start))?;
                        errors.push(check.missing(py, field, whole.unbind()));
                    }
                    Err(err) => errors.absorb(check.customise(py, err), || {
                        Loc::Key(field.name.clone_ref(py).into_any())
                    })?,
                }
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if let Some(unknown) = unknown {
            for (k, v) in unknown.iter() {
                self.handle_extra(py, k, v, &mut extras, &mut errors);
            }
        }
        if !errors.is_empty() {
            return Err(StreamError::Val(ValError::Lines(errors.lines)));
        }
        // empty vectors own no memory: forgetting them skips two drop calls and leaks nothing
        std::mem::forget(errors);
        if failed.is_empty() {
            std::mem::forget(failed);
        }
        self.class.record_given(py, &instance, &unset)?;
        Ok(self.class.finish_instance(py, instance, extras)?)
    }
}
