//! The containers plain data is made of, written without the general dispatch: exact dicts and
//! lists with nothing to filter or sort, their items read as borrowed pointers, and the common
//! scalars (exact str, int, float, bool, None) written in place.
//!
//! Borrowing is safe while no user code runs: writing a str or a scalar runs none. An item
//! that takes the general path (which may run user code: an Enum's `value`, a `default=`
//! callable) is held (owned) while it is written, and a list's item array is read again
//! afterwards, so code that changes the container cannot leave a dangling pointer behind.

use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use pyo3::Borrowed;

use super::{write_array, write_str, write_value, Writer};
use crate::cpython::dict::DictItems;
use crate::json::float::write_float_repr;
use crate::json::write::put_int;
use crate::serialize::filter::Filter;
use crate::serialize::python::json_key;
use crate::serialize::{Options, MAX_DEPTH};

/// A dict with nothing to filter or sort, its items read one at a time (`DictItems`: the table
/// is looked up again after any item that may have run user code, so a dict changed on the way
/// ends or goes on, never reads freed memory). Exact str keys and scalar values are written
/// borrowed.
pub(super) fn write_dict_plain<'py>(
    py: Python<'py>,
    dict: &Bound<'py, PyDict>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    w.out.push(b'{');
    let mut first = true;
    // SAFETY: a live dict, held by the caller; the table is looked up again after anything
    // that may have run user code (the items written through `write_item` or `json_key`)
    let mut items = unsafe { DictItems::new(py, dict.as_ptr()) };
    // SAFETY: borrowed references, used before anything that could run user code (or owned
    // first, for the items that take the general path)
    while let Some((key_ptr, value_ptr)) = unsafe { items.next() } {
        let (key, value) = unsafe {
            (
                Borrowed::from_ptr(py, key_ptr),
                Borrowed::from_ptr(py, value_ptr),
            )
        };
        // SAFETY: the type pointer of a live object, compared only
        let str_key =
            unsafe { ffi::Py_TYPE(key_ptr) } == std::ptr::addr_of_mut!(ffi::PyUnicode_Type);
        match (str_key, w.indent, w.keys.as_deref_mut()) {
            // SAFETY: an exact str
            (true, None, Some(keys)) => {
                keys.write_key(
                    unsafe { key.downcast_unchecked::<PyString>() },
                    first,
                    w.out,
                )?;
            }
            (true, _, _) => {
                if !first {
                    w.out.push(b',');
                }
                w.newline(depth + 1);
                // SAFETY: an exact str
                write_str(unsafe { key.downcast_unchecked::<PyString>() }, w.out)?;
                w.colon();
            }
            (false, _, _) => {
                if !first {
                    w.out.push(b',');
                }
                w.newline(depth + 1);
                // a key of another type may run user code (an Enum's `value`): both held
                let (key, value) = (key.to_owned(), value.to_owned());
                write_str(&json_key(py, &key)?, w.out)?;
                w.colon();
                write_value(py, &value, options, &Filter::default(), w, depth + 1)?;
                // SAFETY: as above
                unsafe { items.refresh(py) };
                first = false;
                continue;
            }
        }
        first = false;
        if !write_scalar(py, &value, w.out)? {
            write_item(py, value.to_owned(), options, w, depth + 1)?;
            // SAFETY: as above
            unsafe { items.refresh(py) };
        }
    }
    if !first {
        w.newline(depth);
    }
    w.out.push(b'}');
    Ok(())
}

/// A list with nothing to filter: its items read from its item array (when the layout is
/// proven; else as `write_array` reads any sequence).
pub(super) fn write_list_plain<'py>(
    py: Python<'py>,
    list: &Bound<'py, PyList>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    // SAFETY: a live list; the array is read again after any item that may run user code.
    let Some((mut items, mut count)) = (unsafe { crate::cpython::list_items(py, list.as_ptr()) })
    else {
        return write_array(
            py,
            list.iter(),
            list.len(),
            options,
            &Filter::default(),
            w,
            depth,
        );
    };
    w.out.push(b'[');
    let mut index = 0;
    while index < count {
        if index > 0 {
            w.out.push(b',');
        }
        w.newline(depth + 1);
        // SAFETY: `index < count`, both read from the list since it last could change
        let item = unsafe { Borrowed::from_ptr(py, *items.add(index)) };
        // a scalar too deep is still an error (`write_value`'s depth check)
        if depth >= MAX_DEPTH || !write_scalar(py, &item, w.out)? {
            write_item(py, item.to_owned(), options, w, depth + 1)?;
            // SAFETY: as above; the list may have changed while the item was written
            (items, count) =
                unsafe { crate::cpython::list_items(py, list.as_ptr()) }.unwrap_or((items, 0));
        }
        index += 1;
    }
    if index > 0 {
        w.newline(depth);
    }
    w.out.push(b']');
    Ok(())
}

/// An item that is not a scalar, held while it is written: an exact dict or list straight to
/// its plain writer (what `write_value` would choose for it), anything else to `write_value`.
#[inline(always)]
fn write_item<'py>(
    py: Python<'py>,
    item: Bound<'py, PyAny>,
    options: &Options,
    w: &mut Writer<'_>,
    depth: u32,
) -> PyResult<()> {
    if depth <= MAX_DEPTH {
        if let Ok(dict) = item.downcast_exact::<PyDict>() {
            if !options.sort_keys && options.default.is_none() {
                return write_dict_plain(py, dict, options, w, depth);
            }
        } else if let Ok(list) = item.downcast_exact::<PyList>() {
            return write_list_plain(py, list, options, w, depth);
        }
    }
    write_value(py, &item, options, &Filter::default(), w, depth)
}

/// The common values (exact str, int, float, bool, None) written in place, without the general
/// dispatch and without running user code; false: not one of them (or an int beyond i64, a NaN
/// or an infinity: the caller's `write_value` knows what those become).
#[inline(always)]
pub(super) fn write_scalar(
    py: Python<'_>,
    item: &Bound<'_, PyAny>,
    out: &mut Vec<u8>,
) -> PyResult<bool> {
    let ptr = item.as_ptr();
    // SAFETY: comparing a live object's type pointer with static type objects; each branch
    // then reads the object as exactly that type.
    unsafe {
        let tp = ffi::Py_TYPE(ptr);
        if tp == std::ptr::addr_of_mut!(ffi::PyUnicode_Type) {
            write_str(item.downcast_unchecked::<PyString>(), out)?;
        } else if tp == std::ptr::addr_of_mut!(ffi::PyLong_Type) {
            let value = match crate::cpython::int::exact_int_value(py, ptr) {
                Some(value) => value,
                None => {
                    let mut overflow = 0;
                    let value = ffi::PyLong_AsLongLongAndOverflow(ptr, &mut overflow);
                    if overflow != 0 || (value == -1 && !ffi::PyErr_Occurred().is_null()) {
                        ffi::PyErr_Clear();
                        return Ok(false);
                    }
                    value
                }
            };
            put_int(out, value);
        } else if tp == std::ptr::addr_of_mut!(ffi::PyFloat_Type) {
            let f = ffi::PyFloat_AsDouble(ptr);
            if !f.is_finite() {
                return Ok(false);
            }
            write_float_repr(f, out);
        } else if ptr == ffi::Py_None() {
            out.extend_from_slice(b"null");
        } else if ptr == ffi::Py_True() {
            out.extend_from_slice(b"true");
        } else if ptr == ffi::Py_False() {
            out.extend_from_slice(b"false");
        } else {
            return Ok(false);
        }
    }
    Ok(true)
}
