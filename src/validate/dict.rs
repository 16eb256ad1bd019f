//! `dict`: dicts (any Mapping in lax mode) with validated keys and values; JSON object keys are
//! always read in lax mode.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::{line_with_ctx, Errors, Loc, ValError, ValResult};
use super::{schema, State, Validator};
use crate::conv::py_mapping_abc;
use crate::input::Input;

pub(crate) struct DictValidator {
    keys: Box<Validator>,
    values: Box<Validator>,
    strict: bool,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

impl DictValidator {
    pub(crate) fn build(schema: &Bound<'_, PyDict>) -> PyResult<Self> {
        Ok(DictValidator {
            keys: Box::new(Validator::build(&schema::sub_schema(schema, "keys")?)?),
            values: Box::new(Validator::build(&schema::sub_schema(schema, "values")?)?),
            strict: schema::flag(schema, "strict")?,
            min_length: schema::optional(schema, "min_length")?,
            max_length: schema::optional(schema, "max_length")?,
        })
    }

    pub(crate) fn runs_user_code(&self) -> bool {
        self.keys.runs_user_code() || self.values.runs_user_code()
    }

    /// A JSON object key is text standing for any key type: it is read in lax mode, also in
    /// strict mode (pydantic), so `{"1": ...}` is valid for `dict[int, ...]`.
    fn json_key<'py>(
        &self,
        py: Python<'py>,
        key: &JsonValue<'_>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let outer = state.strict.replace(false);
        let result = self.keys.validate(py, Input::Json(key), state);
        state.strict = outer;
        result
    }

    #[inline(never)] // the dispatcher in mod.rs stays a small jump table
    pub(crate) fn validate<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let strict = state.strict(self.strict);
        let out = PyDict::new(py);
        let mut errors = Errors::default();
        let key_loc = |key: &Bound<'py, PyAny>| Loc::Key(key.clone().unbind());
        let bracket = || Loc::Key(PyString::new(py, "[key]").into_any().unbind());
        match input {
            Input::Py(obj) => {
                let source: Bound<'py, PyDict> = if let Ok(d) = obj.downcast::<PyDict>() {
                    d.clone()
                } else if !strict && obj.is_instance(py_mapping_abc(py))? {
                    PyDict::from_sequence(&obj.call_method0("items")?)?
                } else {
                    return Err(ValError::new(py, "dict_type", input));
                };
                for (key, value) in crate::conv::dict_items(&source) {
                    let k = self.keys.validate(py, Input::Py(&key), state);
                    let v = self.values.validate(py, Input::Py(&value), state);
                    match (k, v) {
                        (Ok(k), Ok(v)) => out.set_item(k, v)?,
                        (k, v) => {
                            if let Err(err) = k {
                                errors.absorb(err.at(bracket), || key_loc(&key))?;
                            }
                            if let Err(err) = v {
                                errors.absorb(err, || key_loc(&key))?;
                            }
                        }
                    }
                }
            }
            Input::Json(JsonValue::Object(pairs)) => {
                for (key, value) in pairs.iter() {
                    let key_obj = PyString::new(py, key).into_any();
                    let json_key = JsonValue::Str(key.clone());
                    let k = self.json_key(py, &json_key, state);
                    let v = self.values.validate(py, Input::Json(value), state);
                    match (k, v) {
                        (Ok(k), Ok(v)) => out.set_item(k, v)?,
                        (k, v) => {
                            if let Err(err) = k {
                                errors.absorb(err.at(bracket), || key_loc(&key_obj))?;
                            }
                            if let Err(err) = v {
                                errors.absorb(err, || key_loc(&key_obj))?;
                            }
                        }
                    }
                }
            }
            Input::Json(_) => return Err(ValError::new(py, "dict_type", input)),
        }
        if !errors.is_empty() {
            return Err(ValError::Lines(errors.lines));
        }
        let length = out.len();
        let failure = match (self.min_length, self.max_length) {
            (Some(min), _) if length < min => Some(("too_short", "min_length", min)),
            (_, Some(max)) if length > max => Some(("too_long", "max_length", max)),
            _ => None,
        };
        if let Some((code, key, bound)) = failure {
            return Err(ValError::Lines(vec![line_with_ctx(
                py,
                code,
                input.to_object(py),
                &[
                    (
                        "field_type",
                        PyString::new(py, "Dictionary").into_any().unbind(),
                    ),
                    (key, bound.into_pyobject(py)?.into_any().unbind()),
                    (
                        "actual_length",
                        length.into_pyobject(py)?.into_any().unbind(),
                    ),
                ],
            )]));
        }
        Ok(out.into_any())
    }
}
