//! Where the field loop puts valid values: a new instance, or an existing one (`__init__`)
//! filled only once every field is valid.

use super::*;

/// Where `validate_source` puts valid values (monomorphised: the hot path has no branch).
pub(super) trait Sink<'py> {
    fn put(
        &mut self,
        py: Python<'py>,
        class: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()>;
    /// Every field was valid: the instance, extras and the given fields (`fields_set`) stored.
    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>>;
}

/// Straight into the slots of a fresh instance (dropped, unfinished, on any error).
pub(super) struct Fresh<'py>(pub(super) Bound<'py, PyAny>);

impl<'py> Sink<'py> for Fresh<'py> {
    #[inline(always)]
    fn put(
        &mut self,
        py: Python<'py>,
        class: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        class.fields[index].slot.store_new(py, &self.0, value)
    }

    #[inline(always)]
    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>> {
        class.record_given(py, &self.0, unset)?;
        class.finish_instance(py, self.0, extras)
    }
}

/// Aside until every field is valid, then into an existing instance (`__init__`): all or
/// nothing, and no temporary instance of the user's class (its `__del__` must not run).
pub(super) struct Into<'a, 'py> {
    target: &'a Bound<'py, PyAny>,
    pending: smallvec::SmallVec<[Option<Bound<'py, PyAny>>; 8]>,
}

impl<'a, 'py> Into<'a, 'py> {
    pub(super) fn new(target: &'a Bound<'py, PyAny>, count: usize) -> Self {
        Into {
            target,
            pending: smallvec::SmallVec::from_elem(None, count),
        }
    }
}

impl<'py> Sink<'py> for Into<'_, 'py> {
    fn put(
        &mut self,
        _: Python<'py>,
        _: &ModelClass,
        index: usize,
        value: Bound<'py, PyAny>,
    ) -> PyResult<()> {
        self.pending[index] = Some(value);
        Ok(())
    }

    fn finish(
        self,
        py: Python<'py>,
        class: &ModelClass,
        extras: Option<Bound<'py, PyDict>>,
        unset: &Unset,
    ) -> PyResult<Bound<'py, PyAny>> {
        class.replace_given(py, self.target, unset)?;
        for (field, value) in class.fields.iter().zip(self.pending) {
            if let Some(value) = value {
                field.slot.replace(py, self.target, value)?;
            }
        }
        if let Some(slot) = &class.extra_slot {
            let extras = extras.unwrap_or_else(|| PyDict::new(py));
            slot.store(py, self.target, extras.as_any())?;
        }
        Ok(self.target.clone())
    }
}
