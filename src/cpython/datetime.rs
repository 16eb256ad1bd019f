//! The `datetime` types without their Python-level API: values built through the module's C
//! API capsule (`datetime.datetime_CAPI`, constructors that skip argument parsing) and exact
//! instances read from their structs (year, ..., microsecond, tzinfo; a timedelta's days,
//! seconds, microseconds). The capsule's struct is public and has only grown at its end (3.7 to
//! 3.14); the value layouts are those of 64-bit CPython 3.10 to 3.13, checked at load by a probe
//! on values built here. All of it only with the fast paths on; every caller has the
//! stable-API path (`None` from here) as well.

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
    let _ = LAYOUT_OK.set(probe(_py).unwrap_or(false));
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

// --- reading values (64-bit CPython 3.10-3.13 layouts, checked by a probe at load) ---------

/// `PyDateTime_Date`/`_DateTime`/`_Time`: `data` after the head, hash and `hastzinfo`.
const HAS_TZINFO: usize = 24;
const DATA: usize = 25;
const DATETIME_TZINFO: usize = 40;
const TIME_TZINFO: usize = 32;
/// `PyDateTime_Delta`: `int days, seconds, microseconds` after the head and hash.
const DELTA_DAYS: usize = 24;

static LAYOUT_OK: OnceLock<bool> = OnceLock::new();

/// The fields of an exact `datetime`, `date` or `time` (a date has a zero time, a time a zero
/// date) and its tzinfo (`None` when it has none).
pub(crate) struct Fields<'py> {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
    pub(crate) hour: u8,
    pub(crate) minute: u8,
    pub(crate) second: u8,
    pub(crate) micro: u32,
    pub(crate) tzinfo: Option<Bound<'py, PyAny>>,
}

/// Which of the module's types `obj` is exactly, when its layout may be read.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Exact {
    DateTime,
    Date,
    Time,
}

fn layout_ok(_py: Python<'_>) -> bool {
    *LAYOUT_OK.get().unwrap_or(&false)
}

/// Build known values through the capsule and read them back at the offsets above.
fn probe(py: Python<'_>) -> Option<bool> {
    let utc = utc(py)?;
    let moment = datetime(py, (2345, 6, 7), (8, 9, 10, 123_456), &utc)?.ok()?;
    let day = date(py, 2345, 6, 7)?.ok()?;
    let clock = time(py, (8, 9, 10, 123_456), &utc)?.ok()?;
    let span = delta(py, -3, 4000, 5006)?.ok()?;
    // SAFETY: objects of the module's own types, built just above; read within their size.
    let ok = unsafe {
        let m = read_raw(&moment, Exact::DateTime);
        let d = read_raw(&day, Exact::Date);
        let t = read_raw(&clock, Exact::Time);
        m == (2345, 6, 7, 8, 9, 10, 123_456, utc.as_ptr())
            && d == (2345, 6, 7, 0, 0, 0, 0, std::ptr::null_mut())
            && t == (0, 0, 0, 8, 9, 10, 123_456, utc.as_ptr())
            && read_delta_raw(&span) == (-3, 4000, 5006)
    };
    Some(ok)
}

type Raw = (u16, u8, u8, u8, u8, u8, u32, Obj);

/// SAFETY: `obj` must be an exact instance of the type `kind` names.
unsafe fn read_raw(obj: &Bound<'_, PyAny>, kind: Exact) -> Raw {
    let base = obj.as_ptr() as *const u8;
    let at = |offset: usize| *base.add(offset);
    let micro = |from: usize| {
        (u32::from(at(from)) << 16) | (u32::from(at(from + 1)) << 8) | u32::from(at(from + 2))
    };
    let tz = |offset: usize| {
        if at(HAS_TZINFO) == 0 {
            std::ptr::null_mut()
        } else {
            *(base.add(offset) as *const Obj)
        }
    };
    match kind {
        Exact::Date => {
            let year = u16::from_be_bytes([at(DATA), at(DATA + 1)]);
            (
                year,
                at(DATA + 2),
                at(DATA + 3),
                0,
                0,
                0,
                0,
                std::ptr::null_mut(),
            )
        }
        Exact::DateTime => {
            let year = u16::from_be_bytes([at(DATA), at(DATA + 1)]);
            let (month, day, hour, minute, second) = (
                at(DATA + 2),
                at(DATA + 3),
                at(DATA + 4),
                at(DATA + 5),
                at(DATA + 6),
            );
            (
                year,
                month,
                day,
                hour,
                minute,
                second,
                micro(DATA + 7),
                tz(DATETIME_TZINFO),
            )
        }
        Exact::Time => {
            let (hour, minute, second) = (at(DATA), at(DATA + 1), at(DATA + 2));
            (
                0,
                0,
                0,
                hour,
                minute,
                second,
                micro(DATA + 3),
                tz(TIME_TZINFO),
            )
        }
    }
}

/// SAFETY: `obj` must be an exact `timedelta`.
unsafe fn read_delta_raw(obj: &Bound<'_, PyAny>) -> (i32, i32, i32) {
    let base = obj.as_ptr() as *const u8;
    let int = |offset: usize| *(base.add(offset) as *const i32);
    (int(DELTA_DAYS), int(DELTA_DAYS + 4), int(DELTA_DAYS + 8))
}

/// Which exact type `obj` is, when the fast paths may read it.
pub(crate) fn exact_kind(obj: &Bound<'_, PyAny>) -> Option<Exact> {
    let py = obj.py();
    let api = capi(py)?;
    let tp = obj.get_type().as_ptr() as Type;
    let kind = if tp == api.datetime_type {
        Exact::DateTime
    } else if tp == api.date_type {
        Exact::Date
    } else if tp == api.time_type {
        Exact::Time
    } else {
        return None;
    };
    layout_ok(py).then_some(kind)
}

/// The fields of `obj`, of the exact type `kind` from `exact_kind`.
pub(crate) fn fields<'py>(obj: &Bound<'py, PyAny>, kind: Exact) -> Fields<'py> {
    let py = obj.py();
    // SAFETY: `exact_kind` found `obj` to be exactly this type and the layout probe passed.
    let (year, month, day, hour, minute, second, micro, tz) = unsafe { read_raw(obj, kind) };
    // SAFETY: a borrowed reference held by `obj`, which outlives this call's use of it.
    let tzinfo = (!tz.is_null()).then(|| unsafe { Bound::from_borrowed_ptr(py, tz) });
    Fields {
        year,
        month,
        day,
        hour,
        minute,
        second,
        micro,
        tzinfo,
    }
}

/// `(days, seconds, microseconds)` of an exact `timedelta`, when the fast paths may read it.
pub(crate) fn delta_fields(obj: &Bound<'_, PyAny>) -> Option<(i32, i32, i32)> {
    let py = obj.py();
    let api = capi(py)?;
    if obj.get_type().as_ptr() as Type != api.delta_type || !layout_ok(py) {
        return None;
    }
    // SAFETY: exactly a timedelta, and the layout probe passed.
    Some(unsafe { read_delta_raw(obj) })
}

/// Whether `tzinfo` is the module's UTC singleton.
pub(crate) fn is_utc(tzinfo: &Bound<'_, PyAny>) -> bool {
    capi(tzinfo.py()).is_some_and(|api| tzinfo.as_ptr() == api.timezone_utc)
}
