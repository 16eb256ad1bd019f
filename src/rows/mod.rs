//! Database rows → Python objects: `record` turns driver rows into `Record`s, `instances`
//! into model instances built on `crate::model`'s class layout (the ORM's loading path);
//! `params` goes the other way, instances → the parameters of a bulk insert.

pub(crate) mod instances;
pub(crate) mod params;
pub(crate) mod record;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyTuple};

/// The row at `index` of a list or tuple of rows, or `None` past its end. The length is read
/// again at every call: code run for a row (a converter, the collector) may change a list.
pub(crate) fn row_at<'py>(
    rows: &Bound<'py, PyAny>,
    index: usize,
    what: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    if let Ok(list) = rows.downcast::<PyList>() {
        return if index < list.len() {
            list.get_item(index).map(Some)
        } else {
            Ok(None)
        };
    }
    if let Ok(tuple) = rows.downcast::<PyTuple>() {
        return if index < tuple.len() {
            tuple.get_item(index).map(Some)
        } else {
            Ok(None)
        };
    }
    Err(PyTypeError::new_err(format!(
        "{what}() needs a list or tuple of rows, not {}",
        rows.get_type().name()?
    )))
}
