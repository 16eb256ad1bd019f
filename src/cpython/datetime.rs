//! The `datetime` module's C API capsule (`datetime.datetime_CAPI`): constructors that skip the
//! argument parsing of `datetime(...)`. The capsule's struct is public and has only ever grown
//! at its end (3.7 to 3.14), so the prefix read here holds; it is read only with the fast paths
//! on, and every caller has the stable-API path (`None` from here) as well.

use std::os::raw::c_int;
use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::prelude::*;

type Obj = *mut ffi::PyObject;
type Type = *mut ffi::PyTypeObject;

/// The prefix of `PyDateTime_CAPI` (Include/datetime.h).
#[repr(C)]
struct Capi {
    date_type: Type,
    datetime_type: Type,
    time_type: Type,
    delta_type: Type,
    tzinfo_type: Type,
    timezone_utc: Obj,
    date_from_date: unsafe extern "C" fn(c_int, c_int, c_int, Type) -> Obj,
    datetime_from_date_and_time:
        unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, c_int, Obj, Type) -> Obj,
    time_from_time: unsafe extern "C" fn(c_int, c_int, c_int, c_int, Obj, Type) -> Obj,
    delta_from_delta: unsafe extern "C" fn(c_int, c_int, c_int, c_int, Type) -> Obj,
    timezone_from_timezone: unsafe extern "C" fn(Obj, Obj) -> Obj,
}

/// The capsule's address, or 0 when it is not to be used.
static CAPI: OnceLock<usize> = OnceLock::new();

/// Import the capsule once, at module load (the datetime module is imported by then).
pub(crate) fn init(_py: Python<'_>) {
    let address = if super::enabled() {
        // SAFETY: the GIL is held (`_py`); the name is a NUL-terminated literal.
        let capsule = unsafe { ffi::PyCapsule_Import(c"datetime.datetime_CAPI".as_ptr(), 0) };
        if capsule.is_null() {
            // SAFETY: the GIL is held; the failed import left an exception to drop.
            unsafe { ffi::PyErr_Clear() };
        }
        capsule as usize
    } else {
        0
    };
    let _ = CAPI.set(address);
}

fn capi(_py: Python<'_>) -> Option<&'static Capi> {
    match CAPI.get() {
        Some(&address) if address != 0 => {
            // SAFETY: the capsule's pointer stays valid while the datetime module lives, which
            // is for the whole process once imported (it is never unloaded).
            Some(unsafe { &*(address as *const Capi) })
        }
        _ => None,
    }
}

/// A new reference from a constructor, or the exception it set.
fn owned(py: Python<'_>, made: Obj) -> PyResult<Bound<'_, PyAny>> {
    // SAFETY: `made` is a new reference or NULL with an exception set (GIL held).
    unsafe { Bound::from_owned_ptr_or_err(py, made) }
}

/// `timezone.utc`.
pub(crate) fn utc(py: Python<'_>) -> Option<Bound<'_, PyAny>> {
    let api = capi(py)?;
    // SAFETY: a borrowed reference to the module's own UTC singleton (GIL held).
    Some(unsafe { Bound::from_borrowed_ptr(py, api.timezone_utc) })
}

/// `timezone(timedelta(seconds=seconds))`.
pub(crate) fn timezone(py: Python<'_>, seconds: i32) -> Option<PyResult<Bound<'_, PyAny>>> {
    let api = capi(py)?;
    Some((|| {
        // SAFETY: the capsule's constructors, called with the GIL held and its own types.
        let delta = owned(py, unsafe {
            (api.delta_from_delta)(0, seconds, 0, 1, api.delta_type)
        })?;
        owned(py, unsafe {
            (api.timezone_from_timezone)(delta.as_ptr(), std::ptr::null_mut())
        })
    })())
}

/// `datetime(year, month, day, hour, minute, second, microsecond, tzinfo)`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn datetime<'py>(
    py: Python<'py>,
    date: (u16, u8, u8),
    time: (u8, u8, u8, u32),
    tzinfo: &Bound<'py, PyAny>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    let api = capi(py)?;
    let (year, month, day) = date;
    let (hour, minute, second, micro) = time;
    // SAFETY: the capsule's constructor with the GIL held; `tzinfo` is None or a tzinfo.
    let made = unsafe {
        (api.datetime_from_date_and_time)(
            year.into(),
            month.into(),
            day.into(),
            hour.into(),
            minute.into(),
            second.into(),
            micro as c_int,
            tzinfo.as_ptr(),
            api.datetime_type,
        )
    };
    Some(owned(py, made))
}

/// `date(year, month, day)`.
pub(crate) fn date(
    py: Python<'_>,
    year: u16,
    month: u8,
    day: u8,
) -> Option<PyResult<Bound<'_, PyAny>>> {
    let api = capi(py)?;
    // SAFETY: the capsule's constructor with the GIL held.
    let made =
        unsafe { (api.date_from_date)(year.into(), month.into(), day.into(), api.date_type) };
    Some(owned(py, made))
}

/// `time(hour, minute, second, microsecond, tzinfo)`.
pub(crate) fn time<'py>(
    py: Python<'py>,
    time: (u8, u8, u8, u32),
    tzinfo: &Bound<'py, PyAny>,
) -> Option<PyResult<Bound<'py, PyAny>>> {
    let api = capi(py)?;
    let (hour, minute, second, micro) = time;
    // SAFETY: the capsule's constructor with the GIL held; `tzinfo` is None or a tzinfo.
    let made = unsafe {
        (api.time_from_time)(
            hour.into(),
            minute.into(),
            second.into(),
            micro as c_int,
            tzinfo.as_ptr(),
            api.time_type,
        )
    };
    Some(owned(py, made))
}

/// `timedelta(days, seconds, microseconds)`, normalised (`OverflowError` beyond its range).
pub(crate) fn delta(
    py: Python<'_>,
    days: i32,
    seconds: i32,
    micros: i32,
) -> Option<PyResult<Bound<'_, PyAny>>> {
    let api = capi(py)?;
    // SAFETY: the capsule's constructor with the GIL held.
    let made = unsafe { (api.delta_from_delta)(days, seconds, micros, 1, api.delta_type) };
    Some(owned(py, made))
}
