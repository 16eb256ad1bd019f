//! Reading schema dicts: typed getters that fail with a `SchemaError` naming the key.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyList, PyString};

use crate::errors::ferrule_err;

/// Hashes the address and length of a static key: they identify it (no SipHash over them).
#[derive(Default)]
struct AddressHasher(u64);

impl Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(5) ^ value).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, value: usize) {
        self.write_u64(value as u64);
    }
}

type Keys = HashMap<(usize, usize), Py<PyString>, BuildHasherDefault<AddressHasher>>;

/// Schema keys as Python strs, made once per key (keyed by the address of the static text):
/// a look-up with a `&str` allocated, hashed and freed a new str each time, a few hundred
/// times per model class compiled.
fn key<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    static KEYS: GILOnceCell<Mutex<Keys>> = GILOnceCell::new();
    let keys = KEYS.get_or_init(py, || Mutex::new(Keys::default()));
    let Ok(mut keys) = keys.lock() else {
        return PyString::new(py, key); // poisoned (a panic elsewhere): no cache, same answer
    };
    keys.entry((key.as_ptr() as usize, key.len()))
        .or_insert_with(|| PyString::intern(py, key).unbind())
        .bind(py)
        .clone()
}

pub(crate) fn required<'py, T: FromPyObject<'py>>(
    schema: &Bound<'py, PyDict>,
    key: &'static str,
) -> PyResult<T> {
    match schema.get_item(self::key(schema.py(), key))? {
        Some(value) => value.extract().map_err(|_| {
            ferrule_err(
                schema.py(),
                "SchemaError",
                format!("schema key {key:?} has the wrong type"),
            )
        }),
        None => Err(ferrule_err(
            schema.py(),
            "SchemaError",
            format!("schema is missing {key:?}"),
        )),
    }
}

pub(crate) fn optional<'py, T: FromPyObject<'py>>(
    schema: &Bound<'py, PyDict>,
    key: &'static str,
) -> PyResult<Option<T>> {
    match schema.get_item(self::key(schema.py(), key))? {
        Some(value) if !value.is_none() => value.extract().map(Some).map_err(|_| {
            ferrule_err(
                schema.py(),
                "SchemaError",
                format!("schema key {key:?} has the wrong type"),
            )
        }),
        _ => Ok(None),
    }
}

pub(crate) fn flag(schema: &Bound<'_, PyDict>, key: &'static str) -> PyResult<bool> {
    Ok(optional::<bool>(schema, key)?.unwrap_or(false))
}

pub(crate) fn object<'py>(
    schema: &Bound<'py, PyDict>,
    key: &'static str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(schema
        .get_item(self::key(schema.py(), key))?
        .filter(|v| !v.is_none()))
}

pub(crate) fn sub_schema<'py>(
    schema: &Bound<'py, PyDict>,
    key: &'static str,
) -> PyResult<Bound<'py, PyDict>> {
    required::<Bound<'py, PyDict>>(schema, key)
}

pub(crate) fn schema_list<'py>(
    schema: &Bound<'py, PyDict>,
    key: &'static str,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let list: Bound<'py, PyList> = required(schema, key)?;
    list.iter()
        .map(|item| {
            item.downcast_into::<PyDict>().map_err(|_| {
                ferrule_err(
                    schema.py(),
                    "SchemaError",
                    format!("{key:?} must hold schema dicts"),
                )
            })
        })
        .collect()
}
