//! `include=` / `exclude=` with pydantic's nested semantics.
//!
//! Either argument is a set of keys or a dict whose values are `True`/`...` (the whole item) or
//! a nested set/dict for the item's own contents. Keys are field names, dict keys or sequence
//! indices (negative ones count from the end); `"__all__"` applies to every key and merges with
//! the key's own entry. Both arguments are normalised once per call into dicts mapping a key to
//! `True` or a nested normalised dict.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFrozenSet, PyList, PySet, PyString, PyTuple};

/// What applies below one container: the keys it may keep and the keys it must drop.
#[derive(Clone, Default)]
pub(crate) struct Filter<'py> {
    include: Option<Bound<'py, PyDict>>,
    exclude: Option<Bound<'py, PyDict>>,
}

/// A normalised entry: the whole item (`True`), or a nested filter.
enum Entry<'py> {
    Whole,
    Nested(Bound<'py, PyDict>),
}

impl<'py> Filter<'py> {
    /// The filter of a `model_dump(include=..., exclude=...)` call.
    pub(crate) fn from_args(
        include: Option<&Bound<'py, PyAny>>,
        exclude: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Self> {
        Ok(Filter {
            include: normalise_arg(include, "include")?,
            exclude: normalise_arg(exclude, "exclude")?,
        })
    }

    /// The normalised `include` and `exclude` dicts (what a serializer's `info` shows).
    pub(crate) fn parts(&self) -> (Option<&Bound<'py, PyDict>>, Option<&Bound<'py, PyDict>>) {
        (self.include.as_ref(), self.exclude.as_ref())
    }

    pub(crate) fn from_parts(
        include: Option<Bound<'py, PyDict>>,
        exclude: Option<Bound<'py, PyDict>>,
    ) -> Self {
        Filter { include, exclude }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.include.is_none() && self.exclude.is_none()
    }

    /// The filter for the item under `key`, or `None` when the item is dropped (no filter:
    /// every item kept, nothing looked up).
    #[inline]
    pub(crate) fn child(&self, key: &Bound<'py, PyAny>) -> PyResult<Option<Filter<'py>>> {
        if self.is_empty() {
            return Ok(Some(Filter::default()));
        }
        self.child_of(key, None)
    }

    /// `child` for the item at `index` of a sequence of `count` items (negative keys count
    /// from the end); the index becomes a key only when there is a filter to ask.
    #[inline]
    pub(crate) fn child_at(
        &self,
        py: Python<'py>,
        index: usize,
        count: usize,
    ) -> PyResult<Option<Filter<'py>>> {
        if self.is_empty() {
            return Ok(Some(Filter::default()));
        }
        let key = index.into_pyobject(py)?.into_any();
        self.child_of(&key, Some((index, count)))
    }

    fn child_of(
        &self,
        key: &Bound<'py, PyAny>,
        position: Option<(usize, usize)>,
    ) -> PyResult<Option<Filter<'py>>> {
        let exclude = match &self.exclude {
            Some(exclude) => match entry_for(exclude, key, position)? {
                Some(Entry::Whole) => return Ok(None),
                Some(Entry::Nested(nested)) => Some(nested),
                None => None,
            },
            None => None,
        };
        let include = match &self.include {
            Some(include) => match entry_for(include, key, position)? {
                None => return Ok(None),
                Some(Entry::Whole) => None,
                Some(Entry::Nested(nested)) => Some(nested),
            },
            None => None,
        };
        Ok(Some(Filter { include, exclude }))
    }
}

/// The entry for `key` merged with the `"__all__"` entry.
fn entry_for<'py>(
    filter: &Bound<'py, PyDict>,
    key: &Bound<'py, PyAny>,
    position: Option<(usize, usize)>,
) -> PyResult<Option<Entry<'py>>> {
    let py = filter.py();
    let mut own = filter.get_item(key)?;
    if own.is_none() {
        if let Some((index, len)) = position {
            // a negative index counts from the end
            let from_end = index as i64 - len as i64;
            own = filter.get_item(from_end)?;
        }
    }
    let all = filter.get_item(pyo3::intern!(py, "__all__"))?;
    merge(own.map(to_entry), all.map(to_entry))
}

fn to_entry(value: Bound<'_, PyAny>) -> Entry<'_> {
    match value.downcast_into::<PyDict>() {
        Ok(dict) => Entry::Nested(dict),
        Err(_) => Entry::Whole,
    }
}

/// Two entries for the same item: the whole item wins, nested filters are merged deeply.
fn merge<'py>(a: Option<Entry<'py>>, b: Option<Entry<'py>>) -> PyResult<Option<Entry<'py>>> {
    Ok(match (a, b) {
        (None, other) | (other, None) => other,
        (Some(Entry::Whole), _) | (_, Some(Entry::Whole)) => Some(Entry::Whole),
        (Some(Entry::Nested(a)), Some(Entry::Nested(b))) => {
            let out = a.copy()?;
            for (key, value) in b.iter() {
                let merged = match out.get_item(&key)? {
                    Some(existing) => merge(Some(to_entry(existing)), Some(to_entry(value)))?,
                    None => Some(to_entry(value)),
                };
                match merged {
                    Some(Entry::Nested(dict)) => out.set_item(key, dict)?,
                    _ => out.set_item(key, true)?,
                }
            }
            Some(Entry::Nested(out))
        }
    })
}

/// `include=`/`exclude=` as given: `None`, a set (or other collection) of keys, or a dict.
fn normalise_arg<'py>(
    value: Option<&Bound<'py, PyAny>>,
    what: &str,
) -> PyResult<Option<Bound<'py, PyDict>>> {
    match value {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => normalise(v, what, 0).map(Some),
    }
}

/// Nesting beyond this is refused (a self-containing dict would never end).
const MAX_NESTING: usize = 64;

fn normalise<'py>(
    value: &Bound<'py, PyAny>,
    what: &str,
    depth: usize,
) -> PyResult<Bound<'py, PyDict>> {
    let py = value.py();
    let refuse = || PyTypeError::new_err(format!("`{what}` argument must be a set or dict."));
    if depth > MAX_NESTING {
        return Err(PyTypeError::new_err(format!(
            "`{what}` is nested more than {MAX_NESTING} levels deep"
        )));
    }
    let out = PyDict::new(py);
    if let Ok(dict) = value.downcast::<PyDict>() {
        for (key, item) in dict.iter() {
            if item.is(py.Ellipsis()) || (item.is_instance_of::<PyBool>() && item.is_truthy()?) {
                out.set_item(key, true)?;
            } else if is_collection(&item) {
                out.set_item(key, normalise(&item, what, depth + 1)?)?;
            } else {
                return Err(refuse());
            }
        }
        return Ok(out);
    }
    if !is_collection(value) {
        return Err(refuse());
    }
    for key in value.try_iter()? {
        out.set_item(key?, true)?;
    }
    Ok(out)
}

/// A set, frozenset, list, tuple or dict (a str is not a collection of keys here).
fn is_collection(value: &Bound<'_, PyAny>) -> bool {
    !value.is_instance_of::<PyString>()
        && (value.is_instance_of::<PySet>()
            || value.is_instance_of::<PyFrozenSet>()
            || value.is_instance_of::<PyList>()
            || value.is_instance_of::<PyTuple>()
            || value.is_instance_of::<PyDict>())
}
