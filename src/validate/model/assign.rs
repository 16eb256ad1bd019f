//! `instance.name = value`: the field's validator, then the model's after-validators; on any
//! error the old value is put back.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyTuple};
use pyo3::{ffi, intern};

use super::held::held;
use super::ModelValidator;
use crate::model::slot::generic_setattr;
use crate::validate::errors::{line_with_ctx, validation_error, LineError, Loc, ValError};
use crate::validate::State;

impl ModelValidator {
    /// `assign` for an object that may be of any type (the public `validate_assignment`).
    pub(crate) fn assign_checked(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        self.require_owned(py, instance, "validate_assignment")?;
        self.assign(py, instance, name, value)
    }

    /// A TypeError naming `method` unless `instance` is an instance of this validator's class.
    fn require_owned(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        method: &str,
    ) -> PyResult<()> {
        if self.owns(py, instance)? {
            return Ok(());
        }
        Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "{method}() needs an instance of {}",
            self.cls(py).name()?
        )))
    }

    /// The value field `name` would hold after `instance.name = value`, from the field's own
    /// check as an assignment runs it, storing nothing: no frozen test and no after-validators
    /// (they judge whole instances; `orm.loading` re-checks a partial row field by field).
    pub(crate) fn check_field(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<PyObject> {
        self.require_owned(py, instance, "validate_field")?;
        let Some(index) = self.class.field_index(name) else {
            return Err(pyo3::exceptions::PyAttributeError::new_err(format!(
                "{} has no field {}",
                self.cls(py).name()?,
                name
            )));
        };
        let mut state = State::new(None);
        self.run_field(py, instance, index, name, value, &mut state)
            .map(Bound::unbind)
    }

    /// Field `index`'s check of `value`, as an assignment of it to `instance` runs it (the
    /// frame's `data`: the instance's other fields); its errors located at `name`.
    fn run_field<'py>(
        &self,
        py: Python<'py>,
        instance: &Bound<'py, PyAny>,
        index: usize,
        name: &Bound<'py, PyString>,
        value: &Bound<'py, PyAny>,
        state: &mut State,
    ) -> PyResult<Bound<'py, PyAny>> {
        if self.field_info {
            state.frame = Some(Box::new(self.assign_frame(py, instance, index)?));
        }
        let check = &self.checks[index];
        check.run(py, value, state).map_err(|err| {
            let err = check
                .customise(py, err)
                .at(|| Loc::Key(name.clone().into_any().unbind()));
            match err {
                ValError::Lines(lines) => validation_error(py, self.title(py).as_any(), lines),
                ValError::Internal(err) => err,
            }
        })
    }

    /// `instance.name = value` where `instance` is known to be of this model's class.
    pub(crate) fn assign(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        // the usual case: the attribute name is the field's own interned string
        let known = self.class.field_index_by_ptr(name);
        if known.is_none() && name.to_str().map(|n| n.starts_with('_')).unwrap_or(false) {
            // private attributes are plain stores, never validated or frozen
            // SAFETY: borrowed live pointers.
            return unsafe {
                generic_setattr(py, instance.as_ptr(), name.as_ptr(), value.as_ptr())
            };
        }
        let index = known.or_else(|| self.class.field_index(name));
        self.assign_at(py, instance, index, name, value)
    }

    /// `assign` once the field is known: `index` is the field named `name` (`None`: no field
    /// has that name, so it is an extra attribute or an error).
    pub(crate) fn assign_at(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        index: Option<usize>,
        name: &Bound<'_, PyString>,
        value: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let title = self.title(py).as_any();
        let fail = |kind: &'static str, ctx: &[(&'static str, PyObject)]| -> PyErr {
            let mut line = if ctx.is_empty() {
                LineError {
                    kind: kind.into(),
                    loc: smallvec::SmallVec::new(),
                    input: value.clone().unbind(),
                    ctx: None,
                    msg: None,
                }
            } else {
                line_with_ctx(py, kind, value.clone().unbind(), ctx)
            };
            line.loc.push(Loc::Key(name.clone().into_any().unbind()));
            validation_error(py, title, vec![line])
        };
        if self.class.frozen {
            return Err(fail("frozen_instance", &[]));
        }
        let index = match index {
            Some(index) => index,
            None => {
                if let Some(setter) = property_named(instance, name)? {
                    // pydantic runs a property's setter (a getter alone: its AttributeError)
                    setter.call_method1(intern!(py, "__set__"), (instance, value))?;
                    return Ok(());
                }
                if let Some(slot) = &self.class.extra_slot {
                    let extras = match slot.load(py, instance) {
                        Some(d) => d,
                        None => {
                            let d = PyDict::new(py).into_any();
                            slot.store(py, instance, &d)?;
                            d
                        }
                    };
                    return extras.set_item(name, value);
                }
                return Err(fail(
                    "no_such_attribute",
                    &[("attribute", name.clone().into_any().unbind())],
                ));
            }
        };
        let field = &self.class.fields[index];
        if field.frozen {
            return Err(fail("frozen_field", &[]));
        }
        if !self.class.validate_assignment {
            field.slot.store(py, instance, value)?;
            return self.class.mark_given(py, instance, index);
        }
        let mut state = State::new(None);
        let valid = match self.run_field(py, instance, index, name, value, &mut state) {
            Ok(valid) => valid,
            Err(err) => {
                if held(instance, name, value)? {
                    field.slot.replace(py, instance, value.clone())?;
                    return self.class.mark_given(py, instance, index);
                }
                return Err(err);
            }
        };
        if self.after.is_empty() {
            field.slot.replace(py, instance, valid)?;
            return self.class.mark_given(py, instance, index);
        }
        // the after-validators judge the instance with the new value; if they refuse it, the
        // old value comes back (pydantic keeps the new one: ferrule never keeps refused data)
        let old = field.slot.load(py, instance);
        field.slot.replace(py, instance, valid)?;
        match self.run_after(py, instance.clone(), &state) {
            Ok(_) => self.class.mark_given(py, instance, index),
            Err(err) => {
                match old {
                    Some(old) => field.slot.replace(py, instance, old)?,
                    None => field.slot.clear(py, instance)?,
                }
                Err(match err {
                    ValError::Lines(lines) => validation_error(py, title, lines),
                    ValError::Internal(err) => err,
                })
            }
        }
    }
}

/// The `property` (or a subclass of it) named `name` on the instance's class or a base, found
/// as `type.__getattribute__` finds it (the first class of the MRO that has the name); None
/// when the name is not a property there.
fn property_named<'py>(
    instance: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let py = instance.py();
    let mro = instance.get_type().getattr(intern!(py, "__mro__"))?;
    for klass in mro.downcast::<PyTuple>()?.iter() {
        let namespace = klass.getattr(intern!(py, "__dict__"))?;
        if namespace.contains(name)? {
            let found = namespace.get_item(name)?;
            // SAFETY: a live object checked against a static type object.
            let is_property = unsafe {
                ffi::PyObject_TypeCheck(
                    found.as_ptr(),
                    std::ptr::addr_of_mut!(ffi::PyProperty_Type),
                )
            } != 0;
            return Ok(is_property.then_some(found));
        }
    }
    Ok(None)
}
