//! `bytes`: bytes; in lax mode bytearrays and strings (UTF-8 encoded, or decoded as base64 or
//! hex with `encoding`, the model option `val_json_bytes`).

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};

use super::errors::{line_with_ctx, Errors, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::input::Input;
use crate::json::bytes_codec::{decode, BytesMode};

pub(crate) struct BytesValidator {
    strict: bool,
    min_length: Option<usize>,
    max_length: Option<usize>,
    /// How a string input stands for bytes.
    encoding: BytesMode,
}

impl BytesValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(BytesValidator {
            strict: schema::flag(schema, "strict")?,
            min_length: schema::optional(schema, "min_length")?,
            max_length: schema::optional(schema, "max_length")?,
            encoding: match schema::optional::<String>(schema, "encoding")? {
                None => BytesMode::Utf8,
                Some(name) => BytesMode::named(&name).ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err(format!(
                        "unknown bytes encoding {name:?}"
                    ))
                })?,
            },
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let value: Bound<'py, PyBytes> = match input {
            Input::Py(obj) => {
                if let Ok(b) = obj.downcast::<PyBytes>() {
                    if !obj.is_exact_instance_of::<PyBytes>() {
                        state.floor(Exactness::Strict);
                    }
                    b.clone()
                } else if strict {
                    return Err(ValError::new(py, "bytes_type", input));
                } else {
                    state.floor(Exactness::Lax);
                    match obj.downcast::<PyString>() {
                        Ok(text) if self.encoding != BytesMode::Utf8 => match text.to_str() {
                            Ok(text) => self.decoded(py, text.as_bytes(), input)?,
                            // lone surrogates
                            Err(_) => return Err(ValError::new(py, "bytes_type", input)),
                        },
                        _ => lax_bytes(py, obj, input)?,
                    }
                }
            }
            // JSON has no bytes: a string stands for its UTF-8 encoding, also in strict mode
            Input::Json(JsonValue::Str(s)) => {
                state.floor(Exactness::Strict);
                self.decoded(py, s.as_bytes(), input)?
            }
            Input::Json(_) => return Err(ValError::new(py, "bytes_type", input)),
        };
        let length = value.as_bytes().len();
        let mut errors = Errors::default();
        if let Some(min) = self.min_length.filter(|m| length < *m) {
            errors.push(line_with_ctx(
                py,
                "bytes_too_short",
                input.to_object(py),
                &[("min_length", min.into_pyobject(py)?.into_any().unbind())],
            ));
        }
        if let Some(max) = self.max_length.filter(|m| length > *m) {
            errors.push(line_with_ctx(
                py,
                "bytes_too_long",
                input.to_object(py),
                &[("max_length", max.into_pyobject(py)?.into_any().unbind())],
            ));
        }
        errors.into_result(value.into_any())
    }
}

impl BytesValidator {
    /// The bytes a string input stands for by `encoding`.
    fn decoded<'py>(
        &self,
        py: Python<'py>,
        text: &[u8],
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyBytes>> {
        match decode(text, self.encoding) {
            Ok(raw) => Ok(PyBytes::new(py, &raw)),
            Err(reason) => Err(ValError::Lines(vec![line_with_ctx(
                py,
                "bytes_invalid_encoding",
                input.to_object(py),
                &[
                    (
                        "encoding",
                        PyString::new(py, self.encoding.name()).into_any().unbind(),
                    ),
                    (
                        "encoding_error",
                        PyString::new(py, &reason).into_any().unbind(),
                    ),
                ],
            )])),
        }
    }
}

/// `bytearray` as its bytes, `str` as its UTF-8 encoding.
fn lax_bytes<'py>(
    py: Python<'py>,
    obj: &Bound<'py, PyAny>,
    input: Input<'_, 'py>,
) -> ValResult<Bound<'py, PyBytes>> {
    if obj.is_instance_of::<PyByteArray>() {
        // the C-level contents: never sized by a (subclass's) __len__
        return Ok(PyBytes::new(py, &crate::conv::byte_contents(obj)?));
    }
    match obj.downcast::<PyString>().map(|s| s.to_str()) {
        Ok(Ok(text)) => Ok(PyBytes::new(py, text.as_bytes())),
        _ => Err(ValError::new(py, "bytes_type", input)),
    }
}
