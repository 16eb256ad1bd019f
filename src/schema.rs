//! Reading schema dicts: typed getters that fail with a `SchemaError` naming the key.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::ferrule_err;

pub(crate) fn required<'py, T: FromPyObject<'py>>(
    schema: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<T> {
    match schema.get_item(key)? {
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
    key: &str,
) -> PyResult<Option<T>> {
    match schema.get_item(key)? {
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

pub(crate) fn flag(schema: &Bound<'_, PyDict>, key: &str) -> PyResult<bool> {
    Ok(optional::<bool>(schema, key)?.unwrap_or(false))
}

pub(crate) fn object<'py>(
    schema: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    Ok(schema.get_item(key)?.filter(|v| !v.is_none()))
}

pub(crate) fn sub_schema<'py>(
    schema: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<Bound<'py, PyDict>> {
    required::<Bound<'py, PyDict>>(schema, key)
}

pub(crate) fn schema_list<'py>(
    schema: &Bound<'py, PyDict>,
    key: &str,
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
