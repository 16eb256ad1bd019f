//! Dict keys written before, kept encoded (`,"key":`) by their str object: a key that comes
//! back as the same object (the keys of a list of records written in code are) is one short
//! copy, comma included, not a look at its characters.
//!
//! Only interned strs are kept: keys written in code are interned, while a str made at run time
//! usually is not and would only churn the table. Each entry holds a reference to its str, so
//! its address cannot be reused by another object while the entry lives. Used in compact
//! output only (`"key":` has no room for indentation's space).

use pyo3::prelude::*;
use pyo3::types::PyString;

use super::write_str;
use crate::json::write::put_short;

const SLOTS: usize = 256;

/// The longest encoding kept, comma included (`put_short` copies up to 32 bytes in two moves).
const LONGEST: usize = 32;

pub(crate) struct KeyCache {
    strings: [Option<Py<PyString>>; SLOTS],
    encoded: [[u8; LONGEST]; SLOTS],
    lengths: [u8; SLOTS],
}

impl KeyCache {
    pub(crate) fn new() -> Self {
        KeyCache {
            strings: [const { None }; SLOTS],
            encoded: [[0; LONGEST]; SLOTS],
            lengths: [0; SLOTS],
        }
    }

    /// `"key":` for the exact str `key`, after a comma unless it is the `first` member.
    #[inline(always)]
    pub(super) fn write_key(
        &mut self,
        key: &Bound<'_, PyString>,
        first: bool,
        out: &mut Vec<u8>,
    ) -> PyResult<()> {
        let ptr = key.as_ptr();
        // objects are 16-byte aligned: the bits above those pick the slot
        let slot = (ptr as usize >> 4) % SLOTS;
        if self.strings[slot].as_ref().map(Py::as_ptr) == Some(ptr) {
            let skip = usize::from(first);
            put_short(
                out,
                &self.encoded[slot][skip..usize::from(self.lengths[slot])],
            );
            return Ok(());
        }
        self.write_new(key, slot, first, out)
    }

    #[inline(never)]
    fn write_new(
        &mut self,
        key: &Bound<'_, PyString>,
        slot: usize,
        first: bool,
        out: &mut Vec<u8>,
    ) -> PyResult<()> {
        if !first {
            out.push(b',');
        }
        let start = out.len();
        write_str(key, out)?;
        out.push(b':');
        let written = &out[start..];
        if written.len() < LONGEST && crate::cpython::is_interned(key) {
            let encoded = &mut self.encoded[slot];
            encoded[0] = b',';
            encoded[1..=written.len()].copy_from_slice(written);
            self.lengths[slot] = written.len() as u8 + 1;
            // (the str it replaces is released)
            self.strings[slot] = Some(key.clone().unbind());
        }
        Ok(())
    }
}
