//! Python <-> Rust conversions in one place, plus the few Python objects the core needs.

use jiter::JsonValue;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyDict, PyList, PyString, PyType};

/// A JSON value as the Python object `json.loads` would give.
pub(crate) fn json_to_py<'py>(py: Python<'py>, value: &JsonValue<'_>) -> Bound<'py, PyAny> {
    match value {
        JsonValue::Null => py.None().into_bound(py),
        JsonValue::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any(),
        JsonValue::Int(i) => i.into_pyobject(py).expect("int").into_any(),
        JsonValue::BigInt(b) => big_int(py, &b.to_string()),
        JsonValue::Float(f) => pyo3::types::PyFloat::new(py, *f).into_any(),
        JsonValue::Str(s) => PyString::new(py, s).into_any(),
        JsonValue::Array(items) => {
            let list = PyList::empty(py);
            for item in items.iter() {
                list.append(json_to_py(py, item)).expect("list append");
            }
            list.into_any()
        }
        JsonValue::Object(pairs) => {
            let dict = PyDict::new(py);
            for (key, item) in pairs.iter() {
                dict.set_item(key.as_ref(), json_to_py(py, item))
                    .expect("dict set");
            }
            dict.into_any()
        }
    }
}

/// A Python int from decimal digits of any length (with optional sign).
/// `int()` refuses more than 4300 digits, so long numbers go through `Decimal`.
pub(crate) fn big_int<'py>(py: Python<'py>, digits: &str) -> Bound<'py, PyAny> {
    let parsed = if digits.len() < 4000 {
        py_int_type(py).call1((digits,))
    } else {
        py_decimal_type(py)
            .call1((digits,))
            .and_then(|d| py_int_type(py).call1((d,)))
    };
    parsed.unwrap_or_else(|_| py.None().into_bound(py))
}

macro_rules! cached_attr {
    ($fn_name:ident, $module:literal, $attr:literal) => {
        pub(crate) fn $fn_name(py: Python<'_>) -> &Bound<'_, PyAny> {
            static CELL: GILOnceCell<PyObject> = GILOnceCell::new();
            CELL.get_or_init(py, || {
                py.import($module)
                    .and_then(|m| m.getattr($attr))
                    .expect(concat!("import ", $module, ".", $attr))
                    .unbind()
            })
            .bind(py)
        }
    };
}

cached_attr!(py_int_type, "builtins", "int");
cached_attr!(py_mapping_abc, "collections.abc", "Mapping");
cached_attr!(py_deque_type, "collections", "deque");
cached_attr!(py_decimal_type, "decimal", "Decimal");
cached_attr!(py_uuid_type, "uuid", "UUID");
cached_attr!(py_datetime_type, "datetime", "datetime");
cached_attr!(py_date_type, "datetime", "date");
cached_attr!(py_time_type, "datetime", "time");
cached_attr!(py_timedelta_type, "datetime", "timedelta");
cached_attr!(py_timezone_type, "datetime", "timezone");
cached_attr!(py_enum_type, "enum", "Enum");
cached_attr!(py_re_compile, "re", "compile");
cached_attr!(py_validation_error, "ferrule.errors", "ValidationError");

pub(crate) fn dict_keys_type(py: Python<'_>) -> &Bound<'_, PyType> {
    static CELL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
    CELL.get_or_init(py, || {
        PyDict::new(py)
            .call_method0("keys")
            .expect("keys")
            .get_type()
            .unbind()
    })
    .bind(py)
}

pub(crate) fn dict_values_type(py: Python<'_>) -> &Bound<'_, PyType> {
    static CELL: GILOnceCell<Py<PyType>> = GILOnceCell::new();
    CELL.get_or_init(py, || {
        PyDict::new(py)
            .call_method0("values")
            .expect("values")
            .get_type()
            .unbind()
    })
    .bind(py)
}

/// Python's `str.isspace()` for one character: Rust's White_Space plus U+001C..U+001F.
pub(crate) fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()` with Python's notion of whitespace.
pub(crate) fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}
