//! JSON → instances in one pass over the text: models, lists, nullables and scalars read
//! straight from the token stream; every other schema takes the parsed subtree and the ordinary
//! JSON path, so the rules stay the ones in `Validator::validate`.

use jiter::{NumberAny, NumberInt, Peek};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyFloat};
use smallvec::SmallVec;

use super::errors::{Errors, Loc, ValError};
use super::{State, Validator};
use crate::conv::big_int;
use crate::cpython::scanned_str;
use crate::input::Input;
use crate::json::read::{Number, Scan, ScanError};

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

pub(crate) type SResult<T> = Result<T, StreamError>;

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
        Peek::String => {
            let (text, ascii) = jiter.known_str_ascii()?;
            scanned_str(py, text, ascii).into_any()
        }
        _ => number(py, jiter.known_number(peek)?)?,
    })
}

fn number(py: Python<'_>, value: NumberAny) -> SResult<Bound<'_, PyAny>> {
    Ok(match value {
        NumberAny::Int(NumberInt::Int(i)) => i.into_pyobject(py)?.into_any(),
        NumberAny::Int(NumberInt::BigInt(b)) => big_int(py, &b.to_string())?,
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
    /// The usual field, read and checked with no `State` and no error to build: a string, an
    /// integer or a decimal that passes its checks. `None` for any other value, or one that
    /// fails a check or is not a plain token: the position is then where it was, and
    /// `validate_stream` reads the value again and gives the answer (or the error). Inlined
    /// into the loops over an object's members and an array's items.
    #[inline(always)]
    pub(crate) fn stream_quick<'py>(
        &self,
        py: Python<'py>,
        jiter: &mut Scan<'_>,
        peek: Peek,
    ) -> Option<Bound<'py, PyAny>> {
        let start = jiter.current_index();
        let value = match self {
            Validator::Str(v) if peek == Peek::String && v.checks_text_only() => {
                match jiter.known_str_ascii() {
                    Ok((text, ascii)) => {
                        let value = scanned_str(py, text, ascii).into_any();
                        (v.is_plain() || v.text_passes(text, ascii)).then_some(value)
                    }
                    Err(_) => None,
                }
            }
            Validator::Int(v) if peek.is_num() => match jiter.plain_number() {
                Number::Int(i) if v.is_plain() || v.passes(i) => {
                    let Ok(value) = i.into_pyobject(py);
                    Some(value.into_any())
                }
                _ => None,
            },
            Validator::Float(v) if peek.is_num() => match jiter.plain_number() {
                Number::Float(f) if v.is_plain() || v.passes(f) => {
                    Some(PyFloat::new(py, f).into_any())
                }
                _ => None,
            },
            _ => return None,
        };
        if value.is_none() {
            jiter.set_index(start);
        }
        value
    }

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
                let (text, ascii) = jiter.known_str_ascii()?;
                Ok(scanned_str(py, text, ascii).into_any())
            }
            Validator::Str(v) if peek == Peek::String && v.checks_text_only() => {
                let (text, ascii) = jiter.known_str_ascii()?;
                let value = scanned_str(py, text, ascii).into_any();
                if v.text_passes(text, ascii) {
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
            Validator::Float(v) if peek.is_num() => match jiter.known_number(peek)? {
                NumberAny::Float(f) => {
                    let value = PyFloat::new(py, f).into_any();
                    if v.is_plain() || v.passes(f) {
                        Ok(value)
                    } else {
                        Ok(self.validate(py, Input::Py(&value), state)?)
                    }
                }
                // an integer: the ordinary path converts (or refuses) it
                other => {
                    let value = number(py, other)?;
                    Ok(self.validate(py, Input::Py(&value), state)?)
                }
            },
            // for these the JSON rules equal the Python rules on the json.loads value
            Validator::Int(_) | Validator::Float(_) | Validator::Str(_) | Validator::Bool(_)
                if !container =>
            {
                let value = scalar(py, jiter, peek)?;
                Ok(self.validate(py, Input::Py(&value), state)?)
            }
            Validator::Literal(v) if peek == Peek::String => {
                let text = jiter.known_str()?;
                match v.json_text(py, text) {
                    Some(found) => Ok(found),
                    None => {
                        let value = jiter::JsonValue::Str(text.into());
                        Ok(self.validate(py, Input::Json(&value), state)?)
                    }
                }
            }
            Validator::Nullable(_) if peek == Peek::Null => {
                jiter.known_null()?;
                Ok(py.None().into_bound(py))
            }
            Validator::Nullable(v) => v.inner.validate_stream(py, jiter, peek, state),
            Validator::Model(model) => model.validate_stream(py, jiter, peek, state),
            Validator::TaggedUnion(union) => union.validate_stream(py, jiter, peek, state),
            Validator::ModelRef(r) => r
                .compiled(py)?
                .get()
                .root
                .validate_stream(py, jiter, peek, state),
            Validator::Collection(c) if peek == Peek::Array && c.streams() => match c.each_item() {
                Some(item) => stream_list(item, py, jiter, state),
                None => by_tree(self, py, jiter, peek, state),
            },
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
    // the items are gathered first, so the list is made once at its size (no appends)
    let mut items: SmallVec<[Bound<'py, PyAny>; 16]> = SmallVec::new();
    let mut errors = Errors::default();
    let mut next = jiter.known_array()?;
    let mut index = 0usize;
    while let Some(item_peek) = next {
        if let Some(value) = item.stream_quick(py, jiter, item_peek) {
            items.push(value);
        } else {
            match item.validate_stream(py, jiter, item_peek, state) {
                Ok(value) => items.push(value),
                Err(StreamError::Val(err)) => errors.absorb(err, || Loc::Index(index))?,
                Err(json) => return Err(json),
            }
        }
        index += 1;
        next = jiter.array_step()?;
    }
    errors.into_result(())?;
    Ok(list_of(py, &mut items)?)
}

/// A new list holding `items`, made at its size (no regrowth while appending).
fn list_of<'py>(
    py: Python<'py>,
    items: &mut SmallVec<[Bound<'py, PyAny>; 16]>,
) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: a new list of `items.len()` empty slots, each filled once with a new reference
    // (PyList_SetItem steals it, and cannot fail on an index in range)
    unsafe {
        let list = Bound::from_owned_ptr_or_err(py, ffi::PyList_New(items.len() as isize))?;
        // drain, not into_iter: that moves the whole inline buffer first
        for (index, item) in items.drain(..).enumerate() {
            ffi::PyList_SetItem(list.as_ptr(), index as isize, item.into_ptr());
        }
        Ok(list)
    }
}

impl From<std::convert::Infallible> for StreamError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
