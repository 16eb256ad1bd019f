//! The model's own validators: before-validators on the data, then the outer layers (after-
//! and wrap validators, in declaration order, each around the ones declared before it), and
//! the `ValidationInfo` frame kept for functions in the fields' types that take `info`.

use pyo3::prelude::*;
use pyo3::types::PyDict;

use super::{Built, ModelValidator};
use crate::input::Input;
use crate::validate::errors::ValResult;
use crate::validate::function::{call_with, user_error};
use crate::validate::info::{model_info, Frame, ValidatorCallable, Wrapped};
use crate::validate::{schema, State};

/// One model validator: a bare function in the schema, or a dict saying it takes `info` or is
/// a wrap validator.
pub(super) struct Hook {
    function: PyObject,
    info: bool,
    pub(super) wrap: bool,
}

impl Hook {
    pub(super) fn build(entry: Bound<'_, PyAny>) -> PyResult<Hook> {
        let Ok(dict) = entry.downcast::<PyDict>() else {
            return Ok(Hook {
                function: entry.unbind(),
                info: false,
                wrap: false,
            });
        };
        let mode: String = schema::required(dict, "mode")?;
        Ok(Hook {
            function: schema::required::<Bound<'_, PyAny>>(dict, "function")?.unbind(),
            info: schema::flag(dict, "info")?,
            wrap: mode == "wrap",
        })
    }
}

impl ModelValidator {
    /// Validators that the JSON token stream cannot serve: the tree path runs them.
    pub(super) fn tree_only(&self) -> bool {
        !self.before.is_empty() || self.has_wrap || self.field_info
    }

    /// The outer layers below `top` (after- and wrap validators in declaration order, each
    /// around the ones before it) around the fields and `model_post_init`. An instance given
    /// as input passes the after-validators unchanged, as on the plain path.
    #[cold]
    #[inline(never)] // the usual model has no wrap validator: keep this off its path
    pub(crate) fn layer<'py>(
        &self,
        py: Python<'py>,
        top: usize,
        input: Input<'_, 'py>,
        state: &mut State,
    ) -> ValResult<Bound<'py, PyAny>> {
        let Some(index) = top.checked_sub(1) else {
            return match self.build_fields(py, input, state, None)? {
                Built::Ready(instance) => Ok(instance),
                Built::Fresh(instance) => {
                    self.post_init(py, &instance, input)?;
                    Ok(instance)
                }
            };
        };
        let hook = &self.after[index];
        let info = match hook.info {
            true => Some(model_info(py, state, &self.config)?),
            false => None,
        };
        let function = hook.function.bind(py);
        if hook.wrap {
            let me = self.me.upgrade().ok_or_else(|| {
                pyo3::exceptions::PyRuntimeError::new_err("model validator is gone")
            })?;
            let handler = ValidatorCallable::new(py, Wrapped::Model(me, index), state)?;
            let data = input.to_object(py).into_bound(py);
            let reported = self.reported(py, &data);
            let result = call_with(py, function, &data, Some(handler.as_any()), info, &reported);
            handler.get().report(state);
            return result;
        }
        let instance = self.layer(py, index, input, state)?;
        if let Input::Py(given) = input {
            if given.is(&instance) {
                return Ok(instance);
            }
        }
        let result = call_with(py, function, &instance, None, info, &instance)?;
        Ok(if result.is_none() { instance } else { result })
    }

    /// A model validator run on the data (before-validators): `function(data[, info])`.
    pub(super) fn call_hook<'py>(
        &self,
        py: Python<'py>,
        hook: &Hook,
        data: &Bound<'py, PyAny>,
        state: &State,
        reported: impl FnOnce() -> Bound<'py, PyAny>,
    ) -> ValResult<Bound<'py, PyAny>> {
        let function = hook.function.bind(py);
        let result = if hook.info {
            function.call1((data, model_info(py, state, &self.config)?))
        } else {
            function.call1((data,))
        };
        result.map_err(|err| user_error(py, err, &reported()))
    }

    /// After the fields: `model_post_init`, then the after-validators (pydantic's order).
    /// `input` is what a failing `model_post_init` reports.
    #[inline]
    pub(crate) fn finish<'py>(
        &self,
        py: Python<'py>,
        instance: Bound<'py, PyAny>,
        input: Input<'_, 'py>,
        state: &State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.post_init.is_some() {
            self.post_init(py, &instance, input)?;
        }
        self.run_after(py, instance, state)
    }

    #[inline(never)]
    pub(super) fn post_init<'py>(
        &self,
        py: Python<'py>,
        instance: &Bound<'py, PyAny>,
        input: Input<'_, 'py>,
    ) -> ValResult<()> {
        if let Some(post_init) = &self.post_init {
            post_init
                .bind(py)
                .call1((instance, py.None()))
                .map_err(|err| {
                    user_error(
                        py,
                        err,
                        &self.reported(py, &input.to_object(py).into_bound(py)),
                    )
                })?;
        }
        Ok(())
    }

    #[inline]
    pub(super) fn run_after<'py>(
        &self,
        py: Python<'py>,
        instance: Bound<'py, PyAny>,
        state: &State,
    ) -> ValResult<Bound<'py, PyAny>> {
        if self.after.is_empty() {
            return Ok(instance);
        }
        self.run_after_validators(py, instance, state)
    }

    /// The after-validators in order (wrap validators are not run here: a model that has
    /// them validates through `layer`; assignment runs the after-validators alone).
    #[inline(never)]
    pub(super) fn run_after_validators<'py>(
        &self,
        py: Python<'py>,
        mut instance: Bound<'py, PyAny>,
        state: &State,
    ) -> ValResult<Bound<'py, PyAny>> {
        for hook in self.after.iter().filter(|hook| !hook.wrap) {
            let info = match hook.info {
                true => Some(model_info(py, state, &self.config)?),
                false => None,
            };
            let function = hook.function.bind(py);
            let result = call_with(py, function, &instance, None, info, &instance)?;
            if !result.is_none() {
                instance = result;
            }
        }
        Ok(instance)
    }

    /// The frame the functions in this model's fields' types see: `data` is `so_far`, the
    /// live dict of the valid fields so far (pydantic's `info.data`); the field's name is set
    /// as each field is validated.
    pub(crate) fn open_frame(&self, py: Python<'_>, so_far: &Bound<'_, PyDict>) -> Box<Frame> {
        Box::new(Frame {
            config: self.config.clone_ref(py),
            field_name: py.None(),
            data: so_far.clone().into_any().unbind(),
        })
    }

    /// A construction (`__init__`, keywords) through a wrap validator must end in an instance.
    pub(super) fn check_built(&self, py: Python<'_>, built: &Bound<'_, PyAny>) -> PyResult<()> {
        if self.owns(py, built)? {
            return Ok(());
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "a wrap model_validator of {} returned {}, not an instance, from __init__",
            self.title(py),
            built.get_type().name()?
        )))
    }

    /// The frame of an assignment to field `index`: `data` the instance's other fields.
    pub(super) fn assign_frame(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        index: usize,
    ) -> PyResult<Frame> {
        let others = PyDict::new(py);
        for (at, field) in self.class.fields.iter().enumerate() {
            if at != index {
                if let Some(value) = field.slot.load(py, instance) {
                    others.set_item(field.name.bind(py), value)?;
                }
            }
        }
        Ok(Frame {
            config: self.config.clone_ref(py),
            field_name: self.class.fields[index].name.clone_ref(py).into_any(),
            data: others.into_any().unbind(),
        })
    }
}
