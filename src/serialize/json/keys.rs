//! Dict keys written before, kept encoded (`,"key":`) by their str object: a key that comes
//! back as the same object (the keys of a list of records written in code are) is one short
//! copy, comma included, not a look at its characters.
//!
//! Interned strs are kept at once: keys written in code are. A str made at run time is kept
//! when it comes back (the keys of records read by `json.loads` or from a database row share
//! their str objects); one seen once would only churn the table. Each entry holds a reference
//! to its str, so its address cannot be reused by another object while the entry lives.
//!
//! A str's address picks a set of two entries: with one entry per set, two keys of the same
//! records whose addresses collide (about one run in five for a dozen keys) would evict each
//! other on every record. Used in compact output only (`"key":` has no room for indentation's
//! space).

use pyo3::prelude::*;
use pyo3::types::PyString;

use super::write_str;

const SETS: usize = 256;

/// The longest encoding kept, comma included: a hit is copied as one block of this many bytes
/// (whatever its length), then the output's length moves by the encoding's.
const LONGEST: usize = 32;

struct Entry {
    string: Option<Py<PyString>>,
    length: u8,
    /// The encoding, then room for the block read from offset 1 (no comma) to stay inside.
    encoded: [u8; LONGEST + 16],
}

impl Entry {
    const EMPTY: Entry = Entry {
        string: None,
        length: 0,
        encoded: [0; LONGEST + 16],
    };

    #[inline(always)]
    fn holds(&self, ptr: *mut pyo3::ffi::PyObject) -> bool {
        self.string.as_ref().map(Py::as_ptr) == Some(ptr)
    }
}

struct Set {
    ways: [Entry; 2],
    /// The way the next kept str replaces (the one kept longer ago).
    older: u8,
    /// The address of the last str that missed here and was not kept: a str made at run time
    /// is kept when it comes back (its second sighting). Only ever compared, never
    /// dereferenced: a reused address at worst keeps a str one sighting early.
    sighted: usize,
}

pub(crate) struct KeyCache {
    sets: Box<[Set]>,
}

impl KeyCache {
    pub(crate) fn new() -> Self {
        let sets = (0..SETS)
            .map(|_| Set {
                ways: [Entry::EMPTY, Entry::EMPTY],
                older: 0,
                sighted: 0,
            })
            .collect();
        KeyCache { sets }
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
        // objects are 16-byte aligned: the bits above those pick the set
        let index = (ptr as usize >> 4) % SETS;
        let set = &self.sets[index];
        let way = if set.ways[0].holds(ptr) {
            &set.ways[0]
        } else if set.ways[1].holds(ptr) {
            &set.ways[1]
        } else {
            return self.write_new(key, index, first, out);
        };
        let from = usize::from(first);
        let length = usize::from(way.length).saturating_sub(from);
        out.reserve(LONGEST);
        // SAFETY: `from` <= 1, so the block `encoded[from..from + LONGEST]` is inside the array
        // (LONGEST + 16 bytes); LONGEST bytes were reserved, and the `length` <= LONGEST bytes
        // the length moves over are the encoding's, initialised by the copy.
        unsafe {
            let block = way
                .encoded
                .as_ptr()
                .add(from)
                .cast::<[u8; LONGEST]>()
                .read_unaligned();
            let end = out.len();
            out.as_mut_ptr()
                .add(end)
                .cast::<[u8; LONGEST]>()
                .write_unaligned(block);
            out.set_len(end + length);
        }
        Ok(())
    }

    #[inline(never)]
    fn write_new(
        &mut self,
        key: &Bound<'_, PyString>,
        index: usize,
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
        let set = &mut self.sets[index];
        if written.len() < LONGEST && set.keeps(key) {
            let way = usize::from(set.older);
            set.older ^= 1;
            let entry = &mut set.ways[way];
            entry.encoded[0] = b',';
            entry.encoded[1..=written.len()].copy_from_slice(written);
            entry.length = written.len() as u8 + 1;
            // (the str it replaces is released)
            entry.string = Some(key.clone().unbind());
        }
        Ok(())
    }
}

impl Set {
    /// Whether `key`, which missed here, is worth keeping: an interned str always is (keys
    /// written in code are), any other str when it missed here before.
    fn keeps(&mut self, key: &Bound<'_, PyString>) -> bool {
        let address = key.as_ptr() as usize;
        if self.sighted == address || crate::cpython::is_interned(key) {
            return true;
        }
        self.sighted = address;
        false
    }
}
