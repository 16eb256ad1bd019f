//! `validation_alias` as `AliasPath`/`AliasChoices`: where a field's value is read from when it
//! is not one key of the input.
//!
//! A field has choices, tried in order; each is a path whose first item is a key of the input
//! and whose other items are dict keys (str, or an int key of a Python dict) or sequence indexes
//! (int, negative from the end; a JSON object has only str keys). The first path found gives the
//! value; errors are located at the path, as pydantic does.

use std::borrow::Cow;

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyTuple};

use crate::errors::ferrule_err;
use crate::validate::errors::Loc;

/// One step of a path.
pub(crate) enum PathItem {
    Key(Py<PyString>, String),
    /// The index, and the int object (a dict key, and the error location as given).
    Index(i64, PyObject),
}

/// One choice: a first key, then steps.
pub(crate) struct AliasPath {
    pub(crate) items: Vec<PathItem>,
}

impl AliasPath {
    /// The paths of a field schema's `"validation_alias"` (a list of lists of str and int).
    pub(crate) fn build_all(value: &Bound<'_, PyAny>) -> PyResult<Vec<AliasPath>> {
        let py = value.py();
        let bad = || {
            ferrule_err(
                py,
                "SchemaError",
                "validation_alias paths are lists of str and int, each starting with a str",
            )
        };
        let mut out = Vec::new();
        for path in value.try_iter()? {
            let path = path?;
            let mut items = Vec::new();
            for item in path.try_iter()? {
                let item = item?;
                if let Ok(text) = item.downcast::<PyString>() {
                    let text = text.to_str()?.to_owned();
                    items.push(PathItem::Key(PyString::intern(py, &text).unbind(), text));
                } else if item.is_exact_instance_of::<PyInt>() && !items.is_empty() {
                    let index: i64 = item.extract().map_err(|_| bad())?;
                    items.push(PathItem::Index(index, item.unbind()));
                } else {
                    return Err(bad());
                }
            }
            if !matches!(items.first(), Some(PathItem::Key(..))) {
                return Err(bad());
            }
            out.push(AliasPath { items });
        }
        if out.is_empty() {
            return Err(bad());
        }
        Ok(out)
    }

    /// The first item: the key looked up in the input itself.
    pub(crate) fn first(&self) -> (&Py<PyString>, &str) {
        match &self.items[0] {
            PathItem::Key(key, text) => (key, text),
            // `build_all` makes every path start with a key
            PathItem::Index(..) => unreachable!("an alias path starts with a key"),
        }
    }

    /// From the value under the first key, the value at the end of the path (Python data).
    pub(crate) fn follow<'py>(
        &self,
        mut value: Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        for item in &self.items[1..] {
            let next = match (value.downcast::<PyDict>(), item) {
                (Ok(dict), PathItem::Key(key, _)) => dict.get_item(key)?,
                (Ok(dict), PathItem::Index(_, key)) => dict.get_item(key)?,
                (Err(_), PathItem::Index(index, _)) => {
                    if let Ok(list) = value.downcast::<PyList>() {
                        at(*index, list.len())
                            .map(|i| list.get_item(i))
                            .transpose()?
                    } else if let Ok(tuple) = value.downcast::<PyTuple>() {
                        at(*index, tuple.len())
                            .map(|i| tuple.get_item(i))
                            .transpose()?
                    } else {
                        None
                    }
                }
                (Err(_), PathItem::Key(..)) => None,
            };
            match next {
                Some(next) => value = next,
                None => return Ok(None),
            }
        }
        Ok(Some(value))
    }

    /// The value at the path in a JSON object's members.
    pub(crate) fn follow_json<'a, 's>(
        &self,
        pairs: &'a [(Cow<'s, str>, JsonValue<'s>)],
    ) -> Option<&'a JsonValue<'s>> {
        let (_, first) = self.first();
        let mut value = find_member(pairs, first)?;
        for item in &self.items[1..] {
            value = match (value, item) {
                (JsonValue::Object(members), PathItem::Key(_, key)) => find_member(members, key)?,
                (JsonValue::Array(items), PathItem::Index(index, _)) => {
                    items.get(at(*index, items.len())?)?
                }
                _ => return None,
            };
        }
        Some(value)
    }

    /// Prefix `err`'s locations with the path's steps after the first (`first_loc` is the
    /// last step, given to `Errors::absorb`).
    pub(crate) fn locate_inner(
        &self,
        py: Python<'_>,
        err: crate::validate::errors::ValError,
    ) -> crate::validate::errors::ValError {
        self.items[1..]
            .iter()
            .rev()
            .fold(err, |err, item| err.at(|| loc_of(py, item)))
    }

    /// The first step of the path as an error location.
    pub(crate) fn first_loc(&self, py: Python<'_>) -> Loc {
        loc_of(py, &self.items[0])
    }

    /// The path as an error location (innermost step first, as `LineError` keeps it).
    pub(crate) fn loc(&self, py: Python<'_>) -> smallvec::SmallVec<[Loc; 2]> {
        self.items
            .iter()
            .rev()
            .map(|item| loc_of(py, item))
            .collect()
    }
}

fn loc_of(py: Python<'_>, item: &PathItem) -> Loc {
    match item {
        PathItem::Key(key, _) => Loc::Key(key.clone_ref(py).into_any()),
        PathItem::Index(_, index) => Loc::Key(index.clone_ref(py)),
    }
}

/// A JSON object's member, the last of repeated keys (as `json.loads`).
fn find_member<'a, 's>(
    pairs: &'a [(Cow<'s, str>, JsonValue<'s>)],
    key: &str,
) -> Option<&'a JsonValue<'s>> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k.as_ref() == key)
        .map(|(_, v)| v)
}

/// `index` (negative from the end) in a sequence of `len` items.
fn at(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let index = if index < 0 { index + len } else { index };
    (0..len).contains(&index).then_some(index as usize)
}
