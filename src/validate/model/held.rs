//! The ORM's expressions given to a model's fields (`post.views = F("views") + 1`,
//! `Entry(views=Value(3))`): values no field validation accepts, stored as they are where the
//! ORM says the field is a column, so that its `save()` writes them as SQL
//! (`orm.held_expressions`; the pure twin's `HELD`). Consulted only after validation refused a
//! value: an accepted one costs nothing more.

use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyString, PyTuple, PyType};

/// The types held, the function (instance, field name) that says whether a field holds one
/// (marking the instance for `save()`), and the function (class, keywords) that builds an
/// instance from constructor keywords holding some: `(instance, names of the holding fields)`,
/// or None.
struct Held {
    types: Py<PyTuple>,
    takes: PyObject,
    construct: Option<PyObject>,
}

static HELD: GILOnceCell<Held> = GILOnceCell::new();

/// Set `HELD` (once; False if it was set to others).
#[pyfunction]
#[pyo3(signature = (types, takes, construct = None, /))]
pub(crate) fn hold_assigned(
    types: &Bound<'_, PyTuple>,
    takes: &Bound<'_, PyAny>,
    construct: Option<&Bound<'_, PyAny>>,
) -> bool {
    let py = types.py();
    let kept = HELD.get_or_init(py, || Held {
        types: types.clone().unbind(),
        takes: takes.clone().unbind(),
        construct: construct.map(|c| c.clone().unbind()),
    });
    let same_construct = match (&kept.construct, construct) {
        (Some(a), Some(b)) => a.bind(py).is(b),
        (None, None) => true,
        _ => false,
    };
    kept.types.bind(py).eq(types).unwrap_or(false)
        && kept.takes.bind(py).is(takes)
        && same_construct
}

/// Whether `value`'s type is one of `types` or a subclass (its own `__class__`, which may
/// be anything, is not asked).
fn of_held_type(value: &Bound<'_, PyAny>, types: &Bound<'_, PyTuple>) -> PyResult<bool> {
    let own = value.get_type();
    for kind in types.iter() {
        if own.is_subclass(&kind)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether `value`, refused for field `name`, is stored as it is (`HELD`).
pub(super) fn held(
    instance: &Bound<'_, PyAny>,
    name: &Bound<'_, PyString>,
    value: &Bound<'_, PyAny>,
) -> PyResult<bool> {
    let py = instance.py();
    let Some(kept) = HELD.get(py) else {
        return Ok(false);
    };
    if !of_held_type(value, kept.types.bind(py))? {
        return Ok(false);
    }
    kept.takes.bind(py).call1((instance, name))?.is_truthy()
}

/// After a constructor of `cls` refused its keywords: when one of `values` is of a type held,
/// what `HELD`'s constructor builds from them (`keywords()` makes their dict): the instance
/// and the names of its holding fields (`mark` them where the values end up); None keeps the
/// refusal. Its own errors (the other fields') are raised.
pub(crate) fn constructed<'py>(
    cls: &Bound<'py, PyType>,
    values: impl IntoIterator<Item = Bound<'py, PyAny>>,
    keywords: impl FnOnce() -> PyResult<Bound<'py, PyDict>>,
) -> PyResult<Option<(Bound<'py, PyAny>, Bound<'py, PyTuple>)>> {
    let py = cls.py();
    let Some(Held {
        types,
        construct: Some(construct),
        ..
    }) = HELD.get(py)
    else {
        return Ok(None);
    };
    let types = types.bind(py);
    let mut holds = false;
    for value in values {
        if of_held_type(&value, types)? {
            holds = true;
            break;
        }
    }
    if !holds {
        return Ok(None);
    }
    let found = construct.bind(py).call1((cls, keywords()?))?;
    if found.is_none() {
        return Ok(None);
    }
    Ok(Some(found.extract()?))
}

/// Mark `instance`'s fields `names` as holding expressions (`HELD`'s function).
pub(crate) fn mark(instance: &Bound<'_, PyAny>, names: &Bound<'_, PyTuple>) -> PyResult<()> {
    let py = instance.py();
    let Some(kept) = HELD.get(py) else {
        return Ok(());
    };
    for name in names.iter() {
        kept.takes.bind(py).call1((instance, name))?;
    }
    Ok(())
}
