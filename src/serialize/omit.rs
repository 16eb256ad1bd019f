//! `exclude_unset=` and `exclude_defaults=`: which fields of one instance a dump leaves out.
//!
//! Unset fields are those the instance was not given (`crate::model::fields_set`); a default
//! is compared as pydantic compares it: `value == default` (no identity shortcut, so a NaN is
//! kept), a `default_factory` called once per dump of the field. Extra values are neither.

use pyo3::prelude::*;

use super::Options;
use crate::model::field::Default;
use crate::model::fields_set::GivenFields;
use crate::model::{Field, ModelClass};

/// What one instance's dump leaves out; `None` from `for_instance` when nothing is.
pub(crate) struct Omit<'py> {
    given: Option<GivenFields<'py>>,
    defaults: bool,
}

impl<'py> Omit<'py> {
    /// The omissions `options` ask of `instance` (`None`: keep every field, the common case).
    #[inline(always)]
    pub(crate) fn for_instance(
        class: &ModelClass,
        instance: &Bound<'py, PyAny>,
        options: &Options,
    ) -> PyResult<Option<Self>> {
        if !options.exclude_unset && !options.exclude_defaults {
            return Ok(None);
        }
        Self::asked(class, instance, options)
    }

    /// `for_instance` when `exclude_unset` or `exclude_defaults` was asked for.
    #[inline(never)]
    fn asked(
        class: &ModelClass,
        instance: &Bound<'py, PyAny>,
        options: &Options,
    ) -> PyResult<Option<Self>> {
        let given = match options.exclude_unset {
            true => match class.given_fields(instance)? {
                GivenFields::All => None,
                given => Some(given),
            },
            false => None,
        };
        if given.is_none() && !options.exclude_defaults {
            return Ok(None);
        }
        Ok(Some(Omit {
            given,
            defaults: options.exclude_defaults,
        }))
    }

    /// Whether field `index` holding `item` is left out.
    pub(crate) fn omits(
        &self,
        index: usize,
        field: &Field,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<bool> {
        let py = item.py();
        if let Some(given) = &self.given {
            if !given.contains(index, field.name.bind(py).as_any())? {
                return Ok(true);
            }
        }
        if self.defaults {
            return is_default(field, item);
        }
        Ok(false)
    }
}

/// `item == default` as pydantic asks it (`==` and its truth; a factory's fresh value).
fn is_default(field: &Field, item: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = item.py();
    let default = match &field.default {
        Default::Required => return Ok(false),
        Default::Value(value, _) => value.bind(py).clone(),
        Default::Factory(factory) => factory.bind(py).call0()?,
    };
    item.rich_compare(&default, pyo3::basic::CompareOp::Eq)?
        .is_truthy()
}
