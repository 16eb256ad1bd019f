//! Which fields an instance was given (pydantic's `model_fields_set`), kept without a Python
//! set per instance.
//!
//! A model class has a hidden `__ferrule_fields_set__` slot. It stays empty (NULL) when every
//! field was given, which is the common case and costs nothing to build; otherwise it holds an
//! int whose bit `i` says field `i` was given (a cached small int for models of up to 8 fields),
//! or, after `model_construct(_fields_set=...)`, a frozenset of names taken as it is. Extra
//! values of an `extra="allow"` model count as given; the Python property builds the set.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyInt};

use super::slot::Slot;
use super::ModelClass;

/// The hidden slot's name (also read by `ferrule.models._fields_set`).
pub(crate) const SLOT_NAME: &str = "__ferrule_fields_set__";

/// The fields *not* given while an instance is built (defaults taken): marked only on that
/// rare path, so building an instance that was given every field does no work for this.
#[derive(Default)]
pub(crate) struct Unset {
    low: u64,
    high: Vec<u64>,
}

impl Unset {
    #[inline(always)]
    pub(crate) fn set(&mut self, index: usize) {
        if index < 64 {
            self.low |= 1 << index;
        } else {
            self.set_high(index);
        }
    }

    #[cold]
    fn set_high(&mut self, index: usize) {
        let word = index / 64 - 1;
        if self.high.len() <= word {
            self.high.resize(word + 1, 0);
        }
        self.high[word] |= 1 << (index % 64);
    }

    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.low == 0 && self.high.is_empty()
    }

    /// The given fields of a model of `count` fields, as the slot's int (bit `i`: field `i`).
    fn given_int<'py>(&self, py: Python<'py>, count: usize) -> PyResult<Bound<'py, PyAny>> {
        let given = |word: usize| {
            let unset = match word {
                0 => self.low,
                n => self.high.get(n - 1).copied().unwrap_or(0),
            };
            let width = count.saturating_sub(64 * word).min(64);
            let all = if width == 64 {
                u64::MAX
            } else {
                (1u64 << width) - 1
            };
            all & !unset
        };
        if count <= 64 {
            return Ok(given(0).into_pyobject(py)?.into_any());
        }
        let words = count.div_ceil(64);
        let mut bytes = Vec::with_capacity(8 * words);
        for word in 0..words {
            bytes.extend_from_slice(&given(word).to_le_bytes());
        }
        py.get_type::<PyInt>().call_method1(
            pyo3::intern!(py, "from_bytes"),
            (PyBytes::new(py, &bytes), pyo3::intern!(py, "little")),
        )
    }
}

/// What an instance's slot says, read once per dump.
pub(crate) enum GivenFields<'py> {
    All,
    /// Bit `i` of word `i / 64`: field `i` was given.
    Bits(smallvec::SmallVec<[u64; 1]>),
    /// A collection of names (`model_construct(_fields_set=...)`).
    Names(Bound<'py, PyAny>),
}

impl GivenFields<'_> {
    #[inline]
    pub(crate) fn contains(&self, index: usize, name: &Bound<'_, PyAny>) -> PyResult<bool> {
        match self {
            GivenFields::All => Ok(true),
            GivenFields::Bits(words) => Ok(words
                .get(index / 64)
                .is_some_and(|word| word & (1 << (index % 64)) != 0)),
            GivenFields::Names(names) => names.contains(name),
        }
    }
}

/// The slot's value read as `GivenFields` (NULL: every field given).
fn read<'py>(slot: &Slot, instance: &Bound<'py, PyAny>) -> PyResult<GivenFields<'py>> {
    let py = instance.py();
    let Some(value) = slot.load(py, instance) else {
        return Ok(GivenFields::All);
    };
    if !value.is_exact_instance_of::<PyInt>() {
        return Ok(GivenFields::Names(value));
    }
    if let Ok(word) = value.extract::<u64>() {
        return Ok(GivenFields::Bits(smallvec::smallvec![word]));
    }
    if value.lt(0)? {
        return Err(pyo3::exceptions::PyOverflowError::new_err(
            "the fields-set record of the instance is a negative int",
        ));
    }
    // wider than 64 bits (a model of more than 64 fields): its words, low first
    let bits: usize = value
        .call_method0(pyo3::intern!(py, "bit_length"))?
        .extract()?;
    let count = bits.div_ceil(64).max(1);
    let bytes = value.call_method1(
        pyo3::intern!(py, "to_bytes"),
        (count * 8, pyo3::intern!(py, "little")),
    )?;
    let bytes = bytes.downcast::<PyBytes>()?.as_bytes();
    let words = bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    Ok(GivenFields::Bits(words))
}

impl ModelClass {
    /// Which fields `instance` was given (`All` for a class without the slot).
    pub(crate) fn given_fields<'py>(
        &self,
        instance: &Bound<'py, PyAny>,
    ) -> PyResult<GivenFields<'py>> {
        match &self.fields_set_slot {
            Some(slot) => read(slot, instance),
            None => Ok(GivenFields::All),
        }
    }

    /// Record on a fresh instance (slot still empty) that the fields in `unset` were not given
    /// (none: nothing to store).
    #[inline(always)]
    pub(crate) fn record_given(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        unset: &Unset,
    ) -> PyResult<()> {
        match &self.fields_set_slot {
            Some(slot) if !unset.is_empty() => {
                slot.store_new(py, instance, unset.given_int(py, self.fields.len())?)
            }
            _ => Ok(()),
        }
    }

    /// `record_given` on an instance that may hold a record already (`__init__` again).
    pub(crate) fn replace_given(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        unset: &Unset,
    ) -> PyResult<()> {
        let Some(slot) = &self.fields_set_slot else {
            return Ok(());
        };
        if !unset.is_empty() {
            slot.replace(py, instance, unset.given_int(py, self.fields.len())?)
        } else if slot.load(py, instance).is_some() {
            slot.clear(py, instance)
        } else {
            Ok(())
        }
    }

    /// `target` takes `source`'s record (an instance validated again keeps its fields set).
    pub(crate) fn copy_given(
        &self,
        py: Python<'_>,
        source: &Bound<'_, PyAny>,
        target: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let Some(slot) = &self.fields_set_slot else {
            return Ok(());
        };
        match slot.load(py, source) {
            Some(record) => slot.replace(py, target, record),
            None if slot.load(py, target).is_some() => slot.clear(py, target),
            None => Ok(()),
        }
    }

    /// Field `index` was assigned: it counts as given from now on.
    #[inline]
    pub(crate) fn mark_given(
        &self,
        py: Python<'_>,
        instance: &Bound<'_, PyAny>,
        index: usize,
    ) -> PyResult<()> {
        let Some(slot) = &self.fields_set_slot else {
            return Ok(());
        };
        match slot.peek(instance.as_ptr()) {
            Some(ptr) if ptr.is_null() => Ok(()), // every field given already
            _ => self.mark_given_slow(py, slot, instance, index),
        }
    }

    #[inline(never)]
    fn mark_given_slow(
        &self,
        py: Python<'_>,
        slot: &Slot,
        instance: &Bound<'_, PyAny>,
        index: usize,
    ) -> PyResult<()> {
        let Some(old) = slot.load(py, instance) else {
            return Ok(());
        };
        let updated = if old.is_exact_instance_of::<PyInt>() {
            let bit = 1u8.into_pyobject(py)?.lshift(index)?;
            let updated = old.bitor(bit)?;
            if updated.eq(self.all_given.bind(py))? {
                return slot.clear(py, instance);
            }
            updated
        } else {
            let name = self.fields[index].name.bind(py);
            let names = pyo3::types::PyFrozenSet::new(py, [name.as_any()])?;
            old.call_method1(pyo3::intern!(py, "union"), (names,))?
        };
        slot.replace(py, instance, updated)
    }
}

/// The int with a bit for every field of a class of `count` fields.
pub(crate) fn all_bits(py: Python<'_>, count: usize) -> PyResult<PyObject> {
    Ok(Unset::default().given_int(py, count)?.unbind())
}
