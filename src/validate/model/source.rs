//! Where a model reads its input fields from: a dict, or a call's keyword arguments.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
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

/// A copy of `dict` with every str subclass key replaced by a plain str of its text (later
/// keys win, as in a dict display), or `None` where no key is a str subclass.
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
    for (key, value) in items {
        if subclass(&key) {
            // SAFETY: `key` is a live str (subclass); a new exact str of its text or NULL.
            let text = unsafe {
                Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_FromObject(key.as_ptr()))?
            };
            copy.set_item(text, value)?;
        } else {
            copy.set_item(key, value)?;
        }
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
        Ok(self
            .names
            .iter()
            .position(|n| {
                n.downcast::<PyString>()
                    .is_ok_and(|s| s.to_str().is_ok_and(|s| s == key_str))
            })
            .map(|i| self.values[i]))
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
