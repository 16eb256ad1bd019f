//! `convert`: a value type ferrule does not parse itself (IP addresses, paths, URLs, secrets, a
//! deque): an instance of `cls` is taken as it is; in lax mode (and from JSON) the input, or what
//! the optional inner `schema` made of it, goes through the type's own `function`. A `ValueError`
//! or `TypeError` from it is the schema's `error` type; a `ValidationError` keeps its own lines.
//! With `instance_strict`, strict mode on Python input is `is_instance_of`, as pydantic's.

use std::borrow::Cow;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::{line_with_ctx, LineError, ValError, ValResult};
use super::function::user_error;
use super::{schema, Exactness, State, Validator};
use crate::conv::py_validation_error;
use crate::input::Input;

pub(crate) struct ConvertValidator {
    cls: Option<PyObject>,
    class_name: PyObject,
    function: PyObject,
    error: String,
    strict: bool,
    /// Strict mode takes only an instance of `cls` from Python (pydantic's IP and path types);
    /// the others take their input in strict mode too (a URL, a secret from text).
    instance_strict: bool,
    /// `function(value, input)`: the function also sees the input as given (to keep its
    /// container type, as `Sequence[T]` does).
    with_input: bool,
    /// The inner schema's own type error (the input is no list at all, say) is reported as
    /// this schema's `error` (pydantic's `deque_type` for a deque).
    owns_type_error: bool,
    pub(crate) inner: Option<Box<Validator>>,
}

impl ConvertValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        let py = schema.py();
        let cls = schema::object(schema, "cls")?;
        let class_name = match &cls {
            Some(cls) => cls.getattr(pyo3::intern!(py, "__name__"))?.unbind(),
            None => PyString::new(py, "object").into_any().unbind(),
        };
        let inner = match schema::object(schema, "schema")? {
            Some(_) => Some(Box::new(Validator::build(&schema::sub_schema(
                schema, "schema",
            )?)?)),
            None => None,
        };
        Ok(ConvertValidator {
            cls: cls.map(Bound::unbind),
            class_name,
            function: schema::required::<Bound<'_, PyAny>>(schema, "function")?.unbind(),
            error: schema::required(schema, "error")?,
            strict: schema::flag(schema, "strict")?,
            instance_strict: schema::flag(schema, "instance_strict")?,
            with_input: schema::flag(schema, "with_input")?,
            owns_type_error: schema::flag(schema, "owns_type_error")?,
            inner,
        })
    }

    /// The class name, for union error locations.
    pub(crate) fn tag(&self, py: Python<'_>) -> PyObject {
        self.class_name.clone_ref(py)
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if let (Input::Py(obj), Some(cls)) = (input, &self.cls) {
            if obj.is_instance(cls.bind(py))? {
                return Ok(obj.clone());
            }
            if self.instance_strict && state.strict(self.strict) {
                return Err(ValError::Lines(vec![line_with_ctx(
                    py,
                    "is_instance_of",
                    input.to_object(py),
                    &[("class", self.class_name.clone_ref(py))],
                )]));
            }
        }
        state.floor(if input.is_json() {
            Exactness::Strict
        } else {
            Exactness::Lax
        });
        let value = match &self.inner {
            Some(inner) => match inner.validate(py, input, state) {
                Ok(value) => value,
                Err(ValError::Lines(mut lines)) if self.owns_type_error => {
                    for line in &mut lines {
                        if line.loc.is_empty() && line.kind.ends_with("_type") {
                            line.kind = Cow::Owned(self.error.clone());
                            line.ctx = None;
                        }
                    }
                    return Err(ValError::Lines(lines));
                }
                Err(err) => return Err(err),
            },
            None => input.to_object(py).into_bound(py),
        };
        let raw = input.to_object(py).into_bound(py);
        let function = self.function.bind(py);
        let called = if self.with_input {
            function.call1((&value, &raw))
        } else {
            function.call1((&value,))
        };
        called.map_err(|err| {
            let typed = err
                .value(py)
                .is_instance(py_validation_error(py))
                .unwrap_or(false);
            if !typed
                && (err.is_instance_of::<PyValueError>(py) || err.is_instance_of::<PyTypeError>(py))
            {
                ValError::Lines(vec![LineError {
                    kind: Cow::Owned(self.error.clone()),
                    loc: smallvec::SmallVec::new(),
                    input: raw.clone().unbind(),
                    ctx: None,
                    msg: None,
                }])
            } else {
                user_error(py, err, &raw)
            }
        })
    }
}
