//! `uuid`: UUID objects; in lax mode 32-hex-digit strings (hyphenated or not), 16 raw bytes and
//! the text as UTF-8 bytes (any other length);
//! JSON strings in strict mode too. Strict mode on Python input is `is_instance_of`.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::{schema, Exactness, State};
use crate::conv::py_uuid_type;
use crate::input::Input;

pub(crate) struct UuidValidator {
    strict: bool,
}

impl UuidValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(UuidValidator {
            strict: schema::flag(schema, "strict")?,
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
        let uuid = py_uuid_type(py);
        let from_text = |text: &str| -> ValResult<Bound<'py, PyAny>> {
            match hex_of(text) {
                Ok(hex) => Ok(uuid.call1((hex,))?),
                Err(reason) => Err(ValError::Lines(vec![line_with_ctx(
                    py,
                    "uuid_parsing",
                    input.to_object(py),
                    &[("error", PyString::new(py, reason).into_any().unbind())],
                )])),
            }
        };
        match input {
            Input::Py(obj) => {
                if obj.is_instance(uuid)? {
                    return Ok(obj.clone());
                }
                if strict {
                    let class = PyString::new(py, "UUID").into_any().unbind();
                    return Err(ValError::Lines(vec![line_with_ctx(
                        py,
                        "is_instance_of",
                        input.to_object(py),
                        &[("class", class)],
                    )]));
                }
                state.floor(Exactness::Lax);
                if let Ok(s) = obj.downcast::<PyString>() {
                    return match s.to_str() {
                        Ok(text) => from_text(text),
                        Err(_) => Err(ValError::new(py, "uuid_parsing", input)),
                    };
                }
                if let Ok(b) = obj.downcast::<PyBytes>() {
                    if b.as_bytes().len() == 16 {
                        let kwargs = PyDict::new(py);
                        kwargs.set_item("bytes", b)?;
                        return Ok(uuid.call((), Some(&kwargs))?);
                    }
                    if let Ok(text) = std::str::from_utf8(b.as_bytes()) {
                        return from_text(text);
                    }
                    return Err(ValError::Lines(vec![line_with_ctx(
                        py,
                        "uuid_parsing",
                        input.to_object(py),
                        &[(
                            "error",
                            PyString::new(py, "invalid length").into_any().unbind(),
                        )],
                    )]));
                }
                Err(ValError::new(py, "uuid_type", input))
            }
            // JSON text is the one form of a UUID there: an exact match (pydantic)
            Input::Json(JsonValue::Str(s)) => from_text(s),
            Input::Json(_) => Err(ValError::new(py, "uuid_type", input)),
        }
    }
}

/// The 32 hex digits of `8-4-4-4-12` or plain 32-digit text.
fn hex_of(text: &str) -> Result<String, &'static str> {
    let bytes = text.as_bytes();
    let digits: String = match bytes.len() {
        32 => text.to_owned(),
        36 => {
            for &i in &[8usize, 13, 18, 23] {
                if bytes[i] != b'-' {
                    return Err("invalid group separator");
                }
            }
            text.replace('-', "")
        }
        _ => return Err("invalid length"),
    };
    if digits.len() == 32 && digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(digits)
    } else {
        Err("invalid character")
    }
}
