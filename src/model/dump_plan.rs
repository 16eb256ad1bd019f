//! The direct `model_dump()` of a class: which slot each dumped field is read from and where
//! its value goes in a copy of the class's `dump_template` (`cpython::dict`). Decided once per
//! class, on its first dump; a class with anything that makes a dump decide per field (a
//! serializer, a secret, extras, a root) has no plan and takes the general path.

use pyo3::prelude::*;

use super::registry::model_base;
use super::ModelClass;
use crate::cpython::dict::value_offsets;

pub(crate) struct DumpPlan {
    /// Per dumped field, in order: (slot offset in the instance, value offset in a template
    /// copy's keys object).
    pub(crate) steps: Box<[(usize, usize)]>,
    /// Some dumped field has a serialization alias: `by_alias=True` takes the general path.
    pub(crate) aliased: bool,
}

impl DumpPlan {
    /// The plan of `class`, or `None` when its dumps must take the general path.
    pub(crate) fn build(py: Python<'_>, class: &ModelClass) -> Option<DumpPlan> {
        if class.root
            || class.extra_slot.is_some()
            || class.serializers.is_some()
            || class.has_secret
        {
            return None;
        }
        // a native model's instances are classified as models before anything else
        let native = model_base(py)?;
        // SAFETY: two live type objects (PyType_IsSubtype reads the MRO, runs no user code)
        let subclass = unsafe {
            pyo3::ffi::PyType_IsSubtype(class.cls.as_ptr().cast(), native.as_ptr().cast()) != 0
        };
        if !subclass {
            return None;
        }
        let dumped: Vec<_> = class.fields.iter().filter(|f| !f.exclude).collect();
        let offsets = value_offsets(class.dump_template.bind(py))?;
        if offsets.len() != dumped.len() {
            return None;
        }
        let steps = dumped
            .iter()
            .zip(offsets.iter())
            .map(|(field, &value)| Some((field.slot.offset()?, value)))
            .collect::<Option<Box<[_]>>>()?;
        Some(DumpPlan {
            steps,
            aliased: dumped.iter().any(|f| f.ser_alias.is_some()),
        })
    }
}
