//! `ValidationInfo`, what a validator taking `info` is told, and `ValidatorCallable`, the
//! `handler` a wrap validator calls to run the validation it wraps.
//!
//! Both are made only for functions that ask for them (the signature is read once, in Python,
//! when the class or type is compiled): validators without `info` cost nothing more.

use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use super::errors::{validation_error, Loc, ValError};
use super::model::ModelValidator;
use super::{State, Validator};
use crate::input::Input;

/// What `info.mode` says: how the whole call was given its input.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum InputMode {
    Python,
    Json,
    /// `TypeAdapter.validate_strings` (pydantic's name for it: "string").
    Strings,
}

impl InputMode {
    fn text(self, py: Python<'_>) -> &Bound<'_, PyString> {
        match self {
            InputMode::Python => pyo3::intern!(py, "python"),
            InputMode::Json => pyo3::intern!(py, "json"),
            InputMode::Strings => pyo3::intern!(py, "string"),
        }
    }
}

/// The innermost model's field being validated, set only by models with a function taking
/// `info` somewhere in their fields' types: the config, the field's name and a copy of the
/// valid fields so far (declaration order).
pub(crate) struct Frame {
    pub(crate) config: PyObject,
    pub(crate) field_name: PyObject,
    pub(crate) data: PyObject,
}

impl Frame {
    fn clone_ref(&self, py: Python<'_>) -> Frame {
        Frame {
            config: self.config.clone_ref(py),
            field_name: self.field_name.clone_ref(py),
            data: self.data.clone_ref(py),
        }
    }
}

#[pyclass(frozen, module = "ferrule", name = "ValidationInfo")]
pub(crate) struct ValidationInfo {
    /// The model's config (its declared options and `title`); `{}` outside a model.
    #[pyo3(get)]
    config: PyObject,
    /// The call's `context=` (None when not given).
    #[pyo3(get)]
    context: PyObject,
    /// The model's valid fields so far, for a function in a field's type; else None.
    #[pyo3(get)]
    data: PyObject,
    #[pyo3(get)]
    field_name: PyObject,
    /// "python", "json" or "string".
    #[pyo3(get)]
    mode: PyObject,
}

#[pymethods]
impl ValidationInfo {
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "ValidationInfo(config={}, context={}, data={}, field_name={})",
            self.config.bind(py).repr()?,
            self.context.bind(py).repr()?,
            self.data.bind(py).repr()?,
            self.field_name.bind(py).repr()?,
        ))
    }
}

fn make<'py>(
    py: Python<'py>,
    state: &State,
    config: PyObject,
    data: PyObject,
    field_name: PyObject,
) -> PyResult<Bound<'py, PyAny>> {
    let context = match &state.context {
        Some(context) => context.clone_ref(py),
        None => py.None(),
    };
    let info = ValidationInfo {
        config,
        context,
        data,
        field_name,
        mode: state.mode.text(py).clone().into_any().unbind(),
    };
    Ok(Bound::new(py, info)?.into_any())
}

/// The info of a function in a field's type (or outside any model: no data, no field).
pub(crate) fn field_info<'py>(py: Python<'py>, state: &State) -> PyResult<Bound<'py, PyAny>> {
    match &state.frame {
        Some(frame) => {
            let frame = frame.clone_ref(py);
            make(py, state, frame.config, frame.data, frame.field_name)
        }
        None => {
            let config = PyDict::new(py).into_any().unbind();
            make(py, state, config, py.None(), py.None())
        }
    }
}

/// The info of a model validator: the model's config, no field, no data.
pub(crate) fn model_info<'py>(
    py: Python<'py>,
    state: &State,
    config: &PyObject,
) -> PyResult<Bound<'py, PyAny>> {
    make(py, state, config.clone_ref(py), py.None(), py.None())
}

impl State {
    /// A copy to validate with from Python (a handler): the settings and bookkeeping so far.
    pub(crate) fn fork(&self, py: Python<'_>) -> State {
        State {
            strict: self.strict,
            depth: self.depth,
            active: self.active.clone(),
            exactness: self.exactness,
            fields_set: self.fields_set,
            from_attributes: self.from_attributes,
            context: self.context.as_ref().map(|c| c.clone_ref(py)),
            mode: self.mode,
            frame: self.frame.as_ref().map(|f| Box::new(f.clone_ref(py))),
        }
    }
}

/// What a handler runs.
pub(crate) enum Wrapped {
    /// A field's (or `Annotated` type's) own validation under a wrap validator.
    Schema(Arc<Validator>),
    /// A model's validation under its wrap model validator: the layers below `.1`.
    Model(Arc<ModelValidator>, usize),
}

/// A wrap validator's `handler`: `handler(value)` validates `value` as the wrapped schema and
/// raises `ValidationError` (locations relative to the value) when it is invalid.
#[pyclass(frozen, module = "ferrule", name = "ValidatorCallable")]
pub(crate) struct ValidatorCallable {
    wrapped: Wrapped,
    /// The caller's state when the handler was made; its exactness and fields-set count are
    /// what the last call left (read back by the caller, as unions rank by them).
    state: Mutex<State>,
}

impl ValidatorCallable {
    pub(crate) fn new<'py>(
        py: Python<'py>,
        wrapped: Wrapped,
        state: &State,
    ) -> PyResult<Bound<'py, ValidatorCallable>> {
        let state = Mutex::new(state.fork(py));
        Bound::new(py, ValidatorCallable { wrapped, state })
    }

    /// Copy what the handler's last run learnt about the input back into `state`.
    pub(crate) fn report(&self, state: &mut State) {
        if let Ok(done) = self.state.lock() {
            state.exactness = done.exactness;
            state.fields_set = done.fields_set;
        }
    }
}

#[pymethods]
impl ValidatorCallable {
    #[pyo3(signature = (value, outer_location = None))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        value: &Bound<'py, PyAny>,
        outer_location: Option<PyObject>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // validate on a copy: the lock is never held while user code runs
        let mut state = match self.state.lock() {
            Ok(start) => start.fork(py),
            Err(_) => {
                return Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "handler poisoned",
                ))
            }
        };
        let result = match &self.wrapped {
            Wrapped::Schema(validator) => validator.validate(py, Input::Py(value), &mut state),
            Wrapped::Model(model, top) => model.layer(py, *top, Input::Py(value), &mut state),
        };
        if let Ok(mut done) = self.state.lock() {
            done.exactness = state.exactness;
            done.fields_set = state.fields_set;
        }
        let err = match result {
            Ok(valid) => return Ok(valid),
            Err(ValError::Internal(err)) => return Err(err),
            Err(err) => match outer_location {
                Some(step) => err.at(|| Loc::Key(step)),
                None => err,
            },
        };
        let title = PyString::intern(py, "ValidatorCallable").into_any();
        match err {
            ValError::Lines(lines) => Err(validation_error(py, &title, lines)),
            ValError::Internal(err) => Err(err),
        }
    }

    fn __repr__(&self) -> &'static str {
        "ValidatorCallable(...)"
    }
}
