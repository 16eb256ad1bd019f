//! JSON → instances in one pass over the text: models, lists, nullables and scalars read
//! straight from the token stream; every other schema takes the parsed subtree and the ordinary
//! JSON path, so the rules stay the ones in `Validator::validate`.

use jiter::{JsonValue, NumberAny, NumberInt, Peek};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyString};
use smallvec::SmallVec;

use super::errors::{Errors, LineError, Loc, ValError};
use super::model::{Extra, ModelValidator};
use super::scan::{Scan, ScanError};
use super::{State, Validator, MAX_DEPTH};
use crate::conv::{big_int, json_to_py};
use crate::input::Input;

/// A data error (reported with the others) or a syntax error (reported alone).
pub(crate) enum StreamError {
    Val(ValError),
    Json(ScanError),
}

impl From<ValError> for StreamError {
    fn from(err: ValError) -> Self {
        StreamError::Val(err)
    }
}

impl From<ScanError> for StreamError {
    fn from(err: ScanError) -> Self {
        StreamError::Json(err)
    }
}

impl From<PyErr> for StreamError {
    fn from(err: PyErr) -> Self {
        StreamError::Val(ValError::Internal(err))
    }
}

type SResult<T> = Result<T, StreamError>;

/// A JSON scalar as the Python object `json.loads` would give.
fn scalar<'py>(py: Python<'py>, jiter: &mut Scan<'_>, peek: Peek) -> SResult<Bound<'py, PyAny>> {
    Ok(match peek {
        Peek::Null => {
            jiter.known_null()?;
            py.None().into_bound(py)
        }
        Peek::True | Peek::False => PyBool::new(py, jiter.known_bool(peek)?)
            .to_owned()
            .into_any(),
        Peek::String => PyString::new(py, jiter.known_str()?).into_any(),
        _ => number(py, jiter.known_number(peek)?)?,
    })
}

fn number(py: Python<'_>, value: NumberAny) -> SResult<Bound<'_, PyAny>> {
    Ok(match value {
        NumberAny::Int(NumberInt::Int(i)) => i.into_pyobject(py)?.into_any(),
        NumberAny::Int(NumberInt::BigInt(b)) => big_int(py, &b.to_string()),
        NumberAny::Float(f) => PyFloat::new(py, f).into_any(),
    })
}

/// Validate the generic way: parse the subtree, then the ordinary JSON path.
#[inline(never)]
fn by_tree<'py>(
    validator: &Validator,
    py: Python<'py>,
    jiter: &mut Scan<'_>,
    peek: Peek,
    state: &mut State,
) -> SResult<Bound<'py, PyAny>> {
    let value = jiter.known_value(peek)?;
    Ok(validator.validate(py, Input::Json(&value), state)?)
}

impl Validator {
    pub(crate) fn validate_stream<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        let container = peek == Peek::Array || peek == Peek::Object;
        match self {
            // the common exact cases, decided from the token itself
            Validator::Str(v) if peek == Peek::String && v.is_plain() => {
                Ok(PyString::new(py, jiter.known_str()?).into_any())
            }
            Validator::Str(v) if peek == Peek::String && v.lengths_only() => {
                let text = jiter.known_str()?;
                let value = PyString::new(py, text).into_any();
                if v.length_ok(text) {
                    Ok(value)
                } else {
                    // the ordinary path reports the error
                    Ok(self.validate(py, Input::Py(&value), state)?)
                }
            }
            Validator::Int(v) if peek.is_num() => match jiter.known_number(peek)? {
                NumberAny::Int(NumberInt::Int(i)) => {
                    let value = i.into_pyobject(py)?.into_any();
                    if v.is_plain() || v.passes(i) {
                        Ok(value)
                    } else {
                        Ok(self.validate(py, Input::Py(&value), state)?)
                    }
                }
                other => {
                    let value = number(py, other)?;
                    Ok(self.validate(py, Input::Py(&value), state)?)
                }
            },
            Validator::Float(v) if peek.is_num() => {
                let value = number(py, jiter.known_number(peek)?)?;
                match value.downcast::<PyFloat>() {
                    Ok(f) if v.is_plain() || v.passes(f.value()) => Ok(value),
                    _ => Ok(self.validate(py, Input::Py(&value), state)?),
                }
            }
            // for these the JSON rules equal the Python rules on the json.loads value
            Validator::Int(_) | Validator::Float(_) | Validator::Str(_) | Validator::Bool(_)
                if !container =>
            {
                let value = scalar(py, jiter, peek)?;
                Ok(self.validate(py, Input::Py(&value), state)?)
            }
            Validator::Nullable(_) if peek == Peek::Null => {
                jiter.known_null()?;
                Ok(py.None().into_bound(py))
            }
            Validator::Nullable(v) => v.inner.validate_stream(py, jiter, peek, state),
            Validator::Model(model) => model.validate_stream(py, jiter, peek, state),
            Validator::ModelRef(r) => r
                .compiled(py)?
                .get()
                .root
                .validate_stream(py, jiter, peek, state),
            Validator::Collection(c) if peek == Peek::Array && c.streams() => {
                let item = c.each_item().expect("streams() checked the item validator");
                stream_list(item, py, jiter, state)
            }
            _ => by_tree(self, py, jiter, peek, state),
        }
    }
}

/// A JSON array into a list, each item validated from the stream.
#[inline(never)] // keeps the dispatcher above small (its frame is paid on every value)
fn stream_list<'py>(
    item: &Validator,
    py: Python<'py>,
    jiter: &mut Scan<'_>,
    state: &mut State,
) -> SResult<Bound<'py, PyAny>> {
    let list = pyo3::types::PyList::empty(py);
    let mut errors = Errors::default();
    let mut next = jiter.known_array()?;
    let mut index = 0usize;
    while let Some(item_peek) = next {
        match item.validate_stream(py, jiter, item_peek, state) {
            Ok(value) => list.append(value)?,
            Err(StreamError::Val(err)) => errors.absorb(err, || Loc::Index(index))?,
            Err(json) => return Err(json),
        }
        index += 1;
        next = jiter.array_step()?;
    }
    errors.into_result(())?;
    Ok(list.into_any())
}

impl ModelValidator {
    fn validate_stream<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        if peek != Peek::Object || !self.streams() || state.depth >= MAX_DEPTH {
            // wrong type, before-validators or too deep: the tree path gives the same errors
            let value = jiter.known_value(peek)?;
            return Ok(self.validate(py, Input::Json(&value), state)?);
        }
        state.depth += 1;
        let result = self.stream_object(py, jiter, state);
        state.depth -= 1;
        let instance = result?;
        Ok(self.after_validators(py, instance)?)
    }

    #[inline(never)] // keeps the per-value dispatcher's frame small
    fn stream_object<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        state: &mut State,
    ) -> SResult<Bound<'py, PyAny>> {
        const SET: u8 = 1;
        const FAILED: u8 = 2;
        const VIA_ALIAS: u8 = 4;
        const HELD: u8 = 8; // the slot holds a value (a repeated key must replace it)
        let count = self.fields.len();
        let start = jiter.current_index();
        // values go straight into the new instance's slots; it is dropped on any error
        let instance = self.allocate(py)?;
        let mut marks_store: SmallVec<[u8; 32]> = SmallVec::from_elem(0, count);
        let marks = marks_store.as_mut_slice();
        let mut failed: Vec<(usize, ValError)> = Vec::new();
        let mut unknown: Option<Bound<'py, PyDict>> = None;
        let keep_unknown = self.extra() != Extra::Ignore;
        // the key borrows the parser: resolve it to a field (or copy it) before reading on
        let mut hint = 0usize;
        let mut key = jiter.known_object()?.map(|k| {
            (
                self.field_for_key_from(k, hint),
                keep_unknown.then(|| k.to_owned()),
            )
        });
        while let Some((found, unknown_key)) = key {
            let value_peek = jiter.peek()?;
            match found {
                // a field's name after its alias already gave it a value: the alias wins
                Some((index, false))
                    if marks[index] & VIA_ALIAS != 0 && marks[index] & (SET | FAILED) != 0 =>
                {
                    jiter.known_skip(value_peek)?
                }
                Some((index, alias)) => {
                    let field = &self.fields[index];
                    let mark = marks[index];
                    if mark & FAILED != 0 {
                        failed.retain(|(i, _)| *i != index); // a repeated key: the last one counts
                    }
                    let mut next = (if alias { VIA_ALIAS } else { 0 }) | (mark & HELD);
                    match field
                        .validator()
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
                    marks[index] = next;
                }
                None => match unknown_key {
                    Some(name) => {
                        let value = jiter.known_value(value_peek)?;
                        let dict = unknown.get_or_insert_with(|| PyDict::new(py));
                        dict.set_item(name.as_str(), json_to_py(py, &value))?;
                    }
                    None => jiter.known_skip(value_peek)?,
                },
            }
            if let Some((index, _)) = found {
                hint = index + 1;
            }
            key = jiter.next_key()?.map(|k| {
                (
                    self.field_for_key_from(k, hint),
                    keep_unknown.then(|| k.to_owned()),
                )
            });
        }
        let whole = || -> PyResult<PyObject> {
            let text = jiter.slice_to_current(start);
            let value = JsonValue::parse(text, false)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
            Ok(json_to_py(py, &value).unbind())
        };
        let mut errors = Errors::default();
        for (index, field) in self.fields.iter().enumerate() {
            let mark = marks[index];
            if mark & SET != 0 {
                continue;
            }
            if mark & FAILED != 0 {
                if let Some(pos) = failed.iter().position(|(i, _)| *i == index) {
                    let (_, err) = failed.swap_remove(pos);
                    let key = field.key_for(mark & VIA_ALIAS != 0);
                    errors.absorb(field.customise(py, err), || {
                        Loc::Key(key.clone_ref(py).into_any())
                    })?;
                }
            } else {
                match field.default_value(py)? {
                    Some(value) => field.slot.store_new(py, &instance, value)?,
                    None => {
                        let line: LineError = field.missing_line(py, whole()?);
                        errors.push(line);
                    }
                }
            }
        }
        let mut extras: Option<Bound<'py, PyDict>> = None;
        if let Some(unknown) = unknown {
            for (k, v) in unknown.iter() {
                self.extra_item(py, k, v, &mut extras, &mut errors);
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
        Ok(self.finish_instance(py, instance, extras)?)
    }
}

impl From<std::convert::Infallible> for StreamError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
