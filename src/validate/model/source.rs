//! Where a model reads its input fields from: a dict, or a call's keyword arguments.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use crate::model::ModelClass;
use pyo3::Borrowed;

/// Where a model reads its input fields from: a dict, or a call's keyword arguments.
pub(super) trait Source<'py> {
    /// The value under `key`, borrowed from the source (no reference counting).
    fn get<'s>(
        &'s self,
        py: Python<'py>,
        key: &Py<PyString>,
        key_str: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>>;
    fn len(&self) -> usize;
    fn items(&self, py: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>>;
    /// The whole input, as reported with a `missing` error.
    fn whole(&self, py: Python<'py>) -> PyResult<PyObject>;
}

/// A dict read in field order: `next` is the iteration position of the entry expected next,
/// so a dict whose keys come in declaration order (the usual case) costs one step per field
/// instead of a hash lookup.
pub(super) struct DictSource<'a, 'py> {
    dict: &'a Bound<'py, PyDict>,
    next: std::cell::Cell<ffi::Py_ssize_t>,
    /// Made at the first lookup by hash: `Some` copy of the dict with each str subclass key
    /// read as its text (the pure twin's rule: its `__eq__`/`__hash__` never decide which
    /// field it fills), where the dict has such a key; `None` where it has none.
    texts: std::cell::OnceCell<Option<Bound<'py, PyDict>>>,
}

impl<'a, 'py> DictSource<'a, 'py> {
    pub(super) fn new(dict: &'a Bound<'py, PyDict>) -> Self {
        DictSource {
            dict,
            next: std::cell::Cell::new(0),
            texts: std::cell::OnceCell::new(),
        }
    }

    /// The dict to look fields up in by hash: the dict itself, or its copy keyed by text.
    fn by_text(&self) -> PyResult<&Bound<'py, PyDict>> {
        if let Some(found) = self.texts.get() {
            return Ok(found.as_ref().unwrap_or(self.dict));
        }
        let made = keyed_by_text(self.dict)?;
        Ok(self
            .texts
            .get_or_init(|| made)
            .as_ref()
            .unwrap_or(self.dict))
    }
}

/// A copy of `dict` with every str subclass key replaced by a plain str of its text, or
/// `None` where no key is a str subclass. A plain str key wins over subclass keys of its text
/// (a lookup by hash finds only it, as pydantic's does); among those, the later wins. The
/// in-order reads of `DictSource::get`, which meet plain keys only, then agree with it.
fn keyed_by_text<'py>(dict: &Bound<'py, PyDict>) -> PyResult<Option<Bound<'py, PyDict>>> {
    let py = dict.py();
    let subclass = |key: &Bound<'py, PyAny>| {
        key.is_instance_of::<PyString>() && !key.is_exact_instance_of::<PyString>()
    };
    // SAFETY: PyDict_Next hands out borrowed references (or stops), in bounds even if the
    // dict changed; only the key's type is read (no Python code runs).
    let any_subclass = unsafe {
        let mut pos: ffi::Py_ssize_t = 0;
        let mut key: *mut ffi::PyObject = std::ptr::null_mut();
        let mut value: *mut ffi::PyObject = std::ptr::null_mut();
        let mut found = false;
        while ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) != 0 {
            if ffi::PyUnicode_Check(key) != 0 && ffi::PyUnicode_CheckExact(key) == 0 {
                found = true;
                break;
            }
        }
        found
    };
    if !any_subclass {
        return Ok(None);
    }
    let items: Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> = dict.iter().collect();
    let copy = PyDict::new(py);
    for (key, value) in items.iter().filter(|(key, _)| subclass(key)) {
        // SAFETY: `key` is a live str (subclass); a new exact str of its text or NULL.
        let text =
            unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_FromObject(key.as_ptr()))? };
        copy.set_item(text, value)?;
    }
    for (key, value) in items.iter().filter(|(key, _)| !subclass(key)) {
        copy.set_item(key, value)?;
    }
    Ok(Some(copy))
}

impl<'py> Source<'py> for DictSource<'_, 'py> {
    #[inline(always)]
    fn get<'s>(
        &'s self,
        py: Python<'py>,
        key: &Py<PyString>,
        _: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>> {
        // SAFETY: the dict (and its copy keyed by text, held by `self`) outlive the borrow
        // ('s); PyDict_Next and GetItemWithError return borrowed references (or nothing) and
        // stay in bounds even if the dict changed.
        unsafe {
            let mut pos = self.next.get();
            let mut found_key: *mut ffi::PyObject = std::ptr::null_mut();
            let mut value: *mut ffi::PyObject = std::ptr::null_mut();
            if ffi::PyDict_Next(self.dict.as_ptr(), &mut pos, &mut found_key, &mut value) != 0
                && found_key == key.as_ptr()
            {
                self.next.set(pos);
                return Ok(Some(Borrowed::from_ptr(py, value)));
            }
            let dict = self.by_text()?;
            let ptr = ffi::PyDict_GetItemWithError(dict.as_ptr(), key.as_ptr());
            if ptr.is_null() {
                return match PyErr::take(py) {
                    Some(err) => Err(err),
                    None => Ok(None),
                };
            }
            Ok(Some(Borrowed::from_ptr(py, ptr)))
        }
    }

    fn len(&self) -> usize {
        self.dict.len()
    }

    fn items(&self, _: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
        Ok(self.dict.iter().collect())
    }

    fn whole(&self, _: Python<'py>) -> PyResult<PyObject> {
        Ok(self.dict.clone().into_any().unbind())
    }
}

/// Borrowed straight from the vectorcall argument array: no reference counting per argument.
pub(super) struct KwSource<'a, 'py> {
    names: &'a [Borrowed<'a, 'py, PyAny>],
    values: &'a [Borrowed<'a, 'py, PyAny>],
    /// The keyword expected next (keywords usually come in declaration order).
    next: std::cell::Cell<usize>,
}

impl<'a, 'py> KwSource<'a, 'py> {
    pub(super) fn new(
        names: &'a [Borrowed<'a, 'py, PyAny>],
        values: &'a [Borrowed<'a, 'py, PyAny>],
    ) -> Self {
        KwSource {
            names,
            values,
            next: std::cell::Cell::new(0),
        }
    }
}

impl<'py> Source<'py> for KwSource<'_, 'py> {
    #[inline(always)]
    fn get<'s>(
        &'s self,
        _: Python<'py>,
        key: &Py<PyString>,
        key_str: &str,
    ) -> PyResult<Option<Borrowed<'s, 'py, PyAny>>> {
        // call-site keyword names are interned like the field names: pointers usually match
        let wanted = key.as_ptr();
        let next = self.next.get();
        if self.names.get(next).is_some_and(|n| n.as_ptr() == wanted) {
            self.next.set(next + 1);
            return Ok(Some(self.values[next]));
        }
        if let Some(i) = self.names.iter().position(|n| n.as_ptr() == wanted) {
            return Ok(Some(self.values[i]));
        }
        // by text: a plain str name wins, else the last str subclass name (`keyed_by_text`'s
        // rule); reading a str's text runs no Python code
        let mut subclass_hit = None;
        for (i, name) in self.names.iter().enumerate() {
            let Ok(text) = name.downcast::<PyString>() else {
                continue;
            };
            if !text.to_str().is_ok_and(|t| t == key_str) {
                continue;
            }
            if name.is_exact_instance_of::<PyString>() {
                return Ok(Some(self.values[i]));
            }
            subclass_hit = Some(i);
        }
        Ok(subclass_hit.map(|i| self.values[i]))
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    fn items(&self, _: Python<'py>) -> PyResult<Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>> {
        Ok(self
            .names
            .iter()
            .zip(self.values)
            .map(|(n, v)| (Borrowed::to_owned(*n), Borrowed::to_owned(*v)))
            .collect())
    }

    fn whole(&self, py: Python<'py>) -> PyResult<PyObject> {
        let dict = PyDict::new(py);
        for (name, value) in self.names.iter().zip(self.values) {
            dict.set_item(name, value)?;
        }
        Ok(dict.into_any().unbind())
    }
}

/// Whether the dict subclass `obj` reads its items through methods of its own (`get`,
/// `__getitem__`, `keys`, `items`, `__iter__`): then those answer, as in pydantic and the pure
/// twin, not the dict's storage (which `DictSource` reads).
pub(super) fn reads_overridden(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let py = obj.py();
    let own = obj.get_type();
    let dict = py.get_type::<PyDict>();
    for name in ["get", "__getitem__", "keys", "items", "__iter__"] {
        if !own.getattr(name)?.is(&dict.getattr(name)?) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A dict subclass with reading methods of its own as a plain dict of what they say: its
/// `items()`, then each field's name and alias read with its `get` (absent where `get` says
/// so), as pydantic reads such a mapping.
#[cold]
pub(super) fn read_through_methods<'py>(
    class: &ModelClass,
    obj: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyDict>> {
    let py = obj.py();
    let out = PyDict::new(py);
    for pair in obj.call_method0(pyo3::intern!(py, "items"))?.try_iter()? {
        let (key, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair?.extract()?;
        out.set_item(key, value)?;
    }
    let absent = PyList::empty(py); // a new object: no `get` returns it but the default
    for field in class.fields.iter() {
        let keys = std::iter::once(field.name.bind(py))
            .chain(field.alias.as_ref().map(|(alias, _)| alias.bind(py)));
        for key in keys {
            let found = obj.call_method1(pyo3::intern!(py, "get"), (key, &absent))?;
            if !found.is(&absent) {
                out.set_item(key, found)?;
            } else if out.contains(key)? {
                out.del_item(key)?;
            }
        }
    }
    Ok(out)
}
