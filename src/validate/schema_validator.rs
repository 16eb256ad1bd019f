//! `SchemaValidator`: the compiled form of one schema, and the whole Python API of the core.

use std::borrow::Cow;

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::errors::ferrule_err;
use crate::input::Input;
use crate::json::read::{error_message, Scan};
use crate::validate::errors::{
    into_py_result, line_with_ctx, validation_error, LineError, Loc, ValError, ValResult,
};
use crate::validate::info::InputMode;
use crate::validate::model::ModelValidator;
use crate::validate::stream::StreamError;
use crate::validate::{State, Validator};

use crate::cpython::gc::GcPause;
use crate::json::read::{parse, PARSE_WITHOUT_GIL};

#[pyclass(frozen, module = "ferrule._ferrule")]
pub(crate) struct SchemaValidator {
    pub(crate) root: Validator,
    pub(crate) title: PyObject,
}

/// The bytes of JSON input given as str, bytes, bytearray or memoryview.
/// Immutable inputs (str, bytes) are borrowed; a bytearray is copied since it could change.
pub(crate) fn json_bytes<'a>(data: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    let py = data.py();
    if let Ok(b) = data.downcast::<PyBytes>() {
        return Ok(Cow::Borrowed(b.as_bytes()));
    }
    if let Ok(s) = data.downcast::<PyString>() {
        return match s.to_str() {
            Ok(text) => Ok(Cow::Borrowed(text.as_bytes())),
            Err(_) => Err(ferrule_err(
                py,
                "JSONError",
                "JSON text contains a lone surrogate",
            )),
        };
    }
    if let Ok(b) = data.downcast::<PyByteArray>() {
        return Ok(Cow::Owned(b.to_vec()));
    }
    if data.get_type().name()? == "memoryview" {
        return Ok(Cow::Owned(
            data.call_method0("tobytes")?
                .downcast::<PyBytes>()?
                .as_bytes()
                .to_vec(),
        ));
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "JSON input must be str, bytes, bytearray or memoryview, not {}",
        data.get_type().name()?
    )))
}

pub(crate) fn json_invalid(py: Python<'_>, input: &Bound<'_, PyAny>, reason: &str) -> LineError {
    line_with_ctx(
        py,
        "json_invalid",
        input.clone().unbind(),
        &[("error", PyString::new(py, reason).into_any().unbind())],
    )
}

impl SchemaValidator {
    /// Compile `schema`; `title` names the value in errors (default: the model or schema tag).
    pub(crate) fn build(
        py: Python<'_>,
        schema: &Bound<'_, PyAny>,
        title: Option<String>,
    ) -> PyResult<Self> {
        let schema = schema
            .downcast::<PyDict>()
            .map_err(|_| ferrule_err(py, "SchemaError", "a schema must be a dict"))?;
        let root = Validator::build(schema)?;
        let title = match title {
            Some(t) => t,
            None => match (&root, schema.get_item("type")?) {
                (Validator::Model(m), _) => m.title(py).to_string(),
                (Validator::ModelRef(r), _) => r.class_name(py).bind(py).str()?.to_string(),
                (_, Some(tag)) => tag.str()?.to_string(),
                _ => "value".to_owned(),
            },
        };
        Ok(SchemaValidator {
            root,
            title: PyString::new(py, &title).into_any().unbind(),
        })
    }

    /// The model validator at the root (model classes always compile to one).
    pub(crate) fn model(&self) -> PyResult<&ModelValidator> {
        match &self.root {
            Validator::Model(model) => Ok(model),
            _ => Err(pyo3::exceptions::PyTypeError::new_err("not a model class")),
        }
    }

    /// Parse and validate JSON text (shared with the native model methods).
    pub(crate) fn validate_json_data<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        strict: Option<bool>,
        context: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let bytes = json_bytes(data)?;
        if matches!(self.root, Validator::Model(_) | Validator::ModelRef(_))
            && bytes.len() < PARSE_WITHOUT_GIL
        {
            let mut state = State::new(strict);
            state.context = context.map(|c| c.clone().unbind());
            let outcome = self.stream_document(py, &bytes, &mut state, || data.clone());
            return into_py_result(py, self.title(py), outcome);
        }
        match parse(py, &bytes) {
            Ok(value) => self.run_with(py, Input::Json(&value), strict, false, context),
            Err(reason) => Err(validation_error(
                py,
                self.title(py),
                vec![json_invalid(py, data, &reason)],
            )),
        }
    }

    /// Stream one JSON document into the root schema. Invalid JSON is one `json_invalid` error
    /// whose input is `input()`; data errors count only in a document that is valid JSON to its
    /// end (the value was read to its end when they are reported).
    fn stream_document<'py>(
        &self,
        py: Python<'py>,
        bytes: &[u8],
        state: &mut State,
        input: impl FnOnce() -> Bound<'py, PyAny>,
    ) -> ValResult<Bound<'py, PyAny>> {
        state.mode = InputMode::Json;
        let mut scan = Scan::new(bytes);
        let outcome = scan
            .peek()
            .map_err(StreamError::from)
            .and_then(|peek| self.root.validate_stream(py, &mut scan, peek, state))
            .and_then(|value| scan.finish().map(|()| value).map_err(StreamError::from));
        match outcome {
            Ok(value) => Ok(value),
            // a user's exception stops the reading early: it propagates if the JSON is valid
            Err(StreamError::Val(err @ ValError::Internal(_))) if valid_json(bytes) => Err(err),
            Err(StreamError::Val(err)) if scan.finish().is_ok() => Err(err),
            Err(_) => {
                let reason = error_message(bytes);
                Err(ValError::Lines(vec![json_invalid(py, &input(), &reason)]))
            }
        }
    }

    pub(crate) fn validate_value<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        strict: Option<bool>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.run_with(py, Input::Py(value), strict, false, None)
    }

    pub(crate) fn title<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.title.bind(py)
    }

    /// Validate one input; `from_attributes` for every model in the value
    /// (`model_validate(obj, from_attributes=True)`); `context` for `ValidationInfo.context`.
    pub(crate) fn run_with<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        strict: Option<bool>,
        from_attributes: bool,
        context: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut state = State::new(strict);
        state.from_attributes = from_attributes;
        if input.is_json() {
            state.mode = InputMode::Json;
        }
        if let Some(context) = context {
            state.context = Some(context.clone().unbind());
        }
        self.run_state(py, input, state)
    }

    /// Validate one input with the call's settings in `state`.
    #[inline]
    pub(crate) fn run_state<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
        mut state: State,
    ) -> PyResult<Bound<'py, PyAny>> {
        into_py_result(
            py,
            self.title(py),
            self.root.validate(py, input, &mut state),
        )
    }

    /// One record of a batch, validated from its input.
    pub(crate) fn record<'py>(
        &self,
        py: Python<'py>,
        input: Input<'_, 'py>,
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut state = State::new(None);
        self.root.validate(py, input, &mut state)
    }

    /// One NDJSON line, streamed like `validate_json` (a syntax error is this record's error).
    pub(crate) fn json_record<'py>(
        &self,
        py: Python<'py>,
        line: &[u8],
    ) -> ValResult<Bound<'py, PyAny>> {
        let mut state = State::new(None);
        self.stream_document(py, line, &mut state, || PyBytes::new(py, line).into_any())
    }

    /// A JSON array of records when the text starts with `[` (and `lines` is off), else NDJSON:
    /// one record per line that is not blank.
    pub(crate) fn json_many<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        bytes: &[u8],
        collect: bool,
        lines: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if !lines && first == Some(b'[') {
            return self.json_array_many(py, data, bytes, collect);
        }
        // at most a record per newline, and one after the last (capped: blank lines are many)
        let expected = (memchr::memchr_iter(b'\n', bytes).count() + 1).min(1 << 16);
        let records = ndjson_lines(bytes).map(|line| Ok(self.json_record(py, line)));
        self.many(py, records, expected, collect)
    }

    /// A JSON array of records, each streamed from the one parser; a syntax error anywhere
    /// makes the whole input invalid (one `json_invalid` error, as for `validate_json`).
    pub(crate) fn json_array_many<'py>(
        &self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        bytes: &[u8],
        collect: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let mut scan = Scan::new(bytes);
        let invalid = || -> PyErr {
            let reason = error_message(bytes);
            validation_error(py, self.title(py), vec![json_invalid(py, data, &reason)])
        };
        let mut next = match scan.peek().and_then(|_| scan.known_array()) {
            Ok(next) => next,
            Err(_) => return Err(invalid()),
        };
        let mut done = false;
        let outcomes = std::iter::from_fn(|| {
            if done {
                return None;
            }
            let Some(peek) = next else {
                done = true;
                return match scan.finish() {
                    Ok(()) => None,
                    Err(_) => Some(Err(invalid())),
                };
            };
            let mut state = State::new(None);
            state.mode = InputMode::Json;
            let outcome = self.root.validate_stream(py, &mut scan, peek, &mut state);
            let step = scan.array_step();
            Some(match (outcome, step) {
                // a user's exception stops the reading early: it propagates if the JSON is valid
                (Err(StreamError::Val(err @ ValError::Internal(_))), _) if valid_json(bytes) => {
                    done = true;
                    Ok(Err(err))
                }
                (Err(StreamError::Json(_)), _) | (_, Err(_)) => {
                    done = true;
                    Err(invalid())
                }
                (Err(StreamError::Val(err)), Ok(step)) => {
                    next = step;
                    Ok(Err(err))
                }
                (Ok(value), Ok(step)) => {
                    next = step;
                    Ok(Ok(value))
                }
            })
        });
        self.many(py, outcomes, 0, collect)
    }

    /// Validate many records; data errors are gathered per record index. `outcomes` yields each
    /// record's result as it is validated, or a Python error that ends the whole batch.
    /// `expected`: how many records there will likely be (room is made for them at once).
    pub(crate) fn many<'py>(
        &self,
        py: Python<'py>,
        outcomes: impl Iterator<Item = PyResult<ValResult<Bound<'py, PyAny>>>>,
        expected: usize,
        collect: bool,
    ) -> PyResult<Bound<'py, PyTuple>> {
        // gathered first, then the list made at its size: appending to it regrows and copies it
        let mut results: Vec<Bound<'py, PyAny>> = Vec::with_capacity(expected);
        let failures = PyList::empty(py);
        let _pause = GcPause::new();
        let mut all_lines: Vec<LineError> = Vec::new();
        for (index, outcome) in outcomes.enumerate() {
            match outcome? {
                Ok(value) => results.push(value),
                Err(ValError::Internal(err)) => return Err(err),
                Err(ValError::Lines(lines)) => {
                    results.push(py.None().into_bound(py));
                    if collect {
                        let err = validation_error(py, self.title(py), lines);
                        failures.append((index, err.value(py)))?;
                    } else {
                        match ValError::Lines(lines).at(|| Loc::Index(index)) {
                            ValError::Lines(lines) => all_lines.extend(lines),
                            ValError::Internal(err) => return Err(err),
                        }
                    }
                }
            }
        }
        if !all_lines.is_empty() {
            return Err(validation_error(py, self.title(py), all_lines));
        }
        // made while the collector is still paused: the pair is a new GC object, and the first
        // one after the pause would scan every record just made (the caller soon frees the
        // block before, which evens the young count out again)
        PyTuple::new(py, [PyList::new(py, results)?, failures])
    }
}

/// The lines of NDJSON text that are not blank (all ASCII whitespace), without their newline.
/// `memchr` finds each newline a vector at a time (a byte loop cost ~5 instructions a byte).
fn ndjson_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || loop {
        let text = rest?;
        let line = match memchr::memchr(b'\n', text) {
            Some(at) => {
                rest = Some(&text[at + 1..]);
                &text[..at]
            }
            None => {
                rest = None;
                text
            }
        };
        if line.iter().any(|b| !b.is_ascii_whitespace()) {
            return Some(line);
        }
    })
}

/// The whole document is valid JSON (checked only on the rare error path that needs it).
fn valid_json(bytes: &[u8]) -> bool {
    JsonValue::parse(bytes, false).is_ok()
}
