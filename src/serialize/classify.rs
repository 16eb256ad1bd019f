//! The one type classifier that both outputs (Python data and JSON text) dispatch on.
//!
//! The builtin types are recognised by their type pointer; every other type is classified once
//! (isinstance checks, in an order where the more specific kind wins) and remembered by type
//! in a small process-wide table, so a Decimal or a datetime costs one pointer compare plus
//! one table probe, not a ladder of isinstance calls.

use std::sync::atomic::{AtomicPtr, AtomicU8, Ordering};

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{
    PyByteArray, PyBytes, PyDict, PyFloat, PyFrozenSet, PyInt, PyList, PySet, PyString, PyTuple,
    PyType,
};

use crate::conv::{
    py_date_type, py_datetime_type, py_decimal_type, py_enum_type, py_time_type, py_timedelta_type,
    py_uuid_type,
};
use crate::model::registry::is_model_instance;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub(crate) enum Kind {
    None = 1,
    Str,
    Int,
    Bool,
    Float,
    List,
    Dict,
    Tuple,
    Set,
    FrozenSet,
    Bytes,
    ByteArray,
    /// An instance of a native model class.
    Model,
    Enum,
    DateTime,
    Date,
    Time,
    TimeDelta,
    /// Exactly `uuid.UUID` (its text is formatted natively).
    Uuid,
    /// A subclass of `uuid.UUID` (its own `__str__` is honoured).
    UuidSubclass,
    Decimal,
    StrSubclass,
    IntSubclass,
    FloatSubclass,
    /// An object of a class carrying `__ferrule_schema__` that is not a native model (a class
    /// of the pure core, seen by the native serialiser).
    ForeignModel,
    /// A value type with an entry in `ferrule.models._encoders` (an IP address, a path, a
    /// deque, a secret): written in JSON mode as what its encoder returns.
    Encoded,
    /// An `Encoded` type whose encoder is `str` (IP addresses, paths, URLs, `SecretStr`): its
    /// `str()` is written directly.
    EncodedText,
    /// A dataclass instance: its fields as a dict, in Python mode too (pydantic's answer).
    Dataclass,
    Unknown,
}

impl Kind {
    fn from_u8(raw: u8) -> Option<Kind> {
        const ALL: [Kind; 29] = [
            Kind::None,
            Kind::Str,
            Kind::Int,
            Kind::Bool,
            Kind::Float,
            Kind::List,
            Kind::Dict,
            Kind::Tuple,
            Kind::Set,
            Kind::FrozenSet,
            Kind::Bytes,
            Kind::ByteArray,
            Kind::Model,
            Kind::Enum,
            Kind::DateTime,
            Kind::Date,
            Kind::Time,
            Kind::TimeDelta,
            Kind::Uuid,
            Kind::UuidSubclass,
            Kind::Decimal,
            Kind::StrSubclass,
            Kind::IntSubclass,
            Kind::FloatSubclass,
            Kind::ForeignModel,
            Kind::Encoded,
            Kind::EncodedText,
            Kind::Dataclass,
            Kind::Unknown,
        ];
        ALL.get((raw as usize).wrapping_sub(1)).copied()
    }
}

/// The kind of `value`; builtins by type pointer, others through the per-type table.
#[inline]
pub(crate) fn classify(value: &Bound<'_, PyAny>) -> Kind {
    let ptr = value.as_ptr();
    // SAFETY: comparing a live object's type pointer with the addresses of static type objects.
    unsafe {
        let tp = ffi::Py_TYPE(ptr);
        if tp == std::ptr::addr_of_mut!(ffi::PyUnicode_Type) {
            return Kind::Str;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
            return Kind::Int;
        }
        if ptr == ffi::Py_None() {
            return Kind::None;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyBool_Type) {
            return Kind::Bool;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyFloat_Type) {
            return Kind::Float;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyList_Type) {
            return Kind::List;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyDict_Type) {
            return Kind::Dict;
        }
        if tp == std::ptr::addr_of_mut!(ffi::PyTuple_Type) {
            return Kind::Tuple;
        }
    }
    classify_other(value)
}

const TABLE_SIZE: usize = 64;

/// Type → kind, direct-mapped. Each entry owns a reference to its type, so a remembered type
/// is never freed and its address never reused while the entry lives.
static TYPES: [AtomicPtr<ffi::PyObject>; TABLE_SIZE] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; TABLE_SIZE];
static KINDS: [AtomicU8; TABLE_SIZE] = [const { AtomicU8::new(0) }; TABLE_SIZE];

#[inline(never)]
fn classify_other(value: &Bound<'_, PyAny>) -> Kind {
    // SAFETY: the type pointer of a live object (only compared, never dereferenced here)
    let key = unsafe { ffi::Py_TYPE(value.as_ptr()) }.cast::<ffi::PyObject>();
    let index = ((key as usize) >> 4) % TABLE_SIZE;
    if TYPES[index].load(Ordering::Acquire) == key {
        if let Some(kind) = Kind::from_u8(KINDS[index].load(Ordering::Acquire)) {
            return kind;
        }
    }
    let tp = value.get_type();
    let kind = classify_type(value, &tp);
    // written with the GIL held: type pointer last, so a reader never pairs it with another kind
    TYPES[index].store(std::ptr::null_mut(), Ordering::Release);
    KINDS[index].store(kind as u8, Ordering::Release);
    let old = TYPES[index].swap(tp.clone().into_ptr(), Ordering::AcqRel);
    if !old.is_null() {
        // SAFETY: the reference this table took for the evicted type (GIL held).
        unsafe { ffi::Py_DecRef(old) };
    }
    kind
}

/// The isinstance ladder, most specific first (an Enum that is also a str is an Enum; a
/// datetime is also a date).
fn classify_type(value: &Bound<'_, PyAny>, tp: &Bound<'_, PyType>) -> Kind {
    let py = value.py();
    let is = |cls: &Bound<'_, PyAny>| value.is_instance(cls).unwrap_or(false);
    if is_model_instance(value) {
        return Kind::Model;
    }
    if is(py_enum_type(py)) {
        return Kind::Enum;
    }
    if is(py_datetime_type(py)) {
        return Kind::DateTime;
    }
    if is(py_date_type(py)) {
        return Kind::Date;
    }
    if is(py_time_type(py)) {
        return Kind::Time;
    }
    if is(py_timedelta_type(py)) {
        return Kind::TimeDelta;
    }
    if is(py_uuid_type(py)) {
        return if tp.is(py_uuid_type(py)) {
            Kind::Uuid
        } else {
            Kind::UuidSubclass
        };
    }
    if is(py_decimal_type(py)) {
        return Kind::Decimal;
    }
    if value.is_instance_of::<PyString>() {
        return Kind::StrSubclass;
    }
    if value.is_instance_of::<PyInt>() {
        return Kind::IntSubclass;
    }
    if value.is_instance_of::<PyFloat>() {
        return Kind::FloatSubclass;
    }
    if value.is_instance_of::<PyList>() {
        return Kind::List;
    }
    if value.is_instance_of::<PyDict>() {
        return Kind::Dict;
    }
    if value.is_instance_of::<PyTuple>() {
        return Kind::Tuple;
    }
    if value.is_instance_of::<PyFrozenSet>() {
        return Kind::FrozenSet;
    }
    if value.is_instance_of::<PySet>() {
        return Kind::Set;
    }
    if value.is_instance_of::<PyBytes>() {
        return Kind::Bytes;
    }
    if value.is_instance_of::<PyByteArray>() {
        return Kind::ByteArray;
    }
    if tp
        .hasattr(pyo3::intern!(py, "__ferrule_schema__"))
        .unwrap_or(false)
    {
        return Kind::ForeignModel;
    }
    match encoder_for(py, tp) {
        Ok(Some(encoder)) if encoder.is(py.get_type::<PyString>()) => Kind::EncodedText,
        Ok(Some(_))
            if tp
                .hasattr(pyo3::intern!(py, "__dataclass_fields__"))
                .unwrap_or(false) =>
        {
            Kind::Dataclass
        }
        Ok(Some(_)) => Kind::Encoded,
        _ => Kind::Unknown,
    }
}

/// The `ferrule.models._encoders` entry of `tp`, if any (asked once per type: the answer is
/// kept with the type's kind).
pub(crate) fn encoder_for<'py>(
    py: Python<'py>,
    tp: &Bound<'py, PyType>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    static CELL: pyo3::sync::GILOnceCell<PyObject> = pyo3::sync::GILOnceCell::new();
    let lookup = CELL.get_or_try_init(py, || {
        py.import("ferrule.models._encoders")?
            .getattr("encoder_for")
            .map(Bound::unbind)
    })?;
    let found = lookup.bind(py).call1((tp,))?;
    Ok(if found.is_none() { None } else { Some(found) })
}

/// The JSON-ready form of a `Kind::Encoded` value (`ferrule.models._encoders.encode`).
pub(crate) fn encoded<'py>(value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let py = value.py();
    static CELL: pyo3::sync::GILOnceCell<PyObject> = pyo3::sync::GILOnceCell::new();
    let encode = CELL.get_or_try_init(py, || {
        py.import("ferrule.models._encoders")?
            .getattr("encode")
            .map(Bound::unbind)
    })?;
    encode.bind(py).call1((value,))
}
