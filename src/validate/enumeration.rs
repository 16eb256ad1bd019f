//! `enum`: members of the class; in lax mode (and always from JSON) a member's value. As
//! pydantic, an enum mixed with int or float also takes the number's text (`"2"`, `b"2"`, `"2.0"`)
//! and one mixed with str its UTF-8 bytes, in lax mode: the converted value must be a member's own
//! value (an `IntFlag` combination is not found from text).

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use super::errors::{line_with_ctx, ValError, ValResult};
use super::float::coerce_float;
use super::int::coerce_int;
use super::{schema, Exactness, State};
use crate::input::Input;

/// The builtin type an enum is mixed with, which decides how text is read as a value.
#[derive(Clone, Copy, PartialEq)]
enum Mixin {
    None,
    Int,
    Float,
    Str,
}

pub(crate) struct EnumValidator {
    cls: PyObject,
    strict: bool,
    expected: PyObject,
    mixin: Mixin,
    members: Vec<PyObject>,
}

impl EnumValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let members: Bound<'_, PyList> = schema::required(schema, "members")?;
        let values: Vec<String> = members
            .iter()
            .map(|m| {
                m.getattr("value")
                    .and_then(|v| v.repr())
                    .map(|r| r.to_string())
            })
            .collect::<PyResult<_>>()?;
        let mixin = match schema::optional::<String>(schema, "mixin")?.as_deref() {
            Some("int") => Mixin::Int,
            Some("float") => Mixin::Float,
            Some("str") => Mixin::Str,
            _ => Mixin::None,
        };
        Ok(EnumValidator {
            mixin,
            members: members.iter().map(Bound::unbind).collect(),
            cls: schema::required::<Bound<'_, PyAny>>(schema, "cls")?.unbind(),
            strict: schema::flag(schema, "strict")?,
            expected: PyString::new(py, &expected_text(&values))
                .into_any()
                .unbind(),
        })
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let cls = self.cls.bind(py);
        let own_strict = state.strict(self.strict);
        let strict = own_strict && !input.is_json();
        if let Input::Py(obj) = input {
            if obj.is_instance(cls)? {
                return Ok(obj.clone());
            }
        }
        if !strict {
            state.floor(Exactness::Lax);
            if let Ok(member) = cls.call1((input.to_object(py),)) {
                return Ok(member);
            }
            // (JSON in strict mode: a member's value as it is, never its text)
            if !own_strict {
                if let Some(member) = self.member_by_text(py, input)? {
                    return Ok(member);
                }
            }
        }
        Err(ValError::Lines(vec![line_with_ctx(
            py,
            "enum",
            input.to_object(py),
            &[("expected", self.expected.clone_ref(py))],
        )]))
    }
}

impl EnumValidator {
    /// The member whose value `input`'s text (or bytes) stands for, by the mixed-in type.
    fn member_by_text<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let textual = match input {
            Input::Py(obj) => obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>(),
            Input::Json(value) => matches!(value, jiter::JsonValue::Str(_)),
        };
        if !textual || self.mixin == Mixin::None {
            return Ok(None);
        }
        let mut scratch = State::new(None);
        let value = match self.mixin {
            Mixin::Int => match coerce_int(py, input, false, &mut scratch) {
                Ok((value, _)) => value,
                Err(_) => return Ok(None),
            },
            Mixin::Float => match coerce_float(py, input, false, &mut scratch) {
                Ok((value, _)) => value,
                Err(_) => return Ok(None),
            },
            _ => match input {
                Input::Py(obj) => match obj.downcast::<PyBytes>() {
                    Ok(raw) => match std::str::from_utf8(raw.as_bytes()) {
                        Ok(text) => PyString::new(py, text).into_any(),
                        Err(_) => return Ok(None),
                    },
                    Err(_) => return Ok(None),
                },
                Input::Json(_) => return Ok(None),
            },
        };
        for member in &self.members {
            let member = member.bind(py);
            if member.getattr(pyo3::intern!(py, "value"))?.eq(&value)? {
                return Ok(Some(member.clone()));
            }
        }
        Ok(None)
    }
}

/// `'a', 'b' or 'c'` from the reprs of the allowed values.
pub(crate) fn expected_text(reprs: &[String]) -> String {
    match reprs {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {}", rest.join(", "), last),
    }
}
