//! Python <-> Rust conversions in one place, plus the few Python objects the core needs.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyList, PyString, PyType};

/// A JSON value as the Python object `json.loads` would give (the tree is at most as deep as
/// the JSON parser allows, so the recursion is bounded).
pub(crate) fn json_to_py<'py>(
    py: Python<'py>,
    value: &JsonValue<'_>,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        JsonValue::Null => py.None().into_bound(py),
        JsonValue::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        JsonValue::Int(i) => i.into_pyobject(py)?.into_any(),
        JsonValue::BigInt(b) => big_int(py, &b.to_string())?,
        JsonValue::Float(f) => pyo3::types::PyFloat::new(py, *f).into_any(),
        JsonValue::Str(s) => PyString::new(py, s).into_any(),
        JsonValue::Array(items) => {
            let list = PyList::empty(py);
            for item in items.iter() {
                list.append(json_to_py(py, item)?)?;
            }
            list.into_any()
        }
        JsonValue::Object(pairs) => {
            let dict = PyDict::new(py);
            for (key, item) in pairs.iter() {
                dict.set_item(key.as_ref(), json_to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A Python int from decimal digits of any length (with optional sign).
/// `int()` refuses more than 4300 digits, so long numbers go through `Decimal`.
pub(crate) fn big_int<'py>(py: Python<'py>, digits: &str) -> PyResult<Bound<'py, PyAny>> {
    // int(str) refuses more digits than sys.get_int_max_str_digits(), which may be as low as 640
    if digits.len() <= 640 {
        py_int_type(py).call1((digits,))
    } else {
        py_int_type(py).call1((py_decimal_type(py).call1((digits,))?,))
    }
}

/// Python objects the core needs (types and functions of the standard library), imported once.
///
/// `init` imports them all when the extension module loads, so a failure is an import error
/// then, never a surprise deep inside a validation (near the recursion limit, say). Should one
/// still be missing later, its accessor tries again and, failing that, hands out `None` (every
/// use of it then fails with a `TypeError`): no path here panics.
macro_rules! cached_attrs {
    ($(($fn_name:ident, $module:literal, $attr:literal)),* $(,)?) => {
        $(
            pub(crate) fn $fn_name(py: Python<'_>) -> &Bound<'_, PyAny> {
                static CELL: GILOnceCell<PyObject> = GILOnceCell::new();
                CELL.get_or_init(py, || {
                    import_attr(py, $module, $attr).unwrap_or_else(|_| py.None())
                })
                .bind(py)
            }
        )*

        /// Import every cached object now (at module load); the first failure is returned.
        pub(crate) fn init(py: Python<'_>) -> PyResult<()> {
            $(
                import_attr(py, $module, $attr)?;
                if $fn_name(py).is_none() {
                    return Err(pyo3::exceptions::PyImportError::new_err(
                        concat!("cannot import ", $module, ".", $attr),
                    ));
                }
            )*
            dict_keys_type(py)?;
            dict_values_type(py)?;
            Ok(())
        }
    };
}

fn import_attr(py: Python<'_>, module: &str, attr: &str) -> PyResult<PyObject> {
    Ok(py.import(module)?.getattr(attr)?.unbind())
}

cached_attrs!(
    (py_int_type, "builtins", "int"),
    (py_mapping_abc, "collections.abc", "Mapping"),
    (py_deque_type, "collections", "deque"),
    (py_decimal_type, "decimal", "Decimal"),
    (py_uuid_type, "uuid", "UUID"),
    (py_datetime_type, "datetime", "datetime"),
    (py_date_type, "datetime", "date"),
    (py_time_type, "datetime", "time"),
    (py_timedelta_type, "datetime", "timedelta"),
    (py_timezone_type, "datetime", "timezone"),
    (py_enum_type, "enum", "Enum"),
    (py_re_compile, "re", "compile"),
    (py_validation_error, "ferrule.errors", "ValidationError"),
    (py_custom_error, "ferrule.errors", "PydanticCustomError"),
);

/// The type of `{}.keys()`.
pub(crate) fn dict_keys_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
    CELL.get_or_try_init(py, || {
        Ok(PyDict::new(py).call_method0("keys")?.get_type().unbind())
    })
    .map(|t| t.bind(py))
}

/// The type of `{}.values()`.
pub(crate) fn dict_values_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    static CELL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
    CELL.get_or_try_init(py, || {
        Ok(PyDict::new(py).call_method0("values")?.get_type().unbind())
    })
    .map(|t| t.bind(py))
}

/// The bytes of a `bytes` or `bytearray` (subclasses included) as the object holds them:
/// read through the C API, never through a `__len__` or `__iter__` a subclass may override. A
/// bytearray is copied (user code could resize it while it is read).
pub(crate) fn byte_contents<'a>(obj: &'a Bound<'_, PyAny>) -> PyResult<std::borrow::Cow<'a, [u8]>> {
    if let Ok(bytes) = obj.downcast::<pyo3::types::PyBytes>() {
        return Ok(std::borrow::Cow::Borrowed(bytes.as_bytes()));
    }
    Ok(std::borrow::Cow::Owned(
        obj.downcast::<pyo3::types::PyByteArray>()?.to_vec(),
    ))
}

/// A dict's items as they are now, read through `PyDict_Next` (which runs no user code): a
/// caller may then run user code per item that changes the dict without breaking the loop.
pub(crate) fn dict_items<'py>(
    dict: &Bound<'py, PyDict>,
) -> Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let py = dict.py();
    let mut items = Vec::with_capacity(dict.len());
    let mut pos: pyo3::ffi::Py_ssize_t = 0;
    let mut key: *mut pyo3::ffi::PyObject = std::ptr::null_mut();
    let mut value: *mut pyo3::ffi::PyObject = std::ptr::null_mut();
    // SAFETY: PyDict_Next hands out borrowed references, turned into owned ones at once; the
    // dict is not changed during the loop (no user code runs inside it).
    unsafe {
        while pyo3::ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) != 0 {
            items.push((
                Bound::from_borrowed_ptr(py, key),
                Bound::from_borrowed_ptr(py, value),
            ));
        }
    }
    items
}

/// Python's `str.isspace()` for one character: Rust's White_Space plus U+001C..U+001F.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()` with Python's notion of whitespace.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}
